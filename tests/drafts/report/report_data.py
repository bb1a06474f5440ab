"""A small sales workbook for report tests: dates over six months, regions, unique order
labels, units and revenue, with one planted outlier."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from connectors.document import Column, Document, Sheet, SheetTable

HEADER = ("Date", "Region", "Order", "Units", "Revenue")
REGIONS = ("North", "South", "East", "West")
OUTLIER_INDEX = 29  # data row index of the planted outlier
OUTLIER_REVENUE = 25_000.0


def sales_rows() -> list[tuple[Any, ...]]:
    rows = []
    for i in range(48):
        month = 1 + i // 8
        revenue = OUTLIER_REVENUE if i == OUTLIER_INDEX else 400.0 + (i * 37) % 300 + month * 25
        rows.append(
            (
                datetime(2024, month, 1 + (i * 3) % 28),
                REGIONS[(i * 7) % 4],
                f"SO-{1000 + i}",
                3 + i % 5,
                revenue,
            )
        )
    return rows


def sales_table() -> SheetTable:
    rows = sales_rows()
    return SheetTable(
        ref=f"A1:E{len(rows) + 1}",
        header_row=1,
        columns=[
            Column("Date", "date"),
            Column("Region", "text"),
            Column("Order", "text"),
            Column("Units", "number"),
            Column("Revenue", "currency", "#,##0.00"),
        ],
        rows=rows,
    )


def sales_document(source: str = "/data/sales.xlsx") -> Document:
    cells = [HEADER, *sales_rows()]
    sheet = Sheet("Sales", len(cells), len(HEADER), cells=cells, tables=[sales_table()])
    notes = Sheet("Notes", 1, 1, cells=[("Quarterly sales, region view",)])
    return Document(
        id="sales-test", kind="xlsx", source=source, title="sales", sheets=[sheet, notes]
    )


def write_sales_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sales"
    ws.append(HEADER)
    for row in sales_rows():
        ws.append(row)
    for cell in ws["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Quarterly sales, region view"
    wb.save(path)
    return path
