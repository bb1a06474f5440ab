"""What the user wants to say back: the intent of a reply.

An intent is one of a few short choices the pane offers from the mail itself (accept or
decline a proposed time, yes, no, "I'll get back to you by <day>", ask for the missing
file) or free text. Free text is a fact source like the mail: what it says may appear in
the reply. ``parse_intent`` reads either form; ``offered_intents`` lists the choices that
fit one message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from connectors.quotes import plain_quotes

KINDS = ("accept", "decline", "yes", "no", "later", "missing_file", "free")
_YES = re.compile(
    r"^\s*(?:yes|yep|yeah|sure|ok(?:ay)?|sounds good|fine|agreed|will do)"
    r"\s*[.!]*\s*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:no|nope|not this time|no thanks|no,? thank you)\s*[.!]*\s*$", re.IGNORECASE
)
_ACCEPT = re.compile(
    r"^\s*(?:accept|accept the (?:proposed )?time|that time works|"
    r"works for me)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_DECLINE = re.compile(
    r"^\s*(?:decline|decline the (?:proposed )?time|can't make it|"
    r"cannot make it)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_LATER = re.compile(
    r"^\s*(?:later\s*:\s*|i'?ll get back to you(?: on this)? by\s+)"
    r"(?P<day>[\w ,/]+?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_MISSING = re.compile(
    r"^\s*(?:missing[_ ]file|ask for the missing (?:file|attachment))"
    r"\s*[.!]*\s*$",
    re.IGNORECASE,
)
_ATTACHMENT_CUE = re.compile(
    r"\b(?:attached|attachment|enclosed|see the file|the file below)\b", re.IGNORECASE
)
MAX_FREE_CHARS = 2000


@dataclass(slots=True)
class Intent:
    kind: str
    #: The words the reply may quote: the free text, or the day of "later".
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}

    def label(self) -> str:
        return {
            "accept": "Accept the time",
            "decline": "Decline the time",
            "yes": "Yes",
            "no": "No",
            "later": f"I'll get back to you by {self.text}",
            "missing_file": "Ask for the missing file",
        }.get(self.kind, self.text)

    def value(self) -> str:
        """The string that ``parse_intent`` reads back as this intent."""
        return {
            "later": f"later:{self.text}",
            "missing_file": "missing_file",
            "free": self.text,
        }.get(self.kind, self.kind)


def parse_intent(raw: str | None) -> Intent | None:
    """An intent from a chip value ("yes", "later:Friday") or from free text."""
    if raw is None or not raw.strip():
        return None
    # typed in Outlook or on a Mac, "I’ll get back to you by Friday" and "that’s all" come
    # with typographic quotes; every intent and matcher pattern reads the plain ones
    text = plain_quotes(" ".join(raw.split())[:MAX_FREE_CHARS])
    for kind, pattern in (
        ("yes", _YES),
        ("no", _NO),
        ("accept", _ACCEPT),
        ("decline", _DECLINE),
        ("missing_file", _MISSING),
    ):
        if pattern.match(text):
            return Intent(kind)
    later = _LATER.match(text)
    if later:
        return Intent("later", later.group("day").strip())
    return Intent("free", text)


def next_working_day(moment: datetime | date) -> str:
    """The weekday name of the next working day after ``moment``."""
    day = moment.date() if isinstance(moment, datetime) else moment
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.strftime("%A")


def offered_intents(
    *,
    has_meeting: bool,
    has_yes_no: bool,
    mentions_attachment: bool,
    has_attachment: bool,
    today: date,
) -> list[Intent]:
    """The chips for one message, most specific first."""
    offered: list[Intent] = []
    if has_meeting:
        offered += [Intent("accept"), Intent("decline")]
    if has_yes_no:
        offered += [Intent("yes"), Intent("no")]
    offered.append(Intent("later", next_working_day(today)))
    if mentions_attachment and not has_attachment:
        offered.append(Intent("missing_file"))
    return offered


def mentions_attachment(text: str) -> bool:
    return bool(_ATTACHMENT_CUE.search(text))


__all__ = [
    "KINDS",
    "Intent",
    "mentions_attachment",
    "next_working_day",
    "offered_intents",
    "parse_intent",
]
