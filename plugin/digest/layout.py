"""What goes where in a digest: "needs you", mail from people, and one line per category.

A thread *needs you* when a person asks the reader something in it (``plugin.drafts.summary.asks``),
or it carries a deadline or a meeting proposal for the reader; only threads that can ask
at all (person-to-person mail, or list mail a person addressed to the reader) qualify.
The other person-to-person threads follow. Everything else (newsletters and lists,
notifications, receipts, marketing, cold outreach) is collapsed into one line per
category with a count: "12 newsletters and lists, 5 notifications". HTML, plain text and
the JSON the pane reads all use this order (``SECTIONS``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any

from connectors.document import Document
from connectors.mailcategory import CATEGORIES, OUTREACH, PERSON
from plugin.drafts.summary.asks import may_ask, reader_asks

NEEDS_YOU = "needs_you"
PEOPLE = "people"
COLLAPSED = "collapsed"
SECTIONS = (NEEDS_YOU, PEOPLE, COLLAPSED)
#: (one, many) for the collapsed lines.
CATEGORY_NOUNS = {
    PERSON: ("message from a person", "messages from people"),
    "list": ("newsletter or list mail", "newsletters and list mails"),
    "notification": ("notification", "notifications"),
    "receipt": ("receipt", "receipts"),
    "marketing": ("marketing mail", "marketing mails"),
    OUTREACH: ("cold outreach", "cold outreach mails"),
}


def addresses(values: Sequence[str] | str) -> set[str]:
    items = [values] if isinstance(values, str) else list(values)
    return {addr.lower() for _, addr in getaddresses(items) if addr}


def category_of(document: Document) -> str:
    return str(document.metadata.get("category") or PERSON)


def thread_category(thread: Sequence[Document]) -> str:
    """A conversation with a person in it is person-to-person; otherwise its latest kind."""
    kinds = [category_of(d) for d in thread]
    return PERSON if PERSON in kinds else kinds[-1]


@dataclass(slots=True)
class Placement:
    category: str
    section: str
    reasons: list[str] = field(default_factory=list)
    asks: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def importance(self) -> float:
        return float(len(self.reasons))


def can_ask(thread: Sequence[Document], reader: set[str]) -> bool:
    return any(
        may_ask(
            category_of(d),
            d.metadata.get("signals") or [],
            bool(addresses([*d.to, *d.cc]) & reader),
        )
        for d in thread
    )


def place(
    thread: Sequence[Document],
    reader: set[str],
    correspondents: set[str],
    meetings: Sequence[dict[str, Any]],
) -> Placement:
    """Section and reasons of one thread (``meetings``: suggestions for its latest mail)."""
    category = thread_category(thread)
    asks = [
        {**item.to_json(), "cue": item.cue}
        for doc in thread
        for item in reader_asks(doc, bool(addresses([*doc.to, *doc.cc]) & reader))
    ]
    able = can_ask(thread, reader) and category != OUTREACH
    kept = list(meetings) if able else []
    reasons: list[str] = []
    if any(addresses(doc.to) & reader for doc in thread):
        reasons.append("addressed to you")
    if any(addresses(doc.author) & correspondents for doc in thread):
        reasons.append("from someone you write to")
    if asks and able:
        reasons.append("asks something of you")
    if any(m.get("kind") == "deadline" for m in kept):
        reasons.append("has a deadline")
    if any(m.get("kind") == "meeting" for m in kept):
        reasons.append("proposes a meeting")
    needs_you = able and any(
        r in reasons for r in ("asks something of you", "has a deadline", "proposes a meeting")
    )
    section = NEEDS_YOU if needs_you else PEOPLE if category == PERSON else COLLAPSED
    return Placement(category, section, reasons, asks if able else [], kept)


def collapsed_lines(categories: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    """One line per category: ``{"category", "count", "label"}``, in ``CATEGORIES`` order."""
    counts: Counter[str] = Counter()
    for category, messages in categories:
        counts[category] += messages
    out = []
    for category in CATEGORIES:
        count = counts.get(category, 0)
        if count:
            one, many = CATEGORY_NOUNS[category]
            out.append(
                {
                    "category": category,
                    "count": count,
                    "label": f"{count} {one if count == 1 else many}",
                }
            )
    return out


__all__ = [
    "COLLAPSED",
    "NEEDS_YOU",
    "PEOPLE",
    "SECTIONS",
    "Placement",
    "addresses",
    "can_ask",
    "collapsed_lines",
    "place",
    "thread_category",
]
