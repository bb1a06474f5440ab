"""Small talk in a mail ("How are you?", "What's new?"): an ask the reply answers only
with the user's own words about how they are, never with a placeholder."""

from __future__ import annotations

import re

#: "How are you?", "What's going on?": small talk. The reply answers it when the user's
#: own words say how they are, and never leaves a placeholder for it.
SMALL_TALK = re.compile(
    r"(?:\bhow(?:'s|’s|s|\s+is|\s+are)\s+(?:is\s+|are\s+)?(?:you|ya|things|everything|it|tricks|"
    r"life|the\s+family)"
    r"|\bwhat(?:'s|’s|s|\s+is)\s+(?:going\s+on|up|new)|\banything\s+(?:new|interesting))"
    r"(?:\s+(?:doing|going|today|these\s+days|lately|my\s+friend|cuz|there|with\s+you|"
    r"in\s+your\s+world|up\s+there|down\s+there|anyway))*\s*[?!.]*\s*$",
    re.I,
)


def is_small_talk(text: str) -> bool:
    """ "Hey how's everything going?" but not "How's the Sun Devil project going?"."""
    return bool(SMALL_TALK.search(text)) and len(text.split()) <= 12


__all__ = ["SMALL_TALK", "is_small_talk"]
