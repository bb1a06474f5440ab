"""Word documents: headings with levels, paragraphs, bulleted/numbered lists, tables, and
the labelled header, footer, footnote, endnote and comment sections after the body."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from connectors.document import Document
from connectors.docx import read_docx
from connectors.errors import BadInputError


@pytest.fixture
def report(tmp_path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Q1 report"
    document.core_properties.author = "Ann Analyst"
    document.add_paragraph("Prepared for the board.")
    document.add_heading("Summary", level=1)
    document.add_paragraph("Revenue grew 12%.")
    document.add_paragraph("North", style="List Bullet")
    document.add_paragraph("South", style="List Bullet 2")
    document.add_heading("Actions", level=2)
    document.add_paragraph("Hire two engineers", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Revenue"
    table.cell(1, 0).text, table.cell(1, 1).text = "North", "1,200"
    path = tmp_path / "report.docx"
    document.save(path)
    return path


def test_sections_blocks_and_metadata(report: Path) -> None:
    doc = read_docx(report, str(report), {})
    assert doc.kind == "docx"
    assert doc.title == "Q1 report"
    assert doc.author == "Ann Analyst"
    assert doc.date is not None and doc.date.tzinfo is not None
    assert [(s.heading, s.level) for s in doc.sections] == [
        (None, 0),
        ("Summary", 1),
        ("Actions", 2),
    ]
    intro, summary, actions = doc.sections
    assert intro.blocks[0].text == "Prepared for the board."
    kinds = [(b.kind, b.text, b.level, b.ordered) for b in summary.blocks]
    assert kinds == [
        ("paragraph", "Revenue grew 12%.", 0, False),
        ("list_item", "North", 0, False),
        ("list_item", "South", 1, False),
    ]
    assert actions.blocks[0].kind == "list_item" and actions.blocks[0].ordered
    table = actions.blocks[1]
    assert table.kind == "table" and table.rows == [["Region", "Revenue"], ["North", "1,200"]]
    assert "Region | Revenue" in doc.text
    assert doc.full_text() == doc.text


def test_numbering_levels_from_the_numbering_part(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/poi-Numbering.docx", "n", {})
    items = [b for s in doc.sections for b in s.blocks if b.kind == "list_item"]
    assert {b.level for b in items} >= {0, 1, 2}
    assert any(b.ordered for b in items)


def test_heading_levels_in_real_document(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/poi-heading123.docx", "h", {})
    assert [(s.heading, s.level) for s in doc.sections][:3] == [
        ("First paragraph", 1),
        ("Second paragraph", 2),
        ("Third paragraph", 3),
    ]


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("hello")
    with pytest.raises(BadInputError, match="not a valid Word file"):
        read_docx(path, str(path), {})


def _extra(doc: Document, heading: str) -> list[str]:
    """The block texts of the labelled section ``heading`` (tables as "a | b" lines)."""
    (section,) = [s for s in doc.sections if s.heading == heading and s.level == 1]
    return [b.text or "\n".join(" | ".join(row) for row in b.rows or []) for b in section.blocks]


def test_header_and_footer_of_a_generated_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("The plan for March.")
    document.add_paragraph("Ship the beta.")
    section = document.sections[0]
    section.header.paragraphs[0].text = "ACME Corp \u2014 Confidential"
    section.footer.paragraphs[0].text = "Internal use only"
    # a first-page header with the same line must not appear twice
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "ACME Corp \u2014 Confidential"
    section.first_page_footer.add_table(rows=1, cols=2, width=section.page_width)
    footer_table = section.first_page_footer.tables[0]
    footer_table.cell(0, 0).text, footer_table.cell(0, 1).text = "Draft 3", "v0.3"
    second = document.add_section()
    second.header.is_linked_to_previous = True
    document.add_paragraph("Appendix text.")
    path = tmp_path / "plan.docx"
    document.save(path)

    doc = read_docx(path, str(path), {})
    assert doc.title == "plan"  # not "Header": the title comes from the body only
    assert _extra(doc, "Header") == ["ACME Corp \u2014 Confidential"]
    assert _extra(doc, "Footer") == ["Internal use only", "Draft 3 | v0.3"]
    assert doc.metadata["paragraphs"] == 3
    assert doc.metadata["header"] == 1 and doc.metadata["footer"] == 2
    # the body comes first, unchanged, and the labelled parts follow it
    assert doc.text.startswith("The plan for March.\nShip the beta.\nAppendix text.\n\nHeader\n")
    assert doc.text.index("Footer\nInternal use only") > doc.text.index("Header")
    assert doc.full_text() == doc.text


def test_different_first_page_header_and_footer(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/poi-DiffFirstPageHeadFoot.docx", "f", {})
    assert _extra(doc, "Header") == [
        "First header column! Mid header Right header!",
        # Word's typographic apostrophe is read as the plain one the rules expect
        "I am the header on the first page, and I'm nice and simple",
    ]
    assert _extra(doc, "Footer") == [
        "Footer Left Footer Middle Footer Right",
        "The footer of the first page",
    ]
    # the file has only separator notes: no empty "Footnotes"/"Endnotes" sections
    assert not {"Footnotes", "Endnotes", "Comments"} & {s.heading for s in doc.sections}
    body_end = doc.text.index("Header\n")
    assert "HEADING TEXT" in doc.text[:body_end]


def test_unicode_header_and_footer(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/poi-HeaderFooterUnicode.docx", "u", {})
    assert _extra(doc, "Header") == ["This is a simple header, with a \u20ac euro symbol in it."]
    assert _extra(doc, "Footer") == ["The footer, with Moli\u00e8re, has Unicode in it."]


def test_odd_and_even_page_headers(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/python-docx-doc-odd-even-hdrs.docx", "o", {})
    assert _extra(doc, "Header") == ["Odd page header.", "Even page header."]


def test_footnotes_skip_the_separators(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/mammoth-footnotes.docx", "n", {})
    assert _extra(doc, "Footnotes") == ["A tachyon walks into a bar.", "Fin."]
    assert doc.metadata["footnotes"] == 2
    assert doc.text.index("Ouch") < doc.text.index("Footnotes\nA tachyon walks into a bar.")


def test_endnotes(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/mammoth-endnotes.docx", "e", {})
    assert _extra(doc, "Endnotes") == ["A tachyon walks into a bar.", "Fin."]
    assert "Footnotes" not in {s.heading for s in doc.sections}


def test_comments_with_their_author(corpus_dir: Path) -> None:
    doc = read_docx(corpus_dir / "docx/mammoth-comments.docx", "c", {})
    assert _extra(doc, "Comments") == [
        "Michael Williamson: A tachyon walks into a bar.",
        "Michael Williamson: Fin.",
    ]
    assert doc.full_text().endswith("Michael Williamson: Fin.")


def test_corrupt_footnotes_part_is_skipped_with_a_warning(corpus_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken-notes.docx"
    with (
        zipfile.ZipFile(corpus_dir / "docx/mammoth-footnotes.docx") as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/footnotes.xml":
                data = data[: len(data) // 2]  # cut mid-element: not well-formed
            target.writestr(info, data)
    doc = read_docx(path, str(path), {})
    assert "Ouch" in doc.text
    assert "Footnotes" not in {s.heading for s in doc.sections}
    (warning,) = doc.metadata["warnings"]
    assert warning.startswith("word/footnotes.xml skipped: ParseError")


def test_corrupt_header_part_names_the_file(corpus_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken-header.docx"
    with (
        zipfile.ZipFile(corpus_dir / "docx/poi-DiffFirstPageHeadFoot.docx") as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[:40] if info.filename == "word/header1.xml" else data)
    with pytest.raises(BadInputError, match="not a readable Word document") as caught:
        read_docx(path, str(path), {})
    assert caught.value.item == str(path)


def test_typographic_quotes_become_plain_in_body_tables_and_headers(tmp_path: Path) -> None:
    # Word replaces ' and " as they are typed; the rules that find asks and dates read the
    # plain ones, so "Don’t" and “final” must reach them as "Don't" and "final".
    document = docx.Document()
    document.add_heading("Q3 \u201cfinal\u201d budget", level=1)
    document.add_paragraph(
        "Could you send the \u201cfinal\u201d figures? Don\u2019t wait for Bo\u2019s."
    )
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Owner\u2019s note", "\u2018tbd\u2019"
    document.sections[0].header.paragraphs[0].text = "Ann\u2019s draft"
    path = tmp_path / "quotes.docx"
    document.save(path)

    doc = read_docx(path, str(path), {})
    assert doc.sections[0].heading == 'Q3 "final" budget'
    assert doc.sections[0].blocks[0].text == (
        "Could you send the \"final\" figures? Don't wait for Bo's."
    )
    assert doc.sections[0].blocks[1].rows == [["Owner's note", "'tbd'"]]
    assert _extra(doc, "Header") == ["Ann's draft"]
    assert not set("\u2018\u2019\u201c\u201d") & set(doc.full_text())
