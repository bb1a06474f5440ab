"""Calendar suggestions as RFC 5545 iCalendar: one VEVENT per suggestion.

Input is the suggestion's JSON form (``Suggestion.to_json()``, what ``suggest-meetings
--json`` prints and what the digest holds), so anything that kept that JSON can write the
file. Times in a named zone keep it (DTSTART;TZID=... plus a VTIMEZONE); fixed offsets
("UTC-05:00", from a bare Date header) are written in UTC, which says the same instant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parseaddr
from typing import Any

import icalendar

from connectors.errors import BadInputError
from plugin import __version__
from plugin.drafts.calendar.zones import zone_named

PRODID = f"-//deskdraft//calendar suggestions {__version__}//EN"


def _moment(value: str | None, all_day: bool, zone: tzinfo | None) -> date | datetime | None:
    if value is None:
        return None
    if all_day:
        return date.fromisoformat(value[:10])
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise BadInputError(f"time {value!r} has no zone", hint="suggestions carry aware times")
    if zone is not None and getattr(zone, "key", None):
        return moment.astimezone(zone)
    return moment.astimezone(UTC)


def _uid(index: int, suggestion: Mapping[str, Any]) -> str:
    evidence = suggestion.get("evidence") or {}
    digest = hashlib.sha256(
        "\x1f".join(
            [
                str(suggestion.get("start")),
                str(suggestion.get("title")),
                str(evidence.get("text")),
                str(evidence.get("start")),
                str(index),
            ]
        ).encode("utf-8")
    ).hexdigest()[:32]
    return f"{digest}@deskdraft"


def _attendee(address: str) -> icalendar.vCalAddress | None:
    name, mail = parseaddr(address)
    if "@" not in mail:
        return None
    attendee = icalendar.vCalAddress(f"mailto:{mail}")
    if name:
        attendee.params["CN"] = icalendar.vText(name)
    attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
    return attendee


def _event(index: int, suggestion: Mapping[str, Any], stamp: datetime) -> icalendar.Event:
    all_day = bool(suggestion.get("all_day"))
    zone = zone_named(str(suggestion.get("timezone") or "UTC"))
    start = _moment(suggestion.get("start"), all_day, zone)
    if start is None:
        raise BadInputError(f"suggestion {index + 1} has no start")
    end = _moment(suggestion.get("end"), all_day, zone)
    event = icalendar.Event()
    event.add("uid", _uid(index, suggestion))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    if all_day and end is None:
        end = start + timedelta(days=1)
    if end is not None and end > start:
        event.add("dtend", end)
    event.add("summary", str(suggestion.get("title") or "Suggested meeting"))
    if suggestion.get("location"):
        event.add("location", str(suggestion["location"]))
    kind = str(suggestion.get("kind") or "meeting")
    event.add("categories", [kind.upper()])
    event.add("status", "TENTATIVE")
    event.add("transp", "TRANSPARENT" if kind == "deadline" else "OPAQUE")
    evidence = suggestion.get("evidence") or {}
    description = f'Suggested by deskdraft from: "{evidence.get("text", "")}"'
    if suggestion.get("confidence") is not None:
        description += f" (confidence {suggestion['confidence']})"
    event.add("description", description)
    for address in suggestion.get("attendees") or []:
        attendee = _attendee(str(address))
        if attendee is not None:
            event.add("attendee", attendee, encode=False)
    return event


def suggestions_to_ics(
    suggestions: Iterable[Mapping[str, Any] | Any], *, stamp: datetime | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per suggestion (``Suggestion`` objects or their JSON)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    moment = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    for index, suggestion in enumerate(suggestions):
        data = suggestion if isinstance(suggestion, Mapping) else suggestion.to_json()
        calendar.add_component(_event(index, data, moment))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
