"""Which asks the user's intent answers, and with what words.

* "yes"/"no" answer yes/no questions and requests ("Yes, I can do that."), never an open
  question ("What is the price?" stays a placeholder);
* "later" answers everything with one sentence ("I'll get back to you on this by Friday.");
* accept/decline answer the proposed meeting (``meeting``); with no meeting in the
  mail they read as yes/no;
* free text: its clauses are matched to the asks (``matching``: shared words, meaning,
  what each ask asks for, a plain grant) and each of its sentences answers the asks its
  clauses answer; a single ask takes the whole text (unless it is only a hedge or a
  courtesy: "Not sure yet." answers nothing), and a bare "Please let me know." is
  answered with the question before it. Sentences that answer no ask are kept as the
  user's own statements.

An ask that nothing answers gets a placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugin.drafts.reply.bare import bare_heads, is_bare
from plugin.drafts.reply.clauses import split_clauses
from plugin.drafts.reply.conditions import settling_clause
from plugin.drafts.reply.intents import Intent
from plugin.drafts.reply.matching import Embed, answers_nothing, match_clauses, reports_a_state
from plugin.drafts.reply.meeting import MEETING_REQUEST
from plugin.drafts.reply.slots import Ask, Slot, placeholder
from plugin.drafts.reply.smalltalk import is_small_talk
from plugin.drafts.text.sentences import split_sentences

if TYPE_CHECKING:
    from connectors.document import Document
    from plugin.drafts.reply.meeting import MeetingAnswer

_ANSWERS = {
    ("yes", "yes_no"): "Yes.",
    ("yes", "request"): "Yes, I can do that.",
    ("yes", "meeting"): "Yes, that works for me.",
    ("no", "yes_no"): "No.",
    ("no", "request"): "I'm afraid I can't do that.",
    ("no", "meeting"): "I'm afraid that doesn't work for me.",
}


def _sentence_case(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _assign_free(
    document: Document,
    asks: list[Ask],
    open_asks: list[int],
    intent: Intent,
    embed: Embed | None,
) -> tuple[dict[int, list[tuple[str, int, int]]], list[tuple[str, int, int]]]:
    """Intent sentences per ask index, and the sentences that answer no ask.

    The reply quotes the user's sentences whole; ``matching`` decides, clause by clause,
    which asks each sentence answers."""
    heads = bare_heads(asks, document.text, open_asks)
    small = [i for i in open_asks if i not in heads and is_small_talk(asks[i].text)]
    main = [i for i in open_asks if i not in heads and i not in small]
    assigned: dict[int, list[tuple[str, int, int]]] = {}
    left: list[tuple[str, int, int]] = []
    if not main or answers_nothing(intent.text):
        # nothing asked, or "Not sure yet.": the intent is the user's own statement
        left = [(s.text, s.start, s.end) for s in split_sentences(intent.text)]
    elif len(main) == 1:
        assigned[main[0]] = [(intent.text, 0, len(intent.text))]
    else:
        # a bare "Let me know asap." with no ask before it is about the sentence before it
        context = {
            i: _sentence_before(document.text, asks[i].start)
            for i in main
            if is_bare(asks[i]) and i not in heads
        }
        sentences, clauses = match_clauses(asks, main, intent.text, embed, context)
        used = set()
        for clause in clauses:
            for index in clause.asks:
                sentence = sentences[clause.sentence]
                if sentence not in assigned.setdefault(index, []):
                    assigned[index].append(sentence)
                used.add(clause.sentence)
        for index in list(assigned):
            assigned[index].sort(key=lambda piece: piece[1])
        left = [s for number, s in enumerate(sentences) if number not in used]
    if small and not answers_nothing(intent.text):
        left = _answer_small_talk(small, main, intent.text, assigned, left)
    for bare, head in heads.items():  # "Please let me know." is answered with its question
        if head in assigned:
            assigned[bare] = list(assigned[head])
    return assigned, left


def _sentence_before(text: str, start: int) -> str:
    before = split_sentences(text[:start])
    return before[-1].text if before else ""


def _answer_small_talk(
    small: list[int],
    main: list[int],
    text: str,
    assigned: dict[int, list[tuple[str, int, int]]],
    left: list[tuple[str, int, int]],
) -> list[tuple[str, int, int]]:
    """ "How are you?" / "What's going on?" take the user's sentences that say how they are
    ("Not much, just a quiet day here."), in order; the sentences left over are returned."""
    sentences, clauses = split_clauses(text)
    states = [c for c in clauses if reports_a_state(c.text)]
    if not states:
        return left
    if len(main) == 1 and main[0] in assigned:  # the whole intent already answers the ask
        for index in small:
            assigned[index] = list(assigned[main[0]])
        return left
    for position, index in enumerate(small):
        sentence = sentences[states[min(position, len(states) - 1)].sentence]
        assigned[index] = [sentence]
        left = [s for s in left if s != sentence]
    return left


def _intent_source(intent: Intent, start: int | None = None, end: int | None = None) -> dict:
    source: dict = {"from": "intent", "kind": intent.kind}
    if start is not None:
        source.update(start=start, end=end)
    return source


def answer_asks(
    document: Document,
    asks: list[Ask],
    intent: Intent | None,
    meeting: MeetingAnswer | None,
    embed: Embed | None = None,
) -> list[Slot]:
    """The body slots after the acknowledgement, in the order of the asks (``embed``: the
    sentence embedder that helps match a free-text intent to the asks, when at hand)."""
    kind = intent.kind if intent else None
    if kind in ("accept", "decline") and (meeting is None or meeting.ask is None):
        kind = "yes" if kind == "accept" else "no"  # no proposal to accept: a plain yes/no
    if intent is not None and kind == "later":
        for ask in asks:
            ask.answered_by = "intent"
        slots = [
            Slot(
                "answer",
                f"I'll get back to you on this by {intent.text}.",
                [_intent_source(intent)],
                list(range(len(asks))),
            )
        ]
        return slots
    slots: list[Slot] = []
    by_text: dict[str, Slot] = {}
    meeting_ask = meeting.ask if meeting and meeting.slot else None
    if meeting and meeting.slot and meeting.ask is None:
        slots.append(meeting.slot)
    meeting_by = "calendar" if kind not in ("accept", "decline", "yes", "no") else "intent"
    tied: set[int] = set()  # further requests that are the meeting itself
    if meeting_ask is not None:
        tied = {
            i
            for i, ask in enumerate(asks)
            if i != meeting_ask and ask.kind == "request" and MEETING_REQUEST.search(ask.text)
        }
    open_asks = [i for i in range(len(asks)) if i != meeting_ask and i not in tied]
    free: dict[int, list[tuple[str, int, int]]] = {}
    left: list[tuple[str, int, int]] = []
    settled: list[tuple[int, str]] = []
    if intent is not None and kind == "free":
        free, left = _assign_free(document, asks, open_asks, intent, embed)
    for index, ask in enumerate(asks):
        if index == meeting_ask and meeting and meeting.slot:
            ask.answered_by = meeting_by
            slots.append(meeting.slot)
            continue
        if index in tied and meeting and meeting.slot:
            ask.answered_by = meeting_by
            meeting.slot.asks.append(index)
            continue
        if index in free:
            ask.answered_by = "intent"
            for text, start, end in free[index]:
                if text in by_text:  # one sentence of the intent answers several asks
                    by_text[text].asks.append(index)
                    continue
                slot = Slot(
                    "answer", _sentence_case(text), [_intent_source(intent, start, end)], [index]
                )  # type: ignore[arg-type]
                by_text[text] = slot
                slots.append(slot)
            continue
        answer = _ANSWERS.get((kind or "", ask.kind))
        if kind == "yes" and answer == "Yes." and any(a.kind == "request" for a in asks):
            answer = _ANSWERS[("yes", "request")]  # not "Yes. Yes, I can do that."
        if answer and intent is not None:
            ask.answered_by = "intent"
            if answer in by_text:  # one "Yes, I can do that." answers several requests
                by_text[answer].asks.append(index)
                continue
            slot = Slot("answer", answer, [_intent_source(intent)], [index])
            by_text[answer] = slot
            slots.append(slot)
            continue
        if is_small_talk(ask.text):
            continue  # "How are you?" unanswered needs no placeholder
        settling = settling_clause(ask.text, intent.text) if kind == "free" and intent else None
        if settling is not None:  # "If you cannot take the test …": "I took it yesterday"
            ask.answered_by = "intent"
            settled.append((index, settling.text))
            continue
        slots.append(
            Slot(
                "placeholder",
                placeholder(ask),
                [
                    {
                        "from": "mail",
                        "start": ask.start,
                        "end": ask.end,
                        "document_id": ask.document_id,
                    }
                ],
                [index],
            )
        )
    if intent is not None:
        for text, start, end in left:
            slots.append(Slot("answer", _sentence_case(text), [_intent_source(intent, start, end)]))
    for index, clause in settled:  # the slot that says what settles it answers it
        said = [slot for slot in slots if slot.role == "answer" and clause in slot.text]
        if said:
            said[0].asks.append(index)
    said = any(slot.from_intent() for slot in slots)
    if intent is not None and kind in ("yes", "no") and not asks and not said:
        # The user chose "Yes" and the mail asks nothing the rules know: the reply still
        # says it, once, rather than drop the user's answer.
        slots.append(Slot("answer", _ANSWERS[(kind, "yes_no")], [_intent_source(intent)]))
    return slots


__all__ = ["answer_asks"]
