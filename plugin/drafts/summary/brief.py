"""The ``brief`` summary: up to three source sentences (four for a mail of eight or more),
quoted (compressed on request), that cannot drift.

1. **Choose** what the brief must say, up to ``brief_limit``, in document order, in this
   priority: the mail's request (``brief_asks.requests_of``: who wants what, by when;
   courtesy formulas and legal footers are not requests unless urgent or an offer to
   answer; a question to the reader counts when the mail asks nothing else; an ask for
   "your thoughts" gives way to the mail's own question), the sentence stating its
   deadline when the request has none, a decision said outright ("we decided",
   "approved"), the mail's lead (its first substantive sentence: the topic the others
   lean on), a second ask to the reader, a weaker decision ("will not", "agreed to"),
   then the top-ranked sentences. A sentence that only introduces what follows ("… the
   following:") or a courtesy opener ("Sorry for the delay") is not one of them. A
   sentence that refers back ("Is this sufficient?", "If anyone's interested, …") is
   taken only with the sentence it leans on (``context.with_context``), else skipped for
   the next candidate; a line the splitter cut off a chosen sentence ("I would like to
   sched." / "your choices for interviews.") and the sibling rows of a list row come
   with it, and so do the line that announced a list or the line ("… something like:")
   and the heading right above a chosen sentence ("Stations 3 and 4."). A list's item or
   a table's cell that does not ask is never the request, its deadline or the lead
   (``brief_items``); in a short mail a second question to the reader comes before the
   lead (``brief_asks.later_question``).
   A short gap between two chosen sentences is said too, quoted (``brief_chain.bridges``).
2. **Compress**, on request only (option ``compress``: kept compressions misled twice as
   often as quotes), each chosen sentence of ten words or more with the model (prompt
   ``compress.txt``: delete words, keep who does what, negations, modals, dates).
3. **Check** (``brief_finish``) each compression with both checks: the token check
   (``verify.check``) and the claim check (``claims.align``: a guarded deletion of that
   very sentence; the due phrase and the time and place words of a request or decision
   are protected, so the deadline, "at 7:30" or "to Rosa's Grill" cannot be cut). A
   failed line is replaced by its sentence, quoted whole. A line the model left
   unchanged is a quote, not model work.

The brief is therefore either quoted from the mail or a checked compression of it, and
``verified`` is true only when the whole text passes both checks again. ``check`` in the
draft's data says how ("quoted from the mail", "reworded, checked against sentences 2 and
5", "not checked") and ``carries`` whether the request or decision made it in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from plugin.drafts.summary.actions import due_phrase, time_place_words
from plugin.drafts.summary.brief_asks import (
    choose_request,
    deadline_of,
    later_question,
    own_question,
    requests_of,
    second_ask,
)
from plugin.drafts.summary.brief_budget import (
    FILLER_AFTER,
    brief_limit,
    lone_word,
)
from plugin.drafts.summary.brief_chain import (
    BRIDGE_ROOM,
    bridges,
    capitalises,
    reads_alone,
    sentence_chain,
    with_introducers,
)
from plugin.drafts.summary.brief_items import (
    announced_by,
    asks_ahead,
    headed_by,
    lone_item,
    skips_items,
)
from plugin.drafts.summary.rank import (
    CONTENT_MAX_PENALTY,
    cue_features,
    is_contact_report,
    is_courtesy_opener,
    is_header,
    is_housekeeping,
)
from plugin.drafts.text.claims import check_claims
from plugin.drafts.text.context import points_ahead, with_context
from plugin.drafts.text.refers import refers_back
from plugin.drafts.text.sentences import LETTER_WORDS, Sentence

_DECIDED = re.compile(
    r"\b(?:decided|agreed|approved|confirmed|cancel(?:l?ed)|postponed|rescheduled|moved\s+to"
    r"|finali[sz]ed|announced|signed|accepted|rejected|declined|will\s+not|won't"
    r"|suspended|discontinued|terminated)\b",
    re.IGNORECASE,
)
#: A decision said outright, which outranks the mail's lead ("has agreed to lead the
#: team" or "will not open until summer" may be side details; "we decided" is the point).
_DECIDED_OUTRIGHT = re.compile(
    r"\b(?:decided|approved|cancel(?:l?ed)|postponed|rescheduled|finali[sz]ed"
    r"|agreed\s+(?:that|on|with)|confirmed\s+that"
    # "Enron has suspended the program", "the ISDA was terminated", "is terminating the
    # merger" (not "terminated employees")
    r"|(?:has|have|had|was|were|been|is|are)\s+(?:suspended|discontinued|terminated)"
    r"|(?:suspending|discontinuing|terminating)\s+(?:the|its|our|their|this|all)"
    r")\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+(?:['’]\w+)?")
#: Fewest words of letters for a sentence to be the mail's lead.
MIN_LEAD_WORDS = 4
#: A lead may carry a contact detail (ranking penalty 0.4), never more.
LEAD_MAX_PENALTY = CONTENT_MAX_PENALTY
#: "As you know, this is an unprecedented time": background the reader has, not the topic.
_BACKGROUND = re.compile(r"^\W*as\s+(?:you|we)\s+(?:all\s+|may\s+|probably\s+)?know\b", re.I)


@dataclass(slots=True)
class Chosen:
    """A source sentence the brief will say, and why it was chosen."""

    sentence: Sentence
    role: str  # main | request | deadline | decision
    due: str | None = None
    #: Words no compression may cut: the due phrase, times, days and places.
    protect: list[str] = field(default_factory=list)
    text: str = ""  # what the brief says for it (the sentence or a checked compression)
    written: bool = False  # the model's compression was kept


@dataclass(slots=True)
class BriefPlan:
    chosen: list[Chosen]
    rejected: list[dict[str, Any]] = field(default_factory=list)


def plan_brief(
    sentences: Sequence[Sentence], ranked_orders: Sequence[int], limit: int | None = None
) -> BriefPlan:
    """Pick the sentences a brief must carry, at most ``limit`` (``brief_limit`` when not
    given). ``ranked_orders``: sentence indexes, best first."""
    if limit is None:
        limit = brief_limit(sentences)
    by_index = {s.index: s for s in sentences}
    ranked = [by_index[i] for i in ranked_orders if i in by_index and not by_index[i].lead_in]
    # "Please note the following:" says nothing without its list: the next candidate
    # (but see ``brief_items.asks_ahead``).
    ahead = [s for s in ranked if points_ahead(s.text)]
    ranked = [s for s in ranked if not points_ahead(s.text)] or ranked
    if not ranked:
        return BriefPlan([])
    # "Sorry for the delay" opens many mails and says nothing of their point.
    ranked = [s for s in ranked if not is_courtesy_opener(s.text)] or ranked
    # Nor does "Tracy called me at work.": how the writer heard the news, not the news.
    ranked = [s for s in ranked if not is_contact_report(s.text)] or ranked
    # A line quoted from an earlier mail ("> An old laptop would …") is not this one's say.
    ranked = [s for s in ranked if not s.text.lstrip().startswith(">")] or ranked
    ranked = [s for s in ranked if not is_housekeeping(s.text)] or ranked
    requests = requests_of(sentences)
    # "PLEASE DO NOT TAKE, BORROW OR USE this equipment." is shouted, not a header.
    ranked = [s for s in ranked if not is_header(s.text) or s.start in requests] or ranked
    # An ask that says when ("… ASAP to avoid an NOV", "by Oct 15") is the one that
    # matters over a vague one ("I really need your assistance on this"); one put to the
    # reader over one said about others (``brief_asks.choose_request``).
    positions = {s.index: n for n, s in enumerate(sentences)}

    def sayable(sentence: Sentence) -> bool:
        return with_context(sentences, positions[sentence.index], limit) is not None

    request = choose_request(
        [*ranked, *asks_ahead(ahead, ranked, requests, sentences)], requests, sentences, sayable
    )
    # "This was sent by an IT manager, let me know your thoughts...": the forwarder's
    # wrapper; the mail's own question ("Does anyone need to retain …?") is what it asks.
    request = own_question(ranked, request, requests, sentences) or request
    deadline = deadline_of(ranked, request, sentences)
    # A second ask to the reader, said after the lead if there is room.
    second = second_ask(ranked, request, requests, sentences, sayable)
    decision = next((s for s in ranked if _DECIDED.search(s.text)), None)
    # The best-ranked decision said outright, not from boilerplate ("All Rights Reserved
    # Nonetheless, Mr. Lay has decided …" is a newsletter's fragment).
    outright = next(
        (
            s
            for s in ranked
            if _DECIDED_OUTRIGHT.search(s.text)
            and cue_features(s, len(sentences))["penalty"] <= LEAD_MAX_PENALTY
        ),
        None,
    )
    chosen: list[Chosen] = []
    # The request and its deadline first, then a decision said outright, then the mail's
    # lead (its topic: what the request and the other sentences are about), then any
    # other decision, then the best-ranked.
    first = next((s.index for s in sentences if not s.lead_in), None)
    # A list's item or a table's cell ("Contact name at Counterparty 6.") names no topic.
    lead = _lead(
        [s for s in ranked if not lone_item(sentences, positions[s.index])], len(sentences), first
    )
    capitalised = capitalises(sentences)
    free: set[int] = set()  # lines the splitter cut off a chosen sentence: no budget
    # In a short mail a second question to the reader outranks the opening it follows.
    question = later_question(ranked, request, sentences, sayable)
    named = (request, deadline, outright, question, lead, second, decision)
    for number, extra in enumerate((*named, *ranked)):
        if _said(chosen, free) >= limit:
            break
        if extra is None or any(c.sentence.index == extra.index for c in chosen):
            continue
        # Past two sentences, a sentence chosen only for its rank must read cleanly: no
        # contact line, residue or boilerplate that a fuller slate would otherwise let in
        # (lines said at no cost count here: they fill the slate all the same). Nor is a
        # lone word ("Mery.", "dmp"), unless a line announced it ("… given:").
        if number >= len(named) and (
            (
                len(chosen) >= FILLER_AFTER
                and cue_features(extra, len(sentences))["penalty"] > LEAD_MAX_PENALTY
            )
            or lone_word(sentences, positions[extra.index])
        ):
            continue
        # the lines this sentence brings at no cost, counted as free once it is said
        costless: set[int] = set()
        chain = sentence_chain(sentences, positions[extra.index], limit, capitalised, costless)
        if chain is None:
            continue
        taken = {positions[c.sentence.index] for c in chosen}
        bare = set(chain)
        chain = with_introducers(sentences, taken, chain)
        if chain is None:
            continue
        # What a "this <noun>" points back to costs no budget: charged, it crowded out the
        # sentences a brief skips to (paired blind reading, docs/quality.md).
        costless.update(sentences[k].index for k in chain if k not in bare)
        # A numbered item, or a line right after an announcement, comes with the line
        # that announced it.
        if (intro := announced_by(sentences, min(chain))) is not None and intro not in taken:
            chain = [intro, *chain]
        # A sentence under a heading ("Stations 3 and 4.") comes with it, at no cost.
        if (heading := headed_by(sentences, min(chain))) is not None and heading not in taken:
            chain = [heading, *chain]
            costless.add(heading)
        new = [sentences[k] for k in chain if k not in taken]
        if _said(chosen, free) + _said(new, free | costless) > limit:
            continue
        # Items 1) and 3) without 2) read as a list of two.
        if any(skips_items(sentences, taken | set(chain), k) for k in chain):
            continue
        free |= costless
        chosen.extend(Chosen(s, _role(s, request, decision, deadline)) for s in new)
    # A short gap between two said sentences is said too, quoted (never compressed).
    taken = {positions[c.sentence.index] for c in chosen}
    fits = partial(reads_alone, sentences, taken=taken, ranked=ranked, bar=LEAD_MAX_PENALTY)
    bridged = bridges(sentences, taken, fits, limit + BRIDGE_ROOM - _said(chosen, free))
    said = [sentences[k].text for k in sorted({*taken, *bridged})]
    if bridged and check_claims(said, sentences).ok:
        chosen.extend(Chosen(sentences[k], "bridge") for k in bridged)
    for item in chosen:
        if item.role in ("request", "deadline"):
            item.due = due_phrase(item.sentence.text)
        if item.role in ("request", "decision", "deadline"):
            due = [item.due] if item.due else []
            item.protect = [*due, *time_place_words(item.sentence.text)]
        item.text = item.sentence.text
    chosen.sort(key=lambda c: c.sentence.index)
    return BriefPlan(chosen)


def _said(items: Sequence[Chosen | Sentence], free: set[int]) -> int:
    """How many sentences ``items`` says: a line the splitter cut off its sentence is none."""
    sentences = [i.sentence if isinstance(i, Chosen) else i for i in items]
    return sum(s.index not in free for s in sentences)


def _lead(
    ranked: Sequence[Sentence], n_sentences: int, first: int | None = None
) -> Sentence | None:
    """The mail's first substantive sentence, which names what the mail is about: not a
    greeting, courtesy or sign-off, not a fragment, a table or boilerplate (these were
    already left out of ``ranked`` or carry a ranking penalty), not a header in capitals.
    ``first``: the index of the mail's first sentence, which has nothing to refer back to
    ("This is a short note to apprise …" points ahead)."""
    for sentence in sorted(ranked, key=lambda s: s.index):
        words = LETTER_WORDS.findall(sentence.text)
        if len(words) < MIN_LEAD_WORDS or is_header(sentence.text):
            continue
        # A lead names the topic itself: one that refers back ("That way, it …") does not.
        if sentence.index != first and refers_back(sentence.text):
            continue
        # "As you know, this is an unprecedented time": background, not the topic.
        if _BACKGROUND.match(sentence.text):
            continue
        if cue_features(sentence, n_sentences)["penalty"] <= LEAD_MAX_PENALTY:
            return sentence
    return None


def _role(
    sentence: Sentence,
    request: Sentence | None,
    decision: Sentence | None,
    deadline: Sentence | None = None,
) -> str:
    if request is not None and sentence.index == request.index:
        return "request"
    if deadline is not None and sentence.index == deadline.index:
        return "deadline"
    if decision is not None and sentence.index == decision.index:
        return "decision"
    return "main"


def lower_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased: what lengths and protected words are counted in."""
    return [w.lower() for w in _WORDS.findall(text)]


__all__ = [
    "BriefPlan",
    "Chosen",
    "lower_words",
    "plan_brief",
]
