"""Column roles and per-column statistics of a table, and how its cell values read.

A column is a ``measure`` (numbers to add up), a ``category`` (a few repeated values to
group by), a ``date`` (dates, or a year column), a ``label`` (names or ids of rows) or
``other``; ``analysis.analyze_table`` builds the group-bys, trends and extremes on them.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from connectors.document import Column
from plugin.drafts.report import stats
from plugin.drafts.report.tables import NUMERIC_TYPES

#: More distinct values than this and a text column names rows rather than grouping them.
MAX_CATEGORY_DISTINCT = 25

_ID_NAME = re.compile(r"(^|[\s_#-])(id|no|nr|number|code|key|zip|phone|#)($|[\s_.-])", re.I)
_YEAR_NAME = re.compile(r"\b(year|yr|fy)\b", re.I)


@dataclass(slots=True)
class ColumnStats:
    name: str
    type: str
    role: str  # measure | category | date | label | other
    count: int  # non-empty values
    missing: int
    distinct: int
    summary: stats.Summary | None = None  # measures
    first: str | None = None  # dates: earliest and latest
    last: str | None = None
    most_common: list[tuple[str, int]] = field(default_factory=list)  # categories


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_year_column(column: Column, values: Sequence[Any]) -> bool:
    numbers = [v for v in values if is_number(v)]
    return (
        bool(numbers)
        and bool(_YEAR_NAME.search(column.name))
        and all(float(v).is_integer() and 1800 <= v <= 2200 for v in numbers)
    )


def classify_column(column: Column, values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None and v != ""]
    distinct = len({str(v) for v in present})
    if not present:
        return "other"
    if column.type == "date" or _is_year_column(column, present):
        return "date"
    if column.type in NUMERIC_TYPES:
        numbers = [v for v in present if is_number(v)]
        if _ID_NAME.search(column.name) and distinct == len(present):
            return "label"
        return "measure" if len(numbers) >= max(2, len(present) // 2) else "other"
    if column.type in {"text", "bool"}:
        if 2 <= distinct <= MAX_CATEGORY_DISTINCT and distinct < len(present):
            return "category"
        return "label"
    return "other"


def cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else (value.isoformat(sep=" ", timespec="minutes"))
        )
    if isinstance(value, date):
        return value.isoformat()
    if is_number(value):
        return stats.format_number(float(value))
    return str(value).strip()


def column_stats(column: Column, role: str, values: Sequence[Any]) -> ColumnStats:
    present = [v for v in values if v is not None and v != ""]
    out = ColumnStats(
        name=column.name,
        type=column.type,
        role=role,
        count=len(present),
        missing=len(values) - len(present),
        distinct=len({cell_text(v) for v in present}),
    )
    if role == "measure":
        out.summary = stats.summarize([float(v) for v in present if is_number(v)])
    elif role == "date":
        moments = sorted(d for d in map(as_date, present) if d is not None)
        if moments:
            out.first, out.last = moments[0].isoformat(), moments[-1].isoformat()
    elif role == "category":
        counts: dict[str, int] = defaultdict(int)
        for v in present:
            counts[cell_text(v)] += 1
        out.most_common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return out


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_number(value) and float(value).is_integer() and 1800 <= value <= 2200:
        return date(int(value), 1, 1)
    return None


__all__ = [
    "ColumnStats",
    "as_date",
    "cell_text",
    "classify_column",
    "column_stats",
    "is_number",
]
