"""Word ``.docx`` files into sections: headings with levels, paragraphs, lists and tables,
followed by the labelled header, footer, note and comment sections of ``docxparts``.

The package is checked by ``ziplimits`` (zip bombs, entity declarations, encrypted files)
before python-docx parses a byte of it.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import IO, Any

from connectors.document import Block, Document, Section, content_id
from connectors.docxparts import extra_sections, one_line, table_rows
from connectors.errors import BadInputError
from connectors.ooxmlstrict import is_strict, transitional_package
from connectors.ziplimits import office_file, open_checked_zip, resolve_limits

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING = re.compile(r"^(?:heading|überschrift|titre|título)\s*(\d)$", re.IGNORECASE)
_ORDERED_FORMATS = {
    "decimal",
    "upperRoman",
    "lowerRoman",
    "upperLetter",
    "lowerLetter",
    "decimalZero",
    "ordinal",
    "cardinalText",
    "ordinalText",
}


def _heading_level(paragraph: Any) -> int:
    """Heading level from the style name or the paragraph's outline level; 0 for body text."""
    try:
        style = paragraph.style
        name = style.name if style is not None else ""
    except (KeyError, AttributeError, ValueError):
        name = ""
    if name and name.lower() == "title":
        return 1
    match = _HEADING.match(name or "")
    if match:
        return max(int(match.group(1)), 1)
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None:
        try:
            level = int(outline.get(f"{_W}val", "9"))
        except ValueError:
            level = 9
        if level < 9:
            return level + 1
    return 0


class _Numbering:
    """Answers whether a list (numId, level) is numbered or bulleted."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, int], str] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        abstract: dict[str, dict[int, str]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                try:
                    levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                        fmt.get(f"{_W}val", "") if fmt is not None else ""
                    )
                except ValueError:
                    continue
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                self.formats[(num.get(f"{_W}numId", ""), level)] = fmt

    def ordered(self, num_id: str, level: int) -> bool:
        return self.formats.get((num_id, level), "") in _ORDERED_FORMATS


def _list_info(paragraph: Any, numbering: _Numbering) -> tuple[int, bool] | None:
    ppr = paragraph._p.pPr
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is None:
        try:
            style_name = (paragraph.style.name or "") if paragraph.style is not None else ""
        except (KeyError, AttributeError, ValueError):
            style_name = ""
        if style_name.lower().startswith("list"):
            # "List Bullet 2", "List Number 3": the trailing digit is the nesting level
            digits = style_name.rstrip().rsplit(" ", 1)[-1]
            level = int(digits) - 1 if digits.isdigit() else 0
            return max(level, 0), "number" in style_name.lower()
        return None
    ilvl = num_pr.find(f"{_W}ilvl")
    num_id = num_pr.find(f"{_W}numId")
    try:
        level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
    except ValueError:
        level = 0
    nid = num_id.get(f"{_W}val", "") if num_id is not None else ""
    if nid == "0":  # numbering explicitly removed
        return None
    return level, numbering.ordered(nid, level)


def _core_date(props: Any) -> datetime | None:
    for name in ("modified", "created"):
        try:
            value = getattr(props, name)
        except (ValueError, TypeError, AttributeError):
            continue
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def read_docx(
    file: str | Path | IO[bytes], source: str, options: Mapping[str, Any] | None = None
) -> Document:
    """Read a .docx (path or binary file object) into a ``Document`` with sections."""
    import docx  # heavy; imported on first use

    options = options or {}
    limits = resolve_limits(options)
    with office_file(file, source, "Word") as handle:
        with open_checked_zip(handle, source, "Word", limits) as archive:
            has_core = "docProps/core.xml" in archive.namelist()
            # ISO Strict: the same document under other namespace URIs
            package: IO[bytes] | None = (
                transitional_package(archive) if is_strict(archive) else None
            )
        handle.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                document = docx.Document(package or handle)
        except Exception as exc:
            raise BadInputError(
                f"not a readable Word document ({type(exc).__name__}: {str(exc)[:200]})",
                item=source,
            ) from None
        built = _build(document, source, has_core)
        if package is not None:
            built.metadata["conformance"] = "strict"
        return built


def _build(document: Any, source: str, has_core: bool) -> Document:
    from docx.table import Table

    numbering = _Numbering(document)
    sections: list[Section] = [Section(heading=None, level=0)]
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = table_rows(item)
            if rows:
                sections[-1].blocks.append(Block(kind="table", rows=rows))
            continue
        text = one_line(item.text) if item.text else ""
        if not text:
            continue
        level = _heading_level(item)
        if level:
            sections.append(Section(heading=text, level=level))
            continue
        listed = _list_info(item, numbering)
        if listed is not None:
            sections[-1].blocks.append(
                Block(kind="list_item", text=text, level=listed[0], ordered=listed[1])
            )
        else:
            sections[-1].blocks.append(Block(kind="paragraph", text=text))
    if not sections[0].blocks:
        sections.pop(0)
    if not any(s.text() for s in sections):
        loose = _loose_text(document)
        # kept as a section so that full_text() still has it next to the header/footer parts
        sections = (
            [
                Section(
                    heading=None,
                    level=0,
                    blocks=[Block(kind="paragraph", text=line) for line in loose.splitlines()],
                )
            ]
            if loose
            else []
        )
    skipped: list[str] = []
    extras = extra_sections(document, skipped)
    body_blocks = sum(len(s.blocks) for s in sections)
    # python-docx invents core properties ("Word Document", now) when the part is missing
    props = document.core_properties if has_core else None
    title = (
        ((props.title or "").strip() if props else "")
        or next((s.heading for s in sections if s.heading), "")
        or PurePath(source).stem
    )
    author = (props.author or "").strip() if props else ""
    metadata: dict[str, Any] = {"paragraphs": body_blocks}
    metadata.update({extra.heading.lower(): len(extra.blocks) for extra in extras if extra.heading})
    if skipped:
        metadata["warnings"] = skipped
    sections += extras
    text = "\n\n".join(s.text() for s in sections if s.text())
    return Document(
        id=content_id("docx", title, author, text),
        kind="docx",
        source=source,
        title=title,
        author=author,
        date=_core_date(props) if props else None,
        text=text,
        sections=sections,
        metadata=metadata,
    )


def _loose_text(document: Any) -> str:
    """Text that lives outside body paragraphs (text boxes, content controls)."""
    seen: list[str] = []
    body = document.element.body
    for node in body.iter(f"{_W}p"):
        # alternate content repeats a text box in its fallback; read the choice only
        if any(anc.tag.endswith("}Fallback") for anc in node.iterancestors()):
            continue
        text = "".join(t.text or "" for t in node.iter(f"{_W}t")).strip()
        if text:
            seen.append(one_line(text))
    return "\n".join(seen)


def read_docx_bytes(data: bytes, source: str, options: Mapping[str, Any] | None = None) -> Document:
    return read_docx(io.BytesIO(data), source, options)
