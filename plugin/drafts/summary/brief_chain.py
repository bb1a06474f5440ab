"""The sentences that must come with a sentence a brief says, or it is not said at all.

A quote is only as faithful as what stands beside it (``context``): a sentence that refers
back comes with the one it leans on; a line that carries a sentence on ("or Sunday
morning.") and the lower-case rest of a sentence the splitter cut at an abbreviation
("your choices for interviews.", which costs no budget) come with it; a list's row comes
with its sibling rows, and an item of a short numbered list with the whole list (at the
cost of one sentence). A line quoted from an earlier mail ("> …") is never said. A
short gap between two said sentences is said too (``bridges``): a brief that skips a
sentence misleads about three times as often as one that quotes a stretch whole.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Sequence

from plugin.drafts.summary.brief_items import lone_item, marker_only, short_numbered_list
from plugin.drafts.summary.rank import cue_features
from plugin.drafts.text.context import continued_by, list_siblings, points_ahead, with_context
from plugin.drafts.text.introduced import introduced_in_a_gap
from plugin.drafts.text.sentences import LETTER_WORDS, Sentence

#: Share of a mail's sentences that open in capitals for the writer to count as one who
#: capitalises (then a sentence in lower case is a line the splitter cut off its sentence).
CAPITALISED_SHARE = 0.5
#: The rest of a line cut off at an abbreviation has words ("your choices for
#: interviews."); initials after a signature ("kh", "ss") do not.
MIN_CUT_OFF_WORDS = 3
#: A gap of at most this many sentences and words between two said sentences is said too,
#: at most ``BRIDGE_ROOM`` sentences past the brief's budget. Measured on the labelled
#: points of 381 dev mails (bench/brief_points.py): 86 of 152 gapped plans stay gapped (82
#: with no room limit, 106 with a room of one), the labelled point is carried as often or
#: more (0.963 -> 0.969, the first point 0.900 -> 0.913), briefs grow 8 % in words, and
#: 25 say more than four sentences (29 with no room limit, one sentence more each). Raised
#: from 2 sentences, 45 words and a room of 2 on 5 Dec 2026, read blind in pairs (148 of
#: 3,726 unread dev briefs differ): faithful 143 against 134, useful 137 against 108,
#: preferred 96 to 52; the changed briefs grow by 44 words (docs/quality.md).
BRIDGE_SENTENCES = 3
BRIDGE_WORDS = 70
BRIDGE_ROOM = 3
#: Written where the brief leaves out sentences between two it says, or the rest of a list:
#: a quote that skips must say so, or it reads as the whole ("two of three comments").
OMITTED = "[…]"
#: The sentences a chosen sentence leans on ("Is this valid?" needs the line before) are
#: said at no cost to the brief's budget, at most this many: charged, they crowded out the
#: sentence itself or the ones the brief skips to. Read blind in pairs on 140 of 636
#: changed briefs of 3,726 unread dev mails: faithful 132 against 131, useful 130 against
#: 107, preferred 96 to 44 (docs/quality.md, 5 Dec 2026).
CONTEXT_ROOM = 2
_WORDS = re.compile(r"[A-Za-z0-9']+")


def sentence_chain(
    sentences: Sequence[Sentence], position: int, limit: int, capitalised: bool, free: set[int]
) -> list[int] | None:
    """Positions to say for ``sentences[position]``, or None when it cannot be said within
    ``limit`` (what it leans on may add ``CONTEXT_ROOM`` sentences more). Adds to ``free``
    the lines that cost no budget: what it leans on, and a line cut off it."""
    # A sentence that refers back ("Is this sufficient?") comes with the sentence it
    # leans on, or not at all: quoted alone it would be about something else.
    chain = with_context(sentences, position, limit + CONTEXT_ROOM)
    if not chain:
        return None
    free.update(sentences[k].index for k in chain if k != position)
    # "I can play Saturday morning." / "or Sunday morning.": the line that carries a
    # sentence on comes with it, or the quote would drop the alternative.
    if (carried := continued_by(sentences, chain[-1])) is not None:
        chain = [*chain, carried]
    if chain[0] > 0 and continued_by(sentences, chain[0] - 1) == chain[0]:
        chain = [chain[0] - 1, *chain]
    # "I would like to sched." / "your choices for interviews.": one sentence the
    # splitter cut at an abbreviation; the rest comes with it and costs no budget.
    if capitalised and cut_off(sentences, chain[-1] + 1):
        chain = [*chain, chain[-1] + 1]
        free.add(chain[-1])
    # A cut-off rest anywhere in the chain (one that "this Transaction" leans past) keeps
    # the line it was cut from.
    if capitalised:
        for k in [k for k in chain if cut_off(sentences, k) and k - 1 not in chain]:
            free.add(k)
            # with what that line leans on in turn, where it fits ("If you didn't." /
            # "let me know." / "have the tax people spoken …?", the forty-fourth sample)
            parent = with_context(sentences, k - 1, limit) or [k - 1]
            chain = sorted({*chain, *parent})
    # One row of a list ("Enron Center South, …, 3:45 PM") comes with its sibling rows
    # or not at all: alone it reads as the only one, and the claim check refuses it.
    if rows := {r for k in chain for r in list_siblings(sentences, k)}:
        chain = sorted({*chain, *rows})
    # A short numbered list comes whole, at the cost of its first item: one item alone
    # reads as the only one ("the following changes …: 1) Deployment of WebLogic.").
    for k in list(chain):
        if items := short_numbered_list(sentences, k):
            free.update(items[1:])
            chain = sorted({*chain, *items})
    # A line quoted from an earlier mail ("> An old laptop …") is never said, not even
    # as the sentence another one leans on.
    if any(sentences[k].text.lstrip().startswith(">") for k in chain):
        return None
    return chain


def with_introducers(
    sentences: Sequence[Sentence], taken: Collection[int], chain: list[int]
) -> list[int] | None:
    """``chain`` and the left-out sentences that introduced the noun of a "this <noun>"
    the brief would say (``introduced``: "this call" after another sentence, without the
    one about the call), or None when those bring in more of the same."""
    said = {*taken, *chain}
    found = {k for p in said if (k := introduced_in_a_gap(sentences, said, p)) is not None}
    if not found:
        return chain
    # an introducer that itself leans on the line before it comes with that line
    for k in list(found):
        context = with_context(sentences, k, len(sentences))
        if context is None:
            return None
        found.update(context)
    said |= found
    if any(introduced_in_a_gap(sentences, said, p) is not None for p in said):
        return None
    return sorted({*chain, *found})


def bridges(
    sentences: Sequence[Sentence], taken: Collection[int], fits: Callable[[int], bool], room: int
) -> list[int]:
    """The left-out sentences between two said ones that the brief says too: gaps of at
    most ``BRIDGE_SENTENCES`` sentences and ``BRIDGE_WORDS`` words, each of whose sentences
    ``fits`` (reads cleanly on its own; greetings are not counted), the shortest gaps
    first, at most ``room`` sentences in all (a brief stays brief). Over 1,178 judged
    briefs, the ones that skip a sentence were faithful 0.91 (476) against 0.98 for
    stretches quoted whole (702): what the gap held was what the next sentence leant on
    ("Subsequently, …", "Please confirm.", "Can we invite them …")."""
    said = sorted(taken)
    gaps = []
    for low, high in itertools.pairwise(said):
        gap = [k for k in range(low + 1, high) if not sentences[k].lead_in]
        if not gap or len(gap) > BRIDGE_SENTENCES:
            continue
        if sum(len(_WORDS.findall(sentences[k].text)) for k in gap) > BRIDGE_WORDS:
            continue
        if all(fits(k) for k in gap):
            gaps.append(gap)
    out: list[int] = []
    for gap in sorted(gaps, key=len):
        if len(out) + len(gap) <= room:
            out.extend(gap)
    return sorted(out)


def left_out(sentences: Sequence[Sentence], low: int, high: int) -> bool:
    """Whether the mail has a sentence between the positions ``low`` and ``high`` the
    brief says (not a greeting, nor a line that is only a list's marker: "1.")."""
    return any(
        not sentences[k].lead_in and not marker_only(sentences[k].text)
        for k in range(low + 1, high)
    )


def reads_alone(
    sentences: Sequence[Sentence],
    position: int,
    taken: Collection[int],
    ranked: Sequence[Sentence],
    bar: float,
) -> bool:
    """Whether a gap's sentence may be said between two said ones: one the ranking kept (no
    courtesy, call report, earlier mail's line, housekeeping or header) whose ranking
    penalty is within ``bar``, no list's lone item or introducer, leaning on nothing the
    brief leaves out."""
    sentence = sentences[position]
    chain = with_context(sentences, position, len(sentences))
    gap_opens = max(t for t in taken if t < position)  # the said sentence before the gap
    return (
        sentence in ranked
        and cue_features(sentence, len(sentences))["penalty"] <= bar
        and not lone_item(sentences, position)
        and not points_ahead(sentence.text)
        and chain is not None
        and all(k in taken or k > gap_opens for k in chain)
    )


def capitalises(sentences: Sequence[Sentence]) -> bool:
    """Whether the writer opens sentences in capitals (most of them do)."""
    opened = [s.text.lstrip()[:1] for s in sentences if s.text.lstrip()[:1].isalpha()]
    return bool(opened) and sum(c.isupper() for c in opened) >= CAPITALISED_SHARE * len(opened)


def cut_off(sentences: Sequence[Sentence], position: int) -> bool:
    """Whether ``sentences[position]`` is the lower-case rest of the sentence before it."""
    if not 0 < position < len(sentences):
        return False
    text, before = sentences[position].text.lstrip(), sentences[position - 1].text.rstrip()
    return (
        text[:1].islower()
        and len(LETTER_WORDS.findall(text)) >= MIN_CUT_OFF_WORDS
        and before[-1:] not in ("?", "!", ":")
        and not sentences[position - 1].lead_in
    )
