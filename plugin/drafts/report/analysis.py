"""Analysis of a workbook's tables: column roles, statistics, group-bys, trends, extremes and
outliers. Every number is computed here; the model only ever sees the results as text.
The column roles and per-column statistics are ``plugin.drafts.report.columns``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.utils.cell import range_boundaries

from connectors.document import Column, Document, SheetTable
from connectors.errors import BadInputError
from plugin.drafts.report import stats
from plugin.drafts.report.columns import (
    ColumnStats,
    as_date,
    cell_text,
    classify_column,
    column_stats,
    is_number,
)
from plugin.drafts.report.tables import ChosenTable, choose_tables

#: Limits that keep a report readable; the analysis says when it left things out.
MAX_TABLES = 3
MAX_MEASURES = 3
MAX_CATEGORIES = 2
MAX_GROUPS = 12
DEFAULT_TOP_N = 5

_TOTAL = re.compile(r"\b(?:grand\s+total|sub-?totals?|totals?)\b", re.I)


@dataclass(slots=True)
class Group:
    key: str
    count: int
    total: float
    mean: float


@dataclass(slots=True)
class GroupBy:
    by: str
    measure: str
    groups: list[Group]  # by total, largest first; at most MAX_GROUPS
    n_groups: int
    grand_total: float


@dataclass(slots=True)
class Trend:
    date_column: str
    measure: str
    period: str  # day | month | year
    points: list[tuple[str, float]]  # (period label, total), oldest first
    change: float | None = None  # last period against the one before
    change_pct: float | None = None
    biggest_rise: tuple[str, float] | None = None  # (period label, change into it)
    biggest_fall: tuple[str, float] | None = None


@dataclass(slots=True)
class Ranked:
    measure: str
    label_column: str | None
    top: list[tuple[str, float]]
    bottom: list[tuple[str, float]]


@dataclass(slots=True)
class Outlier:
    measure: str
    row: int  # 1-based sheet row
    label: str
    value: float
    score: float
    method: str


@dataclass(slots=True)
class TableAnalysis:
    sheet: str
    ref: str
    label: str  # Sheet!A1:D20 (table name)
    n_rows: int
    columns: list[ColumnStats]
    group_bys: list[GroupBy] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    ranked: list[Ranked] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)
    total_rows: int = 0  # "Total"/"Subtotal" rows left out so that sums do not double

    def role(self, role: str) -> list[ColumnStats]:
        return [c for c in self.columns if c.role == role]


@dataclass(slots=True)
class Analysis:
    source: str
    tables: list[TableAnalysis]
    skipped: list[str] = field(default_factory=list)  # "Sheet!A1:B3: why it was left out"


def _group_by(by: str, measure: str, keys: Sequence[Any], values: Sequence[Any]) -> GroupBy:
    totals: dict[str, list[float]] = defaultdict(list)
    for key, value in zip(keys, values, strict=True):
        if key is None or key == "" or not is_number(value):
            continue
        totals[cell_text(key)].append(float(value))
    groups = [
        Group(key=k, count=len(v), total=stats.summarize(v).total, mean=stats.summarize(v).mean)
        for k, v in totals.items()
    ]
    groups.sort(key=lambda g: (-g.total, g.key))
    return GroupBy(
        by=by,
        measure=measure,
        groups=groups[:MAX_GROUPS],
        n_groups=len(groups),
        grand_total=sum(g.total for g in groups),
    )


def _period(day: date, granularity: str, is_year: bool) -> str:
    if is_year or granularity == "year":
        return f"{day.year}"
    if granularity == "month":
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def _trend(
    column: Column, is_year: bool, measure: str, dates: Sequence[Any], values: Sequence[Any]
) -> Trend | None:
    pairs = [
        (as_date(d), float(v))
        for d, v in zip(dates, values, strict=True)
        if as_date(d) is not None and is_number(v)
    ]
    if len(pairs) < 2:
        return None
    days = sorted(p[0] for p in pairs if p[0] is not None)
    span = (days[-1] - days[0]).days
    granularity = "day" if span <= 62 else "month" if span <= 3 * 366 else "year"
    if is_year:
        granularity = "year"
    totals: dict[str, float] = defaultdict(float)
    for day, value in pairs:
        assert day is not None
        totals[_period(day, granularity, is_year)] += value
    points = sorted(totals.items())
    if len(points) < 2:
        return None
    trend = Trend(date_column=column.name, measure=measure, period=granularity, points=points)
    (_, previous), (_, last) = points[-2], points[-1]
    trend.change = last - previous
    trend.change_pct = stats.percent_change(previous, last)
    steps = [(points[i][0], points[i][1] - points[i - 1][1]) for i in range(1, len(points))]
    rise = max(steps, key=lambda s: s[1])
    fall = min(steps, key=lambda s: s[1])
    trend.biggest_rise = rise if rise[1] > 0 else None
    trend.biggest_fall = fall if fall[1] < 0 else None
    return trend


def _labels(
    rows: Sequence[tuple[Any, ...]],
    label_index: int | None,
    sheet_rows: Sequence[int],
    with_row: bool,
) -> list[str]:
    """A name for each row; ``with_row`` adds the sheet row where names repeat (a category
    column standing in for a label column: "South (row 7)")."""
    labels = []
    for row, sheet_row in zip(rows, sheet_rows, strict=True):
        value = row[label_index] if label_index is not None else None
        if value in (None, ""):
            labels.append(f"row {sheet_row}")
        else:
            labels.append(f"{cell_text(value)} (row {sheet_row})" if with_row else cell_text(value))
    return labels


def _is_total_row(row: tuple[Any, ...]) -> bool:
    """A subtotal or grand-total row ("North Total", "Grand Total", "Subtotal")."""
    return any(isinstance(v, str) and len(v) <= 40 and _TOTAL.search(v) for v in row)


def _first_data_row(table: SheetTable) -> int:
    """The sheet row of the first data row: below the header, or the range's first row when
    the table has no header (``header_row`` 0)."""
    if table.header_row:
        return table.header_row + 1
    try:
        return int(range_boundaries(table.ref)[1] or 1)
    except ValueError:
        return 1


def _rank_measures(table: SheetTable, roles: list[str], columns: list[ColumnStats]) -> list[int]:
    """Measure columns, the likely headline first: money, then the largest totals (a
    revenue column says more than a count of units)."""

    def key(i: int) -> tuple[int, float]:
        summary = columns[i].summary
        size = abs(summary.total) if summary else 0.0
        return (0 if table.columns[i].type == "currency" else 1, -size)

    return sorted((i for i, r in enumerate(roles) if r == "measure"), key=key)


def analyze_table(chosen: ChosenTable, top_n: int = DEFAULT_TOP_N) -> TableAnalysis | str:
    """The analysis of one table, or the reason it has nothing to analyse."""
    table = chosen.table
    width = len(table.columns)
    padded = [(tuple(r) + (None,) * (width - len(r)))[:width] for r in table.rows]
    kept = [(i, r) for i, r in enumerate(padded) if any(v is not None and v != "" for v in r)]
    total_rows = sum(1 for _, r in kept if _is_total_row(r))
    kept = [(i, r) for i, r in kept if not _is_total_row(r)]
    rows = [r for _, r in kept]
    sheet_rows = [_first_data_row(table) + i for i, _ in kept]
    if not rows:
        return "the table has no data rows"
    series = {i: [r[i] for r in rows] for i in range(len(table.columns))}
    roles = [classify_column(c, series[i]) for i, c in enumerate(table.columns)]
    if "measure" not in roles:
        return "no numeric columns"
    analysis = TableAnalysis(
        sheet=chosen.sheet,
        ref=table.ref,
        label=chosen.label,
        n_rows=len(rows),
        total_rows=total_rows,
        columns=[column_stats(c, roles[i], series[i]) for i, c in enumerate(table.columns)],
    )
    measures = _rank_measures(table, roles, analysis.columns)[:MAX_MEASURES]
    categories = [i for i, r in enumerate(roles) if r == "category"][:MAX_CATEGORIES]
    date_columns = [i for i, r in enumerate(roles) if r == "date"][:1]
    true_labels = [i for i, r in enumerate(roles) if r == "label"]
    label_candidates = true_labels or categories
    label_index = label_candidates[0] if label_candidates else None
    label_name = table.columns[label_index].name if label_index is not None else None
    labels = _labels(rows, label_index, sheet_rows, with_row=not true_labels)
    for m in measures:
        name = table.columns[m].name
        for c in categories:
            analysis.group_bys.append(_group_by(table.columns[c].name, name, series[c], series[m]))
        for d in date_columns:
            column = table.columns[d]
            trend = _trend(column, column.type != "date", name, series[d], series[m])
            if trend:
                analysis.trends.append(trend)
        numbered = [(labels[i], float(v)) for i, v in enumerate(series[m]) if is_number(v)]
        if len(numbered) >= 2:
            n = min(top_n, max(1, len(numbered) // 2))
            ordered = sorted(numbered, key=lambda lv: lv[1], reverse=True)
            analysis.ranked.append(Ranked(name, label_name, ordered[:n], ordered[::-1][:n]))
        positions = [i for i, v in enumerate(series[m]) if is_number(v)]
        for hit in stats.outliers([float(series[m][i]) for i in positions]):
            row_index = positions[hit.index]
            analysis.outliers.append(
                Outlier(
                    measure=name,
                    row=sheet_rows[row_index],
                    label=labels[row_index],
                    value=hit.value,
                    score=hit.score,
                    method=hit.method,
                )
            )
    return analysis


def analyze_document(
    document: Document,
    sheet: str | None = None,
    cell_range: str | None = None,
    top_n: int = DEFAULT_TOP_N,
) -> Analysis:
    """Analyse the largest tables of ``document`` that have numeric columns.

    Raises ``BadInputError`` with the reason when none has, e.g. "no table with numeric
    columns found".
    """
    candidates = choose_tables(document, sheet, cell_range)
    if not candidates:
        where = f"sheet {sheet!r}" if sheet else "the workbook"
        raise BadInputError(
            f"no table found in {where}",
            item=document.source,
            hint="no header row with data rows under it; pick a range with --range A1:F200",
        )
    analysis = Analysis(source=document.source, tables=[])
    for chosen in candidates:
        result = analyze_table(chosen, top_n)
        if isinstance(result, str):
            analysis.skipped.append(f"{chosen.label}: {result}")
        elif len(analysis.tables) < MAX_TABLES:
            analysis.tables.append(result)
        else:
            analysis.skipped.append(
                f"{chosen.label}: left out, the report covers the {MAX_TABLES} largest tables"
            )
    if not analysis.tables:
        raise BadInputError(
            "no table with numeric columns found",
            item=document.source,
            hint=f"looked at {len(candidates)} table(s); pick one with --sheet or --range",
        )
    return analysis
