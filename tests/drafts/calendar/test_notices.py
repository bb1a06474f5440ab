"""Dates a notice or a record carries (``notices``), ruled out through ``filters.ruled_out``
and read through ``features.candidates`` on short messages written for the test."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.drafts.calendar.helpers import FRIDAY, at, candidate_starts


@pytest.mark.parametrize(
    "text",
    [
        "Any news on the changes you asked for in your November 30 email?",
        "In response to your fax of December 1, attached is a draft of the master.",
        "Kate sent me a copy of the letter dated December 2 about the expenses.",
        "As a follow up to my e-mail of Monday, can I help with anything else?",
        "The figures differ from the numbers in Stephanie's Dec. 1st memo.",
        "Further to my voicemail of this afternoon, the merger letter is attached.",
    ],
)
def test_a_date_that_names_a_letter_is_not_an_event(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "ECC sells a financial swap to CP Term: 1/1/2027 thru 12/31/2030 Volume: 2 MW",
        "Path: Kingsgate to Malin Begin Date: 12/4/2026 End Date: 11/1/2027 Amount Awarded: 15000",
        "Message Description: High Inventory OFO Message Date: 12/7/2026 Message Text: Stage 3",
        "Contract Number: 96083555 Profile Manager Updated On: 12/9/26 Thanks,",
        "C) Distance to go to next port: 8769 n.miles D) Eta next port : December 12th.",
        "NGI's Daily Gas Price Index published : December 1, 2026 ALJ Clears Transwestern",
    ],
)
def test_a_date_filed_under_a_records_field_is_not_an_event(text: str) -> None:
    assert candidate_starts(text) == []


def test_the_dateline_that_opens_a_letter_is_not_an_event() -> None:
    text = (
        "Friday, November 27, 2026 Enron will be hosting our previously scheduled bank "
        "meeting on Monday, November 30th at 2:00 p.m."
    )
    assert candidate_starts(text) == [at(2026, 11, 30, 14)]
    assert candidate_starts("  November 27, 2026\nTo: Transco Customers and Shippers") == []


def test_a_date_that_opens_a_mail_after_on_or_without_a_year_stays() -> None:
    text = "On Friday November 27, 2026 from 8:30 a.m. till 1:00 p.m. we will be meeting in 49C4."
    assert candidate_starts(text) == [at(2026, 11, 27, 8, 30)]
    assert FRIDAY in candidate_starts("Friday, November 27 works for the review, see you then.")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("When: Friday, November 27, 2026 10:00 AM-11:00 AM Where: ECN 872", at(2026, 11, 27, 10)),
        ("Meeting date: Friday, November 27 Time: 4:00 PM Contact: Ross", at(2026, 11, 27, 16)),
    ],
)
def test_an_events_own_fields_stay(text: str, start: datetime) -> None:
    assert start in candidate_starts(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Envision System will be down beginning Friday, November 27th at 5:00pm.",
        "The outage will begin at approximately 11:35 AM and last for 60 minutes.",
        "Your mailbox will be temporarily unavailable starting anytime after 11pm tonight.",
        "Dec. 1 From 10:00 a.m. - 2:00 p.m., the Unix team will perform maintenance on emerald.",
        "This Sunday, starting at 5:00 AM, the emergency power systems will shut down for a test.",
    ],
)
def test_an_outages_times_are_not_events(text: str) -> None:
    assert candidate_starts(text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("The next Outage Coordination review meeting is on Friday.", FRIDAY),
        ("The server will be down Friday; can you call me on Friday at 3pm?", at(2026, 11, 27, 15)),
    ],
)
def test_a_meeting_or_an_ask_beside_an_outage_stays(text: str, start: datetime | date) -> None:
    assert start in candidate_starts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Effective Monday, November 30, Mark will office in the new building.",
        "Jim, I am resigning from the company, effective December 31, 2026.",
        "Effective date is January 1, 2027.",
        "The implementation date has been changed to 12/4 per the users' request.",
        "Momentum is expected to be in service by 5/1/2027.",
        "Your scheduled Outlook Migration Date is THE EVENING OF : December 3rd.",
    ],
)
def test_an_effective_or_go_live_date_is_not_an_event(text: str) -> None:
    assert candidate_starts(text) == []


def test_a_meeting_that_starts_on_an_effective_date_stays() -> None:
    text = "Effective Tuesday, December 1st, we will reinstitute the morning meeting in 49C2."
    assert date(2026, 12, 1) in [
        s.date() if isinstance(s, datetime) else s for s in candidate_starts(text)
    ]
