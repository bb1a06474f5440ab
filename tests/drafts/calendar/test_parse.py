"""Date/time extraction against fixed Date headers and zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugin.drafts.calendar.parse import extract_times
from tests.drafts.calendar.helpers import WEDNESDAY, at, only


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Can we meet next Tuesday at 3?", at(2026, 12, 1, 15)),
        ("Let's talk Tuesday at 3pm", at(2026, 12, 1, 15)),
        ("this Friday at 10:30 am", at(2026, 11, 27, 10, 30)),
        ("tomorrow morning", at(2026, 11, 26, 9)),
        ("tomorrow afternoon", at(2026, 11, 26, 14)),
        ("this afternoon", at(2026, 11, 25, 14)),
        ("tonight", at(2026, 11, 25, 19)),
        ("EOD Friday", at(2026, 11, 27, 17)),
        ("by COB tomorrow", at(2026, 11, 26, 17)),
        ("Oct 16 at 2:30pm CST", at(2026, 10, 16, 14, 30)),  # 40 days back: this year's, a past one
        ("Jul 16 at 2:30pm CST", at(2027, 7, 16, 14, 30)),  # over 90 days back: next year's
        ("Dec 3 at 2:30pm EST", at(2026, 12, 3, 14, 30, ZoneInfo("America/New_York"))),
        ("Friday, December 4th @ 11:00 a.m.", at(2026, 12, 4, 11)),
        ("Monday, November 1st, from 2.00 pm onwards", at(2027, 11, 1, 14)),
        ("12/10 at noon", at(2026, 12, 10, 12)),
        ("on 2026-12-10 at 14:00", at(2026, 12, 10, 14)),
        ("the 16th of December at 14:00 GMT", at(2026, 12, 16, 14, 0, ZoneInfo("UTC"))),
        ("at 9 Central Standard Time on Dec 2", at(2026, 12, 2, 9)),
        (
            "at 10am W. Europe Standard Time on Dec 3",
            at(2026, 12, 3, 10, 0, ZoneInfo("Europe/Berlin")),
        ),
        (
            "at 3:00 Pacific time on Monday",
            at(2026, 11, 30, 15, 0, ZoneInfo("America/Los_Angeles")),
        ),
        ("Monday 8:30", at(2026, 11, 30, 8, 30)),
        ("at 1:45 PM today", at(2026, 11, 25, 13, 45)),
        ("next Wednesday 9-19-01 at 2 pm", at(2001, 9, 19, 14)),
    ],
)
def test_timed_expressions(text: str, start: datetime) -> None:
    mention = only(text)
    assert mention.start == start
    assert not mention.all_day
    assert text[mention.span_start : mention.span_end] == mention.text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("in two weeks", date(2026, 12, 9)),
        ("in 3 days", date(2026, 11, 28)),
        ("in a month", date(2026, 12, 25)),
        ("two weeks from today", date(2026, 12, 9)),
        ("the day after tomorrow", date(2026, 11, 27)),
        ("Tuesday", date(2026, 12, 1)),
        ("this Wednesday", date(2026, 11, 25)),  # today
        ("Wednesday", date(2026, 12, 2)),  # said on a Wednesday: next week's
        ("next Friday", date(2026, 12, 4)),  # the Friday of next week
        ("last Monday", date(2026, 11, 23)),
        ("this past Wednesday", date(2026, 11, 18)),  # behind us, though said as "this"
        ("the past Friday", date(2026, 11, 20)),
        ("previous Tuesday", date(2026, 11, 24)),
        ("January 5", date(2027, 1, 5)),  # next January, not ten months ago
        ("Nov. 22", date(2026, 11, 22)),
        ("by the end of the week", date(2026, 11, 27)),
        ("end of the month", date(2026, 11, 30)),
        ("tues, 8/10", date(2027, 8, 10)),  # the next 10 August that is a Tuesday
        ("Saturday, October 30th", date(2027, 10, 30)),  # the weekday picks the year
        # ... within two years; further away the weekday is a slip and the date decides
        ("Tuesday, October 30th", date(2026, 10, 30)),
        ("Saturday, Jan. 5", date(2027, 1, 5)),
        ("Tuesday, October 30th, 2001", date(2001, 10, 30)),
        ("10/30/01", date(2001, 10, 30)),
        ("25/12", date(2026, 12, 25)),  # day first is the only reading
    ],
)
def test_day_expressions(text: str, day: date) -> None:
    mention = only(text)
    assert mention.all_day
    assert mention.start == day
    assert mention.end == day + timedelta(days=1)


def test_weekday_written_beside_a_date_picks_the_year() -> None:
    # 10 August was a Tuesday in 2004 and 1999, not in 2002 or 2003.
    mention = only("meeting confirmation - tues, 8/10", reference=at(2003, 8, 1, 9))
    assert mention.start == date(2004, 8, 10)
    assert mention.confidence > only("8/10", reference=at(2003, 8, 1, 9)).confidence


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2-3pm Thursday", at(2026, 11, 26, 14), at(2026, 11, 26, 15)),
        ("Thursday 11-1pm", at(2026, 11, 26, 11), at(2026, 11, 26, 13)),
        ("between 2 and 3pm on Monday", at(2026, 11, 30, 14), at(2026, 11, 30, 15)),
        ("Tuesday, December 1st from 9:00 am - 10:00 am", at(2026, 12, 1, 9), at(2026, 12, 1, 10)),
        ("Dec 2 from 3:00 pm til 5:00 pm", at(2026, 12, 2, 15), at(2026, 12, 2, 17)),
        ("Dec 2 in ECN32c2 from 3-4", at(2026, 12, 2, 15), at(2026, 12, 2, 16)),
        (
            "January 18 at 8:00 a.m. to approximately 1:00 p.m.",
            at(2027, 1, 18, 8),
            at(2027, 1, 18, 13),
        ),
        ("Friday at 10am for 30 minutes", at(2026, 11, 27, 10), at(2026, 11, 27, 10, 30)),
        (
            "call Friday at 10am for an hour and a half",
            at(2026, 11, 27, 10),
            at(2026, 11, 27, 11, 30),
        ),
        ("a 45-minute call Monday at 4pm", at(2026, 11, 30, 16), at(2026, 11, 30, 16, 45)),
    ],
)
def test_ranges_and_durations(text: str, start: datetime, end: datetime) -> None:
    mention = only(text)
    assert (mention.start, mention.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "first", "last_exclusive"),
    [
        ("out Monday to Wednesday", date(2026, 11, 30), date(2026, 12, 3)),
        ("Monday - Wednesday", date(2026, 11, 30), date(2026, 12, 3)),
        ("Dec 14-16", date(2026, 12, 14), date(2026, 12, 17)),
        ("14-16 December", date(2026, 12, 14), date(2026, 12, 17)),
    ],
)
def test_all_day_spans(text: str, first: date, last_exclusive: date) -> None:
    mention = only(text)
    assert mention.all_day and (mention.start, mention.end) == (first, last_exclusive)


def test_alternatives_are_separate_mentions() -> None:
    mentions = extract_times("Friday at noon or Monday 11:30", WEDNESDAY)
    assert [m.start for m in mentions] == [at(2026, 11, 27, 12), at(2026, 11, 30, 11, 30)]


@pytest.mark.parametrize(
    "text",
    [
        "Call me at 713-345-6687.",
        "We sold 3-4 units.",
        "It costs $5.00 and 1/2 of it is tax.",
        "The ratio is 50/50.",
        "Good morning!",
        "Version 2.5 is out.",
        "you may 2 do it",
        "<<PGL via Northern Border for June 01>>",
    ],
)
def test_no_false_mentions(text: str) -> None:
    assert extract_times(text, WEDNESDAY) == []


def test_evidence_offsets_point_into_the_text() -> None:
    text = "Hello.\nPlease join the review on Thursday, December 3 at 2:30 pm in EB 3267."
    mention = only(text)
    assert text[mention.span_start : mention.span_end] == "Thursday, December 3 at 2:30 pm"
    assert mention.to_json()["evidence"] == {
        "start": mention.span_start,
        "end": mention.span_end,
        "text": mention.text,
    }


def test_date_header_offset_is_the_default_zone() -> None:
    reference = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    mention = only("tomorrow at 10am", reference)
    assert mention.start == datetime(2026, 11, 26, 10, tzinfo=timezone(timedelta(hours=-5)))
    assert mention.timezone == "UTC-05:00"


def test_sender_zone_overrides_the_header_offset() -> None:
    reference = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 07:00 in Los Angeles
    mention = only("today at 9am", reference, "America/Los_Angeles")
    assert mention.start == at(2026, 11, 25, 9, 0, ZoneInfo("America/Los_Angeles"))
    assert mention.timezone == "America/Los_Angeles"


def test_reference_day_depends_on_the_sender_zone() -> None:
    # 02:00 UTC on Thursday is still Wednesday evening in Chicago.
    reference = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert only("tomorrow", reference, "America/Chicago").start == date(2026, 11, 26)
    assert only("tomorrow", reference, "Europe/Berlin").start == date(2026, 11, 27)


def test_clock_time_alone_rolls_to_tomorrow_once_passed() -> None:
    assert only("at 8:30am", WEDNESDAY).start == at(2026, 11, 26, 8, 30)
    assert only("at 4pm", WEDNESDAY).start == at(2026, 11, 25, 16)
    assert not only("at 4pm", WEDNESDAY).dated


def test_spring_forward_gap_moves_forward() -> None:
    reference = at(2027, 3, 10, 9)  # Wednesday; DST starts Sunday 14 March 2027 at 02:00
    mention = only("Sunday at 2:30am", reference)
    assert mention.start.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]
    assert (mention.start.hour, mention.start.minute) == (3, 30)  # type: ignore[union-attr]


def test_fall_back_repeated_hour_is_the_first() -> None:
    reference = at(2026, 10, 28, 9)  # DST ends Sunday 1 November 2026 at 02:00
    mention = only("Sunday at 1:30am", reference)
    assert mention.start.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]


def test_offsets_follow_dst_across_the_change() -> None:
    before = only("Saturday at 10am", at(2026, 10, 28, 9))
    after = only("next Monday at 10am", at(2026, 10, 28, 9))
    assert before.start.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]
    assert after.start.utcoffset() == timedelta(hours=-6)  # type: ignore[union-attr]


def test_naive_reference_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        extract_times("tomorrow", datetime(2026, 11, 25, 9))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789:/-.,() apmAPMonTuesdayDec")), max_size=80))
def test_any_text_gives_valid_spans(text: str) -> None:
    for mention in extract_times(text, WEDNESDAY):
        assert 0 <= mention.span_start < mention.span_end <= len(text)
        assert text[mention.span_start : mention.span_end] == mention.text
        if mention.end is not None:
            assert mention.end > mention.start  # type: ignore[operator]


def test_this_time_next_week_is_a_week_ahead() -> None:
    assert only("ready by this time next week").start == date(2026, 12, 2)
    assert only("same time next week?").start == date(2026, 12, 2)


def test_a_part_of_the_day_before_the_week_it_is_in() -> None:
    mention = only("Can we meet Friday morning next week?")
    assert (mention.start, mention.day_part) == (at(2026, 12, 4, 9), "morning")
    assert only("Friday evening next week at 7").start == at(2026, 12, 4, 19)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # A weekday with a day of the month and no month: the first such day from a week
        # back on (the reference is Wednesday 25 November 2026).
        ("Can we meet Thursday the 3rd?", date(2026, 12, 3)),
        ("Wednesday 30th: office tour", date(2026, 12, 30)),
        ("Tuesday: 29th dinner", date(2026, 12, 29)),
        ("Friday, the 4th", date(2026, 12, 4)),
        ("Monday the 23rd", date(2026, 11, 23)),  # two days back: this month's
        ("Saturday the 13th", date(2027, 2, 13)),
        # No Thursday the 30th within half a year: the weekday alone.
        ("Thursday the 30th", date(2026, 11, 26)),
    ],
)
def test_a_weekday_with_a_day_of_the_month(text: str, day: date) -> None:
    assert only(text).start == day


def test_today_or_tomorrow_beside_its_written_date_is_one_day() -> None:
    mention = only("an all-employee meeting tomorrow, January 23, at the Hyatt")
    assert (mention.text, mention.start) == ("tomorrow, January 23", date(2027, 1, 23))
    assert only("tomorrow (Dec 2) at 3pm").start == at(2026, 12, 2, 15)
    # ... and beside its weekday, with or without the written date
    call = only("a call scheduled for tomorrow, Thursday from 10:00-10:30")
    assert (call.text, call.start) == ("tomorrow, Thursday from 10:00-10:30", at(2026, 11, 26, 10))
    assert only("tomorrow, Thursday, November 26 at 9am").start == at(2026, 11, 26, 9)
    # said on a Wednesday, "today, Wednesday" is today, not next week's Wednesday
    assert only("today, Wednesday at 2pm").start == at(2026, 11, 25, 14)
    assert len(extract_times("tomorrow or next Thursday", WEDNESDAY)) == 2


def test_a_day_of_the_month_alone_is_the_next_such_day() -> None:
    talk = only("Let's talk about this on the 4th or 5th.")
    assert (talk.text, talk.start) == ("the 4th", date(2026, 12, 4))
    assert only("Reviews are due by the 30th at noon.").start == at(2026, 11, 30, 12)
    assert only("See you on the 25th.").start == date(2026, 11, 25)  # today
    for text in ("on the 4th floor", "in the 3rd quarter", "for the 2nd time", "the 5th of"):
        assert not [m.text for m in extract_times(text, WEDNESDAY) if "the" in m.text], text


def test_am_or_pm_after_a_day_is_its_morning_or_afternoon() -> None:
    assert only("Wednesday PM may work well for the group.").start == at(2026, 12, 2, 14)
    assert only("Could we meet Friday AM?").start == at(2026, 11, 27, 9)
    assert only("tomorrow a.m. please").start == at(2026, 11, 26, 9)
    assert only("on Monday am I free?").all_day  # a lower-case "am" is a verb


def test_a_dash_after_a_weekday_sets_off_its_date() -> None:
    floor = only("Please plan to join him as follows:  Tuesday - April 6, 2027 at 11:00 A.M.")
    assert (floor.start, floor.end) == (at(2027, 4, 6, 11), None)
    assert only("Lights in the Heights is this Saturday - December 12th").start == date(
        2026, 12, 12
    )
    # two weekdays with a dash stay a span
    assert only("Monday - Friday").end == date(2026, 12, 5)


def test_the_end_of_the_business_day_spelt_out_is_one_moment() -> None:
    cob = only("Please let me know by close of business (5:00 pm CDT) tomorrow.")
    assert (cob.text, cob.start, cob.deadline_hint) == (
        "close of business (5:00 pm CDT) tomorrow",
        at(2026, 11, 26, 17),
        True,
    )
    assert only("Please reply by COB (4pm) Friday.").start == at(2026, 11, 27, 16)


def test_a_fraction_before_a_unit_is_not_a_date() -> None:
    assert extract_times("I will take a 1/2 day of vacation on Friday.", WEDNESDAY)[0].text == (
        "Friday"
    )
    assert len(extract_times("a 1/2 hour call", WEDNESDAY)) == 0
    # ... nor one before a share ("a 2/3's vote"), unless it has a year
    for text in ("The bill would require a 2/3's vote.", "It needs a 2/3 majority."):
        assert extract_times(text, WEDNESDAY) == [], text
    assert only("Enron has a 1/17/92 Interest Rate master.").start == date(1992, 1, 17)


def test_a_time_range_after_a_move_verb_is_the_old_time_and_the_new() -> None:
    moved = extract_times("We moved the PRC from 8:00 am to 11:00 am.", WEDNESDAY)
    assert [m.text for m in moved] == ["8:00 am", "11:00 am"]
    kept = only("The meeting was rescheduled for Friday from 8:30 to 10:00.")
    assert (kept.start, kept.end) == (at(2026, 11, 27, 8, 30), at(2026, 11, 27, 10))


def test_a_move_from_one_day_to_another_is_two_days_not_a_span() -> None:
    moved = extract_times("Let's move the call from Wednesday to Thursday.", WEDNESDAY)
    assert [(m.text, m.start) for m in moved] == [
        ("Wednesday", date(2026, 12, 2)),
        ("Thursday", date(2026, 11, 26)),
    ]
    span = only("I will be out from Monday to Wednesday.")
    assert (span.start, span.end) == (date(2026, 11, 30), date(2026, 12, 3))


def test_the_minutes_of_a_clock_time_are_not_a_day_of_the_month() -> None:
    mentions = extract_times("dec. 5  at 3:15 dec. 10  at 3:45  dentist appts.", WEDNESDAY)
    assert [m.start for m in mentions] == [at(2026, 12, 5, 15, 15), at(2026, 12, 10, 15, 45)]
    assert only("3:15 dec. 10").start == at(2026, 12, 10, 15, 15)
    assert only("the 10 Dec review").start == date(2026, 12, 10)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # The week named after the day (the reference is Wednesday 2026-11-25).
        ("Tuesday of next week", date(2026, 12, 1)),
        ("shall we say Tuesday next week?", date(2026, 12, 1)),
        ("Wednesday, next week", date(2026, 12, 2)),
        ("Monday of the following week", date(2026, 11, 30)),
        ("Friday of this week", date(2026, 11, 27)),
        # Day and month joined by a hyphen, as spreadsheets and travel agents write them.
        ("your flight Fri 11-Dec", date(2026, 12, 11)),
        ("due 21-Dec", date(2026, 12, 21)),
        ("valid until 04-Jan-27", date(2027, 1, 4)),
        ("filed 3-Dec-2026", date(2026, 12, 3)),
    ],
)
def test_more_ways_of_writing_a_day(text: str, day: date) -> None:
    assert only(text).start == day


def test_two_days_of_one_event_before_the_month_are_one_span() -> None:
    mention = only("can you stay with the kids on the 16th and 17th of December?")
    assert (mention.start, mention.end) == (date(2026, 12, 16), date(2026, 12, 18))


def test_a_refused_reading_does_not_hide_the_one_beside_it() -> None:
    # "11 - 9:00" is no clock range; the range "9:00-10:00 AM" starts inside it.
    mention = only("Attend our clinic:  December 11 -    9:00 -10:00 AM  EB572")
    assert (mention.start, mention.end) == (at(2026, 12, 11, 9), at(2026, 12, 11, 10))
