"""iCalendar output: parsed back with icalendar and checked against RFC 5545's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from connectors.document import Document
from connectors.errors import BadInputError
from plugin.drafts.calendar.ics import PRODID, suggestions_to_ics
from plugin.drafts.calendar.meetings import MeetingsDraft

CHICAGO = ZoneInfo("America/Chicago")
STAMP = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def suggestions() -> list[dict[str, Any]]:
    doc = Document(
        id="d1",
        kind="email",
        source="1.eml",
        title="Planning",
        author="Ann <ann@example.com>",
        to=["Bob Stone <bob@example.com>"],
        date=datetime(2026, 11, 25, 9, tzinfo=CHICAGO),
        text="Can we meet next Tuesday at 3pm in EB 3267 for an hour? Or Wednesday 10am.\n"
        # The reader's deadline (whose report it is decides: docs/calendar.md's convention).
        "Your report is due Friday.\nThe offsite workshop runs Monday to Wednesday.",
    )
    (draft,) = MeetingsDraft(None).draft([doc], {"titles": "subject"})
    return list(draft.data["suggestions"])


def parse(payload: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(payload)


def test_one_valid_vevent_per_suggestion() -> None:
    items = suggestions()
    calendar = parse(suggestions_to_ics(items, stamp=STAMP))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == PRODID
    events = calendar.walk("VEVENT")
    assert len(events) == len(items) >= 3
    uids = set()
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, required
        assert event.decoded("DTSTAMP") == STAMP
        if "DTEND" in event:
            assert event.decoded("DTEND") > event.decoded("DTSTART")
        uids.add(str(event["UID"]))
    assert len(uids) == len(events)


def test_times_round_trip_with_their_zone() -> None:
    items = suggestions()
    events = parse(suggestions_to_ics(items, stamp=STAMP)).walk("VEVENT")
    first = events[0]
    assert first["DTSTART"].params["TZID"] == "America/Chicago"
    assert first.decoded("DTSTART") == datetime(2026, 12, 1, 15, tzinfo=CHICAGO)
    assert first.decoded("DTEND") == datetime(2026, 12, 1, 16, tzinfo=CHICAGO)
    assert str(first["LOCATION"]) == "EB 3267"
    attendees = [str(a) for a in first.get("ATTENDEE")]
    assert "mailto:bob@example.com" in attendees
    for item, event in zip(items, events, strict=True):
        if not item["all_day"]:
            assert event.decoded("DTSTART") == datetime.fromisoformat(item["start"])


def test_vtimezone_is_included() -> None:
    calendar = parse(suggestions_to_ics(suggestions(), stamp=STAMP))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]


def test_all_day_and_deadline_events() -> None:
    items = suggestions()
    events = parse(suggestions_to_ics(items, stamp=STAMP)).walk("VEVENT")
    span = next(
        e for e, i in zip(events, items, strict=True) if i["all_day"] and i["kind"] == "meeting"
    )
    assert span["DTSTART"].params.get("VALUE") == "DATE"
    assert span.decoded("DTSTART") == date(2026, 11, 30)
    assert span.decoded("DTEND") == date(2026, 12, 3)
    deadline = next(e for e, i in zip(events, items, strict=True) if i["kind"] == "deadline")
    assert str(deadline["TRANSP"]) == "TRANSPARENT"
    assert "DEADLINE" in deadline["CATEGORIES"].to_ical().decode()


def test_fixed_offsets_are_written_in_utc() -> None:
    item = {
        "title": "Call",
        "start": "2026-12-01T15:00:00-05:00",
        "end": None,
        "all_day": False,
        "timezone": "UTC-05:00",
        "kind": "meeting",
        "evidence": {"start": 0, "end": 4, "text": "3pm"},
    }
    (event,) = parse(suggestions_to_ics([item], stamp=STAMP)).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 20, tzinfo=UTC)
    assert "DTEND" not in event
    assert b"DTSTART:20261201T200000Z" in suggestions_to_ics([item], stamp=STAMP)


def test_uids_are_stable() -> None:
    items = suggestions()
    assert suggestions_to_ics(items, stamp=STAMP) == suggestions_to_ics(items, stamp=STAMP)


def test_empty_calendar_is_still_valid() -> None:
    calendar = parse(suggestions_to_ics([], stamp=STAMP))
    assert calendar.walk("VEVENT") == [] and calendar["VERSION"] == "2.0"


def test_naive_time_is_bad_input() -> None:
    item = {"title": "x", "start": "2026-12-01T15:00:00", "all_day": False, "timezone": "UTC"}
    with pytest.raises(BadInputError, match="no zone"):
        suggestions_to_ics([item])


def test_lines_are_folded_and_crlf() -> None:
    payload = suggestions_to_ics(suggestions(), stamp=STAMP)
    lines = payload.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert payload.endswith(b"END:VCALENDAR\r\n")
