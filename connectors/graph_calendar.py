"""Graph calendar and mail-sending operations: calendar view, create event, sendMail."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

from connectors.calendar import BusyInterval, NewEvent, merge_intervals, require_aware
from connectors.graph_http import GraphHttp
from connectors.timezones import iana_to_windows, zone

#: ``showAs`` values that block time; "free" and "workingElsewhere" do not.
BUSY_STATES = {"busy", "tentative", "oof", "unknown"}


def graph_datetime(value: dict[str, Any] | None) -> datetime | None:
    """A Graph ``dateTimeTimeZone`` ({"dateTime": "...", "timeZone": "..."}) as aware UTC."""
    if not value or not value.get("dateTime"):
        return None
    text = str(value["dateTime"])
    # Graph sends seven fractional digits; Python reads at most six.
    if "." in text:
        head, frac = text.split(".", 1)
        digits = "".join(ch for ch in frac if ch.isdigit())[:6]
        text = f"{head}.{digits}" if digits else head
    parsed = datetime.fromisoformat(text.rstrip("Z"))
    if parsed.tzinfo is None:
        tz = zone(value.get("timeZone")) or UTC
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def busy_intervals(
    http: GraphHttp, mailbox: str, start: datetime, end: datetime
) -> list[BusyInterval]:
    require_aware(start, end)
    params = {
        "startDateTime": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endDateTime": end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "$select": "start,end,showAs,isCancelled,isAllDay",
        "$top": "100",
    }
    intervals: list[BusyInterval] = []
    for page in http.pages(
        f"users/{quote(mailbox)}/calendarView",
        params=params,
        headers={"Prefer": 'outlook.timezone="UTC"'},
        what="calendar view",
    ):
        for event in page.get("value", []):
            if event.get("isCancelled") or str(event.get("showAs", "busy")) not in BUSY_STATES:
                continue
            s, e = graph_datetime(event.get("start")), graph_datetime(event.get("end"))
            if s and e:
                intervals.append((max(s, start.astimezone(UTC)), min(e, end.astimezone(UTC))))
    return merge_intervals(intervals)


def _time(value: datetime, tz_name: str) -> dict[str, str]:
    windows = iana_to_windows(tz_name)
    tz = zone(tz_name) if windows else None
    if windows and tz is not None:
        local = value.astimezone(tz).replace(tzinfo=None)
        return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": windows}
    utc = value.astimezone(UTC).replace(tzinfo=None)
    return {"dateTime": utc.isoformat(timespec="seconds"), "timeZone": "UTC"}


def event_payload(event: NewEvent) -> dict[str, Any]:
    body = event.body
    attendees: list[dict[str, Any]] = []
    if event.draft:
        # Graph sends invitations as soon as an event has attendees; a draft keeps them
        # in the body for the user to add when they send it from Outlook.
        if event.attendees:
            body = (
                (body + "\n\n" if body else "")
                + "Proposed attendees: "
                + ", ".join(event.attendees)
            )
    else:
        attendees = [
            {"emailAddress": {"address": address}, "type": "required"}
            for address in event.attendees
        ]
    payload: dict[str, Any] = {
        "subject": event.subject,
        "body": {"contentType": "text", "content": body},
        "start": _time(event.start, event.timezone),
        "end": _time(event.end, event.timezone),
        "attendees": attendees,
        "showAs": "tentative" if event.draft else "busy",
        "isReminderOn": not event.draft,
    }
    if event.location:
        payload["location"] = {"displayName": event.location}
    if event.draft:
        payload["categories"] = ["deskdraft draft"]
    return payload


def create_event(http: GraphHttp, mailbox: str, event: NewEvent) -> str:
    response = http.request(
        "POST",
        f"users/{quote(mailbox)}/events",
        json=event_payload(event),
        what=f"create event {event.subject!r}",
    )
    return str(response.json()["id"])


def send_mail(http: GraphHttp, mailbox: str, msg: EmailMessage) -> None:
    """sendMail with the message as MIME: Graph keeps every header and part as composed."""
    mime = base64.b64encode(msg.as_bytes())
    http.request(
        "POST",
        f"users/{quote(mailbox)}/sendMail",
        data=mime,
        headers={"Content-Type": "text/plain"},
        what=f"send mail {str(msg.get('Subject', ''))!r}",
    )
