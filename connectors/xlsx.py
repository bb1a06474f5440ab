"""Excel ``.xlsx``/``.xlsm`` workbooks into typed sheets with detected tables.

Sheets are streamed (``connectors.xlsxstream``: lxml C iterparse, one row in memory at a
time) with cached formula values, so a 100,000-row sheet never builds an object model.
Before that, ``ziplimits`` checks the package (zip bombs, entity declarations, encrypted
files); the row and cell limits are enforced while streaming.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import IO, Any

from lxml import etree
from openpyxl.utils.cell import range_boundaries

from connectors.document import Document, Sheet, content_id
from connectors.errors import BadInputError
from connectors.ooxmlstrict import is_strict, transitional_package
from connectors.xlsxstream import SheetRef, Workbook, iter_rows, open_workbook
from connectors.xlsxtables import detect_tables, render_sheet
from connectors.ziplimits import Limits, office_file, open_checked_zip, resolve_limits

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
#: Number formats are kept for the first rows only: enough to type the columns.
FORMAT_ROWS = 2000
MAX_MERGES_LISTED = 10_000
_DEFAULT_TEXT_ROWS = 200


def _table_parts(archive: zipfile.ZipFile, sheet_path: str) -> list[dict[str, Any]]:
    """Excel table definitions (name, ref, header rows) attached to one sheet."""
    folder, name = posixpath.split(sheet_path)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    try:
        rels = etree.fromstring(archive.read(rels_path), parser=_SAFE_XML)
    except (KeyError, etree.XMLSyntaxError):
        return []
    tables = []
    for rel in rels.iter(f"{_REL_NS}Relationship"):
        if not (rel.get("Type") or "").endswith("/table"):
            continue
        target = rel.get("Target") or ""
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        try:
            node = etree.fromstring(archive.read(path), parser=_SAFE_XML)
        except (KeyError, etree.XMLSyntaxError):
            continue
        try:
            header_rows = int(node.get("headerRowCount", "1"))
        except ValueError:
            header_rows = 1
        tables.append(
            {
                "name": node.get("displayName") or node.get("name"),
                "ref": node.get("ref") or "",
                "header_rows": header_rows,
            }
        )
    return tables


def _declared_size(archive: zipfile.ZipFile, sheet_path: str) -> tuple[int, int]:
    """Rows and columns from the sheet's ``<dimension>`` element, read without parsing."""
    try:
        with archive.open(sheet_path) as fh:
            head = fh.read(4096)
    except KeyError:
        return 0, 0
    match = _DIMENSION.search(head)
    if not match:
        return 0, 0
    try:
        min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode())
    except (ValueError, TypeError):
        return 0, 0
    return (max_row or 0) - (min_row or 1) + 1, (max_col or 0) - (min_col or 1) + 1


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_sheet(
    archive: zipfile.ZipFile,
    ref: SheetRef,
    book: Workbook,
    limits: Limits,
    source: str,
    totals: list[int],
) -> Sheet:
    declared_rows, declared_cols = _declared_size(archive, ref.path)
    if declared_rows > limits.xlsx_max_rows:
        raise BadInputError(
            f"sheet {ref.name!r} declares {declared_rows} rows, over the limit "
            f"of {limits.xlsx_max_rows}",
            item=source,
            hint="raise limits.xlsx_max_rows if the file is trusted",
        )
    if declared_rows * declared_cols + totals[0] > limits.xlsx_max_cells:
        raise BadInputError(
            f"sheet {ref.name!r} declares {declared_rows * declared_cols} cells,"
            f" over the limit of {limits.xlsx_max_cells}",
            item=source,
            hint="raise limits.xlsx_max_cells if the file is trusted",
        )
    cells: list[tuple[Any, ...]] = []
    formats: list[tuple[str | None, ...]] = []
    merged: list[str] = []
    n_cols = 0
    last_nonempty = 0
    for row_number, raw_values, raw_formats in iter_rows(archive, ref, book, merged):
        totals[0] += len(raw_values)
        if totals[0] > limits.xlsx_max_cells:
            raise BadInputError(
                f"workbook has more than {limits.xlsx_max_cells} cells",
                item=source,
                hint="raise limits.xlsx_max_cells",
            )
        values = [_clean(v) for v in raw_values]
        width = len(values)
        while width and values[width - 1] is None:
            width -= 1
        if not width:
            # a row with formatting only (Excel writes one at row 1,048,576): nothing to
            # keep, and the gap before the next filled row fills itself
            continue
        if row_number > limits.xlsx_max_rows:
            raise BadInputError(
                f"sheet {ref.name!r} has more than {limits.xlsx_max_rows} rows",
                item=source,
                hint="raise limits.xlsx_max_rows",
            )
        if row_number > len(cells) + 1:  # rows missing from the XML are empty
            gap = row_number - len(cells) - 1
            cells.extend([()] * gap)
            if len(formats) < FORMAT_ROWS:
                formats.extend([()] * min(gap, FORMAT_ROWS - len(formats)))
        if len(cells) >= row_number:  # a repeated row number: ignore the duplicate
            continue
        cells.append(tuple(values[:width]))
        if len(formats) < FORMAT_ROWS:
            formats.append(tuple(raw_formats[:width]))
        last_nonempty = row_number
        n_cols = max(n_cols, width)
    del cells[last_nonempty:]
    merge_count = len(merged)
    sheet = Sheet(
        name=ref.name,
        n_rows=len(cells),
        n_cols=n_cols,
        cells=cells,
        merged=merged[:MAX_MERGES_LISTED],
        hidden=ref.hidden,
    )
    sheet.tables = detect_tables(cells, formats, _table_parts(archive, ref.path))
    if merge_count > MAX_MERGES_LISTED:
        sheet.merged.append(f"... {merge_count - MAX_MERGES_LISTED} more")
    return sheet


