"""Conflicts with the user's calendar, and the nearest free slots instead.

The calendar is anything with ``busy_intervals(start, end) -> [(start, end), ...]``
(``connectors.calendar.CalendarSource``: EWS or Graph free/busy). Only timed meetings are
checked; all-day items and deadlines do not block time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from plugin.drafts.calendar.cues import Suggestion

DEFAULT_MINUTES = 30
WORK_START, WORK_END = time(8, 0), time(18, 0)
STEP = timedelta(minutes=30)


class BusyCalendar(Protocol):
    def busy_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]: ...


def _overlaps(start: datetime, end: datetime, busy: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(start < busy_end and busy_start < end for busy_start, busy_end in busy)


def _candidates(start: datetime, length: timedelta, days: int) -> list[datetime]:
    zone = start.tzinfo
    first_day = start.date() - timedelta(days=days)
    out: list[datetime] = []
    for offset in range(2 * days + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        moment = datetime.combine(day, WORK_START, tzinfo=zone)
        closing = datetime.combine(day, WORK_END, tzinfo=zone)
        while moment + length <= closing:
            out.append(moment)
            moment += STEP
    return out


def free_slots(
    start: datetime,
    end: datetime,
    busy: Sequence[tuple[datetime, datetime]],
    *,
    not_before: datetime | None = None,
    count: int = 3,
    days: int = 5,
) -> list[tuple[datetime, datetime]]:
    """The ``count`` free working-hour slots of the same length nearest to ``start``."""
    length = end - start
    found = [
        candidate
        for candidate in _candidates(start, length, days)
        if not _overlaps(candidate, candidate + length, busy)
        and (not_before is None or candidate >= not_before)
    ]
    found.sort(key=lambda candidate: (abs(candidate - start), candidate))
    return [(candidate, candidate + length) for candidate in found[:count]]


def mark_conflicts(
    suggestions: list[Suggestion],
    calendar: Any,
    *,
    reference: datetime | None = None,
    days: int = 5,
) -> None:
    """Set ``conflict`` and ``free_slots`` on each timed meeting, asking ``calendar`` once."""
    timed = [
        s
        for s in suggestions
        if s.kind == "meeting" and not s.mention.all_day and isinstance(s.mention.start, datetime)
    ]
    if not timed:
        return
    window_start = min(s.mention.start for s in timed) - timedelta(days=days + 1)  # type: ignore[type-var]
    window_end = max(s.mention.start for s in timed) + timedelta(days=days + 1)  # type: ignore[type-var]
    busy = list(calendar.busy_intervals(window_start, window_end))
    for suggestion in timed:
        start = suggestion.mention.start
        assert isinstance(start, datetime)
        end = suggestion.mention.end
        if not isinstance(end, datetime) or end <= start:
            end = start + timedelta(minutes=DEFAULT_MINUTES)
        suggestion.conflict = _overlaps(start, end, busy)
        suggestion.free_slots = [
            {"start": slot_start.isoformat(), "end": slot_end.isoformat()}
            for slot_start, slot_end in (
                free_slots(start, end, busy, not_before=reference, days=days)
                if suggestion.conflict
                else []
            )
        ]
