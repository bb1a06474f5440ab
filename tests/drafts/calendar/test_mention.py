"""The mention record and its wall-time arithmetic."""

from __future__ import annotations

from datetime import date, datetime

from plugin.drafts.calendar.mention import TimeMention, localize, on_day
from tests.drafts.calendar.helpers import CHICAGO, at


def mention(start: date | datetime, end: date | datetime | None) -> TimeMention:
    return TimeMention(
        start=start,
        end=end,
        all_day=not isinstance(start, datetime),
        zone=CHICAGO,
        zone_explicit=False,
        span_start=0,
        span_end=6,
        text="Friday",
        confidence=0.5,
    )


def test_localize_keeps_ordinary_times() -> None:
    assert localize(date(2026, 7, 1), (14, 0), CHICAGO) == at(2026, 7, 1, 14)


def test_a_spring_forward_gap_moves_forward_by_the_gap() -> None:
    # DST starts Sunday 14 March 2027 at 02:00: 02:30 does not exist on the wall.
    assert localize(date(2027, 3, 14), (2, 30), CHICAGO) == at(2027, 3, 14, 3, 30)


def test_a_day_mention_is_past_only_when_its_whole_day_is() -> None:
    friday = mention(date(2026, 11, 27), None)
    assert not friday.is_before(at(2026, 11, 27, 17))
    assert friday.is_before(at(2026, 11, 28, 8))
    assert friday.to_json()["evidence"] == {"start": 0, "end": 6, "text": "Friday"}
    assert friday.start_date() == date(2026, 11, 27)


def test_a_mention_moved_to_another_day_keeps_its_wall_clock_and_length() -> None:
    # across the spring-forward night of 14 March 2027 the wall clock stays 14:00-15:30
    moved = on_day(mention(at(2027, 3, 12, 14), at(2027, 3, 12, 15, 30)), date(2027, 3, 15))
    assert (moved.start, moved.end) == (at(2027, 3, 15, 14), at(2027, 3, 15, 15, 30))
    span = on_day(mention(date(2026, 12, 2), date(2026, 12, 5)), date(2026, 12, 9))
    assert (span.start, span.end) == (date(2026, 12, 9), date(2026, 12, 12))
