"""The small calendar and send-mail interfaces that Exchange (EWS) and Graph both implement.

Drafts and digests use these without knowing which server is behind them::

    from connectors.base import open_source
    from connectors.calendar import CalendarSource, MailSender, NewEvent

    source = open_source("graph://me@contoso.onmicrosoft.com/Inbox", options)
    if isinstance(source, CalendarSource):
        busy = source.busy_intervals(start, end)      # [(start, end), ...] aware UTC, merged
        event_id = source.create_event(NewEvent("Review", start, end, attendees=["a@b.c"]))
    if isinstance(source, MailSender):
        source.send_mail(email_message)               # an email.message.EmailMessage
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Protocol, runtime_checkable

from connectors.errors import UsageError

BusyInterval = tuple[datetime, datetime]


@dataclass(slots=True)
class NewEvent:
    """A calendar item to create.

    ``draft=True`` (the default) means no invitation leaves the server: EWS saves the meeting
    with ``SendMeetingInvitations="SendToNone"``; Graph, which always invites the attendees
    of a new event, gets the event without attendees and the proposed attendees listed in
    the body. The user reviews and sends it from Outlook.
    """

    subject: str
    start: datetime
    end: datetime
    body: str = ""
    location: str = ""
    attendees: list[str] = field(default_factory=list)
    #: IANA zone the event is shown in; the times themselves are aware.
    timezone: str = "UTC"
    draft: bool = True

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise UsageError(f"event {self.subject!r}: start and end must be timezone-aware")
        if self.end <= self.start:
            raise UsageError(f"event {self.subject!r}: end must be after start")


@runtime_checkable
class CalendarSource(Protocol):
    def busy_intervals(self, start: datetime, end: datetime) -> list[BusyInterval]:
        """Busy (also tentative and out-of-office) time between ``start`` and ``end``:
        sorted, overlaps merged, aware datetimes in UTC."""
        ...

    def create_event(self, event: NewEvent) -> str:
        """Create the item and return the server's id for it."""
        ...


@runtime_checkable
class MailSender(Protocol):
    def send_mail(self, msg: EmailMessage) -> None:
        """Send ``msg`` (From is the mailbox itself) and keep a copy in Sent Items."""
        ...


def merge_intervals(intervals: Iterable[BusyInterval]) -> list[BusyInterval]:
    """Sort, convert to UTC and merge overlapping or touching intervals."""
    ordered = sorted((s.astimezone(UTC), e.astimezone(UTC)) for s, e in intervals if e > s)
    merged: list[BusyInterval] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def require_aware(*values: datetime) -> None:
    for value in values:
        if value.tzinfo is None:
            raise UsageError(f"{value.isoformat()}: a timezone-aware datetime is required")
