"""The report as a worksheet: findings, formatted tables and native Excel charts.

The same row layout feeds the Excel add-in pane (``sheet_rows``), so what the pane writes
into a workbook matches the ``.xlsx`` this module saves.
"""

from __future__ import annotations

import logging
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from plugin.drafts.report.findings import ReportContent, ReportTable

log = logging.getLogger(__name__)

HEADER_FILL = PatternFill("solid", start_color="1F3864", end_color="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=16, color="1F3864")
HEADING_FONT = Font(bold=True, size=12, color="1F3864")
#: Charts sit to the right of the tables, from this column on.
CHART_COLUMN = 11
CHART_ROWS = 16  # rows a chart covers; tables with charts get at least this much room


@dataclass(slots=True)
class Placed:
    table: ReportTable
    title_row: int
    header_row: int
    last_row: int


@dataclass(slots=True)
class Layout:
    rows: list[list[Any]]
    title_row: int
    summary_row: int
    findings_header_row: int
    findings_last_row: int
    tables: list[Placed]

    def first_chart(self) -> Placed | None:
        return next((p for p in self.tables if p.table.chart is not None), None)


def layout(content: ReportContent, narrative: str) -> Layout:
    """Rows of the report sheet, written from A1, and where each part of it lies."""
    rows: list[list[Any]] = [
        [content.title],
        [f"Source: {content.source}"],
        [],
        ["Summary"],
        [narrative],
        [],
    ]
    summary_row = 5
    rows.append(["Finding", "Table", "Detail"])
    findings_header_row = len(rows)
    rows.extend([f.kind, f.table, f.text] for f in content.findings)
    findings_last_row = len(rows)
    placed: list[Placed] = []
    for table in content.tables:
        rows.append([])
        rows.append([table.title])
        title_row = len(rows)
        rows.append(list(table.header))
        header_row = len(rows)
        rows.extend(list(r) for r in table.rows)
        placed.append(Placed(table, title_row, header_row, len(rows)))
        if table.chart is not None:
            # Keep the next table below this table's chart.
            rows.extend([] for _ in range(max(0, title_row + CHART_ROWS - len(rows))))
    return Layout(rows, 1, summary_row, findings_header_row, findings_last_row, placed)


def _range(first_col: int, first_row: int, last_col: int, last_row: int) -> str:
    return f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"


def pane_chart(lay: Layout, sheet_name: str = "Report") -> dict[str, Any] | None:
    """The chart the Excel pane should add, as ranges into ``lay.rows`` written from A1."""
    placed = lay.first_chart()
    if placed is None or placed.table.chart is None:
        return None
    chart = placed.table.chart
    first, last = placed.header_row + 1, placed.last_row
    return {
        "type": "ColumnClustered" if chart.kind == "bar" else "Line",
        "title": chart.title,
        "sheet": sheet_name,
        "range": _range(1, placed.header_row, 2, last),
        "categories": _range(1, first, 1, last),
        "values": _range(2, first, 2, last),
        "series_name": placed.table.header[1],
    }


def _number_format(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return "#,##0" if float(value).is_integer() else "#,##0.00"


def _style(ws: Worksheet, lay: Layout) -> None:
    ws.cell(lay.title_row, 1).font = TITLE_FONT
    ws.cell(lay.summary_row - 1, 1).font = HEADING_FONT
    ws.merge_cells(_range(1, lay.summary_row, 9, lay.summary_row))
    summary = ws.cell(lay.summary_row, 1)
    summary.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[lay.summary_row].height = max(30, 15 * (len(str(summary.value)) // 110 + 1))
    header_rows = [lay.findings_header_row] + [p.header_row for p in lay.tables]
    for row in header_rows:
        for cell in ws[row]:
            if cell.value is not None:
                cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in range(lay.findings_header_row + 1, lay.findings_last_row + 1):
        ws.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    for placed in lay.tables:
        ws.cell(placed.title_row, 1).font = HEADING_FONT
        for row in ws.iter_rows(min_row=placed.header_row + 1, max_row=placed.last_row):
            for cell in row:
                fmt = _number_format(cell.value)
                if fmt:
                    cell.number_format = fmt
    widths = {1: 22, 2: 26, 3: 90}
    for col in range(1, 10):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 14)


def _add_chart(ws: Worksheet, placed: Placed) -> None:
    spec = placed.table.chart
    if spec is None or placed.last_row <= placed.header_row:
        return
    chart: BarChart | LineChart = BarChart() if spec.kind == "bar" else LineChart()
    if isinstance(chart, BarChart):
        chart.type = "col"
    chart.title = spec.title
    chart.x_axis.title = spec.x_title
    chart.y_axis.title = spec.y_title
    # openpyxl 3.1 hides axes unless told otherwise; Excel and LibreOffice then draw none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    values = Reference(ws, min_col=2, min_row=placed.header_row, max_row=placed.last_row)
    categories = Reference(ws, min_col=1, min_row=placed.header_row + 1, max_row=placed.last_row)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(categories)
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, f"{get_column_letter(CHART_COLUMN)}{placed.title_row}")


def _put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    if isinstance(value, str):
        # Text from the workbook is data: never let "=..." become a formula.
        cell = ws.cell(row, col, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
    else:
        ws.cell(row, col, value)


def _unique_title(wb: Workbook, wanted: str) -> str:
    names = {name.casefold() for name in wb.sheetnames}
    title, n = wanted, 2
    while title.casefold() in names:
        title, n = f"{wanted} {n}", n + 1
    return title


def _open_copy(source: Path | None) -> Workbook | None:
    """The input workbook to add the report sheet to, or None to start a new workbook."""
    if source is None or source.suffix.lower() not in {".xlsx", ".xlsm"} or not source.is_file():
        return None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about every feature it drops (extensions, styles); not our news.
            warnings.simplefilter("ignore")
            # Our own handle: openpyxl leaves its file open when a workbook fails to load.
            with source.open("rb") as handle:
                return load_workbook(handle)
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        # openpyxl cannot round-trip every workbook; the report itself must still come out.
        log.warning("%s: cannot copy the workbook (%s); writing the report alone", source, exc)
        return None


def write_xlsx(
    content: ReportContent, narrative: str, out: Path, source: Path | None = None
) -> Path:
    """Save ``out``: a copy of ``source`` with a new report sheet, or a new workbook."""
    wb = _open_copy(source)
    if wb is None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Report"
    else:
        ws = wb.create_sheet(_unique_title(wb, "Report"), 0)
        wb.active = 0
        for other in wb.worksheets[1:]:
            other.sheet_view.tabSelected = False
    lay = layout(content, narrative)
    for r, row in enumerate(lay.rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value)
    _style(ws, lay)
    for placed in lay.tables:
        _add_chart(ws, placed)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
