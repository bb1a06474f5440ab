"""Times labelled as a start and an end made one mention."""

from __future__ import annotations

from datetime import date

from plugin.drafts.calendar.parse import extract_times
from tests.drafts.calendar.helpers import WEDNESDAY, at


def test_a_course_session_is_one_mention_from_start_to_end() -> None:
    sessions = extract_times(
        "Meetings :  Start Time:  Dec 3, 2026 8:00 AM     End Time:  Dec 3, 2026 5:00 PM\n"
        "Start Time:  Dec 4, 2026 8:00 AM     End Time:  Dec 4, 2026 12:00 PM",
        WEDNESDAY,
    )
    assert [(m.start, m.end) for m in sessions] == [
        (at(2026, 12, 3, 8), at(2026, 12, 3, 17)),
        (at(2026, 12, 4, 8), at(2026, 12, 4, 12)),
    ]
    course = extract_times(
        "Starting Date   : Dec 3, 2026 8:00 AM Ending Date     : Dec 4, 2026 5:00 PM", WEDNESDAY
    )
    assert [(m.start, m.end) for m in course] == [(at(2026, 12, 3, 8), at(2026, 12, 4, 17))]


def test_labelled_dates_make_an_all_day_span_to_the_end_day() -> None:
    (term,) = extract_times("Begin Date: 12/1/2026 End Date: 11/1/2027  Quantity: 15000", WEDNESDAY)
    assert (term.start, term.end, term.all_day) == (date(2026, 12, 1), date(2027, 11, 2), True)


def test_an_end_without_its_labelled_start_stays_its_own_mention() -> None:
    for text in (
        "The call is Dec 3 at 8:00 AM. End Time: Dec 3 at 5:00 PM",  # no start label
        "Start Time: Dec 3 at 5:00 PM  End Time: Dec 3 at 8:00 AM",  # an end before its start
        "Start Time: Dec 3 at 8:00 AM  End Date: Dec 4",  # a clock time and a day
    ):
        assert len(extract_times(text, WEDNESDAY)) == 2, text


def test_a_notices_begin_and_end_times_are_one_mention() -> None:
    (review,) = extract_times(
        "The meeting will begin at 8:30 a.m. and end by 12:30 p.m. on Thursday.", WEDNESDAY
    )
    assert (review.start, review.end) == (at(2026, 11, 26, 8, 30), at(2026, 11, 26, 12, 30))
    (agenda,) = extract_times(
        "The meeting will begin promptly at 9:30 AM and will adjourn at 4:00 PM.", WEDNESDAY
    )
    assert (agenda.start, agenda.end) == (at(2026, 11, 25, 9, 30), at(2026, 11, 25, 16))
    # a start told in another sentence stays apart
    assert len(extract_times("We begin at 9am. Lunch ends at 1pm.", WEDNESDAY)) == 2
