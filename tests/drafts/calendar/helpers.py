"""What the calendar tests share: a fixed send time, its zone, short ways to read a text,
and a dozen labelled mails in four mailboxes for the training tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from connectors.document import Document
from plugin.drafts.calendar.evaluation import LabelledMessage
from plugin.drafts.calendar.features import candidates
from plugin.drafts.calendar.mention import TimeMention
from plugin.drafts.calendar.parse import extract_times

CHICAGO = ZoneInfo("America/Chicago")
# Wednesday 25 November 2026, 09:00 in Chicago.
WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=CHICAGO)
FRIDAY = date(2026, 11, 27)
# Monday 15 October 2001, 08:00 in Chicago: the send time of the labelled mails below.
MONDAY = datetime(2001, 10, 15, 8, tzinfo=CHICAGO)


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


def labelled_mail(index: int, body: str, starts: list[str]) -> LabelledMessage:
    """The ``index``-th of ``LABELLED_MAILS``: three a mailbox (box0 … box3), sent on ``MONDAY``."""
    return LabelledMessage(
        file=f"data/aeslc-dev/box{index // 3}_inbox_{index}.subject",
        text=body,
        reference=MONDAY,
        zone=CHICAGO,
        expected=[{"start": start} for start in starts],
        split="train",
        subject="Budget" if index % 2 else "",
    )


#: Twelve short mails in four mailboxes (``labelled_mail``), half naming an event.
LABELLED_MAILS = [
    ("Can we meet Wednesday at 3pm to go over the budget?", ["2001-10-17T15:00:00"]),
    ("The hearing was moved. The report is dated October 20.", []),
    ("Please join us for lunch Thursday at noon in EB 32C2.", ["2001-10-18T12:00:00"]),
    ("I will be out Friday. Prices for 10/22 are attached.", []),
    ("Let's have a call tomorrow at 10am.", ["2001-10-16T10:00:00"]),
    ("Volumes for 10/19 and 10/20 are in the sheet.", []),
    ("Are you free Thursday at 2pm for a review?", ["2001-10-18T14:00:00"]),
    ("The index was published on 10/25, effective 11/1.", []),
    ("Dinner Friday at 7pm? Let me know.", ["2001-10-19T19:00:00"]),
    ("My flight leaves Wednesday at 6am.", []),
    ("The training session is on Tuesday at 9am, please attend.", ["2001-10-16T09:00:00"]),
    ("Trades on 10/17 closed at 5pm.", []),
]
