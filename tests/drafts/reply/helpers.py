"""What the reply tests share: a mail, its plan with a fixed profile, and calendars; the
asks found in a text, and which sentence answered each ask of a plan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connectors.document import Document
from connectors.errors import TransientError
from plugin.drafts.reply.asks import find_asks
from plugin.drafts.reply.intents import parse_intent
from plugin.drafts.reply.plan import build_plan
from plugin.drafts.reply.voice import Profile

SENT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday
PROFILE = Profile(user="bob@example.com", name="Bob", greeting="Hi", sign_off="Cheers,")


def mail(
    text: str,
    *,
    author: str = "Ann Lee <ann@example.com>",
    title: str = "Q3 budget",
    to: list[str] | None = None,
    date: datetime = SENT,
    thread: str = "",
    doc_id: str = "m1",
    quoted: str = "",
) -> Document:
    return Document(
        id=doc_id,
        kind="email",
        source=f"{doc_id}.eml",
        title=title,
        author=author,
        to=to or ["Bob Stone <bob@example.com>"],
        date=date,
        thread_key=thread,
        text=text,
        quoted=quoted,
    )


def plan_of(document: Document, intent: str | None = None, **kwargs: Any):
    return build_plan(document, intent=parse_intent(intent), profile=PROFILE, **kwargs)


def roles(plan: Any) -> list[str]:
    return [slot.role for slot in plan.slots]


def asks_of(text: str, reader_names: set[str] | None = None) -> list[str]:
    document = Document(id="m1", kind="email", source="m1.eml", title="Plans", text=text)
    return [ask.text for ask in find_asks(document, reader_names or set(), [])]


def answered(plan: Any) -> list[str | None]:
    return [ask.answered_by for ask in plan.asks]


class BusyAt:
    """A calendar busy over the given (start, end) intervals."""

    def __init__(self, *busy: tuple[datetime, datetime]) -> None:
        self.busy = list(busy)
        self.asked: list[tuple[datetime, datetime]] = []

    def busy_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        self.asked.append((start, end))
        return [(s, e) for s, e in self.busy if s < end and e > start]


class DeadCalendar:
    def busy_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        raise TransientError("connection refused", item="ews://cal.example.com/Calendar")