def _hash_file(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def read_xlsx(
    file: str | Path | IO[bytes], source: str, options: Mapping[str, Any] | None = None
) -> Document:
    """Read a workbook (path or binary file object) into a ``Document`` with sheets."""
    options = options or {}
    limits = resolve_limits(options)
    with office_file(file, source, "Excel") as handle:
        file_hash = _hash_file(handle)
        with open_checked_zip(handle, source, "Excel", limits) as archive:
            if not is_strict(archive):
                return _read_book(archive, source, options, limits, file_hash)
            # ISO Strict: the same workbook under other namespace URIs
            with zipfile.ZipFile(transitional_package(archive)) as mapped:
                document = _read_book(mapped, source, options, limits, file_hash)
                document.metadata["conformance"] = "strict"
                return document


def _read_book(
    archive: zipfile.ZipFile,
    source: str,
    options: Mapping[str, Any],
    limits: Limits,
    file_hash: str,
) -> Document:
    try:
        book = open_workbook(archive)
    except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise BadInputError(
            f"not a readable Excel workbook ({type(exc).__name__}: {str(exc)[:200]})", item=source
        ) from None
    try:
        return _build(archive, book, source, options, limits, file_hash)
    except BadInputError:
        raise
    except (
        etree.XMLSyntaxError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        EOFError,
        OSError,
    ) as exc:
        raise BadInputError(
            f"broken worksheet data ({type(exc).__name__}: {str(exc)[:200]})", item=source
        ) from None


def _build(
    archive: zipfile.ZipFile,
    book: Workbook,
    source: str,
    options: Mapping[str, Any],
    limits: Limits,
    file_hash: str,
) -> Document:
    totals = [0]
    sheets = [
        _read_sheet(archive, ref, book, limits, source, totals)
        for ref in book.sheets
        if not ref.chart
    ]
    text_rows = int(options.get("xlsx_text_rows", _DEFAULT_TEXT_ROWS))
    text = "\n\n".join(t for t in (render_sheet(s, text_rows) for s in sheets) if t)
    props = book.properties
    title = props.get("title") or PurePath(source).stem
    return Document(
        id=content_id("xlsx", file_hash),
        kind="xlsx",
        source=source,
        title=title,
        author=props.get("creator", ""),
        date=props.get("modified") or props.get("created"),
        text=text,
        sheets=sheets,
        metadata={
            "cells": totals[0],
            "chartsheets": sum(1 for r in book.sheets if r.chart),
            "sha256": file_hash,
        },
    )
