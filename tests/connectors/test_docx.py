"""Word documents: headings with levels, paragraphs, bulleted/numbered lists, tables."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

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
        (None, 0), ("Summary", 1), ("Actions", 2)]
    intro, summary, actions = doc.sections
    assert intro.blocks[0].text == "Prepared for the board."
    kinds = [(b.kind, b.text, b.level, b.ordered) for b in summary.blocks]
    assert kinds == [("paragraph", "Revenue grew 12%.", 0, False),
                     ("list_item", "North", 0, False), ("list_item", "South", 1, False)]
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
        ("First paragraph", 1), ("Second paragraph", 2), ("Third paragraph", 3)]


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("hello")
    with pytest.raises(BadInputError, match="not a valid Word file"):
        read_docx(path, str(path), {})
