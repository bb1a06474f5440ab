"""Create a calendar item; a draft is saved without sending any invitation."""

from __future__ import annotations

from typing import Any

from connectors.calendar import NewEvent
from connectors.ews.errors import Backoff


def create_event(account: Any, backoff: Backoff, event: NewEvent) -> str:
    from exchangelib import CalendarItem, EWSDateTime, EWSTimeZone
    from exchangelib.items import SEND_ONLY_TO_ALL, SEND_TO_NONE

    try:
        tz = EWSTimeZone(event.timezone)
    except Exception:
        tz = EWSTimeZone("UTC")
    item = CalendarItem(
        account=account,
        folder=account.calendar,
        subject=event.subject,
        body=event.body,
        location=event.location or None,
        start=EWSDateTime.from_datetime(event.start).astimezone(tz),
        end=EWSDateTime.from_datetime(event.end).astimezone(tz),
        required_attendees=list(event.attendees) or None,
        legacy_free_busy_status="Tentative" if event.draft else "Busy",
        categories=["deskdraft draft"] if event.draft else None,
    )
    disposition = SEND_TO_NONE if event.draft else SEND_ONLY_TO_ALL
    saved = backoff.call(
        f"create event {event.subject!r}",
        lambda: item.save(send_meeting_invitations=disposition),
    )
    return str(saved.id)
