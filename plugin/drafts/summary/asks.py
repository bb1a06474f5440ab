"""Asks that are real: a person asking the reader something in the author's own text.

``action_items`` finds every request-shaped sentence in a text; a digest must not flag a
newsletter's "Read the full story" or a bounce's "please check the address". Here a mail
asks the reader only when

* its category (``plugin.drafts.triage.categories``) is ``person`` or ``outreach``, or it
  is ``list`` mail that a person addressed to the reader personally (the reader in To or
  Cc, no bulk-mail signals); automated, receipt and marketing mail never asks;
* a request sentence in the new text (never the quoted history) survives the courtesy
  filter: "let me know if you need anything else", "please join me in congratulating",
  "if you are outside the US, please contact HR" are manners, not asks; so are
  information lines and pointers ("Note that Section 3.4 will be removed", "See Slides
  55 through 57");
* or a sentence asks without the shape ``action_items`` knows: "Have you been able to get
  any information", "I need to know where the offset is", "Attached for your review",
  "Kevin to provide the capital structure" (``_SOFT_ASK``).

Measured on the hand labels (``bench/digest.py``; docs/digest.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from connectors.document import Document
from connectors.mailcategory import LIST, OUTREACH, PERSON
from plugin.drafts.base import Span
from plugin.drafts.summary.actions import (
    ActionItem,
    asking_condition,
    due_phrase,
    extract_actions,
    request_cue,
)
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.triage.categories import BULK_SIGNALS

#: A person's manners: "let me know if you need anything else", "please join me in …".
_MANNERS = (
    r"\blet\s+(?:me|us)\s+know\s+if\s+you\s+(?:wish|want|would\s+like)\s+to\s+"
    r"(?:discuss|talk|chat|go\s+over)\b"
    # offers of help and trouble reports: "let me know if you find any problem", "… if
    # anyone has a problem with the date", "… if I can be of any assistance"
    r"|\blet\s+(?:me|us)\s+know\s+if\s+(?:you|anyone|anybody|there)\s+(?:\w+\s+){0,2}?"
    r"(?:any|a)\s+(?:\w+\s+)?(?:problems?|issues?|trouble|difficult(?:y|ies)|errors?)\b"
    r"|\bif\s+(?:i|we)\s+can\s+(?:be\s+of\s+(?:any\s+)?(?:further\s+)?"
    r"(?:help|assistance|service)|help|assist)\b"
    r"|\b(?:call|contact|e-?mail|write\s+to|reach)\s+(?:me|us)?\s*(?:with|w/)\s*any\s+(?:further\s+)?"
    r"(?:questions?|concerns?|problems?)\b"
    r"|\bplease\s+join\s+(?:me|us)\b"
    # rhetoric: "Could you imagine the impact on the national economy"
    r"|\b(?:can|could)\s+you\s+(?:imagine|believe)\b"
    # the courtesy needs of ``asking_condition`` ("if you have any comments" asks)
    r"|\bif\s+you\s+(?:have|had)\s+(?:any\s+)?(?:\w+\s+)?(?:questions?|concerns?|problems?)\b"
    # a directory line: "For technical issues, please contact Keith at 713-…"
    r"|^\W*for\s+(?:any\s+|further\s+|more\s+|additional\s+)?(?:\w+\s+)?(?:issues|questions"
    r"|information|info|details|help|assistance|support|problems)\s*,\s*(?:please\s+)?"
    r"(?:contact|call|e-?mail|see|visit|refer\s+to)\b"
    r"|^\W*if\s+you(?:\s+(?:are|were|would\s+like|wish|want|need)|'d\s+like)\b"
    # information formulas: "please be advised that …", "please find attached …",
    # "(please) note that Section 3.4 will be removed", "please also know that …"
    r"|\bplease\s+(?:also\s+)?(?:be\s+advised|note|take\s+note|know\s+that|be\s+aware"
    r"|find\s+(?:attached|enclosed|below)|see\s+(?:attached|below|the\s+attached))\b"
    r"|^\W*(?:also\s+)?(?:note|nb|n\.b\.)\s*(?:that\b|:)"
    # pointing, not asking: "See Slides 55 through 57", "See the website www…",
    # and the farewell "See everyone there around 7:30"
    r"|^\W*(?:also\s+)?see\s+(?:(?:the\s+)?(?:slides?|pages?|sections?|paragraphs?|appendix"
    r"|exhibits?|tables?|charts?|figures?|items?|attach\w*|enclosed|website|web\s*site|site"
    r"|link|article|story|note|memo|report|below|above)\b|www\.|https?:)"
    r"|^\W*see\s+(?:you|everyone|everybody|y'all|you\s+all|all\s+of\s+you)\s+"
    r"(?:there|then|soon|later|tomorrow|tonight|at|on|in|next)\b"
    r"|\bfeel\s+free\s+to\b"
    # advice, not an ask: "Keep in mind what would be a reasonable sale value"
    r"|\b(?:keep|bear)\s+in\s+mind\b"
    # sympathy: "I am sorry you have to endure this"
    r"|^\s*(?:i\s+am|i'm|we\s+are|we're)\s+(?:so\s+|very\s+)?sorry\b"
)
_MANNERS_ONLY = re.compile(_MANNERS, re.IGNORECASE)
#: The calls to action of bulk mail ("please forward this to a friend"); a person's
#: "Please forward to me so I can review the opinion" stays an ask.
_BULK_CALL = re.compile(
    r"\b(?:please|kindly)\s+(?:sign\s+up|register|subscribe|visit|click)\b"
    r"|\b(?:visit|check\s+out|see|browse)\s+our\s+(?:\w+\s+)?(?:web\s*site|site|page|store|catalog)"
    r"|\bforward\s+(?:this|it)\s+(?:\w+\s+)?to\s+(?:a\s+friend|your\s+friends|friends|others"
    r"|colleagues|everyone)\b"
    r"|\bdo\s+not\s+reply\b|\bunsubscribe\b",
    re.IGNORECASE,
)
#: "let me know if you have/need …": a courtesy when what follows is "any" or "anything"
#: and ``asking_condition`` (the one rule for "if you have any X") finds no ask in it:
#: "… any questions" and "… anything else" are manners, "… any comments" and "… an
#: initial interest" are asks.
_LET_KNOW_IF = re.compile(
    r"\blet\s+(?:me|us)\s+know\s+if\s+(?:you|there)\s+(?:need|have|has|are|is)\s+"
    r"(?:any|anything|further|additional|other|more)\b",
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
    # a polite request as a condition: "if you could give us an indication of the price"
    r"|\bif\s+you\s+(?:could|would|can)\s+(?!imagine\b)\w+"
    # a question to the reader without its question mark: "Have you been able to get …"
    r"|^\W*(?:have|did|do|are|will|would|can|could)\s+you\s+(?!imagine\b)\w+"
    # asking for something: "Can I get a standard CA put together", "I would request that
    # these receivables get written off", "I need to know where the offset is", "I would
    # like to get a copy of your talk"
    r"|^\W*(?:can|could|may)\s+(?:i|we)\s+(?:get|have|ask|borrow|see|grab|count\s+on)\b"
    r"|\b(?:i|we)(?:\s+|(?='))(?:would\s+|'d\s+)?(?:request|ask)\s+that\b"
    r"|\b(?:i|we)(?:\s+|(?='))(?:will\s+|'ll\s+|really\s+|still\s+)?need\s+to\s+(?:know|decide|hear|confirm)\b"
    r"|\b(?:i|we)(?:\s+|(?='))(?:would|'d)\s+(?:like|love)\s+to\s+(?:get|have|receive|see|obtain)\b"
    r"[^.?!]{0,40}\byour\b"
    # "I just wanted to check in with Enron to see if …", "it would be useful to know …"
    r"|\bwant(?:ed)?\s+to\s+(?:check|see|find\s+out|ask|confirm)\b[^.?!]{0,40}\b(?:if|whether)\b"
    r"|\bit\s+would\s+be\s+(?:very\s+)?(?:useful|helpful|great|good|nice)\s+"
    r"(?:to\s+(?:know|have|get|hear|see)|if\s+you)\b"
    # a task list: "Kevin to provide capital structure", "Eric, Kevin and Lorraine to
    # outline …"
    r"|^\W*(?!(?:happy|glad|nice|good|great|sorry|ready|able|time|need|want|going|hope|plan"
    r"|like|love|try|how|what|where|when|who|why|remember|just|also|first|then)\b)"
    r"(?-i:[A-Z][a-z]+(?:(?:\s*,\s*|\s+and\s+|\s*/\s*)[A-Z][a-z]+)*)\s+to\s+"
    r"(?:provide|schedule|outline|prepare|review|send|draft|call|contact|calculate|determine"
    r"|coordinate|finalize|follow\s+up|set\s+up|update|check|confirm|arrange|circulate)\b"
    # small talk is still a question to the reader: "So how was your weekend?"
    r"|\b(?:how|what|when|where|which|who)\b[^.?!]{0,120}\byour\b[^.?!]*\?\s*$"
    r"|(?:してください|教えてください|いただけないでしょうか|いただけますか|お願いいたします)",
    re.IGNORECASE,
)


#: A document sent for the reader's decision: "Attached is a draft … after your changes
#: and approval", "attached for your review" (not "thanks for your feedback").
_FOR_YOUR = re.compile(
    r"\b(?:for|after|upon|pending|awaiting|with)\s+your\s+(?:\w+\s+(?:and\s+)?){0,2}?"
    r"(?:review|approval|comments|input|feedback|signature|sign-?off|changes|consideration)\b",
    re.IGNORECASE,
)
_THANKS = re.compile(r"\b(?:thanks?|thank\s+you|appreciate[sd]?|grateful)\b", re.IGNORECASE)
#: An opener before a request: "Melissa:  In the future, send me the deal ticket".
_OPENER = re.compile(
    r"^(?:\W*[A-Z][a-z]+\s*[:,;-]\s+)?\W*(?:in\s+the\s+future|going\s+forward"
    r"|from\s+now\s+on|next\s+time|in\s+the\s+meantime|meanwhile|if\s+possible"
    r"|when\s+you\s+(?:get|have)\s+a\s+(?:chance|minute|moment|second)"
    r"|at\s+your\s+(?:earliest\s+)?convenience)\s*,\s*",
    re.IGNORECASE,
)


def _soft_ask(sentence: str) -> bool:
    """An ask that ``request_cue`` does not see (soft, or behind an opener)."""
    if _SOFT_ASK.search(sentence):
        return True
    if _FOR_YOUR.search(sentence) and not _THANKS.search(sentence):
        return True
    opener = _OPENER.match(sentence)
    return bool(opener) and request_cue(sentence[opener.end() :]) is not None


def is_manners(sentence: str) -> bool:
    """A person's courtesy formula, not an ask: "let me know if you need anything else".
    (Unlike ``is_request``, a person's "please forward these to the City" stays an ask.)"""
    if _MANNERS_ONLY.search(sentence):
        return True
    return bool(_LET_KNOW_IF.search(sentence)) and asking_condition(sentence) is None


def _is_courtesy(sentence: str) -> bool:
    """Manners, or a call to action of bulk mail."""
    return is_manners(sentence) or bool(_BULK_CALL.search(sentence))


def is_request(sentence: str) -> bool:
    """A request or question to the reader that is not a courtesy formula."""
    if _is_courtesy(sentence):
        return False
    return bool(request_cue(sentence) or _soft_ask(sentence))


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
        if not _is_courtesy(item.text)
    ]
    seen = {item.text for item in items}
    for sentence in split_sentences(text):
        if (
            sentence.text.strip() not in seen
            and _soft_ask(sentence.text)
            and not _is_courtesy(sentence.text)
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
