"""One-line summaries (subject lines): extractive compression and candidate scoring.

Measured on AESLC dev (docs/quality.md): the human subject lines are ~5 words drawn
from the message's key sentence, so the best extractive line is the content words of
the top-ranked sentence, in order, cut at eight. The model is asked to compress that same
sentence; its line is kept only when it passes the faithfulness check and stays close to
the sentences it came from, otherwise the extractive line is the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from plugin.drafts.text.sentences import word_set
from plugin.drafts.text.verify import stem

STOPWORDS = word_set(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    am i me my we our us you your he she it its they them their this that these those there
    here do does did have has had will would can could should shall may might must so
    than then too very just also please thanks thank hi hello dear let know regards all any
    some what which who whom when where why how about into over under up down out again
    further once i'm i've i'd i'll we're we've you're it's that's"""
)
# "not", "no", "don't", "can't", "won't" are kept: "move meeting" for "we will not move the
# meeting" says the opposite of the mail.
_WORD = re.compile(r"[$€£]?\d[\d,.:/]*\d%?|[A-Za-z0-9$][\w&'/.$%-]*[\w%]|[A-Za-z0-9]")
# Openers that carry no content: "I wanted to let you know that ...", "FYI - ...", and a
# list's attribution glued to the first sentence with its salutation ("MRyanTaber@nyiso.com
# writes to the NYISO_TECH_EXCHANGE Discussion List:  Dear Market Participants,  The ...":
# 100 AESLC mails, whose subject lines opened with the address).
FILLER = re.compile(
    r"^\s*(?:[\w.+-]+@[\w.-]+\s+writes(?:\s+to\s+[^:\n]{1,80})?:\s*"
    r"(?:(?:dear|hi|hello)\s+[^,:\n]{1,50}[,:]\s*|[A-Z][^,:\n.]{0,50}[,:](?=\s{2})\s*)?)?"
    r"(?:\(?\d{1,2}[.)]\s+|[-*\u2022]\s+)?(?:(?:fyi|just\s+(?:a\s+)?(?:quick\s+)?(?:note|reminder)|(?:i|we)\s+(?:just\s+)?"
    r"(?:wanted|want|would\s+like)\s+to\s+(?:let\s+you\s+know|remind\s+you|inform\s+you)"
    r"(?:\s+that)?|this\s+(?:message|e-?mail|note)\s+is\s+to|as\s+you\s+(?:may\s+)?know)"
    r")?[\s,:-]*",
    re.IGNORECASE,
)
MAX_WORDS = 8
_OUTER = "\"'`,.;:!?*[]{}<>\u201c\u201d\u2018\u2019"


def content_words(text: str) -> list[str]:
    """The words of ``text`` that are not function words, in order."""
    return [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS]


def _unbracket(word: str) -> str:
    """``word`` without parentheses that enclose it or have no partner in it."""
    if word.startswith("(") and word.endswith(")") and "(" not in word[1:-1]:
        word = word[1:-1]
    while word.startswith("(") and word.count("(") > word.count(")"):
        word = word[1:]
    while word.endswith(")") and word.count(")") > word.count("("):
        word = word[:-1]
    return word


def source_words(text: str) -> list[str]:
    """The content words of ``text`` as written: whole whitespace-separated tokens with
    their outer punctuation trimmed, so "401(k)", "11:00" or "AR_50K.xls" stay one word
    (``content_words`` splits them, and a piece such as "00" is then a number the mail
    never wrote, which the faithfulness check rightly rejects)."""
    words = []
    for token in text.split():
        word = _unbracket(token.strip(_OUTER)).strip(_OUTER)
        if _WORD.search(word) and word.lower() not in STOPWORDS:
            words.append(word)
    return words


def extractive_line(ranked_texts: Sequence[str], max_words: int = MAX_WORDS) -> str:
    """The top sentence compressed to its first ``max_words`` content words."""
    for text in ranked_texts:
        words = source_words(FILLER.sub("", text))
        if words:
            return " ".join(words[:max_words])
    return ""


#: The words of a model line that ``clean_candidate`` keeps.
CANDIDATE_WORDS = 12


def _unlabelled(raw: str) -> str:
    text = raw.strip().split("\n", 1)[0]
    # "Subject line:" too: the default model writes it in one line of ten to the subject
    # task's prompt, and left on, its two words fail the check and the line is lost.
    text = re.sub(r"^(?:subject(?:\s+line)?|title|summary)\s*:\s*", "", text, flags=re.IGNORECASE)
    return text.strip(" \"'*`").rstrip(".!;:,")


def clean_candidate(raw: str) -> str:
    """A model line without labels, quotes or trailing punctuation, at most 12 words."""
    return " ".join(_unlabelled(raw).split()[:CANDIDATE_WORDS])


def known_too_long(max_words: int) -> Callable[[str], bool] | None:
    """For ``Engine.generate(done_when=)``: whether a line still being written will be
    refused by ``acceptable(…, max_words)`` for its length, whatever follows. Once the
    cleaned line has a word after the twelve ``clean_candidate`` keeps, and that word holds
    a letter or digit (no strip at the line's end can remove it), the candidate is fixed:
    those twelve words, too many. ``None`` when ``max_words`` allows twelve."""
    if max_words >= CANDIDATE_WORDS:
        return None

    def too_long(raw: str) -> bool:
        words = _unlabelled(raw).split()
        return len(words) > CANDIDATE_WORDS and any(c.isalnum() for c in words[CANDIDATE_WORDS])

    return too_long


def support(candidate: str, ranked_texts: Sequence[str], top: int = 3) -> float:
    """Share of the candidate's content words that the top sentences contain (by stem)."""
    words = [stem(w) for w in content_words(candidate)]
    if not words:
        return 0.0
    source = {stem(w) for text in ranked_texts[:top] for w in _WORD.findall(text)}
    return sum(w in source for w in words) / len(words)


def acceptable(
    candidate: str, ranked_texts: Sequence[str], min_support: float, max_words: int = 12
) -> bool:
    """Whether model text stays on the sentences it was written from, at a usable length."""
    n_words = len(candidate.split())
    return 2 <= n_words <= max_words and support(candidate, ranked_texts) >= min_support


def refused_line(
    text: str, unsupported: Sequence[Any], repeats: bool, **why: Any
) -> dict[str, Any]:
    """The record of a model line that was refused (a draft's ``rejected``): its text, the
    facts the token check could not find, why else, and ``repeats`` only when it loops."""
    return {
        "text": text,
        "unsupported": list(unsupported),
        **why,
        **({"repeats": True} if repeats else {}),
    }


__all__ = [
    "CANDIDATE_WORDS",
    "MAX_WORDS",
    "acceptable",
    "clean_candidate",
    "content_words",
    "extractive_line",
    "known_too_long",
    "refused_line",
    "source_words",
    "support",
]
