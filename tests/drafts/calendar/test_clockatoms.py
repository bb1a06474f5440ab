"""Clock-time atoms (``clockatoms``), read through ``parse.extract_times``."""

from __future__ import annotations

from datetime import datetime

import pytest

from plugin.drafts.calendar.parse import extract_times
from tests.drafts.calendar.helpers import CHICAGO, WEDNESDAY, at, only


@pytest.mark.parametrize(
    "text",
    [
        "Sean has been moving more midc to cob or visa versa to avoid congestion.",
        "We serve several counterparties from our COB position with BPA.",
        "Last 5-day average for COB NYMEX contract.",
    ],
)
def test_cob_the_trading_hub_is_no_time(text: str) -> None:
    assert extract_times(text, WEDNESDAY, CHICAGO) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Money must be to me by COB Friday.", at(2026, 11, 27, 17)),
        ("Please send it COB tomorrow.", at(2026, 11, 26, 17)),
        ("I need the numbers before COB.", at(2026, 11, 25, 17)),
    ],
)
def test_cob_after_a_deadline_word_or_before_a_day_is_the_end_of_the_day(
    text: str, start: object
) -> None:
    assert [m.start for m in extract_times(text, WEDNESDAY, CHICAGO)] == [start]


@pytest.mark.parametrize(
    "text",
    [
        "c) 1 501D5A - Janet/Chris - $25M",
        "upgrade mailsweeper servers NAHOU-MSMSW03P and NAHOU-MSMSW06P",
        "created by TCOAPPS in the DB2P subsystem",
    ],
)
def test_a_clock_inside_a_word_is_a_model_or_a_server_name(text: str) -> None:
    assert extract_times(text, WEDNESDAY, CHICAGO) == []


def test_a_clock_after_a_space_or_a_sign_stays() -> None:
    for text in ("see you 9a-5p tomorrow", "call me @5p tomorrow", "(5P tomorrow)"):
        [found] = extract_times(text, WEDNESDAY, CHICAGO)
        assert found.start.hour in (9, 17), text


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # A bare 7 to 11 is a morning in office mail, but not beside an evening or a night.
        ("drinks Thursday night at 7:30", at(2026, 11, 26, 19, 30)),
        ("dinner tonight at 7", at(2026, 11, 25, 19)),
        ("tomorrow night at 8", at(2026, 11, 26, 20)),
        ("Thursday evening at 7:30", at(2026, 11, 26, 19, 30)),
        ("Friday afternoon at 2", at(2026, 11, 27, 14)),
        # and a bare 1 to 6 is an afternoon, but not beside a morning.
        ("tomorrow morning at 6", at(2026, 11, 26, 6)),
        ("tomorrow morning at 8:30", at(2026, 11, 26, 8, 30)),
        # A written am/pm or a 24-hour clock wins over the part of the day.
        ("Monday night at 11:30pm", at(2026, 11, 30, 23, 30)),
        ("tomorrow morning at 07:30", at(2026, 11, 26, 7, 30)),
        # An event that says its half of the day: an evening's meal or drinks, a breakfast.
        ("Dinner at 7 on Thursday", at(2026, 11, 26, 19)),
        ("Dinner Thursday at 7:30", at(2026, 11, 26, 19, 30)),
        ("drinks Friday at 6:30 at the Ginger Man", at(2026, 11, 27, 18, 30)),
        ("breakfast Thursday at 7:30", at(2026, 11, 26, 7, 30)),
        ("breakfast meeting Friday at 6", at(2026, 11, 27, 6)),
        # An event held after work as often as not, at 7 to 10: a game, a party.
        ("The game is at 8:45 at the Post Oak YMCA.", at(2026, 11, 25, 20, 45)),
        ("The Rockets game starts Friday at 7:30.", at(2026, 11, 27, 19, 30)),
        ("Christmas party Friday at 8", at(2026, 11, 27, 20)),
        # not at 11, a game's Saturday noon as often as a night ("telecast at 11:30 this
        # coming Saturday"), and not a show, a brunch's "10:30 Fashion Show"
        ("The game will be telecast at 11:30 this coming Saturday", at(2026, 11, 28, 11, 30)),
        ("Friday: 10:30 Fashion Show", at(2026, 11, 27, 10, 30)),
        # Not across a sentence, and not a lunch, whose 1 is already an afternoon.
        ("We had dinner. See you Thursday at 9", at(2026, 11, 26, 9)),
        ("lunch Friday at 1", at(2026, 11, 27, 13)),
    ],
)
def test_a_clock_time_without_am_pm_is_read_in_the_part_of_the_day_beside_it(
    text: str, start: datetime
) -> None:
    assert only(text).start == start


def test_an_evening_without_a_day_is_tonight_when_sent_in_the_morning() -> None:
    # Sent at 9 am: "dinner at 7:30" is 19:30 today, not tomorrow (the day used to roll
    # over by the unread 7:30, before the morning of the send time).
    assert only("Dinner at 7:30?").start == at(2026, 11, 25, 19, 30)
    assert only("The game starts at 7:30.").start == at(2026, 11, 25, 19, 30)
    # an office 8:30 is still tomorrow's
    assert only("Can we meet at 8:30?").start == at(2026, 11, 26, 8, 30)


