"""Excel ``.xlsx``/``.xlsm`` workbooks into typed sheets with detected tables.

openpyxl runs in read-only (streaming) mode with cached formula values (``data_only``),
so a 100,000-row sheet never builds a full object model. Before that, ``ziplimits``
checks the package (zip bombs, entity declarations, encrypted files), and the row and
cell limits are enforced while streaming. Merged ranges and Excel table definitions,
which read-only mode does not expose, are read from the package directly.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import warnings
import zipfile
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any

from lxml import etree

from connectors.document import Document, Sheet, content_id
from connectors.errors import BadInputError
from connectors.xlsxtables import detect_tables, render_sheet
from connectors.ziplimits import Limits, open_checked_zip, resolve_limits, sniff_office

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Number formats are kept for the first rows only: enough to type the columns.
FORMAT_ROWS = 2000
MAX_MERGES_LISTED = 10_000
_DEFAULT_TEXT_ROWS = 200


def _merged_ranges(archive: zipfile.ZipFile, sheet_path: str) -> tuple[list[str], int]:
    """Merged ranges of one sheet, streamed from its XML (read-only mode skips them)."""
    found: list[str] = []
    count = 0
    tail = b""
    try:
        with archive.open(sheet_path) as fh:
            while chunk := fh.read(1 << 20):
                data = tail + chunk
                last_end = 0
                for match in _MERGE.finditer(data):
                    count += 1
                    last_end = match.end()
                    if len(found) < MAX_MERGES_LISTED:
                        found.append(match.group(1).decode("ascii"))
                # keep the unmatched tail: a tag may straddle two chunks
                tail = data[max(last_end, len(data) - 512):]
    except KeyError:
        return [], 0
    return found, count


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
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target") or ""))
        if (rel.get("Target") or "").startswith("/"):
            target = (rel.get("Target") or "").lstrip("/")
        try:
            node = etree.fromstring(archive.read(target), parser=_SAFE_XML)
        except (KeyError, etree.XMLSyntaxError):
            continue
        try:
            header_rows = int(node.get("headerRowCount", "1"))
        except ValueError:
            header_rows = 1
        tables.append({"name": node.get("displayName") or node.get("name"),
                       "ref": node.get("ref") or "", "header_rows": header_rows})
    return tables


def _typed(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime | date | time | bool | int | float) or value is None:
        return value
    return str(value)


def _read_sheet(ws: Any, archive: zipfile.ZipFile, limits: Limits, source: str,
                totals: list[int]) -> Sheet:
    declared_rows = ws.max_row or 0
    declared_cols = ws.max_column or 0
    if declared_rows > limits.xlsx_max_rows:
        raise BadInputError(f"sheet {ws.title!r} declares {declared_rows} rows, over the limit "
                            f"of {limits.xlsx_max_rows}", item=source,
                            hint="raise limits.xlsx_max_rows if the file is trusted")
    if declared_rows * declared_cols + totals[0] > limits.xlsx_max_cells:
        raise BadInputError(f"sheet {ws.title!r} declares {declared_rows * declared_cols} cells,"
                            f" over the limit of {limits.xlsx_max_cells}", item=source,
                            hint="raise limits.xlsx_max_cells if the file is trusted")
    # the stored dimension is often wrong (too small); stream every row instead
    ws.reset_dimensions()
    cells: list[tuple[Any, ...]] = []
    formats: list[tuple[str | None, ...]] = []
    n_cols = 0
    last_nonempty = 0
    for row_index, row in enumerate(ws.iter_rows(), start=1):
        if row_index > limits.xlsx_max_rows:
            raise BadInputError(f"sheet {ws.title!r} has more than {limits.xlsx_max_rows} rows",
                                item=source, hint="raise limits.xlsx_max_rows")
        values = tuple(_typed(c) for c in row)
        totals[0] += len(values)
        if totals[0] > limits.xlsx_max_cells:
            raise BadInputError(f"workbook has more than {limits.xlsx_max_cells} cells",
                                item=source, hint="raise limits.xlsx_max_cells")
        width = len(values)
        while width and values[width - 1] is None:
            width -= 1
        values = values[:width]
        if row_index <= FORMAT_ROWS:
            formats.append(tuple(getattr(c, "number_format", None) for c in row[:width]))
        cells.append(values)
        if width:
            last_nonempty = row_index
            n_cols = max(n_cols, width)
    del cells[last_nonempty:]
    merged, merge_count = _merged_ranges(archive, ws._worksheet_path)
    sheet = Sheet(name=ws.title, n_rows=len(cells), n_cols=n_cols, cells=cells, merged=merged,
                  hidden=getattr(ws, "sheet_state", "visible") != "visible")
    sheet.tables = detect_tables(cells, formats, _table_parts(archive, ws._worksheet_path))
    if merge_count > len(merged):
        sheet.merged.append(f"... {merge_count - len(merged)} more")
    return sheet


def read_xlsx(file: str | Path | IO[bytes], source: str,
              options: Mapping[str, Any] | None = None) -> Document:
    """Read a workbook (path or binary file object) into a ``Document`` with sheets."""
    import openpyxl  # heavy; imported on first use

    options = options or {}
    limits = resolve_limits(options)
    handle: IO[bytes] = open(file, "rb") if isinstance(file, str | Path) else file  # noqa: SIM115
    try:
        head = handle.read(8)
        handle.seek(0)
        sniff_office(head, source, "Excel")
        archive = open_checked_zip(handle, source, "Excel", limits)
        file_hash = _hash_file(handle)
        _refuse_strict(archive, source)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True,
                                                      keep_links=False)
                except BadInputError:
                    raise
                except Exception as exc:
                    raise BadInputError(f"not a readable Excel workbook ({type(exc).__name__}: "
                                        f"{str(exc)[:200]})", item=source) from None
                try:
                    return _build(workbook, archive, source, options, limits, file_hash)
                except BadInputError:
                    raise
                except Exception as exc:
                    raise BadInputError(f"broken worksheet data ({type(exc).__name__}: "
                                        f"{str(exc)[:200]})", item=source) from None
                finally:
                    workbook.close()
        finally:
            archive.close()
    finally:
        if isinstance(file, str | Path):
            handle.close()


def _refuse_strict(archive: zipfile.ZipFile, source: str) -> None:
    try:
        with archive.open("xl/workbook.xml") as fh:
            head = fh.read(4096)
    except KeyError:
        return
    if b"purl.oclc.org/ooxml/spreadsheetml" in head:
        archive.close()
        raise BadInputError("Strict Open XML workbooks are not supported", item=source,
                            hint="save it as an ordinary Excel Workbook (.xlsx)")


def _hash_file(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _build(workbook: Any, archive: zipfile.ZipFile, source: str, options: Mapping[str, Any],
           limits: Limits, file_hash: str) -> Document:
    totals = [0]
    sheets = [_read_sheet(ws, archive, limits, source, totals) for ws in workbook.worksheets]
    text_rows = int(options.get("xlsx_text_rows", _DEFAULT_TEXT_ROWS))
    text = "\n\n".join(t for t in (render_sheet(s, text_rows) for s in sheets) if t)
    props = workbook.properties
    modified = getattr(props, "modified", None) or getattr(props, "created", None)
    when = None
    if isinstance(modified, datetime):
        when = modified if modified.tzinfo else modified.replace(tzinfo=UTC)
    title = (getattr(props, "title", None) or "").strip() or (sheets[0].name if sheets else "")
    return Document(
        id=content_id("xlsx", file_hash),
        kind="xlsx",
        source=source,
        title=title,
        author=(getattr(props, "creator", None) or "").strip(),
        date=when,
        text=text,
        sheets=sheets,
        metadata={"cells": totals[0], "chartsheets": len(workbook.chartsheets),
                  "sha256": file_hash},
    )
