"""Claim-level faithfulness: each draft sentence must be a guarded compression of one
source sentence.

The token check (``verify.py``) catches an invented date, number or name; it cannot catch
a wrong claim made of ordinary words ("Sam asked Maria" for "Maria asked Sam", "planning
to" for "decided", "unable to confirm" for "confirmed we are not"). This check accepts a
draft sentence only when it can be read off one source sentence by *deleting* words at
phrase boundaries, keeping the order of what is left, under guards:

* the agent stays: only an opener that carries no claim may be cut from the front (a
  vocative, "FYI", "I wanted to let you know that", "As discussed,", "Also,");
* a cut never removes a negation ("not", "never", "unable"...), a modal or tense marker
  ("will", "could", "planning"...), a request or decision word ("please", "asked",
  "decided", "confirmed"...), a condition ("if", "unless", "only"...) or a disjunction
  ("or": cutting "or something like that" asserts what was hedged) of a kept clause, and
  never ends just before "or";
  a whole trailing clause may go (with its own negation or modal) only when it holds no
  condition, because a dropped clause makes no claim;
* a cut starts at a phrase boundary (after a comma, dash or bracket, or at a
  preposition, conjunction or relative word; not at "like" or "than", whose comparison a
  cut would widen) and ends at one (before punctuation, such a
  word, or the sentence end), so no cut can join the subject of one phrase to the
  predicate of another.

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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plugin.drafts.text.context import antecedent
from plugin.drafts.text.sentences import Sentence, split_sentences, word_set
from plugin.drafts.text.verify import stem

NEGATIONS = word_set(
    """not no never nor neither none nothing nobody nowhere without unable cannot can't
    won't don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't
    shouldn't wouldn't couldn't mustn't needn't n't fail failed unlikely hardly"""
)
MODALS = word_set(
    """will would shall should can could may might must need needs needed ought going
    plan plans planned planning intend intends intended expect expects expected hope hopes
    want wants wanted try trying tentatively possibly probably maybe perhaps likely
    propose proposed proposes suggest suggested suggests consider considering has have had
    was were been be being is are am did do does"""
)
SPEECH_ACTS = word_set(
    """please pls kindly asked ask asks asking request requested requests requesting
    decided decide decides agreed agree agrees approved approve approves confirmed confirm
    confirms rejected reject denied deny declined decline cancelled canceled cancel
    postponed postpone require required requires let"""
)
CONDITIONS = word_set("if unless until except only provided providing whether once when")
#: A cut next to these turns "A or B" into "A": a claim the mail does not make ("they got
#: a message saying X" for "... saying X or something like that").
DISJUNCTIONS = word_set("or nor either neither otherwise")
GUARDS = NEGATIONS | MODALS | SPEECH_ACTS | CONDITIONS | DISJUNCTIONS
#: Words a cut may start at (or end before): the phrase boundaries of English.
BOUNDARY_WORDS = word_set(
    """about above across after against along among around as at because before behind
    below beside besides between beyond by despite during except for from in including
    inside into near of off on onto out outside over per since so that through
    throughout to toward towards under upon via which while who whom whose with
    within and but plus although though where whereas"""
)
#: Cuts that may start a clause-final deletion even with guard words inside.
CLAUSE_STARTERS = word_set(
    "and but so because as since while although though whereas which who that where"
)
#: Adverbs that carry no claim and may be cut anywhere.
EMPTY_ADVERBS = word_set(
    """just really also actually basically currently already still again finally simply
    certainly definitely obviously quickly now"""
)
_OPENER = re.compile(
    r"^(?:(?:also|so|and|but|however|anyway|ok|okay|well|fyi|btw|ps|again|further|"
    r"furthermore|additionally|in\s+addition|as\s+(?:discussed|mentioned|promised|requested|"
    r"you\s+(?:may\s+)?know)|just\s+(?:a\s+)?(?:quick\s+)?(?:note|reminder|fyi)|"
    r"(?:i|we)\s+(?:just\s+)?(?:wanted|want|would\s+like)\s+to\s+(?:let\s+you\s+know|"
    r"remind\s+you|inform\s+you|mention)(?:\s+that)?|this\s+(?:message|e-?mail|note)\s+is\s+to|"
    r"hi|hello|hey|dear|(?-i:[A-Z][a-z]+\s*[,:-]))\s*[,:;-]*\s*)+$",
    re.IGNORECASE,
)
#: When something happened or is due, said with no date: cutting it changes no claim.
_TIME_PHRASE = re.compile(
    r"^(?:(?:last|this|next|earlier\s+this|later\s+this)\s+(?:week|month|year|night|morning|"
    r"afternoon|evening|time|quarter)|yesterday|today|tonight|earlier|recently|soon|"
    r"(?:earlier|later)\s+today)$"
)
_TOKEN = re.compile(r"[$€£]?\w+(?:['’.,:/&-]\w+)*%?|[^\w\s]")
_PUNCT_BOUNDARY = frozenset(',;:-–—()[]"')
_REPEAT_N = 3
#: Shortest draft sentence accepted as a compression (a shorter one is a fragment).
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str  # lower-cased, apostrophes normalised
    raw: str
    word: bool


def _tokens(text: str) -> list[_Tok]:
    out = []
    for raw in _TOKEN.findall(text.replace("’", "'")):
        # "e-mail" = "email": hyphenation is spelling, not a claim.
        low = raw.lower() if raw == "-" else raw.lower().replace("-", "")
        out.append(_Tok(low, raw, bool(re.match(r"[$€£\w]", low))))
    return out


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


def _word_positions(tokens: list[_Tok]) -> list[int]:
    return [i for i, t in enumerate(tokens) if t.word]


def _cut_ok(src: list[_Tok], words: list[int], a: int, b: int, protect: frozenset[int]) -> bool:
    """Whether the source words ``words[a:b]`` may be deleted (see the module docstring)."""
    if a >= b:
        return True
    cut = [src[words[k]].text for k in range(a, b)]
    if any(k in protect for k in range(a, b)):
        return False
    if a == 0:  # the front: only an opener that makes no claim
        end = words[b] if b < len(words) else len(src)
        return bool(_OPENER.match(" ".join(t.raw for t in src[:end])))
    if all(w in EMPTY_ADVERBS for w in cut) or _TIME_PHRASE.match(" ".join(cut)):
        return True
    before = src[words[a] - 1] if words[a] > 0 else None
    starts = cut[0] in BOUNDARY_WORDS or (before is not None and before.text in _PUNCT_BOUNDARY)
    if not starts:
        return False
    to_end = b == len(words)
    if to_end:
        ends = True
    else:
        after_last = src[words[b - 1] + 1] if words[b - 1] + 1 < len(src) else None
        ends = (after_last is not None and not after_last.word) or (
            src[words[b]].text in BOUNDARY_WORDS
        )
        # "referred to Holli [to me, or, ...] or Stewart": a cut before a disjunction
        # makes the kept words one of its alternatives.
        ends = ends and src[words[b]].text not in DISJUNCTIONS
    if not ends:
        return False
    guarded = [w for k, w in enumerate(cut) if w in GUARDS and not _month_may(cut, k)]
    if not guarded:
        return True
    if _parenthetical(src, words, a, b, cut):
        return True
    # A whole trailing clause may go with its own modals, never with a condition.
    clause = cut[0] in CLAUSE_STARTERS or (before is not None and before.text in ",;-–—(")
    return to_end and clause and not any(w in CONDITIONS or w in DISJUNCTIONS for w in cut)


def _month_may(words: list[str], k: int) -> bool:
    """ "may" before a day number is the month ("by May 1"), not the modal."""
    return words[k] == "may" and k + 1 < len(words) and words[k + 1][:1].isdigit()


def _parenthetical(src: list[_Tok], words: list[int], a: int, b: int, cut: list[str]) -> bool:
    """A relative clause between commas or brackets (", which is due Friday,"): it only
    describes a noun, so cutting it removes no claim of the kept clause."""
    if b >= len(words) or cut[0] not in {"which", "who", "whose", "whom"}:
        return False
    before, after = src[words[a] - 1], src[words[b - 1] + 1]
    opened = before.text in {",", "(", "-", "–", "—"}
    closed = after.text in {",", ")", "-", "–", "—"}
    return opened and closed and not any(w in NEGATIONS or w in CONDITIONS for w in cut)


def align(draft: str, source: str, protect_words: Sequence[str] = ()) -> bool:
    """Whether ``draft`` is a guarded compression of the single sentence ``source``.

    ``protect_words`` are source words no cut may remove (e.g. a request's due phrase).
    """
    src = _tokens(source)
    words = _word_positions(src)
    wanted = [t.text for t in _tokens(draft) if t.word]
    if not wanted or not words:
        return False
    source_words = [src[i].text for i in words]
    # Normalised as the source is ("end-of-day" -> "endofday"), so a protection always bites.
    protected = {t.text for phrase in protect_words for t in _tokens(phrase) if t.word}
    protect = frozenset(k for k, w in enumerate(source_words) if w in protected)
    n, m = len(wanted), len(source_words)
    # reach[i] = source positions k where draft word i can sit with a valid prefix.
    reach: list[set[int]] = []
    for i, word in enumerate(wanted):
        here = set()
        for k in range(m):
            if source_words[k] != word:
                continue
            if i == 0:
                if _cut_ok(src, words, 0, k, protect):
                    here.add(k)
            elif any(p < k and _cut_ok(src, words, p + 1, k, protect) for p in reach[i - 1]):
                here.add(k)
        if not here:
            return False
        reach.append(here)
    return any(_cut_ok(src, words, k + 1, m, protect) for k in reach[n - 1])


def _repeats(text: str) -> bool:
    words = [t.text for t in _tokens(text) if t.word]
    grams = [tuple(words[i : i + _REPEAT_N]) for i in range(len(words) - _REPEAT_N + 1)]
    return len(grams) != len(set(grams))


def phrase_source(line: str, source: str | Sequence[Sentence]) -> int | None:
    """The source sentence (1-based) a subject line's words come from, in order, or None.

    A subject line is a phrase, not a sentence: it may drop any word except a negation
    ("move meeting" from "we will not move the meeting" is refused). Words match by stem
    ("confirm" = "confirming"), so a line that reorders or replaces words does not pass.
    """
    sentences = split_sentences(source) if isinstance(source, str) else list(source)
    mine = [stem(t.text) for t in _tokens(line) if t.word]
    if not mine:
        return None
    for position, sentence in enumerate(sentences, start=1):
        words = [t.text for t in _tokens(sentence.text) if t.word]
        if not _in_order(mine, [stem(w) for w in words]):
            continue
        negated = any(w in NEGATIONS for w in words)
        if not negated or any(t.text in NEGATIONS for t in _tokens(line)):
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
    return [t.text for t in _tokens(a) if t.word] == [t.text for t in _tokens(b) if t.word]


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
    sufficient?" without what "this" is): each line still matches, the whole misleads."""
    kept = set(result.source_sentences)
    for claim in result.sentences:
        assert claim.source_index is not None
        before = antecedent(sentences, claim.source_index - 1)
        if before is not None and before + 1 not in kept:
            result.ok = False
            claim.reason = f"refers back to sentence {before + 1}, which the draft leaves out"
            result.problems.append(f"{claim.text!r}: {claim.reason}")


def _claim(
    text: str,
    sentences: Sequence[Sentence],
    protect_words: Sequence[str],
    used: set[int] | frozenset[int] = frozenset(),
) -> SentenceClaim:
    """The first source sentence (not in ``used``) that ``text`` quotes or compresses."""
    n_words = sum(t.word for t in _tokens(text))
    mine = [t.text for t in _tokens(text) if t.word]
    candidates = [(n, s) for n, s in enumerate(sentences, start=1) if n not in used]
    for position, sentence in candidates:
        theirs = [t.text for t in _tokens(sentence.text) if t.word]
        if mine == theirs:
            return SentenceClaim(text, position, exact=True)
    # Quoted text may repeat itself as its source does; anything else may not.
    if _repeats(text):
        return SentenceClaim(text, None, reason="degenerate repetition")
    if n_words < MIN_WORDS:
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
    "same_words",
]
