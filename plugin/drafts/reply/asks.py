"""Which sentences of a mail are asks: questions and requests addressed to the reader.

The action-item rules (``summary.actions.extract_actions``) find most of them; a reply
needs a few more, and fewer:

* more: questions the action rules pass over ("And when is the offsite?", "(2) Did you
  …?", a follow-up right after a question, a question typed with a full stop); a
  statement with a question mark that talks to the reader ("… pointed me in your
  direction to be added to the site?"); "I would appreciate it if you would fax me …";
  a "let me know if you have any comments" or "… if you need any details" (a reply
  answers those: "No comments, …"), but not "… if you have any questions", which asks
  nothing;
* fewer: "please disregard this mail"; "Please join me in congratulating …"; the line
  that introduces a list of questions ("Several questions come to mind:"); and an
  invitation is one ask: its lines ("Please join us …", "Please bring …") count once, and
  not at all when the mail asks for the RSVP in its own sentence ("Please let me know
  what you would like to bring").
"""

from __future__ import annotations

import re
from typing import Any

from connectors.document import Document
from plugin.drafts.reply.slots import Ask
from plugin.drafts.summary.actions import extract_actions, request_cue
from plugin.drafts.text.sentences import split_sentences, word_set

MAX_ASKS = 8
#: Only this much of a message is searched for asks (a pasted log is not a list of asks).
MAX_SCAN_CHARS = 20_000
_OPEN_QUESTION = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:what|when|where|who|whom|whose|which|how|why)\b", re.I
)
_VOCATIVE = re.compile(r"^\s*([A-Z][a-z]+)\s*[,:]\s+")
_NOT_VOCATIVE = {
    "hello",
    "hi",
    "hey",
    "dear",
    "ok",
    "okay",
    "so",
    "also",
    "well",
    "yes",
    "no",
    "thanks",
    "and",
    "but",
    "now",
    "first",
    "finally",
    "again",
    "sorry",
    "please",
}
_OPEN_REQUEST = re.compile(
    r"\b(?:let\s+(?:me|us)\s+know|tell\s+(?:me|us)|advise)\s+(?:what|when|where|who|which|how)\b"
    r"|\b(?:give|send)\s+(?:me|us)\s+(?:a|the|your)\s+(?:date|time|number|address|name|list)\b",
    re.I,
)
_CONJUNCTION = re.compile(r"^\s*(?:and|also|so|but|or|plus|if\s+so|if\s+not)\b[\s,]*", re.I)
_YOU_QUESTION = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:do|does|did|are|can|could|would|will)\s+you\b", re.I
)
#: "(2)  Did you assign this file to anyone?": a numbered question is a question all the same.
_ENUMERATOR = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
_YES_NO_QUESTION = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:do|does|did|are|is|was|were|will|would|can|could|should|"
    r"shall|may|have|has|any)\b",
    re.I,
)


def _ask_kind(text: str) -> str:
    text = _ENUMERATOR.sub("", text)
    if text.rstrip().endswith("?"):
        if _OPEN_QUESTION.match(text):
            return "open"
        return "yes_no" if _YES_NO_QUESTION.match(text) else "open"
    # "Let me know how you'd like to proceed" wants an answer that "yes" is not.
    return "open" if _OPEN_REQUEST.search(text) else "request"


def _more_questions(
    sentences: list[Any], taken: set[int], document_id: str, reader_names: set[str]
) -> list[Ask]:
    """Questions the action-item rules pass over: "And when is the offsite?", "(2) Did you
    …?", a follow-up right after a question ("Same for selling insurance?"), a question
    typed with a full stop ("Do you still want a copy of our GISB.") and the asks only a
    reply answers (``_reply_only_kind``)."""
    found: list[Ask] = []
    after_ask = False
    for sentence in sentences:
        text = sentence.text
        if sentence.start in taken:
            after_ask = True
            continue
        lead = _CONJUNCTION.match(text) or _ENUMERATOR.match(text)
        body = text[lead.end() :] if lead else text
        kind = None
        if (lead and request_cue(body)) or (after_ask and text.rstrip().endswith("?")):
            kind = _ask_kind(body)
        elif _YOU_QUESTION.match(body) and text.rstrip().endswith("."):
            kind = "yes_no"
        elif not _addressed_elsewhere(text, reader_names):
            kind = _reply_only_kind(text)
        if kind:
            found.append(Ask(text, sentence.start, sentence.end, document_id, kind))
        after_ask = kind is not None
    return found


def _addressed_elsewhere(text: str, reader_names: set[str]) -> bool:
    """ "Jeff, please send …" asks Jeff, not the reader."""
    vocative = _VOCATIVE.match(text)
    named = vocative.group(1).lower() if vocative else ""
    return bool(reader_names and named and named not in reader_names | _NOT_VOCATIVE)


