"""Asks that are real: a person asking the reader something in the author's own text.

``action_items`` finds every request-shaped sentence in a text; a digest must not flag a
newsletter's "Read the full story" or a bounce's "please check the address". Here a mail
asks the reader only when

* its category (``plugin.drafts.triage.categories``) is ``person`` or ``outreach``, or it
  is ``list`` mail that a person addressed to the reader personally (the reader in To or
  Cc, no bulk-mail signals); automated, receipt and marketing mail never asks;
* a request sentence in the new text (never the quoted history) survives the courtesy
  filter: "let me know if you need anything else", "please join me in congratulating",
  "if you are outside the US, please contact HR" are manners, not asks.

Measured on the hand labels (``bench/digest.py``; docs/digest.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from connectors.document import Document
from connectors.mailcategory import LIST, OUTREACH, PERSON
from plugin.drafts.base import Span
from plugin.drafts.summary.actions import ActionItem, due_phrase, extract_actions, request_cue
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.triage.categories import BULK_SIGNALS

#: A person's manners: "let me know if you need anything else", "please join me in …".
_MANNERS = (
    r"\blet\s+(?:me|us)\s+know\s+if\s+(?:you|there)\s+(?:need|have|has|are\s+any|is\s+any)"
    r"|\blet\s+(?:me|us)\s+know\s+if\s+you\s+(?:wish|want|would\s+like)\s+to\s+"
    r"(?:discuss|talk|chat|go\s+over)\b"
    r"|\bplease\s+join\s+(?:me|us)\b"
    r"|\bif\s+you\s+(?:have|had)\s+(?:any\s+)?(?:questions?|comments?|concerns?|problems?)\b"
    r"|^\s*if\s+you\s+(?:are|were|would\s+like|wish|want|need)\b"
    # information formulas: "please be advised that …", "please find attached …"
    r"|\bplease\s+(?:be\s+advised|note|take\s+note|find\s+(?:attached|enclosed|below)"
    r"|see\s+(?:attached|below|the\s+attached))\b"
    r"|\bfeel\s+free\s+to\b"
    # advice, not an ask: "Keep in mind what would be a reasonable sale value"
    r"|\b(?:keep|bear)\s+in\s+mind\b"
    # sympathy: "I am sorry you have to endure this"
    r"|^\s*(?:i\s+am|i'm|we\s+are|we're)\s+(?:so\s+|very\s+)?sorry\b"
)
_MANNERS_ONLY = re.compile(_MANNERS, re.IGNORECASE)
#: Manners, and the calls to action of bulk mail ("please forward to a friend").
_COURTESY = re.compile(
    _MANNERS + r"|\b(?:please|kindly)\s+(?:sign\s+up|register|subscribe|visit|click|forward)\b"
    r"|\bdo\s+not\s+reply\b|\bunsubscribe\b",
    re.IGNORECASE,
)
#: Asks that ``action_items`` does not know: "Just wondering if I could have a response".
_SOFT_ASK = re.compile(
    r"\b(?:i\s+was|i'm|i\s+am|just)\s+wondering\s+(?:if|whether)\b"
    r"|\bwould\s+you\s+(?:be\s+)?(?:willing|able|interested)\b"
    r"|\bany\s+(?:hope|chance)\b[^?]{0,80}\?"
    r"|\b(?:i\s+was|i'm|i\s+am|we\s+were|we\s+are)\s+hoping\s+(?:that\s+)?(?:maybe\s+)?"
    r"(?:we|you)\s+(?:could|can|might)\b"
    r"|\bfollowing\s+up\s+to\s+see\s+if\b"
    r"|\b(?:i'd|i\s+would|we'd|we\s+would)\s+(?:love|like)\s+(?:the\s+(?:chance|opportunity)\s+)?"
    r"to\s+(?:speak|talk|meet|chat)\s+with\s+you\b"
    r"|(?:してください|教えてください|いただけないでしょうか|いただけますか|お願いいたします)",
    re.IGNORECASE,
)


def is_manners(sentence: str) -> bool:
    """A person's courtesy formula, not an ask: "let me know if you need anything else".
    (Unlike ``is_request``, a person's "please forward these to the City" stays an ask.)"""
    return bool(_MANNERS_ONLY.search(sentence))


def is_request(sentence: str) -> bool:
    """A request or question to the reader that is not a courtesy formula."""
    if _COURTESY.search(sentence):
        return False
    return bool(request_cue(sentence) or _SOFT_ASK.search(sentence))


def may_ask(category: str, signals: Iterable[str], addressed: bool) -> bool:
    """Whether mail of this category can ask the reader at all (list mail only when it is
    addressed to the reader and not sent in bulk: newsletters are addressed to you too)."""
    if category in (PERSON, OUTREACH):
        return True
    return category == LIST and addressed and not (BULK_SIGNALS & set(signals))


def real_asks(text: str, document_id: str | None = None) -> list[ActionItem]:
    """The request sentences of ``text`` that are asks and not manners."""
    items = [
        item
        for item in extract_actions(text, document_id=document_id)
        if not _COURTESY.search(item.text)
    ]
    seen = {item.text for item in items}
    for sentence in split_sentences(text):
        if (
            sentence.text.strip() not in seen
            and _SOFT_ASK.search(sentence.text)
            and not _COURTESY.search(sentence.text)
        ):
            items.append(
                ActionItem(
                    text=sentence.text.strip(),
                    owner=None,
                    due=due_phrase(sentence.text),
                    sources=[Span(sentence.start, sentence.end, document_id)],
                    cue="ask",
                )
            )
    return sorted(items, key=lambda item: item.sources[0].start if item.sources else 0)


def reader_asks(document: Document, addressed: bool) -> list[ActionItem]:
    """What ``document`` asks of its reader (empty when it asks nothing).

    ``addressed``: the reader is a direct recipient (To or Cc), not only a list.
    """
    category = str(document.metadata.get("category") or PERSON)
    if not may_ask(category, document.metadata.get("signals") or [], addressed):
        return []
    return real_asks(document.text, document.id)


__all__ = ["is_manners", "is_request", "may_ask", "reader_asks", "real_asks"]
