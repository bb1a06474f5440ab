"""The parts of a Word file around its body: headers, footers, footnotes, endnotes, comments.

Each becomes a labelled ``Section`` ("Header", "Footer", "Footnotes", "Endnotes",
"Comments") placed after the body, so the body keeps its order and offsets in
``Document.full_text()``. The package was already checked by ``ziplimits`` (no DTD, no
zip bomb); the note and comment parts are parsed again with defusedxml, which refuses
entities outright. A part that cannot be read is skipped and named in ``warnings``:
the body is still worth reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from connectors.document import Block, Section
from connectors.quotes import plain_quotes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_HEADER_FOOTER_VARIANTS = {
    "Header": ("header", "first_page_header", "even_page_header"),
    "Footer": ("footer", "first_page_footer", "even_page_footer"),
}
#: (section title, relationship type, element tag) of the note-like parts.
_NOTE_PARTS = (
    ("Footnotes", "footnotes", "footnote"),
    ("Endnotes", "endnotes", "endnote"),
    ("Comments", "comments", "comment"),
)
#: Notes Word draws itself (the rule above the notes and its continuation), not content.
_SPECIAL_NOTES = {"separator", "continuationSeparator", "continuationNotice"}


def one_line(text: str) -> str:
    """Word's text on one line, its typographic quotes plain: Word types ’ and “ ” by
    default, where the rules that read a document expect ' and " ("I’d like your
    comments by Friday", "don’t")."""
    return plain_quotes(" ".join(text.split()))


def table_rows(table: Any) -> list[list[str]]:
    """The non-empty rows of a python-docx table, each cell's text on one line."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            # horizontally merged cells come back once per grid column
            if cell._tc is last:
                continue
            last = cell._tc
            cells.append(one_line(cell.text))
        if any(cells):
            rows.append(cells)
    return rows


def extra_sections(document: Any, warnings: list[str]) -> list[Section]:
    """Header, footer, note and comment sections of a python-docx document, when not empty."""
    sections = [
        _header_footer(document, title, variants, warnings)
        for title, variants in _HEADER_FOOTER_VARIANTS.items()
    ]
    sections += [
        _notes(document, title, reltype, tag, warnings) for title, reltype, tag in _NOTE_PARTS
    ]
    return [section for section in sections if section.blocks]


def _header_footer(
    document: Any, title: str, variants: tuple[str, ...], warnings: list[str]
) -> Section:
    from docx.table import Table

    section = Section(heading=title, level=1)
    seen: set[str] = set()
    for number, doc_section in enumerate(document.sections, 1):
        for variant in variants:
            try:
                part = getattr(doc_section, variant)
                # a linked part shows the previous section's text, read there already
                if part.is_linked_to_previous:
                    continue
                items = list(part.iter_inner_content())
            except (KeyError, AttributeError, ValueError) as exc:
                warnings.append(
                    f"section {number} {variant.replace('_', ' ')} skipped: {type(exc).__name__}"
                )
                continue
            for item in items:
                if isinstance(item, Table):
                    rows = table_rows(item)
                    block = Block(kind="table", rows=rows) if rows else None
                    key = "\x1f".join("\x1e".join(row) for row in rows)
                else:
                    key = one_line(item.text) if item.text else ""
                    block = Block(kind="paragraph", text=key) if key else None
                # different first-page and even-page variants often repeat the same line
                if block is not None and key not in seen:
                    seen.add(key)
                    section.blocks.append(block)
    return section


def _notes(document: Any, title: str, reltype: str, tag: str, warnings: list[str]) -> Section:
    section = Section(heading=title, level=1)
    part = next(
        (
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype == _RELS + reltype and not rel.is_external
        ),
        None,
    )
    if part is None:
        return section
    name = str(part.partname).lstrip("/")
    try:
        root = fromstring(part.blob)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        warnings.append(f"{name} skipped: {type(exc).__name__}: {str(exc)[:200]}")
        return section
    for note in root.iter(f"{_W}{tag}"):
        if note.get(f"{_W}type", "normal") in _SPECIAL_NOTES:
            continue
        text = one_line(" ".join(_paragraph_texts(note)))
        if not text:
            continue
        author = (note.get(f"{_W}author") or "").strip()
        section.blocks.append(Block(kind="paragraph", text=f"{author}: {text}" if author else text))
    return section


def _paragraph_texts(element: Element) -> Iterator[str]:
    """The text of each paragraph under ``element``; a text box's fallback copy is skipped."""
    for child in element:
        if child.tag == _MC_FALLBACK:
            continue
        if child.tag == f"{_W}p":
            text = "".join(_runs_text(child))
            if text.strip():
                yield text
        yield from _paragraph_texts(child)


def _runs_text(node: Element) -> Iterator[str]:
    for child in node:
        # nested paragraphs (text boxes) are read on their own by _paragraph_texts
        if child.tag in (_MC_FALLBACK, f"{_W}p", f"{_W}pPr"):
            continue
        if child.tag == f"{_W}t" and child.text:
            yield child.text
        elif child.tag == f"{_W}tab":
            yield " "
        else:
            yield from _runs_text(child)
