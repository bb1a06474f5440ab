"""Turn an ``Analysis`` into what a report shows: findings (one sentence each, written by
code) and tables with optional chart specs. Every renderer (xlsx, docx, md, the Excel pane)
draws from this one content, so all formats state the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from plugin.drafts.report.analysis import Analysis, TableAnalysis
from plugin.drafts.report.columns import ColumnStats
from plugin.drafts.report.stats import format_number, format_percent

ChartKind = Literal["bar", "line"]
#: Outliers stated one by one per column; the rest are counted (and listed in the table).
MAX_OUTLIERS_LISTED = 5
MAX_MEASURES_STATED = 3
MAX_SKIPPED_STATED = 5


@dataclass(slots=True)
class Finding:
    kind: str  # table | stats | group | trend | top | bottom | outlier | skipped
    text: str
    table: str  # the table label it is about
    values: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "table": self.table, "values": self.values}


@dataclass(slots=True)
class ChartSpec:
    kind: ChartKind
    title: str
    x_title: str
    y_title: str


@dataclass(slots=True)
class ReportTable:
    title: str
    header: list[str]
    rows: list[list[Any]]  # str labels and float values, as charts need them
    chart: ChartSpec | None = None  # column 0 = categories, column 1 = values

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "header": self.header,
            "rows": self.rows,
            "chart": None
            if self.chart is None
            else {
                "type": self.chart.kind,
                "title": self.chart.title,
                "x_title": self.chart.x_title,
                "y_title": self.chart.y_title,
            },
        }


@dataclass(slots=True)
class ReportContent:
    title: str
    source: str
    findings: list[Finding]
    tables: list[ReportTable]

    def facts_text(self) -> str:
        """The facts as plain lines: what the model may write from, and what it is checked on."""
        return "\n".join(f"- {f.text}" for f in self.findings)


def _n(value: float) -> str:
    return format_number(value)


def _column_line(column: ColumnStats) -> str | None:
    s = column.summary
    if s is None:
        return None
    missing = f", {column.missing} missing" if column.missing else ""
    return (
        f"{column.name}: total {_n(s.total)}, mean {_n(s.mean)}, median {_n(s.median)}, "
        f"min {_n(s.minimum)}, max {_n(s.maximum)} over {s.count} values{missing}."
    )


def _table_findings(t: TableAnalysis) -> tuple[list[Finding], list[ReportTable]]:
    findings: list[Finding] = []
    tables: list[ReportTable] = []
    roles = "; ".join(
        f"{label} {', '.join(c.name for c in t.role(role))}"
        for role, label in (("measure", "measures"), ("category", "categories"), ("date", "dates"))
        if t.role(role)
    )
    totals = f"; {t.total_rows} total rows left out" if t.total_rows else ""
    findings.append(
        Finding(
            "table",
            f"{t.label}: {t.n_rows} rows; {roles}{totals}.",
            t.label,
            {"rows": t.n_rows, "ref": t.ref, "sheet": t.sheet, "total_rows_left_out": t.total_rows},
        )
    )
    stat_rows: list[list[Any]] = []
    # Headline measure first, as the analysis ranks them (money, then the largest totals).
    measures = sorted(
        t.role("measure"),
        key=lambda c: (c.type != "currency", -abs(c.summary.total) if c.summary else 0.0),
    )
    for position, column in enumerate(measures):
        line = _column_line(column)
        s = column.summary
        if line is None or s is None:
            continue
        if position == MAX_MEASURES_STATED:
            findings.append(
                Finding(
                    "stats",
                    f"{len(measures) - position} more numeric columns are in the statistics table.",
                    t.label,
                    {"more": len(measures) - position},
                )
            )
        # Every measure has its row in the statistics table; the first few are said too.
        stat_rows.append(
            [
                column.name,
                s.count,
                column.missing,
                s.total,
                s.mean,
                s.median,
                s.minimum,
                s.maximum,
                s.std,
            ]
        )
        if position >= MAX_MEASURES_STATED:
            continue
        findings.append(
            Finding(
                "stats",
                line,
                t.label,
                {
                    "column": column.name,
                    "count": s.count,
                    "missing": column.missing,
                    "total": s.total,
                    "mean": s.mean,
                    "median": s.median,
                    "min": s.minimum,
                    "max": s.maximum,
                    "std": s.std,
                    "q1": s.q1,
                    "q3": s.q3,
                },
            )
        )
    if stat_rows:
        tables.append(
            ReportTable(
                f"Column statistics — {t.label}",
                ["Column", "Count", "Missing", "Total", "Mean", "Median", "Min", "Max", "Std dev"],
                stat_rows,
            )
        )
    for g in t.group_bys:
        if not g.groups:
            continue
        top = g.groups[0]
        share = top.total / g.grand_total * 100 if g.grand_total else None
        parts = "; ".join(f"{x.key} {_n(x.total)} ({x.count} rows)" for x in g.groups[:5])
        share_text = f" {top.key} leads with {share:.1f}% of the total." if share else ""
        findings.append(
            Finding(
                "group",
                f"{g.measure} by {g.by}: {parts}.{share_text}",
                t.label,
                {
                    "by": g.by,
                    "measure": g.measure,
                    "groups": g.n_groups,
                    "totals": {x.key: x.total for x in g.groups},
                    "leader_share_pct": share,
                },
            )
        )
        tables.append(
            ReportTable(
                f"{g.measure} by {g.by}",
                [g.by, f"Total {g.measure}", "Rows", f"Mean {g.measure}"],
                [[x.key, x.total, x.count, x.mean] for x in g.groups],
                ChartSpec("bar", f"{g.measure} by {g.by}", g.by, g.measure),
            )
        )
    for tr in t.trends:
        (last_label, last), (prev_label, prev) = tr.points[-1], tr.points[-2]
        pct = f" ({format_percent(tr.change_pct)})" if tr.change_pct is not None else ""
        text = (
            f"{tr.measure} by {tr.period} of {tr.date_column}: {last_label} {_n(last)} "
            f"against {prev_label} {_n(prev)}, a change of {_n(tr.change or 0)}{pct}."
        )
        if tr.biggest_rise:
            text += f" Largest rise: into {tr.biggest_rise[0]} ({_n(tr.biggest_rise[1])})."
        if tr.biggest_fall:
            text += f" Largest fall: into {tr.biggest_fall[0]} ({_n(tr.biggest_fall[1])})."
        findings.append(
            Finding(
                "trend",
                text,
                t.label,
                {
                    "date_column": tr.date_column,
                    "measure": tr.measure,
                    "period": tr.period,
                    "points": dict(tr.points),
                    "change": tr.change,
                    "change_pct": tr.change_pct,
                },
            )
        )
        tables.append(
            ReportTable(
                f"{tr.measure} by {tr.period}",
                [tr.period.capitalize(), f"Total {tr.measure}"],
                [[label, value] for label, value in tr.points],
                ChartSpec("line", f"{tr.measure} by {tr.period}", tr.period, tr.measure),
            )
        )
    for r in t.ranked:
        for kind, items in (("top", r.top), ("bottom", r.bottom)):
            listed = "; ".join(f"{label} {_n(value)}" for label, value in items)
            findings.append(
                Finding(
                    kind,
                    f"{kind.capitalize()} {len(items)} by {r.measure}: {listed}.",
                    t.label,
                    {"measure": r.measure, "items": [list(i) for i in items]},
                )
            )
        tables.append(
            ReportTable(
                f"Top {len(r.top)} by {r.measure}",
                [r.label_column or "Row", r.measure],
                [[label, value] for label, value in r.top],
                ChartSpec(
                    "bar", f"Top {len(r.top)} by {r.measure}", r.label_column or "Row", r.measure
                ),
            )
        )
    if t.outliers:
        listed: dict[str, int] = {}
        for o in t.outliers:
            listed[o.measure] = listed.get(o.measure, 0) + 1
            if listed[o.measure] > MAX_OUTLIERS_LISTED:
                continue
            method = "robust z-score" if o.method == "robust_z" else "IQR fence distance"
            findings.append(
                Finding(
                    "outlier",
                    f"Outlier in {o.measure}: {o.label} (row {o.row}) at {_n(o.value)}, "
                    f"{method} {o.score:.1f}.",
                    t.label,
                    {
                        "measure": o.measure,
                        "row": o.row,
                        "label": o.label,
                        "value": o.value,
                        "score": o.score,
                        "method": o.method,
                    },
                )
            )
        for measure, count in listed.items():
            if count > MAX_OUTLIERS_LISTED:
                findings.append(
                    Finding(
                        "outlier",
                        f"{measure} has {count} outliers in all; the table lists them.",
                        t.label,
                        {"measure": measure, "count": count},
                    )
                )
        tables.append(
            ReportTable(
                f"Outliers — {t.label}",
                ["Column", "Row", "Label", "Value", "Score", "Method"],
                [
                    [o.measure, o.row, o.label, o.value, round(o.score, 2), o.method]
                    for o in t.outliers
                ],
            )
        )
    else:
        findings.append(
            Finding(
                "outlier",
                "No outliers found (robust z-score above 3.5 or beyond the IQR fences).",
                t.label,
                {},
            )
        )
    return findings, tables


def build_content(analysis: Analysis, title: str | None = None) -> ReportContent:
    findings: list[Finding] = []
    tables: list[ReportTable] = []
    for t in analysis.tables:
        f, tb = _table_findings(t)
        findings.extend(f)
        tables.extend(tb)
    for reason in analysis.skipped[:MAX_SKIPPED_STATED]:
        findings.append(Finding("skipped", f"Not analysed: {reason}.", reason.split(":")[0]))
    if len(analysis.skipped) > MAX_SKIPPED_STATED:
        more = len(analysis.skipped) - MAX_SKIPPED_STATED
        findings.append(
            Finding("skipped", f"{more} more tables were not analysed.", "", {"more": more})
        )
    name = analysis.source.rsplit("/", 1)[-1] or analysis.source
    return ReportContent(title or f"Report on {name}", analysis.source, findings, tables)
