"""The record of one resolved date/time phrase, and the wall-time arithmetic it rests on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from plugin.drafts.calendar.zones import zone_label


@dataclass(frozen=True, slots=True)
class TimeMention:
    """One resolved date/time phrase. All-day mentions carry ``date`` values, end exclusive."""

    start: datetime | date
    end: datetime | date | None
    all_day: bool
    zone: tzinfo
    zone_explicit: bool
    span_start: int
    span_end: int
    text: str
    confidence: float
    #: Written as a deadline ("EOD", "COB", "end of the week").
    deadline_hint: bool = False
    #: False for a clock time with no day written ("at 3pm"), placed on the reference day.
    dated: bool = True
    #: The clock time is a guess from a part of the day ("tomorrow morning" → 09:00).
    vague_time: bool = False
    #: A calendar date was written out ("Dec 3", "12/3"), not only a weekday or "tomorrow".
    explicit_date: bool = False
    #: The part of the day written with it ("night" in "Thursday night at 7:30"), or "".
    day_part: str = ""
    #: The clock time was written without am/pm ("at 7:30"): its half of the day is a guess.
    clock_guessed: bool = False

    @property
    def timezone(self) -> str:
        return zone_label(self.zone, self.start if isinstance(self.start, datetime) else None)

    def start_date(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    def is_before(self, reference: datetime) -> bool:
        """Whether the mention lies wholly before the reference day (a past event)."""
        if isinstance(self.start, datetime):
            return self.start < reference - timedelta(minutes=1)
        return self.start < reference.astimezone(self.zone).date()

    def to_json(self) -> dict[str, Any]:
        def iso(value: datetime | date | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "start": iso(self.start),
            "end": iso(self.end),
            "all_day": self.all_day,
            "timezone": self.timezone,
            "evidence": {
                "start": self.span_start,
                "end": self.span_end,
                "text": self.text,
            },
            "confidence": round(self.confidence, 2),
        }


def localize(day: date, clock: tuple[int, int], zone: tzinfo) -> datetime:
    """The aware datetime for a wall time, shifting times that fall in a DST gap forward."""
    naive = datetime.combine(day, time(clock[0] % 24, clock[1]))
    aware = naive.replace(tzinfo=zone, fold=0)
    # fold=0 resolves a gap with the pre-transition offset; the UTC round trip then lands
    # on the wall time after the gap (02:30 → 03:30), which is what a calendar shows.
    return aware.astimezone(UTC).astimezone(zone)


def on_day(mention: TimeMention, day: date) -> TimeMention:
    """The mention moved to ``day``: the same wall-clock time and the same length."""
    days = timedelta(days=(day - mention.start_date()).days)
    start = (
        localize(day, (mention.start.hour, mention.start.minute), mention.zone)
        if isinstance(mention.start, datetime)
        else day
    )
    return replace(
        mention, start=start, end=mention.end + days if mention.end is not None else None
    )
