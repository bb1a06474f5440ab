"""Wording a reply plan: the model rewrites the body, code checks it, the template stands in.

The model sees only the plan's body sentences (acknowledgement, answers, placeholders) and
is asked to join them into a paragraph in the user's tone; greeting and sign-off are the
plan's own. Its text is kept only when ``problems`` finds nothing:

* every name, date, time, number, amount, address and link is supported by the plan's
  facts (mail, calendar answer, intent, profile) — ``verify.check``;
* every placeholder is still there, verbatim;
* every answer is still there (its content words);
* every sentence stays on the plan (no new content), at most ~1.5x the plan's length;
* no yes/no, promise or commitment word that the plan does not have, and none of its
  deeds, promises or negations ("works for me", "I'll", "not") dropped.

Sentences the model made up are dropped first (``repair``); what is left must pass in
full. On failure one stricter retry, then the template (the plan's sentences as they are).
``data["path"]`` says which was used: ``model`` or ``template``.

A model tuned for the ``reply`` task (``deskdraft model tune --replies``) is first sent
that task's prompt (``prompts.task_prompt`` around ``plan_notes``: the prompt it was
trained on), in place of the tone prompt; the checks, the strict retry and the template
stay the same.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from plugin.drafts.reply.plan import FRAME_ROLES, ReplyPlan
from plugin.drafts.reply.slots import PLACEHOLDER, Slot, unlabelled
from plugin.drafts.summary.headline import content_words, support
from plugin.drafts.text.align import NEGATIONS, align, words_of
from plugin.drafts.text.prompts import render, task_prompt, tuned_for
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import SourceIndex, check, stem

MIN_SENTENCE_SUPPORT = 0.6
MIN_ANSWER_KEPT = 0.6
COMMITMENT = re.compile(
    r"\b(?:yes|no|not|never|can't|cannot|won't|will|i'll|we'll|shall|promise|guarantee|"
    r"agree[ds]?|approved?|confirm(?:ed|s)?|sure|definitely|certainly|happy\s+to|glad\s+to|"
    r"done|sent|attached|afraid|works)\b",
    re.IGNORECASE,
)
#: Commitment words a wording may not drop from the plan: a deed, a promise or a negation.
#: "Thursday at 2 pm in my office works for me." worded as "Thursday at 2 pm" kept the time
#: and lost the acceptance. Tone words ("yes", "sure", "happy to") may go when the deed stays.
_KEPT = frozenset(
    {"will", "not", "never", "promise", "guarantee", "agree", "approve", "confirm"}
    | {"done", "sent", "attached", "works", "afraid"}
)
#: One spelling of each ("I'll" is "will", "can't" is "not").
_ONE_SPELLING = {
    "i'll": "will",
    "we'll": "will",
    "shall": "will",
    "won't": "will not",
    "can't": "not",
    "cannot": "not",
    "agreed": "agree",
    "agrees": "agree",
    "approved": "approve",
    "confirmed": "confirm",
    "confirms": "confirm",
}
#: Day words name a date as surely as "Dec 3" does: each must be in the facts too.
RELATIVE_DAY = re.compile(
    r"\b(?:today|tonight|tomorrow|yesterday|weekend|asap|eod|"
    r"(?:this|next)\s+(?:week|month|morning|afternoon|evening)|end\s+of\s+(?:the\s+)?"
    r"(?:day|week|month))\b",
    re.IGNORECASE,
)
_LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>\]\"']+", re.IGNORECASE)
#: The model's own greeting ("Hi Ann,", "Dear Mr. Smith,"): it ends at the first comma
#: or "!" (or its line), so "Hi Ann, yes, I can do that." keeps its "yes,".
_GREETING_LINE = re.compile(
    r"^\s*(?:hi|hello|hey|dear)\b(?:\s+(?:mr|mrs|ms|dr|prof)\.)?[^\n.!?,]{0,40}"
    r"(?:[,!]|(?=\n))\s*",
    re.IGNORECASE,
)
#: A sign-off ends the text after a finished sentence or on a line of its own; after a
#: comma it is the answer itself ("no, thanks.") and stays.
_SIGN_OFF_TAIL = re.compile(
    r"(?<=[.!?\n])\s*"
    r"(?:best(?:\s+regards)?|regards|kind\s+regards|thanks|thank\s+you|cheers|sincerely)"
    r"[,.!]?\s*(?:[A-Z][a-z]+)?\s*$",
    re.IGNORECASE,
)
PROMPT = (
    "Join these sentences into one {tone} e-mail paragraph. Keep the words in [brackets] "
    "unchanged.\n\n{notes}"
)
STRICT_PROMPT = (
    "Copy these sentences into one e-mail paragraph, in the same order. Change as few words "
    "as possible and keep the words in [brackets] unchanged. Add nothing.\n\n{notes}"
)
#: Shared with the ``reply`` task prompt of a tuned model.
SYSTEM = render("reply_system")


@dataclass(slots=True)
class Wording:
    body: str
    path: str = "template"
    rejected: list[dict[str, Any]] = field(default_factory=list)
    elapsed: float = 0.0


def template_body(plan: ReplyPlan) -> str:
    return " ".join(slot.text for slot in plan.body)


def plan_notes(plan: ReplyPlan) -> str:
    """What the model is given to word: the plan's body sentences, one a line."""
    return "\n".join(slot.text for slot in plan.body)


