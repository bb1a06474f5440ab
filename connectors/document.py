"""The normalized document model every connector produces and every draft consumes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel

from connectors.sheetmodel import Column, ColumnType, Sheet, SheetTable
from connectors.xlsxtables import detect_tables

# Sheet types live in connectors.sheetmodel (shared with the xlsx readers); they are
# re-exported here because every consumer takes the document model from this module.
__all__ = [
    "Attachment",
    "Block",
    "BlockKind",
    "Column",
    "ColumnType",
    "Document",
    "DocumentKind",
    "Section",
    "Sheet",
    "SheetTable",
    "content_id",
    "sheets_from_json",
]

DocumentKind = Literal["email", "docx", "xlsx", "text"]
BlockKind = Literal["paragraph", "list_item", "table"]


def content_id(*parts: str | bytes | None) -> str:
    """A stable id: the SHA-256 of the given parts (hex, first 32 chars)."""
    digest = hashlib.sha256()
    for part in parts:
        if part is None:
            part = b"\x00"
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


@dataclass(slots=True)
class Attachment:
    name: str
    kind: str  # MIME type, or a short type such as "docx"
    size: int
    document: Document | None = None  # parsed, for .docx/.xlsx/.eml/.msg attachments
    error: str | None = None  # why a parsable attachment could not be parsed

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "size": self.size}
        if self.document is not None:
            out["document_id"] = self.document.id
        if self.error:
            out["error"] = self.error
        return out


@dataclass(slots=True)
class Block:
    """One block of a Word section: a paragraph, a list item or a table."""

    kind: BlockKind
    text: str = ""
    level: int = 0  # list nesting level
    ordered: bool = False
    rows: list[list[str]] | None = None  # for tables


@dataclass(slots=True)
class Section:
    heading: str | None
    level: int  # 0 for text before the first heading, else the heading level
    blocks: list[Block] = field(default_factory=list)

    def text(self) -> str:
        parts: list[str] = [self.heading] if self.heading else []
        for block in self.blocks:
            if block.kind == "table" and block.rows:
                parts.extend(" | ".join(row) for row in block.rows)
            elif block.text:
                parts.append(block.text)
        return "\n".join(parts)


@dataclass(slots=True)
class Document:
    id: str
    kind: DocumentKind
    source: str
    title: str = ""
    author: str = ""  # "Name <addr>" for mail
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    date: datetime | None = None  # always timezone-aware when set
    thread_key: str = ""
    text: str = ""  # the new text only, cleaned
    quoted: str = ""  # quoted or forwarded history, kept apart
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.date is not None and self.date.tzinfo is None:
            raise ValueError(f"{self.source}: document date must be timezone-aware")

    def to_json(self, *, full: bool = False) -> dict[str, Any]:
        """The ``ingest --json`` record. ``full`` adds sections, sheet cells and metadata."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "source": self.source,
            "title": self.title,
            "from": self.author,
            "to": list(self.to),
            "cc": list(self.cc),
            "date": self.date.isoformat() if self.date else None,
            "thread_key": self.thread_key,
            "text": self.text,
            "quoted": self.quoted,
            "attachments": [a.to_json() for a in self.attachments],
        }
        if self.kind == "xlsx":
            out["sheets"] = [s.to_json() for s in self.sheets]
        if self.kind == "email" and "category" in self.metadata:
            out["category"] = self.metadata["category"]
        if full:
            out["message_id"] = self.message_id
            out["in_reply_to"] = self.in_reply_to
            out["references"] = list(self.references)
            out["metadata"] = _jsonable(self.metadata)
            out["sections"] = [
                {"heading": s.heading, "level": s.level, "blocks": [asdict(b) for b in s.blocks]}
                for s in self.sections
            ]
            out["sheets"] = [
                {
                    **s.to_json(),
                    "cells": [[_jsonable(v) for v in row] for row in s.cells],
                    "merged": s.merged,
                }
                for s in self.sheets
            ]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document sent over the API (the inverse of ``to_json(full=True)``)."""
        date = datetime.fromisoformat(data["date"]) if data.get("date") else None
        text = data.get("text") or ""
        sections = [
            Section(
                heading=s.get("heading"),
                level=int(s.get("level", 0)),
                blocks=[Block(**b) for b in s.get("blocks", [])],
            )
            for s in data.get("sections") or []
        ]
        return cls(
            id=data.get("id") or content_id(data.get("source"), data.get("title"), text),
            kind=data.get("kind", "text"),
            source=data.get("source", "api:document"),
            title=data.get("title", ""),
            author=data.get("from", ""),
            to=list(data.get("to") or []),
            cc=list(data.get("cc") or []),
            date=date,
            thread_key=data.get("thread_key", ""),
            text=text,
            quoted=data.get("quoted", ""),
            message_id=data.get("message_id"),
            in_reply_to=data.get("in_reply_to"),
            references=list(data.get("references") or []),
            sections=sections,
            metadata=dict(data.get("metadata") or {}),
            sheets=sheets_from_json(data.get("sheets")),
        )

    def full_text(self) -> str:
        """Everything a reader would see: the new text, sections and sheet tables."""
        if self.sections:
            return "\n\n".join(s.text() for s in self.sections)
        return self.text


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _cell_from_json(value: Any, number_format: Any) -> Any:
    """A typed cell value from JSON: ISO date strings (``to_json``) and date-formatted
    serial numbers (Excel's ``Range.values`` with ``numberFormat``) become datetimes."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and isinstance(number_format, str)
        and number_format not in ("", "General")
        and is_date_format(number_format)
    ):
        try:
            return from_excel(value)
        except (ValueError, OverflowError):
            return value
    if value == "":
        return None
    return value


