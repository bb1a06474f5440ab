"""Report analysis: every number checked against an independent computation (stdlib
``statistics`` or plain sums over the raw rows)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest

from connectors.document import Column, Document, Sheet, SheetTable
from connectors.errors import BadInputError, UsageError
from plugin.drafts.report import stats
from plugin.drafts.report.analysis import analyze_document
from plugin.drafts.report.findings import build_content
from plugin.drafts.report.tables import infer_column_type, table_from_cells
from tests.drafts.report.report_data import (
    HEADER,
    OUTLIER_INDEX,
    OUTLIER_REVENUE,
    sales_document,
    sales_rows,
)


def test_summary_matches_the_statistics_module() -> None:
    values = [float(r[4]) for r in sales_rows()]
    s = stats.summarize(values)
    assert s.count == len(values)
    assert s.total == pytest.approx(sum(values))
    assert s.mean == pytest.approx(statistics.mean(values))
    assert s.median == pytest.approx(statistics.median(values))
    assert s.std == pytest.approx(statistics.stdev(values))
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert (s.q1, s.q3) == (pytest.approx(q1), pytest.approx(q3))
    assert (s.minimum, s.maximum) == (min(values), max(values))


def test_outliers_by_robust_z_score_and_by_iqr_when_mad_is_zero() -> None:
    hits = stats.outliers([10, 11, 12, 11, 10, 12, 11, 95.0])
    assert [(h.index, h.method) for h in hits] == [(7, "robust_z")]
    assert hits[0].score > stats.ROBUST_Z_CUTOFF
    # More than half the values equal: MAD is 0, the IQR fences decide.
    flat = [5.0] * 6 + [6.0, 7.0, 6.0, 7.0, 6.0, 7.0, 40.0]
    assert [h.value for h in stats.outliers(flat)] == [40.0]
    assert stats.outliers([1.0, 1.0, 1.0, 1.0, 1.0, 1.0]) == []
    assert stats.outliers([1.0, 2.0, 300.0]) == []  # too few values to say


def test_number_formatting_is_stable() -> None:
    assert stats.format_number(54963.0) == "54,963"
    assert stats.format_number(1145.0625) == "1,145.1"
    assert stats.format_number(4.9375) == "4.94"
    assert stats.format_number(2.50) == "2.5"
    assert stats.format_number(-6.0) == "-6"
    assert stats.format_percent(-13.96) == "-14.0%"


def test_sales_table_analysis() -> None:
    rows = sales_rows()
    analysis = analyze_document(sales_document())
    assert len(analysis.tables) == 1
    table = analysis.tables[0]
    roles = {c.name: c.role for c in table.columns}
    assert roles == {
        "Date": "date",
        "Region": "category",
        "Order": "label",
        "Units": "measure",
        "Revenue": "measure",
    }
    revenue = next(c for c in table.columns if c.name == "Revenue").summary
    assert revenue is not None and revenue.total == pytest.approx(sum(r[4] for r in rows))

    by_region: dict[str, float] = defaultdict(float)
    for r in rows:
        by_region[r[1]] += r[4]
    group = next(g for g in table.group_bys if g.measure == "Revenue" and g.by == "Region")
    assert {g.key: g.total for g in group.groups} == pytest.approx(dict(by_region))
    assert group.groups[0].key == max(by_region, key=by_region.__getitem__)

    by_month: dict[str, float] = defaultdict(float)
    for r in rows:
        by_month[r[0].strftime("%Y-%m")] += r[4]
    trend = next(t for t in table.trends if t.measure == "Revenue")
    assert trend.period == "month"
    assert dict(trend.points) == pytest.approx(dict(by_month))
    months = sorted(by_month)
    assert trend.change == pytest.approx(by_month[months[-1]] - by_month[months[-2]])
    assert trend.change_pct == pytest.approx(
        (by_month[months[-1]] - by_month[months[-2]]) / by_month[months[-2]] * 100
    )

    ranked = next(r for r in table.ranked if r.measure == "Revenue")
    assert ranked.label_column == "Order"
    assert ranked.top[0] == (rows[OUTLIER_INDEX][2], OUTLIER_REVENUE)
    assert [v for _, v in ranked.bottom] == sorted(r[4] for r in rows)[:5]

    assert [(o.measure, o.label, o.row) for o in table.outliers] == [
        ("Revenue", rows[OUTLIER_INDEX][2], OUTLIER_INDEX + 2)
    ]  # header is sheet row 1


def test_findings_state_the_computed_numbers() -> None:
    content = build_content(analyze_document(sales_document()))
    facts = content.facts_text()
    total = sum(r[4] for r in sales_rows())
    assert f"Revenue: total {stats.format_number(total)}," in facts
    kinds = {f.kind for f in content.findings}
    assert {"table", "stats", "group", "trend", "top", "bottom", "outlier"} <= kinds
    charts = [t for t in content.tables if t.chart is not None]
    assert {t.chart.kind for t in charts if t.chart} == {"bar", "line"}


def test_year_column_gives_a_yearly_trend_and_is_no_measure() -> None:
    rows = [(2019 + i // 2, "Books" if i % 2 else "Games", 100.0 + i * 10) for i in range(8)]
    table = SheetTable(
        "A1:C9",
        1,
        [Column("Year", "number"), Column("Category", "text"), Column("Cost", "number")],
        rows,
    )
    doc = Document(
        id="y", kind="xlsx", source="years.xlsx", sheets=[Sheet("S", 9, 3, tables=[table])]
    )
    result = analyze_document(doc).tables[0]
    assert {c.name: c.role for c in result.columns}["Year"] == "date"
    trend = result.trends[0]
    assert trend.period == "year"
    assert trend.points[-1] == ("2022", 160.0 + 170.0)


def test_total_rows_are_left_out_so_sums_do_not_double() -> None:
    rows = [
        ("North", 1000),
        ("North", 1200),
        ("North Total", 2200),
        ("South", 400),
        ("South", 600),
        ("South Total", 1000),
        ("Grand Total", 3200),
    ]
    table = SheetTable("A1:B8", 1, [Column("Region", "text"), Column("Sales", "number")], rows)
    doc = Document(
        id="t", kind="xlsx", source="outline.xlsx", sheets=[Sheet("S", 8, 2, tables=[table])]
    )
    result = analyze_document(doc).tables[0]
    assert result.total_rows == 3 and result.n_rows == 4
    sales = next(c for c in result.columns if c.name == "Sales").summary
    assert sales is not None and sales.total == 3200
    facts = build_content(analyze_document(doc)).facts_text()
    assert "3 total rows left out" in facts


def test_no_numeric_columns_is_a_clear_reason() -> None:
    table = SheetTable(
        "A1:B4",
        1,
        [Column("Name", "text"), Column("City", "text")],
        [("Ann", "Oslo"), ("Bob", "Rome"), ("Cy", "Oslo")],
    )
    doc = Document(
        id="t", kind="xlsx", source="names.xlsx", sheets=[Sheet("S", 4, 2, tables=[table])]
    )
    with pytest.raises(BadInputError, match="no table with numeric columns found"):
        analyze_document(doc)
    empty = Document(id="e", kind="xlsx", source="empty.xlsx", sheets=[Sheet("S", 0, 0)])
    with pytest.raises(BadInputError, match="no table found"):
        analyze_document(empty)
    with pytest.raises(BadInputError, match="not a workbook"):
        analyze_document(Document(id="d", kind="text", source="a.txt", text="hi"))


def test_sheet_and_range_choice() -> None:
    doc = sales_document()
    with pytest.raises(UsageError, match="no sheet named 'Nope'") as caught:
        analyze_document(doc, sheet="Nope")
    assert "'Sales', 'Notes'" in str(caught.value)
    with pytest.raises(BadInputError, match="no table found in sheet 'notes'"):
        analyze_document(doc, sheet="notes")  # case-insensitive; one text cell, no table
    ranged = analyze_document(doc, sheet="Sales", cell_range="B1:E9").tables[0]
    assert ranged.ref == "B1:E9" and ranged.n_rows == 8
    assert [c.name for c in ranged.columns] == list(HEADER[1:])
    with pytest.raises(UsageError, match="not a cell range"):
        analyze_document(doc, cell_range="nonsense")


def test_table_from_cells_types_columns() -> None:
    cells = [
        ("When", "Amount", None),
        (datetime(2024, 1, 1), 5, "x"),
        (datetime(2024, 2, 1), "n/a", None),
        (datetime(2024, 3, 1), 7.5, "y"),
    ]
    table = table_from_cells(cells, "A1:C4")
    assert [(c.name, c.type) for c in table.columns] == [
        ("When", "date"),
        ("Amount", "number"),
        ("C", "text"),
    ]
    assert infer_column_type([None, ""]) == "empty"


def test_pane_grid_from_json_is_analysed() -> None:
    from openpyxl.utils.datetime import to_excel

    cells = [list(HEADER)] + [[to_excel(r[0]), r[1], r[2], r[3], r[4]] for r in sales_rows()]
    formats = [["General"] * 5] + [["m/d/yyyy", "General", "@", "0", "#,##0.00"]] * 48
    doc = Document.from_json(
        {
            "kind": "xlsx",
            "source": "pane",
            "sheets": [{"name": "Sales", "cells": cells, "number_formats": formats}],
        }
    )
    sheet = doc.sheets[0]
    assert sheet.cells[1][0] == sales_rows()[0][0]  # serial number back to a datetime
    table = analyze_document(doc).tables[0]
    assert {c.name: c.role for c in table.columns}["Date"] == "date"
    assert table.n_rows == 48 and table.outliers[0].row == OUTLIER_INDEX + 2

    # The pane pads a selection to its sheet position (here C3): rows and refs stay real.
    def pad(rows: list[list[Any]]) -> list[list[Any]]:
        return [[], []] + [[None, None, *row] for row in rows]

    doc = Document.from_json(
        {
            "kind": "xlsx",
            "source": "excel:Sheet1!C3:G51",
            "sheets": [{"name": "Sheet1", "cells": pad(cells), "number_formats": pad(formats)}],
        }
    )
    table = analyze_document(doc).tables[0]
    assert table.ref == "C3:G51" and table.outliers[0].row == OUTLIER_INDEX + 4
