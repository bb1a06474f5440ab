"""Sheet types of the document model: typed columns, detected tables and sheets.

Shared by :mod:`connectors.document` (which re-exports them) and the xlsx readers
(:mod:`connectors.xlsxtables`), so that neither has to import the other's module.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ColumnType = Literal["number", "date", "currency", "percent", "text", "bool", "empty"]


@dataclass(slots=True)
class Column:
    name: str
    type: ColumnType
    number_format: str | None = None


@dataclass(slots=True)
class SheetTable:
    """A rectangular table found in a sheet: one header row and typed columns."""

    ref: str  # A1-style range, e.g. "A1:F200"
    header_row: int  # 1-based sheet row of the header
    columns: list[Column]
    rows: list[tuple[Any, ...]]  # typed values (float, int, datetime, date, bool, str, None)
    name: str | None = None  # Excel table name when defined


@dataclass(slots=True)
class Sheet:
    name: str
    n_rows: int
    n_cols: int
    cells: list[tuple[Any, ...]] = field(default_factory=list)  # typed value grid, row-major
    merged: list[str] = field(default_factory=list)
    tables: list[SheetTable] = field(default_factory=list)
    hidden: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rows": self.n_rows,
            "cols": self.n_cols,
            "tables": [
                {
                    "ref": t.ref,
                    "name": t.name,
                    "header_row": t.header_row,
                    "columns": [asdict(c) for c in t.columns],
                    "rows": len(t.rows),
                }
                for t in self.tables
            ],
        }
