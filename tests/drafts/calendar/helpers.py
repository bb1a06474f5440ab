"""What the calendar tests share: a fixed send time, its zone, and short ways to read a text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from connectors.document import Document
from plugin.drafts.calendar.features import candidates
from plugin.drafts.calendar.mention import TimeMention
from plugin.drafts.calendar.parse import extract_times

CHICAGO = ZoneInfo("America/Chicago")
# Wednesday 25 November 2026, 09:00 in Chicago.
WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=CHICAGO)
FRIDAY = date(2026, 11, 27)


def at(y: int, mo: int, d: int, h: int, mi: int = 0, zone: object = CHICAGO) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=zone)  # type: ignore[arg-type]


def only(text: str, reference: datetime = WEDNESDAY, zone: object = None) -> TimeMention:
    """The one mention ``text`` holds."""
    mentions = extract_times(text, reference, zone)  # type: ignore[arg-type]
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


def candidate_starts(text: str) -> list[object]:
    """The starts of ``text``'s candidates, sent on ``WEDNESDAY`` in Chicago."""
    return [c.mention.start for c in candidates(text, WEDNESDAY, CHICAGO)[1]]


def mail(text: str, title: str = "Budget review", date_: datetime = WEDNESDAY) -> Document:
    return Document(
        id="doc-1",
        kind="email",
        source="inbox/1.eml",
        title=title,
        author="Ann Lee <ann@example.com>",
        to=["bob@example.com"],
        cc=["Cy <cy@example.com>"],
        date=date_,
        text=text,
    )
