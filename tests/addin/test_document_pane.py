"""The document panes (Excel, Word) in headless Chromium against a real bridge and worker.

office.js is replaced by ``fake_office.js`` (a fake workbook, a fake Word document built
from a real corpus .docx); everything else is real: the pages as the bridge serves them,
the API, the queue, the worker and the draft kinds.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document as DocxDocument
from playwright.sync_api import Browser, expect

from tests.addin.browser import DRAFT_TIMEOUT_MS, no_js_errors, office_log, open_pane, screenshot
from tests.addin.conftest import Service

pytestmark = pytest.mark.integration

WORD_FILE = "poi-IllustrativeCases.docx"  # English prose: tax credit cases


def _workbook() -> dict[str, Any]:
    regions = ["North", "South", "East", "West"]
    rows: list[list[Any]] = [["Region", "Month", "Sales", "Units"]]
    formats: list[list[str]] = [["General"] * 4]
    month_serials = [45292, 45323, 45352, 45383, 45413, 45444]  # 2024-01-01 .. 2024-06-01
    for m, serial in enumerate(month_serials):
        for r, region in enumerate(regions):
            sales = 1000 + 150 * r + 80 * m + (2600 if (region, m) == ("East", 4) else 0)
            rows.append([region, serial, sales, 10 + r + m])
            formats.append(["General", "yyyy-mm-dd", "#,##0", "0"])
    return {
        "sheets": [{"name": "Sales", "cells": rows, "formats": formats}],
        "selection": f"A1:D{len(rows)}",
    }


def test_excel_pane_writes_a_report_sheet_and_offers_the_docx(
    browser: Browser, service: Service
) -> None:
    page = open_pane(
        browser,
        f"{service.url}/addin/document.html",
        {"host": "Excel", "workbook": _workbook()},
        settings=service.settings(),
    )
    expect(page.locator("#excel-panel")).to_be_visible()
    page.get_by_role("button", name="Generate report").click()
    expect(page.locator("#report-sheet-note")).to_be_visible(timeout=DRAFT_TIMEOUT_MS)
    sheets = page.evaluate(
        "window.__fakeWorkbook.sheets.map(s => ({name: s.name, "
        "cells: s.cells, tables: s.tables, charts: s.charts}))"
    )
    assert [s["name"] for s in sheets] == ["Sales", "deskdraft report"]
    report = sheets[1]
    flat = [str(v) for row in report["cells"] for v in row]
    assert any("Sales" in v and "by Region" in v for v in flat), flat[:40]
    assert report["tables"], "the findings are written as an Excel table"
    assert len(report["charts"]) == 1
    chart = report["charts"][0]
    assert chart["type"] in {"ColumnClustered", "Line"} and chart["title"]["text"]
    assert office_log(page, "worksheets.add") == [
        {"call": "worksheets.add", "name": "deskdraft report"}
    ]
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download report (.docx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    docx = DocxDocument(io.BytesIO(Path(download.path()).read_bytes()))
    assert any("Region" in p.text for p in docx.paragraphs), [p.text for p in docx.paragraphs]
    assert any("Region" in cell.text for table in docx.tables for cell in table.rows[0].cells)
    screenshot(page, "excel-report")
    no_js_errors(page)


def test_a_failed_job_shows_its_reason(browser: Browser, service: Service) -> None:
    words = {
        "sheets": [{"name": "Notes", "cells": [["Note"], ["call Bob"], ["buy milk"]]}],
        "selection": "A1:A3",
    }
    page = open_pane(
        browser,
        f"{service.url}/addin/document.html?action=report",
        {"host": "Excel", "workbook": words},
        settings=service.settings(),
    )
    error = page.locator("#error")
    expect(error).to_be_visible(timeout=DRAFT_TIMEOUT_MS)
    expect(error).to_contain_text("The report job failed")
    expect(error).to_contain_text("no table")
    screenshot(page, "excel-job-failed")


def test_word_pane_summarizes_the_document(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    source = DocxDocument(str(corpus_dir / "docx" / WORD_FILE))
    text = "\r".join(p.text for p in source.paragraphs)
    page = open_pane(
        browser,
        f"{service.url}/addin/document.html?action=summarize",
        {"host": "Word", "word": {"text": text}},
        settings=service.settings(),
    )
    expect(page.locator("#word-panel")).to_be_visible()
    card = page.locator("#result article")
    expect(card).to_be_visible(timeout=DRAFT_TIMEOUT_MS)
    assert card.locator(".draft-text").inner_text().strip()
    # Clicking a key point selects its source sentence in the document itself.
    points = card.locator(".key-points li")
    assert points.count() > 0
    points.first.click()
    # A function, not an expression: the bridge's CSP forbids eval, so a string expression
    # is checked once instead of polled while Word.run's sync and select finish.
    page.wait_for_function("() => window.__officeLog.some(e => e.call === 'word.select')")
    selected = office_log(page, "word.select")[0]["fragment"]
    assert selected and selected in text
    page.get_by_role("button", name="Insert at cursor").click()
    expect(page.locator(".feedback-note")).to_have_text("Inserted into the document.")
    screenshot(page, "word-summary")
    no_js_errors(page)
