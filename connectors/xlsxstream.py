"""A streaming reader for SpreadsheetML parts, built on lxml's C iterparse.

openpyxl's read-only mode parses worksheets through a pure-Python XML layer and needs a
second pass for merged cells; this reader does one pass per sheet at C speed, keeping
only one row in memory at a time. It reads cached formula values, shared and inline
strings, booleans, errors, numbers and dates (1900 and 1904 systems), plus each cell's
number format. Callers must have run ``ziplimits`` on the package first: the parser is
also configured never to resolve entities or touch the network.
"""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_PARSER_ARGS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
}
_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=etree.XMLParser(**_PARSER_ARGS))


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"bad cell reference column {letters!r}")
        index = index * 26 + (ord(ch) - 64)
    return index


@dataclass(slots=True)
class SheetRef:
    name: str
    path: str
    hidden: bool
    chart: bool


@dataclass(slots=True)
class Workbook:
    sheets: list[SheetRef]
    epoch: datetime
    shared: list[str]
    formats: list[str]  # number format code per cell style index
    date_styles: set[int]
    properties: dict[str, Any] = field(default_factory=dict)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None


def _workbook_path(archive: zipfile.ZipFile) -> str:
    rels = _read_member(archive, "_rels/.rels")
    if rels is not None:
        for rel in _parse(rels).iter(_PKG_REL):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                return (rel.get("Target") or "xl/workbook.xml").lstrip("/")
    return "xl/workbook.xml"


def _resolve(base_folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_folder, target))


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    if not path:
        return []
    try:
        handle = archive.open(path)
    except KeyError:
        return []
    strings: list[str] = []
    with handle:
        for _, node in etree.iterparse(handle, events=("end",), tag="{*}si", **_PARSER_ARGS):
            # phonetic runs (rPh) are reading aids, not text
            strings.append(
                "".join(
                    t.text or "" for t in node.iter("{*}t") if _local(t.getparent().tag) != "rPh"
                )
            )
            node.clear()
    return strings


def _styles(archive: zipfile.ZipFile, path: str | None) -> tuple[list[str], set[int]]:
    data = _read_member(archive, path) if path else None
    if data is None:
        return [], set()
    root = _parse(data)
    custom = {}
    for fmt in root.iter("{*}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode") or "General"
        except ValueError:
            continue
    formats: list[str] = []
    for xfs in root.iter("{*}cellXfs"):
        for xf in xfs.iterchildren("{*}xf"):
            try:
                fmt_id = int(xf.get("numFmtId", "0"))
            except ValueError:
                fmt_id = 0
            formats.append(custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General"))
        break
    dates = {i for i, code in enumerate(formats) if code != "General" and is_date_format(code)}
    return formats, dates


def _core_properties(archive: zipfile.ZipFile) -> dict[str, Any]:
    data = _read_member(archive, "docProps/core.xml")
    if data is None:
        return {}
    props: dict[str, Any] = {}
    for node in _parse(data):
        name, text = _local(node.tag), (node.text or "").strip()
        if name in {"title", "creator"} and text:
            props[name] = text
        elif name in {"modified", "created"} and text:
            try:
                value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                continue
            props[name] = value if value.tzinfo else value.replace(tzinfo=UTC)
    return props


def open_workbook(archive: zipfile.ZipFile) -> Workbook:
    """Sheets (in tab order), shared strings, number formats and date system."""
    book_path = _workbook_path(archive)
    book_data = _read_member(archive, book_path)
    if book_data is None:
        raise KeyError(f"no workbook part ({book_path})")
    folder, name = posixpath.split(book_path)
    targets: dict[str, tuple[str, str]] = {}
    rels_data = _read_member(archive, posixpath.join(folder, "_rels", name + ".rels"))
    if rels_data is not None:
        for rel in _parse(rels_data).iter(_PKG_REL):
            targets[rel.get("Id") or ""] = (
                _resolve(folder, rel.get("Target") or ""),
                (rel.get("Type") or "").rsplit("/", 1)[-1],
            )
    root = _parse(book_data)
    epoch = CALENDAR_WINDOWS_1900
    for pr in root.iter("{*}workbookPr"):
        if (pr.get("date1904") or "").lower() in {"1", "true"}:
            epoch = CALENDAR_MAC_1904
    sheets = []
    for node in root.iter("{*}sheet"):
        path, kind = targets.get(node.get(_REL) or "", ("", ""))
        if path:
            sheets.append(
                SheetRef(
                    name=node.get("name") or path,
                    path=path,
                    hidden=(node.get("state") or "visible") != "visible",
                    chart=kind == "chartsheet",
                )
            )
    by_type = {kind: path for path, kind in targets.values()}
    formats, dates = _styles(archive, by_type.get("styles"))
    return Workbook(
        sheets=sheets,
        epoch=epoch,
        shared=_shared_strings(archive, by_type.get("sharedStrings")),
        formats=formats,
        date_styles=dates,
        properties=_core_properties(archive),
    )


def _number(text: str) -> int | float:
    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
        return int(text)
    return float(text)


def iter_rows(
    archive: zipfile.ZipFile, sheet: SheetRef, book: Workbook, merged: list[str]
) -> Iterator[tuple[int, list[Any], list[str | None]]]:
    """Yield ``(row_number, values, number_formats)`` per stored row; fills ``merged``."""
    shared, formats, dates, epoch = book.shared, book.formats, book.date_styles, book.epoch
    with archive.open(sheet.path) as handle:
        events = etree.iterparse(
            handle, events=("end",), tag=("{*}row", "{*}mergeCell"), **_PARSER_ARGS
        )
        last_row = 0
        columns: dict[str, int] = {}
        for _, node in events:
            if _local(node.tag) == "mergeCell":
                if ref := node.get("ref"):
                    merged.append(ref)
                node.clear()
                continue
            try:
                row_number = int(node.get("r") or last_row + 1)
            except ValueError:
                row_number = last_row + 1
            last_row = row_number
            values: list[Any] = []
            cell_formats: list[str | None] = []
            tag = node.tag
            ns = tag[: tag.index("}") + 1] if tag[:1] == "{" else ""
            v_tag, c_tag = ns + "v", ns + "c"
            for cell in node.iterchildren(c_tag):
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = _column_index(letters)
                else:
                    column = len(values) + 1
                if column > len(values) + 1:
                    gap = column - len(values) - 1
                    values.extend([None] * gap)
                    cell_formats.extend([None] * gap)
                kind = cell.get("t") or "n"
                style_attr = cell.get("s")
                try:
                    style = int(style_attr) if style_attr else 0
                except ValueError:
                    style = 0
                value: Any = None
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter("{*}t"))
                else:
                    v = cell.find(v_tag)
                    text = v.text if v is not None else None
                    if text is not None:
                        if kind == "s":
                            try:
                                value = shared[int(text)]
                            except (ValueError, IndexError):
                                value = None
                        elif kind == "n":
                            try:
                                value = _number(text)
                            except ValueError:
                                value = text
                            else:
                                if style in dates:
                                    with contextlib.suppress(ValueError, OverflowError):
                                        value = from_excel(value, epoch)
                        elif kind == "b":
                            value = text.strip() in {"1", "true"}
                        elif kind == "e":
                            value = text if text in _ERRORS else f"#{text}"
                        else:  # "str" (formula text result) and "d" (ISO date)
                            value = text
                values.append(value)
                cell_formats.append(formats[style] if style < len(formats) else None)
            node.clear()
            # drop finished rows from the tree so memory stays flat on long sheets
            parent = node.getparent()
            while parent is not None and node.getprevious() is not None:
                del parent[0]
            yield row_number, values, cell_formats
