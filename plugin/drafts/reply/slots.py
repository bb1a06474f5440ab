"""The pieces of a reply plan: the asks found in the mail and the slots of the reply."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: A visible placeholder the user fills in; the pane highlights it.
PLACEHOLDER = re.compile(r"\[(?:Answer|Add)[^\]]*\]")
_GIST_CHARS = 90


@dataclass(slots=True)
class Ask:
    text: str
    start: int
    end: int
    document_id: str | None
    #: yes_no | open | request | meeting
    kind: str
    #: "intent", "calendar", or None when the reply leaves a placeholder.
    answered_by: str | None = None
    #: Made by a statement or a question that does not name the reader ("We need to be able
    #: to see them", "Going forward, should we …?"): a plain "Yes"/"Done" does not answer it
    #: unless the user's words touch it (``matching.match_clauses``).
    implied: bool = False
    #: "rules" (``asks.find_asks``), or "answer": a sentence the rules passed over that the
    #: user's own words answer (``revealed``).
    found_by: str = "rules"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "answered_by": self.answered_by,
            "found_by": self.found_by,
            "sources": [
                {
                    "from": "mail",
                    "start": self.start,
                    "end": self.end,
                    "document_id": self.document_id,
                }
            ],
        }


@dataclass(slots=True)
class Slot:
    #: greeting | acknowledge | answer | placeholder | meeting | request | sign_off
    role: str
    text: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: Indexes of the asks this slot answers or leaves open.
    asks: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "text": self.text, "sources": self.sources, "asks": self.asks}

    def from_intent(self) -> bool:
        """Whether the slot says something the user's intent gave."""
        return any(source.get("from") == "intent" for source in self.sources)


def placeholder(ask: Ask) -> str:
    gist = " ".join(ask.text.replace("[", "(").replace("]", ")").split())
    if len(gist) > _GIST_CHARS:
        gist = gist[: _GIST_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"[Answer: {gist}]"


def unlabelled(text: str) -> str:
    """``text`` with the placeholders' own label dropped: what is left is quoted mail."""
    return PLACEHOLDER.sub(lambda m: m.group()[1:-1].split(":", 1)[-1], text)


__all__ = ["PLACEHOLDER", "Ask", "Slot", "placeholder", "unlabelled"]
