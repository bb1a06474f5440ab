"""The requests a brief must carry: which sentences of a mail ask the reader something,
which one the brief says, and the sentence that states its deadline.

``requests_of`` takes ``actions.extract_actions`` (courtesy formulas and legal footers are
not requests unless urgent or an offer to answer; a question to the reader counts when
the mail asks nothing else) and adds the shapes of ``extra_ask``, which
``actions.request_cue`` leaves out. ``request_cue`` is shared with replies and the
digest, where a false ask costs a wrong flag; a brief only chooses which two sentences
to say, so it may take a wider net. Read from the usefulness failures of judged dev
briefs (the request sat late in the mail and the brief quoted its opening instead):

* a proposal to the reader: "we should make the change and email the parties";
* a shared duty: "Joe, this means you and I need to be on the road on Friday";
* a need for more: "We need more help!!!";
* the mail's own purpose: "I am writing to ask for your input on …";
* a wish for a meeting: "I would appreciate the opportunity to get together to discuss …";
* an instruction after a condition: "If not, call Paul and find out …".

``is_vague_ask`` tells an ask for thoughts that says nothing of its object ("This was
sent by an IT manager, let me know your thoughts..."): ``own_question`` puts the mail's
own question in its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from plugin.drafts.base import Span
from plugin.drafts.summary.actions import (
    IMPERATIVE_VERBS,
    ActionItem,
    due_phrase,
    extract_actions,
)
from plugin.drafts.summary.asks import is_manners
from plugin.drafts.summary.rank import has_encoding_residue
from plugin.drafts.text.sentences import Sentence

_EXTRA_ASK = re.compile(
    # "we should make the change" (not "we should be fine", "analyze if we should do it";
    # "you should receive it within the week" informs)
    r"(?<!\bif\s)(?<!\bwhether\s)\bwe\s+(?:really\s+|probably\s+|also\s+)?should\s+"
    r"(?!have\b|be\b|not\b|receive\b|know\b|see\b|hear\b|get\b)[a-z]+"
    r"|\byou\s+and\s+(?:i|me)\s+(?:need|must|have)\s+to\b"
    r"|\b(?:i|we)\s+(?:still\s+|really\s+|also\s+)?need\s+(?:more|additional|extra|another)\b"
    r"|\b(?:writing|write)\s+to\s+(?:ask|request|invite|see\s+if)\b"
    r"|\bask(?:ing)?\s+for\s+your\b"
    r"|\b(?:'d|would)\s+(?:\w+ly\s+)?appreciate\s+(?:the|a|an)\s+(?:opportunity|chance)\b",
    re.IGNORECASE,
)
#: "If not, …", "If so, …", "If you agree, …": a short condition before an instruction.
_CONDITION = re.compile(r"^\W*if\s+[^,.;:?!]{1,40},\s*", re.IGNORECASE)
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


def extra_ask(text: str) -> bool:
    """Whether ``text`` asks the reader in a shape that ``request_cue`` leaves out."""
    if _EXTRA_ASK.search(text):
        return True
    condition = _CONDITION.match(text)
    if condition is None:
        return False
    rest = text[condition.end() :]
    first = re.match(r"[A-Za-z'-]+", rest)
    return bool(first and first.group().lower() in IMPERATIVE_VERBS and not rest.endswith("?"))


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
    # "Get ready." is a cheer, not what the mail asks ("Please review." still is one).
    asks = [
        a
        for a in actions
        if a.cue in ("please", "ask")
        or (a.cue == "imperative" and len(_WORDS.findall(a.text)) >= MIN_ASK_WORDS)
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


def deadline_of(ranked: Sequence[Sentence], request: Sentence | None) -> Sentence | None:
    """The sentence that states the request's deadline when the request has none itself."""
    if request is None or due_phrase(request.text):
        return None
    return next(
        (
            s
            for s in ranked
            if s.index != request.index and _DEADLINE.match(due_phrase(s.text) or "")
        ),
        None,
    )


__all__ = ["deadline_of", "extra_ask", "is_vague_ask", "own_question", "requests_of"]
