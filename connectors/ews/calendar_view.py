"""Busy time from the Exchange calendar (FindItem with a CalendarView)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connectors.calendar import BusyInterval, merge_intervals, require_aware
from connectors.ews.errors import Backoff

#: LegacyFreeBusyStatus values that block time.
BUSY_STATUSES = {"Busy", "Tentative", "OOF", "NoData"}


def busy_intervals(
    account: Any, backoff: Backoff, start: datetime, end: datetime
) -> list[BusyInterval]:
    from exchangelib import EWSDateTime

    require_aware(start, end)

    def read() -> list[Any]:
        view = account.calendar.view(
            start=EWSDateTime.from_datetime(start.astimezone(UTC)),
            end=EWSDateTime.from_datetime(end.astimezone(UTC)),
        ).only("start", "end", "legacy_free_busy_status", "is_cancelled")
        return list(view)

    intervals: list[BusyInterval] = []
    for item in backoff.call("calendar view", read):
        if isinstance(item, Exception) or getattr(item, "is_cancelled", False):
            continue
        if (item.legacy_free_busy_status or "Busy") not in BUSY_STATUSES:
            continue
        s, e = _aware(item.start), _aware(item.end)
        if s and e:
            intervals.append((max(s, start.astimezone(UTC)), min(e, end.astimezone(UTC))))
    return merge_intervals(intervals)


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):  # an all-day item's EWSDate
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(value.timestamp(), UTC)
