"""The user's answer cut into clauses, and the words two texts share.

An intent answers several asks in one line ("Monday is fine, there is no rush"): it is cut
into clauses at ";", "," and at "and/but/so" before a new subject or a second predicate,
keeping a date whole ("Friday, December 28, 2001"). Words are compared by stem, with the
past forms a suffix stemmer cannot reach and the short names of days and months made whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugin.drafts.summary.headline import content_words
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import stem

#: Past forms the suffix stemmer cannot reach ("gave it to Sharon" answers "Did you give it …?").
_IRREGULAR = dict(
    re.findall(
        r"(\w+):(\w+)",
        "gave:give given:give sent:send took:take taken:take got:get gotten:get made:make "
        "told:tell spoke:speak spoken:speak met:meet went:go gone:go came:come found:find "
        "left:leave paid:pay bought:buy brought:bring heard:hear thought:think knew:know "
        "known:know wrote:write written:write saw:see seen:see did:do done:do kept:keep "
        "held:hold",
    )
)
#: Clauses break at ";", "," and at "and/but/so" before a new subject or before a second
#: predicate of the same subject ("I've added you and don't need anything else").
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|\s*,(?!\d)\s*|\s+(?:and|but|so)\s+(?=(?:i|i'll|i'm|i'd|i've|we|we'll|you|he|she|they|"
    r"it|it's|the|my|our|your|their|there|let's|don't|do\s+not|didn't|doesn't|won't|can't|"
    r"cannot|will|would|could|should|need|(?-i:[a-z]{2,}ed)|" + "|".join(_IRREGULAR) + r")\b)",
    re.I,
)
_LEADING_JOIN = re.compile(r"^(?:and|but|so|then|also|or)\b\s*", re.I)
MONTHS = "january february march april may june july august september october november december"
DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_FULL = {name[:3]: name for name in (MONTHS + " " + DAYS).split()} | {
    "sept": "september",
    "tues": "tuesday",
    "thur": "thursday",
    "thurs": "thursday",
}
_DATE_WORD = rf"(?:{'|'.join(_FULL)}|{MONTHS.replace(' ', '|')}|{DAYS.replace(' ', '|')})\.?"
#: "Friday, December 28, 2001" is one date, not three clauses.
_DATE_END = re.compile(rf"\b{_DATE_WORD}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?$", re.I)
_DATE_START = re.compile(rf"^(?:{_DATE_WORD}(?=\s|$)|\d{{1,4}}\b)", re.I)


@dataclass(slots=True)
class Clause:
    text: str
    start: int
    end: int
    #: Index of the intent sentence the clause belongs to.
    sentence: int
    asks: list[int] = field(default_factory=list)


def _norm_word(word: str) -> str:
    word = word.lower().rstrip(".")
    word = _IRREGULAR.get(word, word)
    stemmed = stem(_FULL.get(word, word))
    if stemmed == word and len(word) > 6 and word.endswith(("val", "sal")):
        return word[:-2]  # "approval" / "Approved", "proposal" / "proposed"
    if stemmed == word and len(word) >= 5 and word.endswith("e"):
        # "change" / "changed", "agree" / "agreed": the stem drops "ed" but keeps a bare
        # "e". Not in shorter words, where "time", "note" and "done" would become a name
        # or a negation.
        return word[:-1]
    return stemmed


def stemmed_words(text: str) -> set[str]:
    # "feedback/status" asks for feedback and for a status
    return {_norm_word(p) for w in content_words(text) for p in w.split("/") if p}


def split_clauses(text: str) -> tuple[list[tuple[str, int, int]], list[Clause]]:
    """The intent's sentences (text, start, end) and their clauses."""
    sentences = [(s.text, s.start, s.end) for s in split_sentences(text)] or [(text, 0, len(text))]
    clauses: list[Clause] = []
    for number, (sentence, offset, _end) in enumerate(sentences):
        pieces: list[tuple[int, int]] = []
        cursor = 0
        for gap in _CLAUSE_BREAK.finditer(sentence):
            pieces.append((cursor, gap.start()))
            cursor = gap.end()
        pieces.append((cursor, len(sentence)))
        merged: list[tuple[int, int]] = []
        for start, end in pieces:
            part = sentence[start:end].strip(" .!?")
            before = sentence[merged[-1][0] : merged[-1][1]].strip() if merged else ""
            if merged and (not part or (_DATE_END.search(before) and _DATE_START.match(part))):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        for start, end in merged:
            piece = sentence[start:end]
            lead = _LEADING_JOIN.match(piece)
            if lead:
                start += lead.end()
            piece = sentence[start:end].strip(" .!?")
            if piece:
                begin = offset + sentence.index(piece, start)
                clauses.append(Clause(piece, begin, begin + len(piece), number))
    return sentences, clauses


__all__ = ["DAYS", "MONTHS", "Clause", "split_clauses", "stemmed_words"]
