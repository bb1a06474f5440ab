"""Bare weekdays placed by the dates and weeks named before them in the passage."""

from __future__ import annotations

from datetime import date

from plugin.drafts.calendar.parse import extract_times
from tests.drafts.calendar.helpers import WEDNESDAY, at


def test_bare_weekdays_after_a_date_well_ahead_are_the_days_from_it() -> None:
    plan = extract_times(
        "The plan is to travel on Monday, June 14, 2027, arriving on Tuesday. Meetings "
        "take place Wednesday through Saturday, with departures on Sunday.",
        WEDNESDAY,
    )
    assert [(m.text, m.start) for m in plan] == [
        ("Monday, June 14, 2027", date(2027, 6, 14)),
        ("Tuesday", date(2027, 6, 15)),
        ("Wednesday through Saturday", date(2027, 6, 16)),
        ("Sunday", date(2027, 6, 20)),
    ]
    # a weekday within the dated days is that day: "June 12th - 13th ... Sat night"
    camp = extract_times("The campout is June 12th - 13th. Dinner is Sat night.", WEDNESDAY)
    assert camp[-1].start == at(2027, 6, 12, 19)
    # the week ahead again, a blank line, or a date not well ahead: the weekday is this week's
    for text in (
        "We go live on January 14th. I am out next week. Do you have time on Friday?",
        "We go live on January 14th.\n\nDo you have time on Friday?",
        "We met on November 20. Do you have time on Friday?",
    ):
        assert extract_times(text, WEDNESDAY)[-1].start == date(2026, 11, 27), text


def days_of(text: str) -> list[tuple[str, date]]:
    return [(m.text, m.start_date()) for m in extract_times(text, WEDNESDAY)]


def test_a_list_after_next_weeks_weekday_stays_in_that_week() -> None:
    assert days_of("They would like to do the training next Wed, Thur, or Fri.") == [
        ("next Wed", date(2026, 12, 2)),
        ("Thur", date(2026, 12, 3)),
        ("Fri.", date(2026, 12, 4)),
    ]
    # a list running past Sunday goes on into the week after
    assert days_of("next Friday or Monday") == [
        ("next Friday", date(2026, 12, 4)),
        ("Monday", date(2026, 12, 7)),
    ]


def test_next_weeks_weekday_named_again_is_the_same_day() -> None:
    # said on a Wednesday, a bare Thursday or Friday is this week's
    hint = extract_times(
        "She will be at the Hyatt on next Thursday and has no plans Thursday evening.",
        WEDNESDAY,
    )
    assert hint[-1].start == at(2026, 12, 3, 18)
    call = extract_times(
        "Could we schedule a call on Friday of next week? I am available after 2:30 on "
        "Friday and I am wide open on Thursday.",
        WEDNESDAY,
    )
    assert call[1].start == at(2026, 12, 4, 14, 30)
    # another weekday is not placed by it: the week ahead is as likely ("class on Thursday
    # and next Tuesday … when I meet her on Friday")
    assert call[2].start == date(2026, 11, 26)


def test_weekdays_before_their_week_and_named_again_are_all_in_it() -> None:
    days = days_of(
        "The group will be here on Thursday and Friday of next week. They would also like "
        "a demo (also Thursday or Friday). Please send the best times on Thursday and "
        "Friday."
    )
    assert [day for _text, day in days] == [date(2026, 12, 3), date(2026, 12, 4)] * 3


def test_a_written_date_places_the_weekdays_after_it_instead() -> None:
    days = days_of(
        "They will switch by next Thursday, Dec. 3, or even earlier. I read this to mean no "
        "later than Thursday, Dec. 10. If they believe we are leaving by Thursday, they will "
        "do nothing."
    )
    assert days[-1] == ("Thursday", date(2026, 12, 10))
