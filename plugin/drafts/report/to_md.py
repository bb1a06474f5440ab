"""The report as Markdown: the same sections, findings and tables as the Word report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugin.drafts.report.findings import ReportContent, ReportTable
from plugin.drafts.report.stats import format_number

MAX_TABLE_ROWS = 40


def _cell(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = "" if value is None else str(value)
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return format_number(float(value))


def _table(table: ReportTable) -> list[str]:
    lines = [f"### {_cell(table.title)}", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.header) + " |")
    lines.append("| " + " | ".join("---" for _ in table.header) + " |")
    for row in table.rows[:MAX_TABLE_ROWS]:
        lines.append("| " + " | ".join(_cell(v) for v in row[: len(table.header)]) + " |")
    if len(table.rows) > MAX_TABLE_ROWS:
        lines += ["", f"First {MAX_TABLE_ROWS} of {len(table.rows)} rows shown."]
    if table.chart is not None:
        lines += ["", f"Chart: {table.chart.kind} chart of {_cell(table.chart.title)}."]
    return [*lines, ""]


def render_md(content: ReportContent, narrative: str) -> str:
    lines = [
        f"# {_cell(content.title)}",
        "",
        f"Source: `{content.source}`",
        "",
        "## Summary",
        "",
        narrative,
        "",
        "## Findings",
        "",
    ]
    lines += [f"- {f.text}" for f in content.findings]
    if content.tables:
        lines += ["", "## Tables and charts", ""]
        for table in content.tables:
            lines += _table(table)
    return "\n".join(lines).rstrip() + "\n"


def write_md(content: ReportContent, narrative: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_md(content, narrative), encoding="utf-8")
    return out