def notes_from_json(plan: dict[str, Any]) -> str:
    """``plan_notes`` of a plan stored in a job's result (``ReplyPlan.to_json``)."""
    slots = plan.get("slots") or []
    return "\n".join(
        str(slot.get("text") or "")
        for slot in slots
        if isinstance(slot, dict) and slot.get("role") not in FRAME_ROLES
    )


def prompt_for(engine: Any, plan: ReplyPlan, tone: str, *, strict: bool) -> str:
    """The prompt of one wording attempt: the ``reply`` task prompt for a model tuned on
    the user's replies (first attempt), else the tone prompt, or the strict one on retry."""
    if strict:
        return engine.chat_prompt(STRICT_PROMPT.format(notes=plan_notes(plan)), system=SYSTEM)
    if tuned_for(engine, "reply"):
        return task_prompt(engine.chat_prompt, "reply", plan_notes(plan))
    return engine.chat_prompt(PROMPT.format(tone=tone, notes=plan_notes(plan)), system=SYSTEM)


def markers(text: str) -> set[str]:
    return {" ".join(m.lower().split()) for m in COMMITMENT.findall(text)}


def kept_commitments(text: str) -> set[str]:
    """The deeds, promises and negations of ``text`` (``_KEPT``, and any word of
    ``align.NEGATIONS``), one spelling each."""
    found = {
        word for marker in markers(text) for word in _ONE_SPELLING.get(marker, marker).split()
    } & _KEPT
    # a negation however spelled ("haven't", "unable", "nothing"); "no" is the tone word the
    # answer "No, I haven't" may drop, like "yes"
    denied = any(w in NEGATIONS and w != "no" for w in words_of(text))
    return found | ({"not"} if denied else set())


def problems(body: str, plan: ReplyPlan, index: SourceIndex, *, strict: bool) -> list[str]:
    """Why the model's ``body`` may not stand for the plan (empty: it may)."""
    found: list[str] = []
    if not body:
        return ["empty"]
    result = check(unlabelled(body), index)
    found += [f"unsupported: {token}" for token in result.unsupported]
    found += [f"unsupported: {day}" for day in unsupported_days(body, index)]
    found += [f"placeholder lost: {p}" for p in plan.placeholders() if p not in body]
    bare = PLACEHOLDER.sub(" ", body)
    plan_texts = [PLACEHOLDER.sub(" ", slot.text) for slot in plan.body]
    for slot in plan.body:
        if (
            slot.role in ("answer", "meeting", "request")
            and support(slot.text, [bare], top=1) < MIN_ANSWER_KEPT
        ):
            found.append(f"answer lost: {slot.text}")
    floor = MIN_SENTENCE_SUPPORT + (0.15 if strict else 0.0)
    for sentence in split_sentences(bare):
        if (
            content_words(sentence.text)
            and support(sentence.text, plan_texts, top=len(plan_texts)) < floor
        ):
            found.append(f"off the plan: {sentence.text}")
        elif _rewords_an_answer(sentence.text, plan):
            found.append(f"rewords the user's answer: {sentence.text}")
    template = template_body(plan)
    extra = markers(body) - markers(template)
    found += [f"commitment not in the plan: {word}" for word in sorted(extra)]
    lost = kept_commitments(" ".join(plan_texts)) - kept_commitments(bare)
    found += [f"commitment lost: {word}" for word in sorted(lost)]
    if len(body.split()) > 1.5 * len(template.split()) + 12:
        found.append("too long")
    return found


def _rewords_an_answer(sentence: str, plan: ReplyPlan) -> bool:
    """Whether ``sentence`` stands for an answer of the user's but is not the user's words
    with some left out: word overlap let "I'm looking at resorts in X" stand for "I'd
    suggest looking at resorts in X". The claim check's cut rules decide, as for briefs."""
    slot = _best_slot(sentence, plan.body)
    if slot is None or slot.role != "answer":
        return False
    return not any(align(sentence, part.text) for part in split_sentences(unlabelled(slot.text)))


def unsupported_days(text: str, index: SourceIndex) -> list[str]:
    """Day words and links (which ``verify.check`` does not read) missing from the facts."""
    facts = " ".join(index.text.lower().split())
    days = [
        m.group()
        for m in RELATIVE_DAY.finditer(text)
        if " ".join(m.group().lower().split()) not in facts
    ]
    links = [m.group().rstrip(".,;:!?)") for m in _LINK.finditer(text)]
    return days + [link for link in links if link.lower() not in facts]


def supported(text: str, index: SourceIndex) -> bool:
    """The whole reply's check: every fact, day word and link is in the facts."""
    return check(unlabelled(text), index).ok and not unsupported_days(text, index)


