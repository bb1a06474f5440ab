"""Claim-level faithfulness: each draft sentence must be a guarded compression of one
source sentence.

The token check (``verify.py``) catches an invented date, number or name; it cannot catch
a wrong claim made of ordinary words ("Sam asked Maria" for "Maria asked Sam", "planning
to" for "decided", "unable to confirm" for "confirmed we are not"). This check accepts a
draft sentence only when it can be read off one source sentence by *deleting* words at
phrase boundaries, keeping the order of what is left, under the guards of
:mod:`plugin.drafts.text.align` (what a cut may never remove, where it may start and end).

A whole draft must also keep its context: a kept sentence that refers back ("Is this
sufficient?", "If anyone's interested, ...") needs the sentence it leans on kept too
(``context.antecedent``), or the draft is refused: each line would still match, but read
together they would attach the reference to something else.

Why this is safe: the kept words are the source's words in the source's order, the
subject of the sentence is never cut, every polarity/modality/condition word of the kept
clause is kept, and a cut cannot splice two phrases into a new predicate. Swapped roles,
swapped objects (from another sentence), changed modality, invented framing and
repetition therefore cannot align. The price is that free rewording never passes: text
that is not such a compression is reported as not checked.

Usage::

    from plugin.drafts.text.claims import check_claims
    result = check_claims(draft_text, source_text)
    result.ok, result.method ("quoted" | "reworded" | "none"), result.sentences, result.label
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from plugin.drafts.text.align import NEGATIONS, align, words_of
from plugin.drafts.text.context import (
    antecedent,
    continued_by,
    ends_in_a_first_cell,
    item_head,
    list_siblings,
)
from plugin.drafts.text.introduced import introduced_in_a_gap
from plugin.drafts.text.sentences import Sentence, split_sentences
from plugin.drafts.text.verify import stem

_REPEAT_N = 3
#: Shortest draft sentence accepted as a compression (a shorter one is a fragment).
MIN_WORDS = 3


@dataclass(slots=True)
class SentenceClaim:
    """One draft sentence and the source sentence it was read off (1-based), if any."""

    text: str
    source_index: int | None
    exact: bool = False
    reason: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "source_sentence": self.source_index,
            "exact": self.exact,
            "reason": self.reason,
        }


@dataclass(slots=True)
class ClaimResult:
    ok: bool
    sentences: list[SentenceClaim] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def method(self) -> str:
        """``quoted`` (every sentence copied), ``reworded`` (compressed) or ``none``."""
        if not self.ok:
            return "none"
        return "quoted" if all(s.exact for s in self.sentences) else "reworded"

    @property
    def source_sentences(self) -> list[int]:
        return sorted({s.source_index for s in self.sentences if s.source_index is not None})

    @property
    def label(self) -> str:
        return check_label(self.method, self.source_sentences)


def check_label(method: str, source_sentences: Sequence[int]) -> str:
    """What the pane shows: how a draft was checked ("reworded, checked against ...")."""
    if method == "quoted":
        return "quoted from the mail"
    if method == "reworded":
        numbers = [str(n) for n in source_sentences]
        if len(numbers) == 1:
            return f"reworded, checked against sentence {numbers[0]}"
        listed = ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
        return f"reworded, checked against sentences {listed}"
    return "not checked"


def _repeats(text: str) -> bool:
    words = words_of(text)
    grams = [tuple(words[i : i + _REPEAT_N]) for i in range(len(words) - _REPEAT_N + 1)]
    return len(grams) != len(set(grams))


def repeats_itself(candidate: str, source_texts: Sequence[str]) -> bool:
    """Whether a model line says a word twice in a row or a two-word phrase twice
    ("Confirmed: Confirmed: …", "2001, 2001", "due diligence process for due diligence")
    more often than the sentences it came from do.

    The token check passes such a line (every word is the mail's), and subject lines,
    digest lines and meeting titles get no claim check to refuse it, yet it reads as a
    broken model. Measured on 3 Dec 2026: 46 of the default model's 483 answers to the
    subject task's prompt (held-out AESLC-train mails, the prompt a tuned model gets) and
    3 of its 56 lines in oneline drafts of aeslc-dev mails 121-200 repeat themselves so.
    """
    words = words_of(candidate)
    repeated = [
        (pair, n) for pair, n in Counter(pairwise(words)).items() if n > 1 or pair[0] == pair[1]
    ]
    if not repeated:
        return False
    source: Counter[tuple[str, str]] = Counter()
    for text in source_texts:
        theirs = words_of(text)
        source.update(pairwise(theirs))
    return any(source[pair] < n for pair, n in repeated)


def phrase_source(line: str, source: str | Sequence[Sentence]) -> int | None:
    """The source sentence (1-based) a subject line's words come from, in order, or None.

    A subject line is a phrase, not a sentence: it may drop any word except a negation
    ("move meeting" from "we will not move the meeting" is refused). Words match by stem
    ("confirm" = "confirming"), so a line that reorders or replaces words does not pass.
    """
    sentences = split_sentences(source) if isinstance(source, str) else list(source)
    mine = [stem(w) for w in words_of(line)]
    if not mine:
        return None
    for position, sentence in enumerate(sentences, start=1):
        words = words_of(sentence.text)
        if not _in_order(mine, [stem(w) for w in words]):
            continue
        negated = any(w in NEGATIONS for w in words)
        if not negated or any(w in NEGATIONS for w in words_of(line)):
            return position
    return None


def _in_order(mine: list[str], theirs: list[str]) -> bool:
    """Whether each of ``mine`` matches a later word of ``theirs``; a piece of a word with
    a digit counts ("October 30 th" for "October 30th", "9:00" for "9:00am")."""
    k = 0
    for word in mine:
        while k < len(theirs):
            source = theirs[k]
            piece = any(c.isdigit() for c in source) and word in source and len(word) < len(source)
            if word == source:
                k += 1
                break
            if piece:
                break  # the rest of the same word may match the next draft word
            k += 1
        else:
            return False
    return True


def same_words(a: str, b: str) -> bool:
    """Whether two texts have the same words (case, punctuation and hyphens aside)."""
    return words_of(a) == words_of(b)


def check_claims(
    draft_text: str | Sequence[str],
    source: str | Sequence[Sentence],
    protect_words: Sequence[str] = (),
    *,
    keep_context: bool = True,
) -> ClaimResult:
    """Check every sentence of ``draft_text`` against the sentences of ``source``.

    ``draft_text`` may also be given as its lines (one claim-bearing line each, e.g. the
    bullets of a list), which are then not split again. ``keep_context=False`` skips the
    whole-draft rule that a kept sentence needs the one it refers back to: key points are
    shown one by one, each with its own source span, not read as one text.
    """
    sentences = split_sentences(source) if isinstance(source, str) else list(source)
    if isinstance(draft_text, str):
        drafted = [s.text for s in split_sentences(draft_text)]
    else:
        drafted = [line for line in draft_text if line.strip()]
    result = ClaimResult(ok=bool(drafted))
    if not drafted:
        result.problems.append("empty draft")
    used: set[int] = set()
    for text in drafted:
        claim = _claim(text, sentences, protect_words, used)
        if claim.source_index is None and _claim(text, sentences, protect_words).source_index:
            claim = SentenceClaim(text, None, reason="repeats an earlier sentence")
        if claim.source_index is None:
            result.ok = False
            result.problems.append(f"{text!r}: {claim.reason}")
        else:
            used.add(claim.source_index)
        result.sentences.append(claim)
    if result.ok and keep_context:
        _check_context(result, sentences)
    return result


def _check_context(result: ClaimResult, sentences: Sequence[Sentence]) -> None:
    """Refuse a cut that keeps a sentence but drops the one it refers back to ("Is this
    sufficient?" without what "this" is) or the opening of the numbered item it lies in
    (one option's step read as everyone's duty), the line that carries it on ("or Sunday
    morning."), the other rows of its list (one building's drill time of two), or what it
    announces ("as follows:  Monday"): each line still matches, the whole misleads."""
    kept = set(result.source_sentences)
    for claim in result.sentences:
        assert claim.source_index is not None
        before = antecedent(sentences, claim.source_index - 1)
        head = item_head(sentences, claim.source_index - 1)
        after = continued_by(sentences, claim.source_index - 1)
        # "the menu will be as follows: Monday." shown without the menu
        ahead = claim.source_index if ends_in_a_first_cell(claim.text) else None
        if ahead is not None and ahead >= len(sentences):
            ahead = None
        # A list row's missing siblings say more than its "this" pointing at the row above.
        if left_out := [
            k + 1 for k in list_siblings(sentences, claim.source_index - 1) if k + 1 not in kept
        ]:
            claim.reason = f"is one row of a list; the draft leaves out row(s) {left_out}"
        elif before is not None and before + 1 not in kept:
            claim.reason = f"refers back to sentence {before + 1}, which the draft leaves out"
        elif head is not None and head + 1 not in kept:
            claim.reason = f"lies inside the numbered item that sentence {head + 1} opens, "
            claim.reason += "which the draft leaves out"
        elif after is not None and after + 1 not in kept:
            claim.reason = f"goes on in sentence {after + 1} ('{sentences[after].text.split()[0]} "
            claim.reason += "…'), which the draft leaves out"
        elif ahead is not None and ahead + 1 not in kept:
            claim.reason = f"announces what sentence {ahead + 1} holds, which the draft leaves out"
        elif (
            introducer := introduced_in_a_gap(
                sentences, {k - 1 for k in kept}, claim.source_index - 1
            )
        ) is not None:
            claim.reason = f"points back to what sentence {introducer + 1} introduced, which "
            claim.reason += "the draft leaves out"
        else:
            continue
        result.ok = False
        result.problems.append(f"{claim.text!r}: {claim.reason}")


def _claim(
    text: str,
    sentences: Sequence[Sentence],
    protect_words: Sequence[str],
    used: set[int] | frozenset[int] = frozenset(),
) -> SentenceClaim:
    """The first source sentence (not in ``used``) that ``text`` quotes or compresses."""
    mine = words_of(text)
    candidates = [(n, s) for n, s in enumerate(sentences, start=1) if n not in used]
    for position, sentence in candidates:
        theirs = words_of(sentence.text)
        if mine == theirs:
            return SentenceClaim(text, position, exact=True)
    # Quoted text may repeat itself as its source does; anything else may not.
    if _repeats(text):
        return SentenceClaim(text, None, reason="degenerate repetition")
    if len(mine) < MIN_WORDS:
        return SentenceClaim(text, None, reason="too short to carry a claim")
    for position, sentence in candidates:
        if align(text, sentence.text, protect_words):
            return SentenceClaim(text, position)
    return SentenceClaim(text, None, reason="not a compression of any source sentence")


__all__ = [
    "ClaimResult",
    "SentenceClaim",
    "align",
    "check_claims",
    "check_label",
    "phrase_source",
    "repeats_itself",
    "same_words",
]
