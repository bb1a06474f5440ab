"""Candidates ruled out before the decision (``filters.ruled_out``), read through
``features.candidates`` on short messages written for the test."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.drafts.calendar.helpers import FRIDAY, at, candidate_starts


@pytest.mark.parametrize(
    "text",
    [
        "Gary Hickerson will be attending a committee meeting on Friday from 8:00 am to 2:00 pm.",
        "I believe that Lynn is in a seminar on Thursday.",
        "My husband is scheduled for a baseball game on Wednesday night.",
        "She anticipates being in the office around 9:15 am.",
        "Carol is attending a class on Dec. 3.",
        "Mark is out of the office today.",
        "Steve will be on vacation Monday, November 30.",
        "He is traveling today.",
        "I am not certain of this, but Carol has a 2 pm call with the lawyers and I will listen.",
        "Julian will try to be here too but he has an 8am meeting and may be late.",
        "My son has an appointment with the neurologist at 9:20 am tomorrow.",
        "Jeff has his staff meetings on Monday mornings.",
        "Russ is going to be out for the review tomorrow.",
        "Mark will be flying here tonight to review confirmations.",
        "Because of work commitments, Kristi is arriving at 12:30pm.",
        "Bob Dinerstein, Head of UBS Legal will be arriving on Thursday, November 26.",
    ],
)
def test_a_third_persons_whereabouts_are_not_the_readers_events(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Awais is trying to get them back by today.",
        "Hoffman will fax me the results tomorrow AM.",
        "She will send out a revised spreadsheet on Thursday.",
        "He will distribute a new draft by noon tomorrow.",
        "Russel will have this to you by tomorrow.",
        "Robert will call back tomorrow to let us know more about her condition.",
    ],
)
def test_a_third_persons_task_is_not_the_readers_deadline(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # the sentence asks the reader: the time stays for the decision
        (
            "Gary will be attending the budget meeting on Friday at 2pm - could you go with him?",
            at(2026, 11, 27, 14),
        ),
        # an event, not a person, is scheduled
        ("This is scheduled to be held on Friday at 2pm.", at(2026, 11, 27, 14)),
        ("The review is scheduled for a 2pm start on Friday.", at(2026, 11, 27, 14)),
    ],
)
def test_an_event_or_an_ask_beside_a_third_person_stays_a_candidate(
    text: str, start: datetime
) -> None:
    assert start in candidate_starts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I plan on sending this file to Susan by tomorrow afternoon.",
        "I will have the gas agreement to you for review before 11:00.",
        "Upon receipt I will forward it to Barry for a decision by 1:00 pm.",
        "I'll be forwarding those to you sometime between 5 and 6 PM.",
        "I will call Sharon Tischer on Wednesday to discuss the balances.",
        "I'll call him at 1:30 if he is available.",
        "I will get back to you with that information by Thursday.",
        "I may even call you today if I can get a few minutes away from the madness.",
        "I'm hoping to have the LV Co Gen contract today or early tomorrow for all to review.",
        "I will have a timeline for your review on Monday that marks the key dates.",
        "Any comments? I've promised these to Louise by Friday.",
        "I have promised the draft to you by Thursday.",
        "We'll distribute the slides as soon as they're drafted, hopefully by COB Friday.",
        "Attached is a memo that we plan to send out to all employees Monday afternoon.",
    ],
)
def test_the_writers_own_tasks_are_not_the_readers_events(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # a call with the reader is the reader's event, whoever makes it
        ("I will call you tomorrow at 3pm.", at(2026, 11, 26, 15)),
        ("Scott will call you tomorrow at 3pm.", at(2026, 11, 26, 15)),
        # the time belongs to a meeting named after the promise
        ("Here are questions I would like to submit before your meeting on Friday.", FRIDAY),
        # the writer's departure only marks the reader's deadline
        ("The pools will be due before I leave on Friday afternoon.", at(2026, 11, 27, 14)),
        # the writer's task, then an ask: the reader's deadline stays
        ("I will send the draft today; can you review it by Friday?", FRIDAY),
        # the writer and the reader together, and a meeting of the writer's party with them
        ("We need to send this letter by Friday.", FRIDAY),
        ("We will meet on Friday to go over the numbers.", FRIDAY),
    ],
)
def test_a_call_with_the_reader_or_a_named_meeting_stays_a_candidate(
    text: str, start: datetime | date
) -> None:
    assert start in candidate_starts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Cancel my RSVP for Carrin Patman's lunch tomorrow.",
        "We are postponing the donor reception (scheduled for May 2) until September.",
        "I have decided to cancel the holiday party that was scheduled for December 8.",
        "I'm leaving for Connecticut after lunch, and will be back in the office on Thursday.",
        "We have canceled next Monday's (Nov. 30) 9:15AM Staff Meeting.",
        "When avoidable, I'd prefer not to meet at 1 pm because people are always late.",
        "I'm going up to Wisconsin to visit Mimi in two weeks.",
        "I am OOTO on Wednesday.",
        "I am attending a wedding Friday night.",
        "I will be taking a 1/2 day of vacation on Friday.",
        "I fly home Friday night and arrive in Houston on Saturday morning at 6:30 am.",
        "I'm headed to Virginia tonight, and should be back Friday am.",
        "I leave for Phoenix tonight for a wedding, so I'll be back on Sunday afternoon.",
        "I'm leaving for Sao Paulo on Saturday but I will be in the office tomorrow.",
        "I will probably leave Houston around 9 am.",
        "I will return to the office on Friday.",
        "I will leave tomorrow afternoon, returning on Friday afternoon.",
        "Stan will NOT have a staff meeting next week, December 24th.",
        "Meet to discuss pipeline set-up process for UBS--rescheduled from today at 3PM.",
        "I will let you know by 5:00 today our status.",
        "We'll let you know when it's ready, they're thinking Monday morning.",
        # the ask is looked for beside the diary: its own "meet" and "we will" ask nothing
        "I will either meet with her later this afternoon or tomorrow morning.",
        "I will meet with Kim this afternoon on her comments on ConfirmLogic.",
        "We will be putting all the results together for you by Friday Morning.",
    ],
)
def test_a_time_called_off_put_off_or_away_is_ruled_out(text: str) -> None:
    assert candidate_starts(text) == []


def test_the_reader_asked_to_let_the_writer_know_keeps_the_day() -> None:
    assert candidate_starts("Can you let me know by Friday?") == [FRIDAY]


def test_the_writers_party_going_somewhere_may_take_the_reader_along() -> None:
    # a club's or a team's "we" going out: the reader's event as likely as not
    text = "We will be going to Taco Milagro (Westheimer & Kirby) on Thursday night from 7-9 PM."
    assert candidate_starts(text) == [at(2026, 11, 26, 19)]
    text = "We will be returning to the Villagio Inn in Napa on December 14 for our retreat."
    assert candidate_starts(text) == [date(2026, 12, 14)]
    # and an ask beside the writer's own meeting keeps it, as a third person's meeting with
    # the reader stays the reader's
    text = "I will meet with Mark on Friday; can we meet after?"
    assert candidate_starts(text) == [FRIDAY]
    assert candidate_starts("Jeff has a meeting with you on Friday.") == [FRIDAY]
    assert candidate_starts("He has a call with us at 3pm tomorrow.") == [at(2026, 11, 26, 15)]


def test_the_writers_departure_is_not_a_message_left_and_ends_where_the_clause_turns() -> None:
    text = "I will leave her a message and set up the review for Friday at 2pm."
    assert candidate_starts(text) == [at(2026, 11, 27, 14)]
    text = (
        "Jeff, Greg, and I will probably arrive Friday night, however the main shindig "
        "will get kicked off on Saturday night."
    )
    assert candidate_starts(text) == [at(2026, 11, 28, 19)]


def test_the_new_time_of_a_postponed_event_stays() -> None:
    text = "The review was postponed and is now scheduled for Friday at 2pm."
    assert candidate_starts(text) == [at(2026, 11, 27, 14)]
    # after the writer's absence the clause turns: the reader's call stays
    text = "I'm leaving for Vail tomorrow - so if you have questions I'll call you on Friday."
    assert candidate_starts(text) == [FRIDAY]


@pytest.mark.parametrize(
    "text",
    [
        "Kim, it was great to meet with you this morning.",
        "It was a pleasure speaking with you today.",
        "I understand Lance spoke with you today about the agreement.",
        "Attached are redlines of the docs with the changes we discussed today.",
        "Here is the memo I mentioned in our meeting today.",
    ],
)
def test_todays_meeting_told_in_the_past_is_ruled_out_though_it_names_the_reader(
    text: str,
) -> None:
    assert candidate_starts(text) == []


def test_today_asked_for_in_a_past_tense_sentence_stays() -> None:
    text = "I was hoping that we could speak sometime today as I will be out Friday."
    assert candidate_starts(text) == [date(2026, 11, 25)]
    text = "Did you want to meet today?"
    assert candidate_starts(text) == [date(2026, 11, 25)]


def test_a_meeting_proposed_after_todays_discussion_stays() -> None:
    text = (
        "As discussed in the committee meeting this morning, Ken would like to have an "
        "extended meeting on Friday from 8:00 a.m. to 2:00 p.m."
    )
    assert candidate_starts(text) == [at(2026, 11, 27, 8)]


@pytest.mark.parametrize(
    "text",
    [
        "Here are the draft Forum Minutes from the meeting on November 20.",
        "As per our meeting on Tuesday, please identify people for the team.",
        "Per our conversation on Monday, I would like to reiterate our interest.",
        "The following items resulted from our meeting with Duke on December 14.",
    ],
)
def test_a_meeting_named_as_the_source_of_the_mail_is_past(text: str) -> None:
    assert candidate_starts(text) == []


def test_a_follow_up_call_to_come_stays() -> None:
    assert candidate_starts("Can we have a follow up call on Monday?") == [date(2026, 11, 30)]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks again for attending the lunch today.",
        "Thank you for meeting with us this morning.",
        "Thanks so much for your time this afternoon.",
    ],
)
def test_thanks_for_todays_event_is_past(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Please send me the memo by Friday.", FRIDAY),
        ("The letter is due on Friday.", FRIDAY),
        ("Thanks for coming; can we meet again on Friday?", FRIDAY),
        ("Thank you for hosting the lunch tomorrow.", at(2026, 11, 26, 12)),
    ],
)
def test_a_letter_due_or_thanks_before_a_future_day_stays(
    text: str, start: datetime | date
) -> None:
    assert start in candidate_starts(text)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        (
            "The offsite is scheduled for December 14th and 15th at the Venetian.",
            date(2026, 12, 14),
        ),
        ("There will be a cross-functional meeting on December 8th & 9th.", date(2026, 12, 8)),
        ("The class runs Dec. 10 and 11, 2026 in EB552.", date(2026, 12, 10)),
    ],
)
def test_the_second_of_two_days_in_a_row_is_the_same_event(text: str, start: date) -> None:
    assert candidate_starts(text) == [start]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        # listed sessions
        ("The session dates are December 3rd, 10th and 11th.", [3, 10, 11]),
        # each day named in full
        ("Sessions are Wednesday, December 2 and Thursday, December 3 at 9 am.", [2, 3]),
        # days offered
        ("Steve is open December 7th and 8th.", [7, 8]),
    ],
)
def test_listed_named_or_offered_days_in_a_row_stay(text: str, starts: list[int]) -> None:
    assert sorted(s.day for s in candidate_starts(text)) == starts  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        (
            "The conference scheduled for this Friday has been moved to next Tuesday at 10:00 a.m.",
            [at(2026, 12, 1, 10)],
        ),
        ("Today's simulation has been postponed to next Wednesday.", [date(2026, 12, 2)]),
        (
            "The staff meeting scheduled for tomorrow, November 26 has been rescheduled to "
            "Friday, December 4.",
            [date(2026, 12, 4)],
        ),
        # moved to another hour of the same day: the day stays, with the new hour
        ("The meeting on Friday has been moved to 3pm.", [at(2026, 11, 27, 15)]),
    ],
)
def test_a_time_told_as_moved_keeps_only_the_new_one(
    text: str, starts: list[datetime | date]
) -> None:
    assert candidate_starts(text) == starts


@pytest.mark.parametrize(
    "text",
    [
        "The meeting took place on Monday and included the following people.",
        "Please find a summary of the RISI conference held in San Diego, Nov 30-Dec 2.",
        "Sue will send a summary of what happened at today's FERC hearing.",
        "A funny thing happened to me on my way to upload the deals on Friday.",
    ],
)
def test_an_event_told_as_over_is_not_the_readers(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("The meeting will be  held in our area on Friday.", FRIDAY),
        ("You are on the waitlist for the class held Friday.", FRIDAY),
    ],
)
def test_an_event_to_be_held_stays(text: str, start: date) -> None:
    assert start in candidate_starts(text)


@pytest.mark.parametrize(
    "text",
    [
        "My mother in law is visiting, so can we shoot for sometime the week of November 30th?",
        "Attached is a revised Credit Watch listing for the week of 11/30/26.",
        "Confirmation statements will be mailed the week beginning December 7.",
    ],
)
def test_a_week_named_by_one_of_its_days_names_no_day(text: str) -> None:
    assert candidate_starts(text) == []


def test_a_day_named_inside_that_week_stays() -> None:
    text = "How does the week of November 30 look? Tuesday, December 1 at 2pm works for me."
    assert candidate_starts(text) == [at(2026, 12, 1, 14)]


@pytest.mark.parametrize(
    "text",
    [
        "I will be in a due diligence this afternoon and most of tomorrow.",
        "I will be in a class tomorrow afternoon from 11:30 am - 2:30 pm.",
        "I'll be in meetings in and out of the office until around noon.",
    ],
)
def test_the_writer_in_a_meeting_or_a_class_is_their_own_diary(text: str) -> None:
    assert candidate_starts(text) == []


def test_the_writer_in_a_meeting_who_asks_the_reader_stays() -> None:
    text = "I will be in a meeting until 3:30 tomorrow; can you call me at 4pm tomorrow?"
    assert at(2026, 11, 26, 16) in candidate_starts(text)
