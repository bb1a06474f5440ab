"""Table detection and column typing for sheet grids, and a readable text rendering.

A table is a block of rows between blank rows. Its header is the first row when every
filled cell there is text and the rows below hold data; Excel's own table definitions
(name, range, header row count) take precedence where the workbook has them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from connectors.sheetmodel import Column, ColumnType, Sheet, SheetTable

_CURRENCY_FORMAT = re.compile(r'\[\$[^\]]*\]|[$€£¥₹₩₽]|"(?:EUR|USD|GBP|CHF)"|\bEUR\b|\bUSD\b')
#: Columns are typed from this many data rows.
TYPE_SAMPLE_ROWS = 500
#: Longer cell text is cut in the text rendering (the typed grid keeps it whole).
MAX_CELL_CHARS = 2000
_REF = re.compile(r"^([A-Z]{1,3})(\d+)")


def cell_type(value: Any, number_format: str | None) -> ColumnType:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, datetime | date | time):
        return "date"
    if isinstance(value, int | float):
        fmt = number_format or ""
        if "%" in fmt:
            return "percent"
        if _CURRENCY_FORMAT.search(fmt):
            return "currency"
        return "number"
    return "text"


def _column_type(types: Sequence[ColumnType]) -> ColumnType:
    counts = Counter(t for t in types if t != "empty")
    if not counts:
        return "empty"
    best, best_count = counts.most_common(1)[0]
    # a column of numbers with the odd "n/a" note is still numeric
    if best == "text" and len(counts) > 1:
        runner, runner_count = counts.most_common(2)[1]
        if runner_count >= best_count:
            return runner
    return best


def _blocks(cells: Sequence[tuple[Any, ...]]) -> list[tuple[int, int]]:
    """(first, last) 0-based row indexes of runs of non-empty rows."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for index, row in enumerate(cells):
        filled = any(v is not None for v in row)
        if filled and start is None:
            start = index
        elif not filled and start is not None:
            blocks.append((start, index - 1))
            start = None
    if start is not None:
        blocks.append((start, len(cells) - 1))
    return blocks


def _make_table(
    cells: Sequence[tuple[Any, ...]],
    formats: Sequence[tuple[str | None, ...]],
    first: int,
    last: int,
    col_lo: int,
    col_hi: int,
    header_rows: int,
    name: str | None,
) -> SheetTable:
    width = col_hi - col_lo + 1

    def row_values(index: int) -> tuple[Any, ...]:
        row = cells[index] if index < len(cells) else ()
        values = row[col_lo : col_hi + 1]
        return values + (None,) * (width - len(values))

    header = row_values(first) if header_rows else (None,) * width
    data_start = first + header_rows
    rows = [row_values(i) for i in range(data_start, last + 1)]
    columns = []
    for offset in range(width):
        sample = []
        for i in range(data_start, min(last + 1, data_start + TYPE_SAMPLE_ROWS)):
            fmt_row = formats[i] if i < len(formats) else ()
            fmt = fmt_row[col_lo + offset] if col_lo + offset < len(fmt_row) else None
            value = rows[i - data_start][offset]
            sample.append(cell_type(value, fmt))
        label = header[offset]
        col_name = str(label) if label is not None else get_column_letter(col_lo + offset + 1)
        fmt_row = formats[data_start] if data_start < len(formats) else ()
        fmt = fmt_row[col_lo + offset] if col_lo + offset < len(fmt_row) else None
        columns.append(
            Column(
                name=col_name,
                type=_column_type(sample),
                number_format=fmt if fmt and fmt != "General" else None,
            )
        )
    ref = f"{get_column_letter(col_lo + 1)}{first + 1}:{get_column_letter(col_hi + 1)}{last + 1}"
    return SheetTable(
        ref=ref, header_row=first + 1 if header_rows else 0, columns=columns, rows=rows, name=name
    )


def _looks_like_header(cells: Sequence[tuple[Any, ...]], first: int, last: int) -> bool:
    if last <= first:
        return False
    row = [v for v in cells[first] if v is not None]
    if not row or not all(isinstance(v, str) for v in row):
        return False
    below = [v for r in cells[first + 1 : min(last + 1, first + 20)] for v in r if v is not None]
    # a text-only block is a list with a header when its first row is short labels
    return any(not isinstance(v, str) for v in below) or all(len(v) <= 40 for v in row)


def detect_tables(
    cells: Sequence[tuple[Any, ...]],
    formats: Sequence[tuple[str | None, ...]],
    defined: Sequence[dict[str, Any]],
) -> list[SheetTable]:
    tables: list[SheetTable] = []
    covered: list[tuple[int, int]] = []
    for spec in defined:
        try:
            col_lo, row_lo, col_hi, row_hi = range_boundaries(spec["ref"])
        except (ValueError, TypeError):
            continue
        if row_lo is None or col_lo is None or row_hi is None or col_hi is None:
            continue
        last = min(row_hi - 1, len(cells) - 1)
        if last < row_lo - 1:
            continue
        tables.append(
            _make_table(
                cells,
                formats,
                row_lo - 1,
                last,
                col_lo - 1,
                col_hi - 1,
                min(int(spec.get("header_rows", 1)), 1),
                spec.get("name"),
            )
        )
        covered.append((row_lo - 1, row_hi - 1))
    for first, last in _blocks(cells):
        if any(lo <= first <= hi or lo <= last <= hi for lo, hi in covered):
            continue
        used = [i for r in cells[first : last + 1] for i, v in enumerate(r) if v is not None]
        if not used or last == first:
            continue
        header = 1 if _looks_like_header(cells, first, last) else 0
        tables.append(_make_table(cells, formats, first, last, min(used), max(used), header, None))
    tables.sort(key=lambda t: _ref_start(t.ref))
    return tables


def _ref_start(ref: str) -> tuple[int, int]:
    match = _REF.match(ref)
    if not match:
        return (0, 0)
    return int(match.group(2)), column_index_from_string(match.group(1))


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"


def render_sheet(sheet: Sheet, max_rows: int) -> str:
    """The sheet as text: a title line and ``a | b | c`` rows, at most ``max_rows`` of them."""
    lines = []
    for row in sheet.cells[:max_rows]:
        parts = [_fmt(v) for v in row]
        if any(parts):
            lines.append(" | ".join(parts).rstrip(" |"))
    if not lines:
        return ""
    if sheet.n_rows > max_rows:
        lines.append(f"... {sheet.n_rows - max_rows} more rows")
    return f"Sheet: {sheet.name}\n" + "\n".join(lines)
