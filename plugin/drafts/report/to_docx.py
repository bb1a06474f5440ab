"""The report as a Word document: headings, findings, tables and chart pictures, laid out
as ``templates/report/layout.json`` says.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor

from plugin.drafts.report.charts import render_chart
from plugin.drafts.report.findings import ReportContent, ReportTable
from plugin.drafts.report.stats import format_number

#: Word tables longer than this are cut, with a note: a report is not a data dump.
MAX_TABLE_ROWS = 40


@cache
def report_layout() -> dict[str, Any]:
    text = resources.files("templates").joinpath("report/layout.json").read_text("utf-8")
    layout: dict[str, Any] = json.loads(text)
    return layout


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text that Word's XML accepts (workbook strings may hold control characters)."""
    return _XML_INVALID.sub("", text)


def _cell_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else _clean(str(value))
    return format_number(float(value))


def _apply_styles(doc: DocxDocument, layout: dict[str, Any]) -> None:
    fonts, colors = layout["fonts"], layout["colors"]
    normal = doc.styles["Normal"]
    normal.font.name = fonts["body"]  # type: ignore[attr-defined]
    normal.font.size = Pt(fonts["body_size_pt"])  # type: ignore[attr-defined]
    headings = (
        ("Title", "title", "title"),
        ("Heading 1", "heading1", "heading"),
        ("Heading 2", "heading2", "heading"),
    )
    for style_name, key, color in headings:
        style = doc.styles[style_name]
        style.font.name = fonts["heading"]  # type: ignore[attr-defined]
        style.font.size = Pt(layout[key]["size_pt"])  # type: ignore[attr-defined]
        style.font.color.rgb = RGBColor.from_string(colors[color])  # type: ignore[attr-defined]
    section = doc.sections[0]
    if layout["page"]["orientation"] == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    margin = Cm(layout["page"]["margin_cm"])
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin


def _add_table(doc: DocxDocument, table: ReportTable, style: str) -> None:
    rows = table.rows[:MAX_TABLE_ROWS]
    grid = doc.add_table(rows=1 + len(rows), cols=len(table.header))
    grid.style = doc.styles[style]
    for col, title in enumerate(table.header):
        grid.cell(0, col).text = _clean(str(title))
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row[: len(table.header)]):
            grid.cell(r, col).text = _cell_text(value)
    if len(table.rows) > MAX_TABLE_ROWS:
        doc.add_paragraph(f"First {MAX_TABLE_ROWS} of {len(table.rows)} rows shown.")


def _add_chart(doc: DocxDocument, table: ReportTable, layout: dict[str, Any]) -> None:
    spec = table.chart
    if spec is None or not table.rows:
        return
    labels = [_cell_text(row[0]) for row in table.rows]
    values = [float(row[1]) for row in table.rows]
    png = render_chart(spec.kind, spec.title, labels, values, layout["colors"]["chart"])
    doc.add_picture(io.BytesIO(png), width=Cm(layout["chart_width_cm"]))


def write_docx(content: ReportContent, narrative: str, out: Path) -> Path:
    layout = report_layout()
    labels = layout["labels"]
    doc = new_docx()
    _apply_styles(doc, layout)
    doc.core_properties.title = _clean(content.title)[:255]
    doc.core_properties.author = "deskdraft"
    doc.add_heading(_clean(content.title), level=0)
    source = doc.add_paragraph(_clean(f"{labels['source']}: {content.source}"))
    source.runs[0].font.color.rgb = RGBColor.from_string(layout["colors"]["muted"])
    for part in layout["sections"]:
        if part == "summary":
            doc.add_heading(labels["summary"], level=1)
            doc.add_paragraph(_clean(narrative))
            note = doc.add_paragraph(labels["generated_by"])
            note.runs[0].italic = True
        elif part == "findings":
            doc.add_heading(labels["findings"], level=1)
            for finding in content.findings:
                doc.add_paragraph(_clean(finding.text), style="List Bullet")
        elif part == "tables" and content.tables:
            doc.add_heading(labels["tables"], level=1)
            for table in content.tables:
                doc.add_heading(_clean(table.title), level=2)
                _add_table(doc, table, layout["table_style"])
                _add_chart(doc, table, layout)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out
