"""Report drafts end to end: a real workbook through the real reader, reports opened with
openpyxl and python-docx, and converted to PDF by a real LibreOffice."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from PIL import Image

from connectors.base import open_source
from connectors.document import Document
from connectors.errors import UsageError
from plugin.config import data_dir
from plugin.drafts.base import Draft
from plugin.drafts.report.build import ReportDraft
from plugin.drafts.report.stats import format_number
from plugin.drafts.text.verify import check
from tests.drafts.report.report_data import (
    HEADER,
    OUTLIER_INDEX,
    sales_rows,
    write_sales_workbook,
)

FORMATS = ("xlsx", "docx", "md")


def read_document(path: Path) -> Document:
    with open_source(str(path)) as connector:
        items = list(connector.iter_documents())
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


@pytest.fixture(scope="session")
def sales_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sales_workbook(tmp_path_factory.mktemp("workbook") / "sales.xlsx")


@pytest.fixture(scope="session")
def reports(sales_xlsx: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One report per format, written once for the module's assertions."""
    out = tmp_path_factory.mktemp("reports")
    paths = [str(out / f"report-{fmt}.{fmt}") for fmt in FORMATS]
    draft = ReportDraft(None).draft([read_document(sales_xlsx)], {"out": paths})[0]
    return {"draft": draft, **{fmt: Path(p) for fmt, p in zip(FORMATS, paths, strict=True)}}


