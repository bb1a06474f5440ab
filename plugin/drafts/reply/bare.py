"""Bare requests: asks that ask for nothing of their own ("Please let me know ASAP.",
"Any word?", "Could you confirm by e-mail?"). Such a request wants the answer to the
question before it, so the reply answers that question once instead of leaving a
placeholder for each (``answers.answer_asks``)."""

from __future__ import annotations

import re

from plugin.drafts.reply.slots import Ask
from plugin.drafts.summary.headline import content_words
from plugin.drafts.text.sentences import word_set

#: Words of a request that asks for nothing of its own ("Please let me know ASAP.").
_BARE = word_set(
    "let know please advise asap soon possible return reply respond back tell me us inform kindly "
    "thanks"
)
#: A numbered item: at a line's start or after a tab or two spaces, not "dated Oct 30.".
_ITEM = re.compile(r"(?:^|\n|\t|\s\s)\s*\(?\d{1,2}[.)]\s")


#: Short asks that want the answer to what was said before them: "Any word?", "Please
#: help.", "Could you confirm by e-mail?", "can you verify?".
_BARE_ASK = re.compile(
    r"^\s*(?:(?:any|with\s+any)\s+(?:word|news|update|updates|thoughts|luck)|thoughts|please\s+help|"
    r"(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?|please\s+)"
    r"(?:confirm|verify)(?:\s+(?:this|that|it|by\s+e-?mail|in\s+writing))?)\s*[.?!]*\s*$",
    re.I,
)


_REASON = re.compile(
    r"[,\s]+(?:(?:because|since|as)\s+(?:i|we)|so(?:\s+that)?\s+(?:i|we|our|my|the))\b.*$",
    re.I | re.S,
)
#: "Please let me know by noon today.", "Please respond by next Friday, August 24": a deadline
#: asks for nothing more.
_DEADLINE = re.compile(
    r"[,\s]+(?:by|before)\s+(?:(?:next|this|the)\s+)?(?:noon|today|tomorrow|tonight|eod|cob|"
    r"end\s+of\s+(?:the\s+)?(?:day|week|month)|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
    r"(?:[\s,]+(?:today|tomorrow|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?))*[,\s]*",
    re.I,
)
#: "Let me know what you find in MOPS.": the answer to the question before it, asked again.
_WHAT_YOU_FIND = re.compile(
    r"^\s*(?:please\s+)?let\s+(?:me|us)\s+know\s+what\s+you\s+(?:find|found|think|hear|decide|"
    r"learn)(?:\s+[\w-]+){0,4}\s*[.!]*\s*$",
    re.I,
)
#: "Let me know and thanks again for your help.": the thanks asks for nothing more.
_THANKS_TAIL = re.compile(
    r"[,\s]+(?:and\s+)?(?:many\s+)?thanks?(?:\s+you)?(?:\s+again)?(?:\s+for\s+[\w\s]+)?[.!]*\s*$",
    re.I,
)


def is_bare(ask: Ask) -> bool:
    """A request that asks for nothing of its own: "Please let Bob and me know ASAP."."""
    if _BARE_ASK.match(ask.text) or _WHAT_YOU_FIND.match(ask.text):
        return True
    if ask.kind == "yes_no" or (ask.text.rstrip().endswith("?") and ask.kind != "request"):
        return False
    # "Let me know asap because I am leaving town at 2pm.", "Let me know and thanks again …"
    text = _DEADLINE.sub(" ", _THANKS_TAIL.sub("", _REASON.sub("", ask.text)))
    words = [w for w in content_words(text) if not w[:1].isupper() or w.lower() in _BARE]
    return bool(re.search(r"\b(?:let|advise|tell|respond)\b", text, re.I)) and all(
        w.lower().strip(".") in _BARE for w in words
    )


def bare_heads(asks: list[Ask], text: str, candidates: list[int]) -> dict[int, int]:
    """Bare request -> the ask before it that it wants answered (no numbered item between)."""
    heads: dict[int, int] = {}
    for position, index in enumerate(candidates):
        if position == 0 or not is_bare(asks[index]):
            continue
        head = candidates[position - 1]
        if head in heads:
            head = heads[head]
        if not _ITEM.search(text[asks[head].end : asks[index].start]):
            heads[index] = head
    return heads


__all__ = ["bare_heads", "is_bare"]
