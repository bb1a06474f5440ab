"""Features of who writes a mail, not what it is about (issue #18, round 3).

A person writes "I" and "you", greets one reader by name, signs with a first name, asks
questions and keeps it short; an organisation's notice, bulletin or mailing does none of
that. These features matter most for mail whose headers are gone (the Enron bodies), where
the MiniLM embedding alone confuses a colleague's note about prices with a price bulletin.
Each is a number in [0, 1], next to the header signals in the category classifier.
"""

from __future__ import annotations

import re

import numpy as np

from connectors.document import Document
from connectors.mailcategory import FIRST_PERSON

#: The order the classifier sees them in (``categories_weights.json`` names them too).
AUTHOR_FEATURES = (
    "i_rate",
    "you_rate",
    "one_greeting",
    "signed_name",
    "closing_thanks",
    "question",
    "short",
)
#: Characters of the text the rates are counted over: the author's own text comes first.
TEXT_CHARS = 3000
#: Below this many characters a mail counts as short (a note, not a bulletin).
SHORT_CHARS = 700

_YOU = re.compile(r"\b(?:you|your|you're|you'll|you've)\b", re.I)
#: "Jim:", "Hi Mike,", "Dear Mr. Casamento," at the start of a line: one named reader.
_ONE_GREETING = re.compile(
    r"^\s*(?:(?i:hi|hello|hey|dear)\s+)?(?:(?i:mr|ms|mrs|dr)\.?\s+)?"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*[:,!-]",
    re.M,
)
#: ... unless it greets a group or an unnamed reader ("Dear Customer", "Hi all").
_GROUP = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear)\s+)?(?:all|everyone|team|folks|guys|friends?|customers?|"
    r"members?|colleagues|subscribers?)\b",
    re.I,
)
#: The text ends in a first name or initials, perhaps after a closing: "Thanks, Jim", "Sara", "PL".
_SIGNED = re.compile(
    r"(?:^|[\n.!,]\s*)(?:thanks|thank you|regards|best|cheers|sincerely|love)?[,.!]?\s*"
    r"(?:-\s*)?(?:[A-Z][a-z]{0,11}|[A-Z]{1,3})\s*$"
)
_CLOSING = re.compile(r"\b(?:thanks|thank you|regards|cheers)\b", re.I)


def author_vector(document: Document) -> np.ndarray:
    """The ``AUTHOR_FEATURES`` of one mail, in order."""
    text = document.text[:TEXT_CHARS]
    words = max(1, len(text.split()))
    head = text[:200]
    tail = text[-200:].strip()
    return np.array(
        [
            min(1.0, 10 * len(FIRST_PERSON.findall(text)) / words),
            min(1.0, 10 * len(_YOU.findall(text)) / words),
            float(bool(_ONE_GREETING.search(head)) and not _GROUP.search(head)),
            float(bool(_SIGNED.search(tail))),
            float(bool(_CLOSING.search(tail[-80:]))),
            float("?" in text[:1500]),
            float(len(document.text) < SHORT_CHARS),
        ]
    )


__all__ = ["AUTHOR_FEATURES", "author_vector"]