@pytest.fixture(scope="session")
def pdfs(reports: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """All three reports converted by one LibreOffice run with a fresh profile."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "LibreOffice is required (Debian libreoffice-calc/-writer, see .ci/run)"
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *(str(reports[fmt]) for fmt in FORMATS),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {fmt: out / f"report-{fmt}.pdf" for fmt in FORMATS}


def _revenue_total() -> float:
    return sum(r[4] for r in sales_rows())


def test_draft_json_has_the_documented_fields(reports: dict[str, Any]) -> None:
    draft: Draft = reports["draft"]
    data = draft.to_json()
    for key in (
        "summary",
        "findings",
        "tables",
        "files",
        "path",
        "verified",
        "model",
        "sheet",
        "chart",
        "facts",
        "source",
    ):
        assert key in data, key
    assert data["path"] == "extractive" and data["model"] == "none"
    assert data["verified"] is True and check(data["summary"], data["facts"]).ok
    assert set(data["files"]) == set(FORMATS)
    assert draft.attributions, "the narrative cites the facts it rests on"
    for span in draft.attributions:
        assert data["facts"][span.start : span.end].startswith("- ")
    json.dumps(data)  # the job result must serialise as is


def test_default_output_folder_is_under_the_data_dir(sales_xlsx: Path) -> None:
    draft = ReportDraft(None).draft([read_document(sales_xlsx)], {"formats": ["md"]})[0]
    path = Path(draft.data["files"]["md"])
    assert path.is_file() and path.is_relative_to(data_dir() / "outputs")
    with pytest.raises(UsageError, match=r"cannot write a report as \.pdf"):
        ReportDraft(None).draft([read_document(sales_xlsx)], {"out": "report.pdf"})


def test_xlsx_report_copies_the_workbook_and_adds_findings_tables_and_charts(
    reports: dict[str, Any],
) -> None:
    wb = load_workbook(reports["xlsx"])
    assert wb.sheetnames == ["Report", "Sales", "Notes"]
    assert tuple(c.value for c in wb["Sales"][1]) == HEADER  # the input data is kept
    ws = wb["Report"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == reports["draft"].data["title"]
    assert values[4][0] == reports["draft"].text
    stats_header = next(i for i, r in enumerate(values) if r[:2] == ["Column", "Count"])
    revenue = next(r for r in values[stats_header:] if r[0] == "Revenue")
    assert revenue[1] == 48 and revenue[3] == pytest.approx(_revenue_total())
    assert ws.cell(stats_header + 2, 4).number_format in {"#,##0", "#,##0.00"}
    by_region = defaultdict(float)
    for r in sales_rows():
        by_region[r[1]] += r[4]
    group_header = next(i for i, r in enumerate(values) if r[:2] == ["Region", "Total Revenue"])
    written = {r[0]: r[1] for r in values[group_header + 1 : group_header + 5]}
    assert written == pytest.approx(dict(by_region))
    charts = ws._charts
    chart_tables = [t for t in reports["draft"].data["tables"] if t["chart"]]
    assert len(charts) == len(chart_tables) >= 3
    assert any(isinstance(c, BarChart) for c in charts)
    assert any(isinstance(c, LineChart) for c in charts)


def test_xlsx_report_reads_back_through_the_project_reader(reports: dict[str, Any]) -> None:
    document = read_document(reports["xlsx"])
    report = next(s for s in document.sheets if s.name == "Report")
    assert any("Revenue" in str(v) for row in report.cells for v in row)


def test_docx_report_has_headings_tables_and_chart_pictures(reports: dict[str, Any]) -> None:
    doc = open_docx(str(reports["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Summary", "Findings", "Tables and charts"]
    assert reports["draft"].text in [p.text for p in doc.paragraphs]
    stats_table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in stats_table.rows]
    assert rows[0][:4] == ["Column", "Count", "Missing", "Total"]
    revenue = next(r for r in rows if r[0] == "Revenue")
    assert revenue[3] == format_number(_revenue_total())
    chart_tables = [t for t in reports["draft"].data["tables"] if t["chart"]]
    assert len(doc.inline_shapes) == len(chart_tables)
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(doc.part.related_parts[blob].blob))
    assert image.format == "PNG" and image.size == (1200, 600)


def test_md_report_has_the_same_content(reports: dict[str, Any]) -> None:
    text = reports["md"].read_text(encoding="utf-8")
    assert "## Summary" in text and "## Findings" in text and "## Tables and charts" in text
    assert reports["draft"].text in text
    for finding in reports["draft"].data["findings"]:
        assert f"- {finding['text']}" in text
    assert f"| Revenue | 48 | 0 | {format_number(_revenue_total())} |" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_converts_each_report_to_pdf(pdfs: dict[str, Path], fmt: str) -> None:
    pdf = pdfs[fmt]
    assert pdf.is_file() and pdf.stat().st_size > 1000
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_pane_grid_gives_sheet_rows_and_a_chart_spec(tmp_path: Path) -> None:
    rows = sales_rows()
    cells: list[list[Any]] = [list(HEADER)] + [
        [r[0].isoformat(), r[1], r[2], r[3], r[4]] for r in rows
    ]
    # Workbook text that looks like a formula, on the row every top list shows.
    cells[OUTLIER_INDEX + 1][2] = '=HYPERLINK("http://x")'
    document = Document.from_json(
        {"kind": "xlsx", "source": "excel-pane", "sheets": [{"name": "Sales", "cells": cells}]}
    )
    out = tmp_path / "pane.xlsx"
    draft = ReportDraft(None).draft([document], {"out": str(out)})[0]
    sheet, chart = draft.data["sheet"], draft.data["chart"]
    assert len({len(r) for r in sheet}) == 1, "Range.values needs a rectangle"
    first, last = (int(part[1:]) for part in chart["categories"].split(":"))
    assert sheet[first - 2][:2] == ["Region", "Total Revenue"]  # the header above the data
    by_region = defaultdict(float)
    for r in rows:
        by_region[r[1]] += r[4]
    assert {sheet[i - 1][0]: sheet[i - 1][1] for i in range(first, last + 1)} == pytest.approx(
        dict(by_region)
    )
    assert chart["type"] == "ColumnClustered" and chart["values"].startswith("B")
    assert not any(isinstance(v, str) and v.startswith("=") for row in sheet for v in row)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Report"]  # no workbook file to copy: a new one
    formula_like = [
        c
        for row in wb["Report"].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    outlier = next(f for f in draft.data["findings"] if f["kind"] == "outlier")
    assert outlier["values"]["row"] == OUTLIER_INDEX + 2
