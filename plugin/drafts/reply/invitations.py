"""An invitation is one ask: its RSVP sentence when it has one, else its first line
("Please join us …"); further lines of it ("Please bring your families") are details."""

from __future__ import annotations

import re

from plugin.drafts.reply.slots import Ask

_INVITATION = re.compile(
    r"\b(?:please|kindly)\s+(?:join|come|attend)\b"
    r"|\byou(?:'re|\s+are)\s+(?:cordially\s+)?invited\b|\bwe\s+invite\s+you\b",
    re.I,
)
#: Further lines of an invitation ("Please bring your families …").
_INVITATION_DETAIL = re.compile(r"\b(?:please|kindly)\s+(?:bring|wear|dress)\b", re.I)
#: An ask that answers for the invitation: the RSVP in its own sentence.
_RSVP = re.compile(
    r"\blet\s+(?:me|us)\s+know\b|\brsvp\b|\b(?:confirm|reply|respond)\b|\bbring\b|\battend",
    re.I,
)


def one_ask_per_invitation(asks: list[Ask]) -> list[Ask]:
    """The asks with each invitation's lines folded into one: its RSVP if the mail has
    one, else the invitation's first line."""
    if not any(_INVITATION.search(a.text) for a in asks):
        return asks
    lines = [a for a in asks if _INVITATION.search(a.text) or _INVITATION_DETAIL.search(a.text)]
    others = [a for a in asks if a not in lines]
    if any(_RSVP.search(a.text) for a in others):
        return others
    return sorted([*others, lines[0]], key=lambda ask: ask.start)


__all__ = ["one_ask_per_invitation"]
