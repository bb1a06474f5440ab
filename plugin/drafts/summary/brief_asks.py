"""The requests a brief must carry: which sentences of a mail ask the reader something,
which one the brief says, and the sentence that states its deadline.

``requests_of`` takes ``actions.extract_actions`` (courtesy formulas and legal footers are
not requests unless urgent or an offer to answer; a question to the reader counts when
the mail asks nothing else) and adds the shapes of ``brief_ask_shapes.extra_ask``, which
``actions.request_cue`` leaves out.

``is_vague_ask`` tells an ask for thoughts that says nothing of its object ("This was
sent by an IT manager, let me know your thoughts..."): ``own_question`` puts the mail's
own question in its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from plugin.drafts.base import Span
from plugin.drafts.summary.actions import ActionItem, due_phrase, extract_actions
from plugin.drafts.summary.asks import is_manners
from plugin.drafts.summary.brief_ask_shapes import extra_ask
from plugin.drafts.summary.brief_chain import cut_off
from plugin.drafts.summary.brief_items import lone_item
from plugin.drafts.summary.rank import has_encoding_residue, is_header
from plugin.drafts.text.context import points_ahead
from plugin.drafts.text.sentences import Sentence

#: An ask for an opinion on what the mail carries: "let me know your thoughts...".
_FEEDBACK = re.compile(
    r"\b(?:your|any)\s+(?:thoughts|comments|feedback|opinions?|views?)\W*$"
    r"|\bwhat\s+you\s+think\W*$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+(?:['’]\w+)?")
#: A question this short ("Any questions?", "Flat rate?") is not the mail's request.
MIN_QUESTION_WORDS = 4
#: Fewest words of a bare imperative that can be the mail's request ("Get ready." cannot).
MIN_ASK_WORDS = 3
#: "Did I say …?", "Am I right?": the writer asking about themself, not asking the reader.
_SELF_QUESTION = re.compile(r"^\W*(?:\w+\W+)?(?:did|am|was|have|had)\s+I\b", re.IGNORECASE)
#: "If there are any complications, please contact Brian": where to turn if something
#: goes wrong, not what the mail asks.
_IF_TROUBLE = re.compile(
    r"^\W*if\s+(?:there\s+(?:are|is|were)|you\s+(?:have|run\s+into|encounter|experience))\s+"
    r"(?:any\s+)?(?:\w+\s+)?(?:complications?|problems?|issues?|questions?|concerns?"
    r"|difficult(?:y|ies)|trouble)\b",
    re.IGNORECASE,
)
#: An offer the reader answers: "If you are interested in hosting, please advise me" is a
#: request, unlike the manners of "if you are outside the US, please contact HR".
_OFFER = re.compile(
    r"^\W*if\s+(?:you|anyone|anybody|someone)\s*(?:'re|'s|\s+are|\s+is|\s+would\s+be)\s+"
    r"interested\s+in\b",
    re.IGNORECASE,
)
#: A deadline said for itself ("The timing of the exercise is by 3pm Friday"), which a
#: request without its own due phrase needs beside it.
_DEADLINE = re.compile(r"^(?:by|before|until|no\s+later\s+than|prior\s+to|due)\b", re.IGNORECASE)


def is_vague_ask(text: str) -> bool:
    """An ask for thoughts on what the mail carries ("This was sent by an IT manager, let
    me know your thoughts..."): it says nothing of what the reader is to answer. (A short
    ask such as "Can you help?" is left to the mail's lead: on the judged dev briefs the
    lead said what it was about more often than the sentence just before it.)"""
    return bool(_FEEDBACK.search(text))


def requests_of(sentences: Sequence[Sentence], questions: bool = False) -> dict[int, Any]:
    """The requests by start offset: "please …", "could you …", imperatives, the shapes of
    ``brief_asks.extra_ask``; when there is none (or ``questions``), the questions to the
    reader ("Do you have a list of the expenses?")."""
    found = extract_actions("", sentences)
    seen = {a.sources[0].start for a in found}
    found += [
        ActionItem(s.text.strip(), None, due_phrase(s.text), [Span(s.start, s.end)], "ask")
        for s in sentences
        if s.start not in seen and not s.lead_in and extra_ask(s.text)
    ]
    # Manners are not asks, unless urgent ("… please advise me ASAP") or an offer to answer.
    actions = [
        a
        for a in found
        if (not is_manners(a.text) or a.due or _OFFER.match(a.text))
        and not _IF_TROUBLE.match(a.text)
        and not has_encoding_residue(a.text)
    ]
    # "Get ready." is a cheer, not what the mail asks ("Please review." still is one); nor
    # is "call and what I expect …", the rest of "It will be a conf." that the splitter cut.
    cut = {s.start for k, s in enumerate(sentences) if cut_off(sentences, k)}
    asks = [
        a
        for a in actions
        if a.cue in ("please", "ask")
        or (
            a.cue == "imperative"
            and len(_WORDS.findall(a.text)) >= MIN_ASK_WORDS
            and a.sources[0].start not in cut
        )
    ]
    if not asks or questions:
        asks = [
            a
            for a in actions
            if a.cue == "question"
            and len(_WORDS.findall(a.text)) >= MIN_QUESTION_WORDS
            and not _SELF_QUESTION.match(a.text)
        ]
    return {a.sources[0].start: a for a in asks}


def own_question(
    ranked: Sequence[Sentence],
    request: Sentence | None,
    requests: dict[int, Any],
    sentences: Sequence[Sentence],
) -> Sentence | None:
    """For an ask for thoughts ("This was sent by an IT manager, let me know your
    thoughts..."), the mail's best-ranked other ask or question that is not one."""
    if request is None or not is_vague_ask(request.text):
        return None
    asks = {**requests_of(sentences, questions=True), **requests}
    return next(
        (
            s
            for s in ranked
            if s.index != request.index and s.start in asks and not is_vague_ask(s.text)
        ),
        None,
    )


#: A reply asked for without its object: "Please let me know.", "Please let me know by the
#: end of the week so that I can send the letter." — what to answer is the ask before it.
_BARE_REPLY = re.compile(
    r"^\W*(?:\w+\s*[,:-]\s*)?(?:please\s+)?(?:let\s+(?:me|us)\s+know|advise|reply|respond"
    r"|get\s+back\s+to\s+me)\s*(?:(?:by|before|asap|as\s+soon|today|tomorrow|so\s+that)\b[^?]*)?"
    r"[.!]*\s*$",
    re.IGNORECASE,
)
#: How far before a bare reply ask the ask it answers may stand.
ANSWERED_WITHIN = 2
#: "Could I get a copy for him?", "where should it be pulling the value?": a question with
#: a verb; "Any other good power references?" is a fragment, a side line.
_QUESTION_VERB = re.compile(
    r"\b(?:is|are|was|were|am|be|do|does|did|can|could|would|will|should|shall|have|has|had"
    r"|may|might|must|need|want|get|know|think)\b",
    re.IGNORECASE,
)


def bare_reply(text: str) -> bool:
    """Whether ``text`` asks for a reply without saying to what ("Please let me know.")."""
    return bool(_BARE_REPLY.match(text))


def is_indirect(text: str, cue: str | None = None) -> bool:
    """An ask said as a statement about others or a need ("the company is required to
    provide …", "We need a contact from Morgan"): it neither says please, nor addresses
    the reader, nor asks, nor has one of ``extra_ask``'s shapes ("I would appreciate the
    opportunity to get together …"). A question to the reader says more of what the mail
    wants."""
    return cue not in ("please", "imperative", "question") and not (
        re.search(r"\b(?:please|pls|kindly|you|your|u)\b", text, re.IGNORECASE)
        or text.rstrip().endswith("?")
        or extra_ask(text)
    )


def _fragment(text: str) -> bool:
    return text.rstrip().endswith("?") and not _QUESTION_VERB.search(text)


def choose_request(
    ranked: Sequence[Sentence],
    requests: dict[int, Any],
    sentences: Sequence[Sentence],
    sayable: Callable[[Sentence], bool] = lambda s: True,
) -> Sentence | None:
    """The ask the brief says. An ask that says when wins ("… ASAP to avoid an NOV"), then
    one put to the reader over an indirect one, then a full question over a fragment, then
    the ranking. A mail's questions to the reader stand beside an indirect ask
    ("Should we have her contact Tindall & Foster directly?" over "the company is required
    to provide a ticket"). A bare "Please let me know." gives way to the ask just before it,
    which says what to answer (its deadline then comes as the request's deadline).
    ``sayable``: whether the brief can say a sentence (with what it leans on); an ask it
    cannot say gives way to the next ("If not, then let's reschedule …" needs two
    sentences before it; "I was wondering if you would be in Houston" does not)."""
    asks = {k: v for k, v in requests.items() if k in _starts(ranked, sayable)}
    if asks and all(is_indirect(s.text, asks[s.start].cue) for s in ranked if s.start in asks):
        questions = requests_of(sentences, questions=True)
        asks.update({k: v for k, v in questions.items() if k in _starts(ranked, sayable)})
    rank_of = {s.index: n for n, s in enumerate(ranked)}
    positions = {s.index: n for n, s in enumerate(sentences)}
    request = min(
        (s for s in ranked if s.start in asks),
        key=lambda s: (
            # "Contact name at Counterparty 6." (an item of the list the ask introduces)
            # is no ask of its own: any ask outside the list comes first.
            lone_item(sentences, positions[s.index]),
            # "Please email me the following information:" asks, but says what only with
            # its list: it is chosen only over the list's items or when nothing else asks.
            points_ahead(s.text),
            asks[s.start].due is None,
            is_indirect(s.text, asks[s.start].cue),
            _fragment(s.text),
            rank_of[s.index],
        ),
        default=None,
    )
    if request is None or not bare_reply(request.text):
        return request
    questions = {**requests_of(sentences, questions=True), **asks}
    here = positions[request.index]
    before = [
        sentences[k]
        for k in range(here - 1, max(here - 1 - ANSWERED_WITHIN, -1), -1)
        if (sentences[k].start in questions or extra_ask(sentences[k].text))
        and sayable(sentences[k])
    ]
    return before[0] if before and not bare_reply(before[0].text) else request


def second_ask(
    ranked: Sequence[Sentence],
    request: Sentence | None,
    requests: dict[int, Any],
    sentences: Sequence[Sentence],
    sayable: Callable[[Sentence], bool] = lambda s: True,
) -> Sentence | None:
    """A second ask to the reader beside ``request`` ("In the meantime, let me know if you
    have any comments." after "please send me his e-mail address"), chosen as the request
    is; never one said about others ("the company is required to pay …"), a list's item
    or a shouted heading ("I NEED MORE INFORMATION")."""
    if request is None:
        return None
    positions = {s.index: n for n, s in enumerate(sentences)}
    others = [
        s
        for s in ranked
        if s.index != request.index
        and not is_header(s.text)
        and not lone_item(sentences, positions[s.index])
    ]
    asks = {
        k: v
        for k, v in requests.items()
        if k != request.start and not is_indirect(v.text, getattr(v, "cue", None))
    }
    return choose_request(others, asks, sentences, sayable)


#: A mail of at most this many sentences (greetings aside) is short: its opening sets the
#: scene for the questions after it, and the reader needs the questions more.
SHORT_MAIL = 8
#: A request this short ("Can you help?", "Any thoughts on the fax?") says what it asks
#: only with the opening before it, which then keeps its place.
MIN_SELF_STANDING_WORDS = MIN_QUESTION_WORDS


def later_question(
    ranked: Sequence[Sentence],
    request: Sentence | None,
    sentences: Sequence[Sentence],
    sayable: Callable[[Sentence], bool] = lambda s: True,
) -> Sentence | None:
    """In a short mail, the best-ranked whole question to the reader that is not the
    request ("Keith are you available the weekend of the 27th?" after "When should it
    be???"): it comes before the mail's opening ("The family reunion is coming up"), which
    only sets the scene for it. None in a longer mail or when there is no such question."""
    if sum(not s.lead_in for s in sentences) > SHORT_MAIL:
        return None
    # "Can you help?" says what it asks only with the opening before it.
    if request is not None and len(_WORDS.findall(request.text)) < MIN_SELF_STANDING_WORDS:
        return None
    questions = requests_of(sentences, questions=True)
    return next(
        (
            s
            for s in ranked
            if s.start in questions
            and (request is None or s.index != request.index)
            and not _fragment(s.text)
            and not is_vague_ask(s.text)
            and sayable(s)
        ),
        None,
    )


def _starts(ranked: Sequence[Sentence], sayable: Callable[[Sentence], bool]) -> set[int]:
    return {s.start for s in ranked if sayable(s)}


def deadline_of(
    ranked: Sequence[Sentence], request: Sentence | None, sentences: Sequence[Sentence] = ()
) -> Sentence | None:
    """The sentence that states the request's deadline when the request has none itself;
    not an item of a list in ``sentences`` ("Review the Q3 invoices by Friday." is that
    item's deadline, not the request's)."""
    if request is None or due_phrase(request.text):
        return None
    positions = {s.index: n for n, s in enumerate(sentences)}
    return next(
        (
            s
            for s in ranked
            if s.index != request.index
            and _DEADLINE.match(due_phrase(s.text) or "")
            and not (s.index in positions and lone_item(sentences, positions[s.index]))
        ),
        None,
    )


__all__ = [
    "bare_reply",
    "choose_request",
    "deadline_of",
    "is_indirect",
    "is_vague_ask",
    "later_question",
    "own_question",
    "requests_of",
    "second_ask",
]