def test_a_clock_time_with_minutes_and_ish_is_a_clock_time() -> None:
    # "6:00ish" is as sure as "6:00" and stands without a day; "6ish" alone does not.
    assert only("Be there at 6:00ish.").start == at(2026, 11, 25, 18)
    assert only("See you at 6:30ish").start == at(2026, 11, 25, 18, 30)
    assert extract_times("Be there at 6ish.", WEDNESDAY) == []
    assert only("Thursday at 6ish").start == at(2026, 11, 26, 18)


def test_twelve_oclock_with_noon_or_midnight_is_one_time() -> None:
    assert only("RSVP by 12:00 NOON NOVEMBER 30").start == at(2026, 11, 30, 12)
    assert only("lunch at 12 noon on Friday").start == at(2026, 11, 27, 12)
    assert only("the system goes down at 12:00 midnight Friday").start == at(2026, 11, 27, 0)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # A range of bare hours is read in the part of the day named before it.
        ("Thursday evening from 7-10", at(2026, 11, 26, 19), at(2026, 11, 26, 22)),
        ("Thursday night 7-10", at(2026, 11, 26, 19), at(2026, 11, 26, 22)),
        ("Thursday morning 9-11", at(2026, 11, 26, 9), at(2026, 11, 26, 11)),
        # Office hours: a range that starts in the afternoon ends in it.
        ("tonight from 6-8", at(2026, 11, 25, 18), at(2026, 11, 25, 20)),
        ("Thursday from 5-7", at(2026, 11, 26, 17), at(2026, 11, 26, 19)),
    ],
)
def test_a_range_of_hours_takes_the_part_of_the_day(
    text: str, start: datetime, end: datetime
) -> None:
    mention = only(text)
    assert (mention.start, mention.end) == (start, end)


def test_a_bare_range_of_hours_alone_is_not_a_time() -> None:
    assert [m.text for m in extract_times("The score was 3-4 on Thursday", WEDNESDAY)] == [
        "Thursday"
    ]
    assert [m.text for m in extract_times("rates at 5-6% on Friday", WEDNESDAY)] == ["Friday"]


def test_a_range_of_hours_after_at() -> None:
    mention = only("Visitation is at 10-11 Sat. morning")
    assert (mention.start, mention.end) == (at(2026, 11, 28, 10), at(2026, 11, 28, 11))


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # Hour and minutes typed without the colon: the am/pm or the zone makes them a time.
        ("call at 930 am tomorrow", at(2026, 11, 26, 9, 30)),
        ("at 1030pm tomorrow", at(2026, 11, 26, 22, 30)),
        ("talking to you tomorrow at 300 CST", at(2026, 11, 26, 15)),
        ("an Enron only call at 230 central on Sunday", at(2026, 11, 29, 14, 30)),
    ],
)
def test_a_clock_time_without_its_colon(text: str, start: datetime) -> None:
    assert only(text).start == start


@pytest.mark.parametrize(
    "text", ["prices at 300 MW on Sunday", "room 1230 Friday", "volume of 250 MMBtu on Friday"]
)
def test_a_number_without_am_pm_or_zone_is_no_clock_time(text: str) -> None:
    assert [m.all_day for m in extract_times(text, WEDNESDAY)] == [True]


def test_a_meridiems_full_stop_before_a_capital_ends_the_sentence() -> None:
    poker = extract_times(
        "I was thinking from roughly 7:30 - 10 p.m.  How does Thursday sound to everyone?",
        WEDNESDAY,
    )
    assert [m.text for m in poker] == ["7:30 - 10 p.m.", "Thursday"]
    house = extract_times("Open House from 4:30 - 7 p.m. R.S.V.P. by Dec. 1.", WEDNESDAY)
    assert [m.text for m in house][-1] == "Dec. 1"
    assert only("the 10:30 a.m. meeting tomorrow").start == at(2026, 11, 26, 10, 30)


def test_an_evening_running_past_midnight_ends_the_next_day() -> None:
    party = only("The party runs 9pm - 1am on Friday.")
    assert (party.start, party.end) == (at(2026, 11, 27, 21), at(2026, 11, 28, 1))
    gala = only("Time will be from 8:30 until 1:30 am on Thursday.")
    assert (gala.start, gala.end) == (at(2026, 11, 26, 20, 30), at(2026, 11, 27, 1, 30))
    # a morning that "ends" before it starts is still no range
    assert len(extract_times("Thursday 10am - 2am", WEDNESDAY)) == 2


def test_dotted_figures_in_a_sum_are_not_a_time_range() -> None:
    for text in (
        "Probability of merger = (1-((12.40-10.00) / (12.40 - 4.00))) or 71.4%.",
        "Assets had a positive week gaining around 0.25-0.50 points in price.",
    ):
        assert extract_times(text, WEDNESDAY) == [], text
    # an agenda's dotted times stay
    tour = only("Thursday 26th:  11.00 - 12.30 Office tour")
    assert (tour.start, tour.end) == (at(2026, 11, 26, 11), at(2026, 11, 26, 12, 30))


def test_a_letter_glued_to_a_number_is_a_label_not_a_time() -> None:
    assert extract_times("The notes were sold in a Rule 144a offering.", WEDNESDAY) == []
    assert only("Can we talk at 930a tomorrow?").start == at(2026, 11, 26, 9, 30)


def test_numbered_items_are_not_clock_times() -> None:
    assert extract_times("The clauses set forth in 3a and 3b are new.", WEDNESDAY) == []
    assert extract_times("See sections 2a, 2c.", WEDNESDAY) == []
    assert only("a call 9a-10a tomorrow").start == at(2026, 11, 26, 9)