def _at(grid: Any, row: int, col: int) -> Any:
    try:
        return grid[row][col]
    except (IndexError, KeyError, TypeError):
        return None


def _tables_from_json(records: Any, cells: list[tuple[Any, ...]]) -> list[SheetTable]:
    """Tables whose ref and typed columns were sent along (``to_json(full=True)``)."""
    tables: list[SheetTable] = []
    for record in records or []:
        if not isinstance(record, dict) or not record.get("ref") or not record.get("columns"):
            continue
        try:
            min_col, min_row, max_col, max_row = range_boundaries(str(record["ref"]))
        except ValueError:
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        assert min_col and min_row and max_col and max_row
        header_row = int(record.get("header_row") or min_row)
        rows = [
            tuple(_at([row], 0, c - 1) for c in range(min_col, max_col + 1))
            for row in cells[header_row:max_row]
        ]
        columns = [
            Column(
                name=str(c.get("name", "")),
                type=c.get("type", "text"),
                number_format=c.get("number_format"),
            )
            for c in record["columns"]
        ]
        tables.append(
            SheetTable(
                ref=str(record["ref"]),
                header_row=header_row,
                columns=columns,
                rows=rows,
                name=record.get("name"),
            )
        )
    return tables


def _detect_tables(cells: list[tuple[Any, ...]], formats: Any) -> list[SheetTable]:
    """Tables in a bare cell grid, found the way the xlsx reader finds them."""
    grid = [tuple(row) for row in formats] if isinstance(formats, list) else []
    found: list[SheetTable] = detect_tables(cells, grid, [])
    return found


def sheets_from_json(records: Any) -> list[Sheet]:
    """Sheets sent over the API, e.g. by the Excel pane: ``{"name", "cells": [[...]]}``, with
    optional ``number_formats`` (same shape as cells), ``tables``, ``merged`` and ``hidden``.
    Tables not sent along are detected in the cells."""
    sheets: list[Sheet] = []
    for index, record in enumerate(records or [], start=1):
        if not isinstance(record, dict) or not isinstance(record.get("cells"), list):
            continue
        formats = record.get("number_formats")
        cells = [
            tuple(_cell_from_json(v, _at(formats, r, c)) for c, v in enumerate(row))
            for r, row in enumerate(record["cells"])
            if isinstance(row, list)
        ]
        sheet = Sheet(
            name=str(record.get("name") or f"Sheet{index}"),
            n_rows=len(cells),
            n_cols=max((len(row) for row in cells), default=0),
            cells=cells,
            merged=[str(m) for m in record.get("merged") or []],
            hidden=bool(record.get("hidden")),
        )
        sheet.tables = _tables_from_json(record.get("tables"), cells) or _detect_tables(
            cells, formats
        )
        sheets.append(sheet)
    return sheets


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime) or hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value