def clean(raw: str) -> str:
    """The model's text as one paragraph, without greeting, sign-off or markdown."""
    lines = [line.strip(" *-\t") for line in raw.split("\n\n\n", 1)[0].splitlines()]
    text = "\n".join(line for line in lines if line)
    text = _GREETING_LINE.sub("", text, count=1)
    return _SIGN_OFF_TAIL.sub("", text).replace("\n", " ").strip()


def _key(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.lower()))


def repair(body: str, plan: ReplyPlan, index: SourceIndex) -> str:
    """``body`` less the sentences the model made up (and its repeats): what is left must
    still pass ``problems`` in full, so nothing the plan says can go missing this way."""
    plan_texts = [PLACEHOLDER.sub(" ", slot.text) for slot in plan.body]
    allowed = markers(template_body(plan))
    kept: list[str] = []
    for sentence in split_sentences(body):
        text = sentence.text
        bare = PLACEHOLDER.sub(" ", text)
        on_plan = (
            not content_words(bare)
            or support(bare, plan_texts, top=len(plan_texts)) >= MIN_SENTENCE_SUPPORT
        )
        if (
            on_plan
            and check(unlabelled(text), index).ok
            and markers(text) <= allowed
            and _key(text) not in {_key(k) for k in kept}
        ):
            kept.append(text)
    return " ".join(kept)


def word_many(
    plans: Sequence[ReplyPlan], engine: Any | None, tones: Sequence[str]
) -> list[Wording]:
    """The body of each plan: the model's, checked, or the template's."""
    results = [Wording(template_body(plan)) for plan in plans]
    indexes = [SourceIndex(plan.facts) for plan in plans]
    if engine is None:
        return results
    pending = [i for i, plan in enumerate(plans) if len(plan.body) > 1]
    for strict in (False, True):
        if not pending:
            break
        started = time.perf_counter()
        prompts = [prompt_for(engine, plans[i], tones[i], strict=strict) for i in pending]
        budget = max(engine.count_tokens(template_body(plans[i])) for i in pending)
        outputs = engine.generate(
            prompts, max_new_tokens=min(int(budget * 1.3) + 8, 200), stop=["\n\n\n"]
        )
        share = (time.perf_counter() - started) / len(pending)
        still = []
        for i, raw in zip(pending, outputs, strict=True):
            results[i].elapsed += share
            body = repair(clean(raw), plans[i], indexes[i])
            found = problems(body, plans[i], indexes[i], strict=strict)
            if found:
                results[i].rejected.append({"text": body, "problems": found, "strict": strict})
                still.append(i)
            else:
                results[i].body, results[i].path = body, "model"
        pending = still
    return results


def _best_slot(sentence: str, slots: Sequence[Slot]) -> Slot | None:
    marks = PLACEHOLDER.findall(sentence)
    for slot in slots:
        if marks and any(m in slot.text for m in marks):
            return slot
    words = {stem(w) for w in content_words(sentence)}
    scored = [
        (len(words & {stem(w) for w in content_words(slot.text)}), -n, slot)
        for n, slot in enumerate(slots)
    ]
    best = max(scored, key=lambda item: item[:2], default=None)
    return best[2] if best and best[0] > 0 else None


def attributions(plan: ReplyPlan, body: str, path: str) -> list[dict[str, Any]]:
    """Each sentence of the reply with the sources of the plan slot it says."""

    def entry(text: str, slot: Slot | None) -> dict[str, Any]:
        return {
            "text": text,
            "role": slot.role if slot else "wording",
            "sources": slot.sources if slot else [],
            "asks": slot.asks if slot else [],
        }

    out = [entry(plan.greeting.text, plan.greeting)]
    if path == "template":
        out += [entry(slot.text, slot) for slot in plan.body]
    else:
        out += [entry(s.text, _best_slot(s.text, plan.body)) for s in split_sentences(body)]
    out += [entry(slot.text, slot) for slot in plan.closing]
    return out


def full_text(plan: ReplyPlan, body: str) -> str:
    closing = "\n".join(slot.text for slot in plan.closing)
    return f"{plan.greeting.text}\n\n{body}\n\n{closing}"


def to_html(plan: ReplyPlan, body: str) -> str:
    def marked(text: str) -> str:
        out, last = [], 0
        for match in PLACEHOLDER.finditer(text):
            out.append(escape(text[last : match.start()]))
            out.append(f'<mark class="placeholder">{escape(match.group())}</mark>')
            last = match.end()
        out.append(escape(text[last:]))
        return "".join(out)

    closing = "<br>".join(escape(slot.text) for slot in plan.closing)
    return f"<p>{escape(plan.greeting.text)}</p><p>{marked(body)}</p><p>{closing}</p>"


__all__ = [
    "Wording",
    "attributions",
    "clean",
    "full_text",
    "plan_notes",
    "problems",
    "prompt_for",
    "template_body",
    "to_html",
    "word_many",
]
