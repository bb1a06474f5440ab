"""Free/busy from an iCalendar file, for users whose calendar is an export or a feed file.

``IcsCalendar(path).busy_intervals(start, end)`` answers like the EWS and Graph calendars
(``connectors.calendar.CalendarSource``): sorted, merged, aware UTC intervals. Transparent
events (``TRANSP:TRANSPARENT``), cancelled ones and all-day events do not block time;
recurring events are expanded with their RRULE inside the asked window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from connectors.calendar import BusyInterval, merge_intervals
from connectors.errors import BadInputError

MAX_BYTES = 20 * 1024 * 1024
_MAX_OCCURRENCES = 5000


class IcsCalendar:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(str(path).removeprefix("ics:")).expanduser()
        if not self.path.is_file():
            raise BadInputError("the calendar file does not exist", item=str(self.path))
        if self.path.stat().st_size > MAX_BYTES:
            raise BadInputError(
                f"the calendar file is larger than {MAX_BYTES >> 20} MB", item=str(self.path)
            )

    def _events(self) -> list[Any]:
        import icalendar

        try:
            calendar = icalendar.Calendar.from_ical(self.path.read_bytes())
        except (ValueError, IndexError, KeyError) as exc:
            raise BadInputError(
                f"not a readable iCalendar file: {exc}", item=str(self.path)
            ) from None
        return list(calendar.walk("VEVENT"))

    def busy_intervals(self, start: datetime, end: datetime) -> list[BusyInterval]:
        busy: list[BusyInterval] = []
        for event in self._events():
            if (
                str(event.get("TRANSP", "")).upper() == "TRANSPARENT"
                or str(event.get("STATUS", "")).upper() == "CANCELLED"
            ):
                continue
            try:
                first = event.decoded("DTSTART")
            except KeyError:
                continue
            if not isinstance(first, datetime):
                continue  # all-day items do not block time
            first = _aware(first)
            length = _length(event, first)
            for occurrence in _occurrences(event, first, start - length, end):
                if occurrence < end and occurrence + length > start:
                    busy.append((occurrence, occurrence + length))
        return merge_intervals(busy)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _length(event: Any, first: datetime) -> timedelta:
    if "DTEND" in event:
        last = event.decoded("DTEND")
        if isinstance(last, datetime):
            last = _aware(last)
            return max(last - first, timedelta(0))
    if "DURATION" in event:
        return event.decoded("DURATION")
    return timedelta(0)


def _occurrences(
    event: Any, first: datetime, window_start: datetime, window_end: datetime
) -> list[datetime]:
    if "RRULE" not in event:
        return [first]
    from dateutil.rrule import rrulestr

    rule_text = event["RRULE"].to_ical().decode()
    try:
        rule = rrulestr(rule_text, dtstart=first)
    except (ValueError, TypeError):
        return [first]
    exdates = event.get("EXDATE") or []
    exdates = exdates if isinstance(exdates, list) else [exdates]
    excluded = {
        _aware(value.dt)
        for exdate in exdates
        for value in exdate.dts
        if isinstance(value.dt, datetime)
    }
    found = []
    for occurrence in rule.between(window_start, window_end, inc=True):
        if occurrence not in excluded:
            found.append(occurrence)
        if len(found) >= _MAX_OCCURRENCES:
            break
    return found


__all__ = ["IcsCalendar"]
