"""Asks that the user's answer reveals.

The ask rules (``asks.find_asks``) miss asks made in words they do not know ("Jim tells me
you would be the person to contact about parking passes", "We would like the pipeline
figures too."). When the user's free-text intent answers such a sentence anyway ("I'll
leave two passes at the front desk."), the reply already says the answer: the intent's
words are quoted whole, as answers or as the user's own statements. What was missing is
the plan saying so. So a sentence of the mail that asks something of the reader, which no
ask holds, becomes an ask answered by the intent (``found_by`` "answer") when a clause of
the intent plainly answers it: the clause shares with that sentence content words that few
other sentences of the mail or asks have, or shares some and is close in meaning. One
clause may answer several sentences ("Done, both products are set up" to two requests for
them); each sentence goes to the clause that fits it best. Asking comes in many words: a
need said with an adverb or by two people, a request or invitation in the third person, a
question typed without its mark, a draft sent for review (session 37, docs/replies.md).

A quick choice ("Yes", "later:Friday") that no ask took answers the mail's one sentence
that asks something, when there is exactly one and it wants a yes or a no.

This never adds a placeholder and never changes the reply's text: it only adds asks that
the intent answers, with the clause's slot as their answer. The clause must fit the
sentence better than the ask its slot already answers, so an answer is never moved.
Measured in docs/replies.md, "Asks the answer reveals".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from plugin.drafts.reply.asks import MAX_SCAN_CHARS, ask_kind
from plugin.drafts.reply.bare import is_bare
from plugin.drafts.reply.clauses import Clause, split_clauses, stemmed_words
from plugin.drafts.reply.implied import asks_nothing
from plugin.drafts.reply.intents import Intent
from plugin.drafts.reply.matching import Embed, answers_nothing, cosines
from plugin.drafts.reply.slots import Ask, Slot
from plugin.drafts.reply.smalltalk import is_small_talk
from plugin.drafts.summary.actions import is_courtesy, request_cue
from plugin.drafts.text.sentences import Sentence, split_sentences

#: What a sentence needs before an answer can reveal it as an ask: it asks (a question, a
#: request), says what the writer needs, wants or waits for, or tells the reader what they
#: should or will need to do.
_ASKS_SOMETHING = re.compile(
    r"\?|\b(?:i|we)\s+(?:\w+\s+){0,2}(?:would|'d)\s+(?:\w+\s+)?(?:like|love|appreciate|"
    r"be\s+(?:very\s+)?interested)\b|\b(?:i|we)(?:'d|\s+would)\s+(?:like|love|appreciate)\b|"
    r"\b(?:i|we)\s+(?:really\s+|also\s+|will\s+)?(?:need|want|wanted|require|am\s+wondering|"
    r"was\s+wondering|wonder|could\s+use)\b|"
    r"\b(?:need|needs)\s+(?:to\s+(?:know|find|get|have|see|be)|your|you)\b|would\s+like\s+for\b|"
    r"\blet'?s\b|\b(?:would|might)\s+be\s+(?:very\s+)?(?:nice|great|helpful|good|appreciated)\b|"
    r"\b(?:we|you)\s+should\b|\bnot\s+sure\s+(?:what|how|whether|if|who|when)\b|\brequests?\s+that\b|"
    r"\b(?:let\s+(?:me|us)\s+know|please|pls|advise|any\s+thoughts|wait\s+to\s+hear|"
    r"drop\s+me|for\s+your\s+(?:review|comments|approval|signature))\b",
    re.I,
)
#: The same in other words: needs said with an adverb or by two people ("Nina and I
#: certainly want"), a request or an invitation in the third person, a question without its
#: question mark, a draft offered for review, "if that is okay", "see if you can …", and
#: (session 37's blind dev labels) "questions as to how …", "curious about …", "were
#: hoping you could …", "Hunter would like an answer", "Greg is looking for guidance".
_ASKS_IN_OTHER_WORDS = re.compile(
    r"\b(?:i|we)\s+(?:will\s+|would\s+|may\s+|might\s+)?(?:probably|definitely|certainly|"
    r"really|also|still|just|very\s+much|absolutely)\s+(?:need|want|require)\b|"
    r"\band\s+i\s+(?:\w+\s+){0,2}(?:need|want|would\s+like)\b|\bin\s+need\s+of\b|"
    r"\b(?:i|we)\s+(?:am|are)\s+(?:looking|hoping|asking)\s+for\b|"
    r"\b(?:will|would)\s+(?:probably\s+|also\s+)?need\s+to\b|"
    r"\b(?:requests|(?:can|could|to|please)\s+request)\s+(?:an?|the|your|that|to)\b|"
    r"\bto\s+ask\s+(?:that|if|whether|for)\b|"
    r"\b(?:are|is)\s+(?:cordially\s+)?invited\b|\binvites?\s+(?:you|all|every)|"
    r"^\W*(?:are|is|will|can|could|would|do|does|did|have|has|should|shall)\s+(?:the|you|we|"
    r"they|there|it|he|she|this|these|those|any|my|our|your|i)\b|"
    r"\bthe\s+question\b[^.?!]{0,20}\b(?:is|may\s+be|would\s+be|remains)\b|"
    r"\b(?:here\s+is|here's|attached\s+(?:is|are)|enclosed\s+(?:is|are))\b[^.?!]*"
    r"\b(?:draft|revisions?|revised|proposal|redline|mark-?up)\b|"
    r"\bif\s+(?:that|this)\s+is\s+(?:ok|okay|alright|all\s+right|fine|acceptable)\b|"
    r"\bsee\s+if\s+(?:you|we)\s+can\b|\b(?:block|hold)\s+(?:off|out)\b|"
    r"\bhelp\s+(?:me|us)\s+out\b|\bwondering\b|"
    r"\bquestions?\s+(?:as\s+to|about|regarding|on)\s+(?:how|what|whether|when|who|why|which)\b|"
    r"\bcurious\s+(?:about|whether|if|to\s+know|as\s+to)\b|"
    r"\b(?:were|was|am|are|is)\s+hoping\s+(?:that\s+)?(?:you|the\s+\w+\s+of\s+you)\b|"
    r"\bwould\s+like\s+(?:an?\s+)?(?:answer|response|reply|update)\b|\bwould\s+like\s+to\s+know\b|"
    r"\b(?:is|are|am)\s+looking\s+for\s+(?:some\s+)?(?:guidance|input|feedback|direction|advice|"
    r"help|an?\s+answer|comments)\b|"
    r"(?:^|[,;:]\s*|\bso\s+)(?:give|send|forward|bring|return|fax)\s+(?:it|them|this|these)\s+"
    r"to\s+me\b",
    re.I,
)
_TELLS_THE_READER = re.compile(
    r"\b(?:you|you'll|you'd|your)\b[^.?!]*\b(?:need|needs|should|must|will|want|would)\b|"
    r"\b(?:do|should|would|will|can|could)\s+(?:you|i|we)\b",
    re.I,
)
#: Content words a clause must share with the sentence, weighted by how few of the mail's
#: sentences hold them (chosen on dev: 0.75 to 1.0 give the same; 0.5 reveals an ask the
#: labels say the intent leaves unanswered).
MIN_SHARED = 1.0
#: Or fewer shared words and a meaning this close (MiniLM cosine; 0.5 and 0.6 the same).
MIN_COSINE = 0.5
_MAX_SENTENCE_CHARS = 400


@dataclass(slots=True)
class _Sentence:
    text: str
    start: int
    end: int


def _candidates(sentences: list[Sentence], asks: list[Ask]) -> list[_Sentence]:
    """Sentences that ask something of the reader and that no ask holds. Not the sentence
    before a bare "Please let me know asap.": that ask is about it already."""
    bare_starts = {a.start for a in asks if is_bare(a)}
    found = []
    for number, sentence in enumerate(sentences):
        following = sentences[number + 1] if number + 1 < len(sentences) else None
        if following is not None and any(
            following.start <= start < following.end for start in bare_starts
        ):
            continue
        if len(sentence.text) > _MAX_SENTENCE_CHARS or is_small_talk(sentence.text):
            continue
        if any(a.start < sentence.end and sentence.start < a.end for a in asks):
            continue
        if is_courtesy(sentence.text) or asks_nothing(sentence.text):
            continue  # "If you have questions, please call": a courtesy asks nothing
        if (
            _ASKS_SOMETHING.search(sentence.text)
            or _ASKS_IN_OTHER_WORDS.search(sentence.text)
            or _TELLS_THE_READER.search(sentence.text)
            or request_cue(sentence.text)
        ):
            found.append(_Sentence(sentence.text.strip(), sentence.start, sentence.end))
    return found


def _intent_clauses(slots: list[Slot]) -> list[tuple[Slot, Clause]]:
    """Each clause of each answer slot quoted from the intent, with its slot."""
    pairs = []
    for slot in slots:
        if slot.role != "answer" or not slot.from_intent():
            continue
        _sentences, clauses = split_clauses(slot.text)
        pairs.extend((slot, clause) for clause in clauses)
    return pairs


def reveal_asks(
    text: str,
    document_id: str | None,
    asks: list[Ask],
    slots: list[Slot],
    intent: Intent | None,
    embed: Embed | None,
) -> list[Ask]:
    """``asks`` with the asks the intent reveals, in the mail's order; the slots' ask
    indexes are renumbered to match."""
    if intent is None or (intent.kind == "free" and answers_nothing(intent.text)):
        return asks
    # The part of the mail the ask rules read (``asks.MAX_SCAN_CHARS``), split once.
    sentences = split_sentences(text[:MAX_SCAN_CHARS])
    candidates = _candidates(sentences, asks)
    if intent.kind != "free":
        return _revealed_by_a_choice(candidates, document_id, asks, slots)
    pairs = _intent_clauses(slots)
    if not candidates or not pairs:
        return asks
    columns = [c.text for c in candidates] + [a.text for a in asks]
    column_words = [stemmed_words(column) for column in columns]
    # A word counts by how few sentences of the whole mail hold it: "weeks" in the one
    # sentence that asks and in the one the question is about tells nothing.
    holders: dict[str, int] = {}
    for sentence in sentences:
        for word in stemmed_words(sentence.text):
            holders[word] = holders.get(word, 0) + 1
    shared = np.zeros((len(pairs), len(columns)))
    for row, (_slot, clause) in enumerate(pairs):
        clause_words = stemmed_words(clause.text)
        for column, held in enumerate(column_words):
            shared[row, column] = sum(1 / holders.get(w, 1) for w in clause_words & held)
    meaning = np.zeros((len(pairs), len(candidates)))
    # Meaning only counts beside a shared word: embed just the sentences that have one.
    touched = [c for c in range(len(candidates)) if shared[:, c].any()]
    if embed is not None and touched:
        meaning[:, touched] = cosines(
            embed, [clause.text for _slot, clause in pairs], [candidates[c].text for c in touched]
        )
    # Each sentence goes to the clause that fits it best; one clause may answer several.
    best: dict[int, tuple[tuple[float, float], Slot]] = {}
    for row, (slot, _clause) in enumerate(pairs):
        answered = [len(candidates) + i for i in slot.asks]
        rival = max((shared[row, column] for column in answered), default=0.0)
        for column in range(len(candidates)):
            lexical = shared[row, column]
            if lexical <= rival:  # the clause is about the ask it already answers
                continue
            if lexical >= MIN_SHARED or (lexical > 0 and meaning[row, column] >= MIN_COSINE):
                key = (lexical, meaning[row, column])
                if column not in best or key > best[column][0]:
                    best[column] = (key, slot)
    revealed = {column: slot for column, (_key, slot) in best.items()}
    if not revealed:
        return asks
    added = [_answered_ask(candidates[column], document_id) for column in sorted(revealed)]
    merged = sorted([*asks, *added], key=lambda ask: ask.start)
    position = {id(ask): index for index, ask in enumerate(merged)}
    for slot in slots:
        slot.asks = [position[id(asks[i])] for i in slot.asks]
    for ask, column in zip(added, sorted(revealed), strict=True):
        revealed[column].asks.append(position[id(ask)])
    return merged


def _revealed_by_a_choice(
    candidates: list[_Sentence], document_id: str | None, asks: list[Ask], slots: list[Slot]
) -> list[Ask]:
    """A "Yes" or "No" that no ask took ("Yes." to "We would love to see you there.")
    answers the mail's one sentence that asks something, when it asks for a yes or a no."""
    if asks or len(candidates) != 1:
        return asks
    spare = [s for s in slots if s.role == "answer" and not s.asks]
    if ask_kind(candidates[0].text) == "open" or len(spare) != 1:
        return asks
    spare[0].asks.append(0)
    return [_answered_ask(candidates[0], document_id)]


def _answered_ask(sentence: _Sentence, document_id: str | None) -> Ask:
    return Ask(
        sentence.text,
        sentence.start,
        sentence.end,
        document_id,
        ask_kind(sentence.text),
        answered_by="intent",
        implied=True,
        found_by="answer",
    )


__all__ = ["MIN_COSINE", "MIN_SHARED", "reveal_asks"]
