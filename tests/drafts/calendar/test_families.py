"""The cases real mail is full of, each a family: what the learned decision suggests.

Every test runs the shipped pipeline (``detect_learned``: candidates from ``timeparse``, then
the weights in ``plugin/drafts/calendar/decision_weights.json``) on short messages written for the
test, never on the labelled set.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plugin.drafts.calendar.decision import decide, detect_learned
from plugin.drafts.calendar.features import Candidate, candidates
from plugin.drafts.calendar.parse import extract_times
from tests.drafts.calendar.helpers import CHICAGO, WEDNESDAY, at


def starts(text: str, reference: datetime = WEDNESDAY) -> list[object]:
    return [s.mention.start for s in detect_learned(text, reference, CHICAGO)]


# Wednesday 2026-11-25 09:00 is the reference: Thursday is the 26th, next Tuesday 12-01.
@pytest.mark.parametrize(
    "text, start",
    [
        ("Can we meet tomorrow at 1500 hrs to review the budget?", at(2026, 11, 26, 15)),
        ("Let's have the budget call tomorrow at 14h00.", at(2026, 11, 26, 14)),
        ("Can we meet Thursday at 9.30 to go over the numbers?", at(2026, 11, 26, 9, 30)),
        ("Lunch on Thursday at half past 12?", at(2026, 11, 26, 12, 30)),
        ("The review call is Thursday at quarter to 4.", at(2026, 11, 26, 15, 45)),
        ("Let's meet Thursday at three thirty pm in my office.", at(2026, 11, 26, 15, 30)),
        ("Can we get together for coffee this morn?", date(2026, 11, 25)),
        ("Are you free for a call tomorow at 3pm?", at(2026, 11, 26, 15)),
        ("Can we meet Thrusday at 3pm?", at(2026, 11, 26, 15)),
    ],
)
def test_unusual_clock_spellings(text: str, start: object) -> None:
    found = starts(text)
    day = start if isinstance(start, date) and not isinstance(start, datetime) else None
    if day is not None:
        assert [s.date() if isinstance(s, datetime) else s for s in found] == [day]
    else:
        assert found == [start]


def test_approximate_time_is_read_but_not_sure() -> None:
    mention = extract_times("call Thursday at 3ish", WEDNESDAY, CHICAGO)[0]
    assert mention.start == at(2026, 11, 26, 15)


@pytest.mark.parametrize(
    "text, start",
    [
        # A clock time in the sentence after its day takes the day, and its half of the
        # day from the part of the day written with it.
        (
            "Let's meet Thursday night. I will have the deck ready by 8:30.",
            at(2026, 11, 26, 20, 30),
        ),
        ("Friday afternoon works for me. Call me at 2.", at(2026, 11, 27, 14)),
        ("Friday morning works for me. Call me at 10:30.", at(2026, 11, 27, 10, 30)),
        ("We play doubles this Thursday. Be there at 6:00ish.", at(2026, 11, 26, 18)),
        # A written am/pm stays as written.
        ("Let's meet Thursday night. The room is booked from 8:30 am.", at(2026, 11, 26, 8, 30)),
    ],
)
def test_a_clock_time_after_its_day_is_read_in_that_days_part(text: str, start: datetime) -> None:
    _clean, found = candidates(text, WEDNESDAY, CHICAGO)
    timed = [c.mention.start for c in found if not c.mention.all_day and not c.mention.vague_time]
    assert timed == [start]


@pytest.mark.parametrize(
    "text, start",
    [
        (
            "The budget meeting has been moved from Tuesday at 3pm to Thursday at 10am.",
            at(2026, 11, 26, 10),
        ),
        (
            "Please note the review was rescheduled from Monday, Nov 30 to Tuesday, Dec 1 at 2pm.",
            at(2026, 12, 1, 14),
        ),
        # A proposed move in the present tense: "from ... to ..." is the old day and the new.
        ("Can we push the review from Dec 2 to Dec 4?", date(2026, 12, 4)),
        # ... and the old time and the new, when the day was named before them
        ("We moved the Tuesday review from 2pm to 4pm.", at(2026, 12, 1, 16)),
        ("The PRC on Friday had to move from 8:00 am to 11:00 am.", at(2026, 11, 27, 11)),
        # "rescheduled for" names the new time: the range after it is the new meeting's
        ("The review has been rescheduled for Friday from 9:00 to 10:30.", at(2026, 11, 27, 9)),
        ("The Monday lunch at noon replaces the usual Friday lunch.", at(2026, 11, 30, 12)),
        (
            "The review originally scheduled for Friday is now on Monday at 10am.",
            at(2026, 11, 30, 10),
        ),
        # ... but not what goes ahead "as originally scheduled"
        (
            "The review will go ahead as originally scheduled on Friday at 2pm.",
            at(2026, 11, 27, 14),
        ),
    ],
)
def test_rescheduled_keeps_only_the_new_time(text: str, start: datetime) -> None:
    assert starts(text) == [start]


@pytest.mark.parametrize(
    "text",
    [
        "Please cancel the 930/Wednesday conference call.",
        "It is no longer necessary to have this meeting on Thursdays, from 11:00 to 11:30 AM.",
        "The staff meeting on Friday at 2pm is no longer needed.",
        "There will be no meeting Monday.",
        "Tuesday at 3pm does not work for me.",
        "I just got off the call with Mark this morning.",
        "We met today and agreed on the plan.",
        "Sorry I missed our meeting today.",
        "Sorry I missed you when you returned my call this am.",
    ],
)
def test_calls_called_off_or_already_held_are_not_suggested(text: str) -> None:
    assert starts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We had planned to hold an all-employee meeting tomorrow, December 2, at the Hyatt. "
        "However, we have decided to postpone it.",
        "Today's PRC meeting has been cancelled. It was scheduled to start at 1:30 today.",
        "The Commission had been scheduled to vote at tomorrow's meeting; the vote has been "
        "postponed.",
        "Danielle was going to give you the invitation on Thursday but she forgot.",
    ],
)
def test_a_plan_that_no_longer_holds_is_not_suggested(text: str) -> None:
    assert starts(text) == []


def test_the_new_time_after_a_former_plan_stays() -> None:
    # ... and a plan asked about in its own clause
    assert starts("You were going to join us for lunch on Friday, right?") == [at(2026, 11, 27, 12)]
    # the new time of a delay, and a time after the clause turns
    assert starts("I put off the review I had planned until the meeting on Dec. 3 at 10am.") == [
        at(2026, 12, 3, 10)
    ]
    assert starts("I was going to call you Thursday, but can we meet Friday at 2pm instead?") == [
        at(2026, 11, 27, 14)
    ]


def test_earlier_today_is_past_by_its_own_words() -> None:
    for text in (
        "Larry, thanks for your time earlier today; can we meet again?",
        "This is consistent with your memo of earlier this morning.",
        "Earlier this evening, the police were able to confirm it.",
    ):
        assert candidates(text, WEDNESDAY, CHICAGO)[1] == [], text


def test_a_time_called_off_leaves_the_new_one() -> None:
    assert starts("There is no meeting Friday; we meet again Tuesday at 3pm.") == [
        at(2026, 12, 1, 15)
    ]


def test_todays_event_in_the_future_tense_or_asked_for_stays() -> None:
    assert starts("The meeting today is at 3pm.") == [at(2026, 11, 25, 15)]
    assert starts("I talked to Bob; can we meet today at 3pm?") == [at(2026, 11, 25, 15)]
    assert starts("Sorry I missed your call today. Can we talk at 3pm?") == [at(2026, 11, 25, 15)]


@pytest.mark.parametrize(
    "text",
    [
        "I will be out of the office Thursday and Friday.",
        "I have a doctor's appointment tomorrow at 3pm, so I'll leave early.",
        "I am in London next Tuesday; reach me on my mobile.",
        "I am tied up in other review meetings on December 7, 8 and 11.",
        "I have a meeting at 11am and a class from 1pm to 2pm today, so I may be slow to reply.",
        "I'm scheduled to be in a meeting tomorrow am, but I know this deal is in good hands.",
        "I am meeting with Tammy Shepperd at 1:30 tomorrow on some space planning details.",
        "I am scheduled to meet with Mark tomorrow afternoon at 2 to go over my plans.",
        "Also, I hold a weekly Friday conference call with Brent and Lynn on trading.",
        "Sorry, I've got a dentist appointment tomorrow at 3pm, so I'll call you after.",
    ],
)
def test_writers_own_whereabouts_are_not_the_readers_events(text: str) -> None:
    assert starts(text) == []


def test_a_clock_time_is_not_put_on_the_end_of_a_period() -> None:
    # "by the end of the week" is a deadline, not the day the clock time after it names.
    text = "I hope to get this done by the end of the week. See you at 1:00."
    _clean, found = candidates(text, WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [date(2026, 11, 27), at(2026, 11, 25, 13)]


def test_an_agendas_clock_times_take_its_days_heading() -> None:
    items = "".join(
        f"{hour}:{minute:02d}    Session {n} - update from the team in the main room\n"
        for n, (hour, minute) in enumerate([(8, 0), (9, 0), (9, 30), (10, 45), (11, 30)] * 2)
    )
    agenda = f"Tentative agenda for the regional meeting.\nThursday December 3rd\n{items}"
    _clean, found = candidates(agenda, WEDNESDAY, CHICAGO)
    assert found[-1].mention.span_start - agenda.index("3rd") > 500
    assert {c.mention.start_date() for c in found} == {date(2026, 12, 3)}
    # a part of the day only reaches the times near it: "Thursday night" sets 8:30 in the
    # evening, an agenda's 1:15 far below it stays in the afternoon
    near = "Thursday night works. I'll have it ready by 8:30."
    assert candidates(near, WEDNESDAY, CHICAGO)[1][-1].mention.start == at(2026, 11, 26, 20, 30)
    far = "Thursday night works.\n" + "x " * 300 + "\nThe last item is at 1:15."
    assert candidates(far, WEDNESDAY, CHICAGO)[1][-1].mention.start == at(2026, 11, 26, 13, 15)


def test_the_writers_meeting_the_reader_is_asked_to_join_stays_a_candidate() -> None:
    _clean, found = candidates(
        "I'm having lunch with Dan today - want to join us?", WEDNESDAY, CHICAGO
    )
    assert [c.mention.start for c in found] == [date(2026, 11, 25)]
    _clean, found = candidates("I am meeting with you and Dan at 3pm tomorrow.", WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [at(2026, 11, 26, 15)]


def test_a_time_after_the_writers_absence_is_left_to_the_decision() -> None:
    # The absence rules out Friday and Monday; after the clause turns, "by Thursday" is the
    # reader's, and the learned decision weighs it like any other candidate.
    text = (
        "I will be out of the office on Friday and Monday, and so if you wish to discuss the "
        "deck with me beforehand, it will be best if we speak by Thursday."
    )
    _clean, found = candidates(text, WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [date(2026, 11, 26)]


def test_schedule_list_gives_each_event_once() -> None:
    text = (
        "Here is the schedule for the visit:\n"
        "- Monday, Nov 30: 9:00 am kickoff meeting in EB 3267\n"
        "- Tuesday, Dec 1: 2:00 pm review meeting with the traders\n"
    )
    assert starts(text) == [at(2026, 11, 30, 9), at(2026, 12, 1, 14)]


def test_table_of_volumes_by_date_is_not_a_calendar() -> None:
    text = (
        "Nominations for next week:\n"
        "12/01    5,000 MMBtu    Katy\n"
        "12/02    7,500 MMBtu    Katy\n"
        "12/03    7,500 MMBtu    Carthage\n"
    )
    assert starts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, that works.\n\n> Can we meet Thursday at 3pm to go over the budget?\n",
        "Sounds good.\n\n-----Original Message-----\nFrom: Ann\nSent: Tuesday\n"
        "Let's have lunch on Friday at noon.\n",
    ],
)
def test_times_in_quoted_history_are_not_proposals(text: str) -> None:
    assert starts(text) == []


def test_days_offered_as_alternatives() -> None:
    found = detect_learned(
        "Could we meet on December 15 or 16 to close the deal?", WEDNESDAY, CHICAGO
    )
    assert [s.mention.start for s in found] == [date(2026, 12, 15), date(2026, 12, 16)]
    assert all(s.alternative for s in found) and found[0].group == found[1].group


def test_next_weekday_or_weekday_stays_in_next_week() -> None:
    text = "He said next Tuesday or Wednesday would be the best days for the interview."
    assert starts(text) == [date(2026, 12, 1), date(2026, 12, 2)]


def test_listed_days_each_become_a_choice() -> None:
    text = "Please visit the lobby on December 7, 8, 9 or 10 between 11:00 a.m. and 1:00 p.m."
    assert starts(text) == [at(2026, 12, d, 11) for d in (7, 8, 9, 10)]


def test_days_listed_before_their_month_each_become_a_choice() -> None:
    poll = "For the party we choose the 7th or 8th or 14th or 15th of December. Any preference?"
    assert starts(poll) == [date(2026, 12, d) for d in (7, 8, 14, 15)]
    # "the 7th" alone would be the next 7th; the list puts it in December, and "8th and
    # 14th" are two days, not a span
    _clean, found = candidates(
        "Could we meet on the 7th, 8th and 14th of January?", WEDNESDAY, CHICAGO
    )
    assert [(c.mention.start, c.mention.end) for c in found] == [
        (date(2027, 1, d), date(2027, 1, d + 1)) for d in (7, 8, 14)
    ]
    _clean, found = candidates("Can we meet Saturday 5 and Sunday 6 December?", WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [date(2026, 12, 5), date(2026, 12, 6)]
    # numbers that belong to the date before them, or before a numeric date, are no list
    for text in ("Lows on May 11, 12, 13 and May 23.", "Vacation 12/26-28 & 12/31."):
        _clean, found = candidates(text, WEDNESDAY, CHICAGO)
        assert all(c.mention.text[0].isalpha() or "/" in c.mention.text for c in found), text


def test_recurring_meeting_with_a_weekday_gives_its_next_occurrence() -> None:
    assert starts("Please put the trader meeting on my calendar for every Tuesday at 10am.") == [
        at(2026, 12, 1, 10)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Our weekly staff meeting continues as usual.",
        "Reports are due by the 15th of each month.",
    ],
)
def test_recurring_meeting_with_no_next_date_gives_nothing(text: str) -> None:
    assert starts(text) == []


def test_a_list_of_ordinal_days_needs_no_or() -> None:
    _clean, found = candidates(
        "Good dates for the lunch are December 3rd, 7th, 9th.", WEDNESDAY, CHICAGO
    )
    assert [c.mention.start for c in found] == [date(2026, 12, d) for d in (3, 7, 9)]
    # A date with its year, or a count after a date, is no list.
    _clean, found = candidates("The contract ends on December 7, 2026.", WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [date(2026, 12, 7)]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("We are targeting either Tuesday or Wednesday of next week.", (1, 2)),
        ("Could we do Tuesday or Wednesday next week?", (1, 2)),
    ],
)
def test_a_week_named_after_alternatives_is_both_days_week(
    text: str, days: tuple[int, ...]
) -> None:
    _clean, found = candidates(text, WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [date(2026, 12, d) for d in days]


def test_a_later_weekday_before_a_week_keeps_its_own_week() -> None:
    _clean, found = candidates("Friday or Tuesday of next week?", WEDNESDAY, CHICAGO)
    assert [c.mention.start for c in found] == [date(2026, 11, 27), date(2026, 12, 1)]


class _FirstUnderTheBar:
    """A model with fixed scores: the first candidate 0.3, under the bar of 0.5; the rest 0.7."""

    threshold = 0.5

    def __init__(self, found: list[Candidate]) -> None:
        self.first = found[0]

    def confidence(self, candidate: Candidate) -> float:
        return 0.3 if candidate is self.first else 0.7


def test_a_day_named_again_without_its_time_keeps_the_time() -> None:
    """The decision's rule, with the scores fixed: the timed naming of a kept day is kept,
    even when the model scored it under the threshold."""
    text = (
        "Our next game is Tuesday @ 6 p.m. on field 7.\n"
        "Attached is the snack schedule.\n"
        "I will bring the green belts on Tuesday."
    )
    clean, found = candidates(text, WEDNESDAY, CHICAGO)
    assert [c.mention.all_day for c in found] == [False, True]

    kept = decide(clean, found, _FirstUnderTheBar(found))  # type: ignore[arg-type]
    assert [s.mention.start for s in kept] == [at(2026, 12, 1, 18)]
    assert kept[0].confidence == 0.7


def test_a_part_of_the_day_is_no_clock_time_to_keep() -> None:
    """ "this afternoon" is 14:00 only by convention: a kept "today" stays a day."""
    text = "After our call this afternoon, please file the response today."
    clean, found = candidates(text, WEDNESDAY, CHICAGO)
    assert [(c.mention.all_day, c.mention.vague_time) for c in found] == [
        (False, True),
        (True, False),
    ]

    kept = decide(clean, found, _FirstUnderTheBar(found))  # type: ignore[arg-type]
    assert [s.mention.start for s in kept] == [date(2026, 11, 25)]
