"""Excel workbooks: typed grid, detected tables with headers, column types, merged cells,
formulas as cached values, streaming."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from connectors.errors import BadInputError
from connectors.xlsx import read_xlsx


@pytest.fixture
def budget(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws["A1"] = "Budget 2025"
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["Item", "Due", "Cost", "Share", "Units"])
    rows = [
        ("Laptops", datetime(2025, 1, 15), 1200.5, 0.25, 4),
        ("Desks", datetime(2025, 2, 1), 800.0, 0.5, 2),
        ("Chairs", datetime(2025, 3, 9), 300.0, 0.25, 6),
    ]
    for index, row in enumerate(rows, start=4):
        ws.append(list(row))
        ws.cell(index, 3).number_format = '"$"#,##0.00'
        ws.cell(index, 4).number_format = "0.00%"
    hidden = wb.create_sheet("Notes")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "internal"
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    return path


def test_typed_grid_tables_and_column_types(budget: Path) -> None:
    doc = read_xlsx(budget, str(budget), {})
    assert doc.kind == "xlsx"
    sheet = doc.sheets[0]
    assert (sheet.name, sheet.n_rows, sheet.n_cols) == ("Budget", 6, 5)
    assert sheet.merged == ["A1:E1"]
    assert sheet.cells[3][1] == datetime(2025, 1, 15)
    assert sheet.cells[3][2] == 1200.5
    table = next(t for t in sheet.tables if t.header_row == 3)
    assert table.ref == "A3:E6"
    assert [(c.name, c.type) for c in table.columns] == [
        ("Item", "text"),
        ("Due", "date"),
        ("Cost", "currency"),
        ("Share", "percent"),
        ("Units", "number"),
    ]
    assert len(table.rows) == 3 and table.rows[1][0] == "Desks"
    assert doc.sheets[1].hidden
    record = doc.to_json()
    assert record["sheets"][0]["rows"] == 6 and record["sheets"][0]["cols"] == 5
    assert record["sheets"][0]["tables"][-1]["columns"][2]["type"] == "currency"
    assert "Laptops | 2025-01-15 | 1200.5 | 0.25 | 4" in doc.text


def test_formulas_are_read_as_cached_values(corpus_dir: Path) -> None:
    doc = read_xlsx(corpus_dir / "xlsx/openpyxl-formulae.xlsx", "f", {})
    values = [v for s in doc.sheets for row in s.cells for v in row]
    assert values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_excel_table_definitions_are_used(corpus_dir: Path) -> None:
    doc = read_xlsx(corpus_dir / "xlsx/poi-ExcelTables.xlsx", "t", {})
    named = [t for s in doc.sheets for t in s.tables if t.name]
    assert named and named[0].columns and named[0].header_row >= 1


def test_1904_dates(corpus_dir: Path) -> None:
    a = read_xlsx(corpus_dir / "xlsx/openpyxl-date_1900.xlsx", "a", {})
    b = read_xlsx(corpus_dir / "xlsx/openpyxl-date_1904.xlsx", "b", {})
    assert a.sheets[0].cells[0][0] == b.sheets[0].cells[0][0]
    assert isinstance(a.sheets[0].cells[0][0], datetime)


def test_large_sheet_streams_with_text_capped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["id", "value"])
    for i in range(5000):
        ws.append([i, i * 1.5])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    doc = read_xlsx(path, str(path), {"xlsx_text_rows": 50})
    assert doc.sheets[0].n_rows == 5001
    assert doc.sheets[0].tables[0].columns[1].type == "number"
    assert "... 4951 more rows" in doc.text


def test_a_formatting_only_last_row_is_not_over_the_row_limit(tmp_path: Path) -> None:
    # Excel writes a styled, empty row 1,048,576 in some workbooks (the corpus's
    # poi-style-alternate-content.xlsx): nothing to read there, so no limit is hit
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Count"])
    ws.append(["apples", 3])
    ws.row_dimensions[1_048_576].height = 20
    path = tmp_path / "styled-last-row.xlsx"
    wb.save(path)
    doc = read_xlsx(path, "styled", {})
    assert doc.sheets[0].n_rows == 2
    assert doc.sheets[0].cells == [("Name", "Count"), ("apples", 3)]


def test_filled_rows_past_the_row_limit_are_still_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name"])
    ws.cell(row=60, column=1, value="far down")
    saved = tmp_path / "long.xlsx"
    wb.save(saved)
    # a lying <dimension> so that the row count is only found while streaming
    path = tmp_path / "long-lying.xlsx"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            dst.writestr(info, data)
    with pytest.raises(BadInputError, match="has more than 50 rows"):
        read_xlsx(path, "long", {"limits": {"xlsx_max_rows": 50}})