def find_asks(document: Document, reader_names: set[str], notes: list[str]) -> list[Ask]:
    """Questions and requests addressed to the reader, in order."""
    text = document.text
    if len(text) > MAX_SCAN_CHARS:
        notes.append(
            f"Only the first {MAX_SCAN_CHARS:,} characters were searched for "
            "questions: the message is longer."
        )
        text = text[:MAX_SCAN_CHARS]
    sentences = split_sentences(text)
    asks: list[Ask] = []
    for item in extract_actions(text, sentences, document_id=document.id):
        if _addressed_elsewhere(item.text, reader_names):
            continue
        span = item.sources[0]
        asks.append(Ask(item.text, span.start, span.end, document.id, _ask_kind(item.text)))
    taken = {a.start for a in asks}
    asks += _more_questions(sentences, taken, document.id, reader_names)
    asks = _fewer(sorted(asks, key=lambda ask: ask.start))
    if len(asks) > MAX_ASKS:
        notes.append(f"The message asks {len(asks)} things; the reply covers the first {MAX_ASKS}.")
        asks = asks[:MAX_ASKS]
    return asks


#: "let me know if you have any comments": the reply answers it; "… any questions" it does not.
_IF_YOU_HAVE = re.compile(
    r"\bif\s+you\s+(?:have|need)\s+(?:any|further|additional|other)\s+([\w-]+)", re.I
)
_COURTESY_NEEDS = word_set("questions question problems problem trouble help assistance issues")
#: "canyou send them": a request typed without its space.
_GLUED_YOU = re.compile(r"\b(can|could|would|will)(you)\b", re.I)
_APPRECIATE_IF = re.compile(
    r"\b(?:i|we)(?:\s+would|\s+will|'d|'ll)?\s+(?:greatly\s+|really\s+)?"
    r"(?:appreciate\s+it|be\s+(?:very\s+)?grateful)\s+if\s+you\b",
    re.I,
)
_TO_THE_READER = re.compile(r"\b(?:you|your|yours)\b", re.I)
_NOT_AN_ASK = re.compile(
    r"\bplease\s+(?:disregard|ignore)\b"
    r"|\bjoin\s+(?:me|us)\s+in\s+(?:congratulating|welcoming|thanking|wishing)\b",
    re.I,
)
_INVITATION = re.compile(
    r"\b(?:please|kindly)\s+(?:join|come|attend)\b"
    r"|\byou(?:'re|\s+are)\s+(?:cordially\s+)?invited\b|\bwe\s+invite\s+you\b",
    re.I,
)
#: Further lines of an invitation ("Please bring your families …").
_INVITATION_DETAIL = re.compile(r"\b(?:please|kindly)\s+(?:bring|wear|dress)\b", re.I)
#: An ask that answers for the invitation: the RSVP in its own sentence.
_RSVP = re.compile(
    r"\blet\s+(?:me|us)\s+know\b|\brsvp\b|\b(?:confirm|reply|respond)\b|\bbring\b|\battend",
    re.I,
)


def _reply_only_kind(text: str) -> str | None:
    """The kind of an ask that the action-item rules reject but a reply must answer."""
    if _NOT_AN_ASK.search(text):
        return None
    condition = _IF_YOU_HAVE.search(text)
    if condition and condition.group(1).lower() not in _COURTESY_NEEDS:
        rest = _GLUED_YOU.sub(r"\1 \2", text[: condition.start()] + text[condition.end() :])
        if request_cue(rest.strip(" ,")):
            return _ask_kind(text)
    if _APPRECIATE_IF.search(text):
        return "request"
    if text.rstrip().endswith("?") and _TO_THE_READER.search(text):
        return _ask_kind(text)
    return None


def _introduces_list(ask: Ask, later: list[Ask]) -> bool:
    """ "Several questions come to mind …:" stands for the questions that follow it."""
    return ask.text.rstrip().endswith(":") and any(a.start > ask.start for a in later)


def _one_ask_per_invitation(asks: list[Ask]) -> list[Ask]:
    if not any(_INVITATION.search(a.text) for a in asks):
        return asks
    lines = [a for a in asks if _INVITATION.search(a.text) or _INVITATION_DETAIL.search(a.text)]
    others = [a for a in asks if a not in lines]
    if any(_RSVP.search(a.text) for a in others):
        return others
    return sorted([*others, lines[0]], key=lambda ask: ask.start)


def _fewer(asks: list[Ask]) -> list[Ask]:
    asks = [a for a in asks if not _NOT_AN_ASK.search(a.text)]
    asks = [a for a in asks if not _introduces_list(a, asks)]
    return _one_ask_per_invitation(asks)


__all__ = ["MAX_ASKS", "MAX_SCAN_CHARS", "find_asks"]
