"""Choose the tables a report analyses: from the reader's detected tables, a sheet, or a range."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.utils.cell import get_column_letter, range_boundaries

from connectors.document import Column, ColumnType, Document, Sheet, SheetTable
from connectors.errors import BadInputError, UsageError

NUMERIC_TYPES: frozenset[str] = frozenset({"number", "currency", "percent"})


@dataclass(slots=True)
class ChosenTable:
    sheet: str
    table: SheetTable

    @property
    def label(self) -> str:
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else f"'{self.sheet}'"
        name = f" (table {self.table.name})" if self.table.name else ""
        return f"{sheet}!{self.table.ref}{name}"


def value_type(value: Any) -> ColumnType:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, datetime | date):
        return "date"
    return "text"


def infer_column_type(values: list[Any]) -> ColumnType:
    """The type most non-empty values have; "text" on a tie, "empty" when all are empty."""
    counts = Counter(value_type(v) for v in values)
    counts.pop("empty", None)
    if not counts:
        return "empty"
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "text"
    return ranked[0][0]


def table_from_cells(cells: list[tuple[Any, ...]], ref: str) -> SheetTable:
    """A table over ``ref`` of a sheet's cell grid (row 1 = ``cells[0]``); its first row is
    the header."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", "").upper())
    except (ValueError, TypeError):
        raise UsageError(f"{ref!r} is not a cell range", hint="write it like A1:F200") from None
    if None in (min_col, min_row, max_col, max_row):
        raise UsageError(f"{ref!r} is not a bounded cell range", hint="write it like A1:F200")
    assert min_col and min_row and max_col and max_row
    if max_row <= min_row:
        raise UsageError(
            f"the range {ref} has no rows under its header row",
            hint="give a header row and data rows, like A1:F200",
        )
    max_row = min(max_row, len(cells))
    grid = [
        tuple(row[c - 1] if c - 1 < len(row) else None for c in range(min_col, max_col + 1))
        for row in cells[min_row - 1 : max_row]
    ]
    if not grid:
        raise BadInputError(f"the range {ref} is empty")
    header, body = grid[0], grid[1:]
    columns: list[Column] = []
    for index, title in enumerate(header):
        name = str(title).strip() if title not in (None, "") else get_column_letter(min_col + index)
        columns.append(Column(name=name, type=infer_column_type([row[index] for row in body])))
    bounded = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    return SheetTable(ref=bounded, header_row=min_row, columns=columns, rows=list(body))


def used_range_table(sheet: Sheet) -> SheetTable | None:
    """The whole used range of a sheet as one table: the fallback when no table was
    detected (a grid sent by the Excel pane, say)."""
    filled_rows = [
        i for i, row in enumerate(sheet.cells) if any(value_type(v) != "empty" for v in row)
    ]
    if len(filled_rows) < 2:
        return None
    filled_cols = {
        c for i in filled_rows for c, v in enumerate(sheet.cells[i]) if value_type(v) != "empty"
    }
    ref = (
        f"{get_column_letter(min(filled_cols) + 1)}{filled_rows[0] + 1}:"
        f"{get_column_letter(max(filled_cols) + 1)}{filled_rows[-1] + 1}"
    )
    return table_from_cells(sheet.cells, ref)


def _find_sheet(document: Document, name: str) -> Sheet:
    for sheet in document.sheets:
        if sheet.name == name:
            return sheet
    for sheet in document.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    names = ", ".join(repr(s.name) for s in document.sheets) or "none"
    raise UsageError(f"no sheet named {name!r}", item=document.source, hint=f"sheets: {names}")


def choose_tables(
    document: Document, sheet: str | None = None, cell_range: str | None = None
) -> list[ChosenTable]:
    """The candidate tables of ``document``, largest first.

    With ``cell_range`` the range itself is the table (on ``sheet``, else the first visible
    sheet). With ``sheet`` only that sheet's tables count; otherwise every visible sheet's.
    """
    if document.kind != "xlsx" or not document.sheets:
        raise BadInputError("not a workbook, or a workbook without sheets", item=document.source)
    if sheet is not None:
        sheets = [_find_sheet(document, sheet)]
    else:
        sheets = [s for s in document.sheets if not s.hidden] or list(document.sheets)
    if cell_range:
        target = sheets[0]
        return [ChosenTable(target.name, table_from_cells(target.cells, cell_range))]
    chosen: list[ChosenTable] = []
    for s in sheets:
        tables = s.tables or [t for t in [used_range_table(s)] if t is not None]
        chosen.extend(ChosenTable(s.name, t) for t in tables)
    chosen.sort(key=lambda c: len(c.table.rows) * len(c.table.columns), reverse=True)
    return chosen
