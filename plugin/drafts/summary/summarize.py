"""Summaries: ``SummaryDraft`` (draft kind ``summarize``).

Pipeline per document:

1. clean text from the connector (the new text, not the quoted history, unless
   ``thread`` is asked for: then a thread is summarized as a thread, see ``thread.py``);
2. split sentences and rank them (MiniLM centrality, position, cues: ``rank.py``);
   for a subject line, a long document is first mapped section by section within the
   model's context and the section digests are ranked instead (map-reduce);
3. ``oneline``: the model writes a subject line from the top sentence (``subject.txt``),
   kept if it passes the token check (``verify.py``) and stays on the top sentences, with
   one stricter retry, else the top sentence's content words; it is ``verified`` only when
   its words also come, in order and with any negation, from one sentence
   (``claims.phrase_source``);
   ``brief``: the request or decision and the top sentences, quoted; with the option
   ``compress`` each is compressed by the model and kept only when it passes the token
   check and the claim check, else quoted (``brief.py``; off by default: read against
   their mails, 20 % of kept compressions misled against 8 % of quotes, docs/quality.md);
   ``bullets``: the top sentences and the action items, quoted.
   ``data["path"]`` says whether the model's text was kept (``abstractive``) and
   ``data["check"]`` how the text was checked (its ``label`` is what the pane shows).

Styles: ``oneline`` (a subject line), ``brief`` (up to three chosen sentences, four for a
long mail, with the lines they lean on and short gaps between them said too), ``bullets``
(key points plus the action items). All inputs of one call share the engine and are
generated in batches.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.document import Document
from connectors.errors import BadInputError, UsageError
from plugin.drafts.base import Draft, DraftKind, Span
from plugin.drafts.summary import headline
from plugin.drafts.summary.actions import extract_actions
from plugin.drafts.summary.brief import BriefPlan, plan_brief
from plugin.drafts.summary.brief_compress import BriefWriter
from plugin.drafts.summary.brief_finish import finish_brief
from plugin.drafts.summary.furniture import is_bulk
from plugin.drafts.summary.mapreduce import map_sections
from plugin.drafts.summary.points import Point
from plugin.drafts.summary.rank import rank_many
from plugin.drafts.summary.thread import summarize_threads
from plugin.drafts.text.claims import check_claims, phrase_source, repeats_itself
from plugin.drafts.text.prompts import few_shot, task_prompt, tuned_for
from plugin.drafts.text.sentences import Sentence, summary_sentences
from plugin.drafts.text.verify import SourceIndex, check

STYLES = ("oneline", "brief", "bullets")
KEY_POINTS = 3
BULLET_POINTS = 5
#: A model line must share this much of its content with the top sentences (headline.py).
MIN_SUPPORT = 0.8
#: Longer model lines scored below the extractive line on AESLC (docs/quality.md).
MAX_LINE_WORDS = 10
#: Share of the context a single prompt's source text may use before map-reduce starts.
MAP_SHARE = 0.5
_MAX_SENTENCE_CHARS = 400


@dataclass(slots=True)
class _Item:
    document: Document
    text: str
    index: SourceIndex
    points: list[Point] = field(default_factory=list)  # best first
    summary: str = ""
    path: str = "extractive"
    verified: bool = False
    rejected: list[dict[str, Any]] = field(default_factory=list)
    elapsed: float = 0.0
    mapped: bool = False
    sentences: list[Sentence] = field(default_factory=list)
    #: How the text was checked (``check`` in the draft data; the pane shows its label).
    check: dict[str, Any] = field(default_factory=dict)
    carries: list[dict[str, Any]] | None = None


class SummaryDraft(DraftKind):
    name = "summarize"

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        style = str(options.get("style") or "brief")
        if style not in STYLES:
            raise UsageError(f"unknown summary style {style!r}", hint=f"use one of {STYLES}")
        if options.get("thread"):
            return summarize_threads(documents, style)
        use_model = bool(options.get("model", True))
        engine = self.engine
        if engine is None and use_model:
            from plugin.engine.runtime import get_engine

            engine = self.engine = get_engine()
        batch_size = max(1, int(options.get("batch_size") or 8))
        progress = options.get("progress")
        items = [self._prepare(doc) for doc in documents]
        self._rank(items, engine if use_model else None, style)
        model_engine = engine if use_model else None
        if style == "brief":
            # Quoted unless asked: compressions misled more often than quotes (brief_compress).
            writer = model_engine if options.get("compress") else None
            self._brief([i for i in items if not i.mapped], writer, batch_size, progress)
        if model_engine is not None and style == "oneline":
            _Writer(model_engine, batch_size, progress).run(items)
        for item in items:
            if not item.summary:
                _extractive(item, style)
        model = engine.model_id if use_model and engine is not None else "none"
        return [_to_draft(item, style, model) for item in items]

    def _prepare(self, document: Document) -> _Item:
        start = time.perf_counter()
        text = document.full_text()
        if not text.strip():
            raise BadInputError("there is no text to summarize", item=document.source)
        item = _Item(document, text, SourceIndex(text))
        item.elapsed = time.perf_counter() - start
        return item

    @staticmethod
    def _brief(
        items: list[_Item],
        engine: Any | None,
        batch_size: int,
        progress: Callable[[int], None] | None,
    ) -> None:
        """Briefs that cannot drift: chosen sentences, compressed and checked (brief.py)."""
        plans: list[BriefPlan] = [
            plan_brief(i.sentences, [p.order for p in i.points]) for i in items
        ]
        elapsed = [0.0] * len(items)
        compressed: set[int] = set()
        if engine is not None:
            writer = BriefWriter(engine, batch_size, progress)
            compressed = writer.run(plans, [i.index for i in items], elapsed)
        for number, (item, plan, spent) in enumerate(zip(items, plans, elapsed, strict=True)):
            if progress and number not in compressed:  # the writer counted the others
                progress(1)
            started = time.perf_counter()
            item.rejected.extend(plan.rejected)
            if plan.chosen:
                result = finish_brief(plan, item.sentences, item.index)
                item.summary, item.path, item.verified = (
                    result.summary,
                    result.path,
                    result.verified,
                )
                item.check, item.carries = result.check, result.carries
            item.elapsed += spent + time.perf_counter() - started

    def _rank(self, items: list[_Item], engine: Any | None, style: str) -> None:
        start = time.perf_counter()
        sentence_lists = []
        bulk = [is_bulk(item.document.metadata) for item in items]
        for item, in_bulk in zip(items, bulk, strict=True):
            sentences = item.sentences = summary_sentences(item.text)
            # A brief quotes or compresses single sentences, so it never needs map-reduce;
            # nor does bulk mail: its point is an item near the top, and map-reduce would
            # summarize each chunk's masthead and ads as well (furniture.py).
            if engine is not None and style != "brief" and not in_bulk and _too_long(item, engine):
                item.mapped = True
            sentence_lists.append(sentences)
        ranked = rank_many(sentence_lists, engine, bulk=bulk)
        for item, ranked_sentences in zip(items, ranked, strict=True):
            item.points = [
                Point(
                    r.sentence.text[:_MAX_SENTENCE_CHARS],
                    [Span(r.sentence.start, r.sentence.end, item.document.id)],
                    r.score,
                    r.sentence.index,
                )
                for r in ranked_sentences
            ]
        share = (time.perf_counter() - start) / max(len(items), 1)
        for item in items:
            item.elapsed += share
        if engine is not None and any(item.mapped for item in items):
            for item in items:
                if item.mapped:
                    started = time.perf_counter()
                    item.points = map_sections(item.document, item.text, engine)
                    item.elapsed += time.perf_counter() - started


def _too_long(item: _Item, engine: Any) -> bool:
    return engine.count_tokens(item.text) > MAP_SHARE * engine.context_tokens


class _Writer:
    """Subject lines for all items in batches: prompt, check, stricter retry.

    (Briefs are written by ``brief.py``; bullets are code only.)
    """

    def __init__(self, engine: Any, batch_size: int, progress: Callable[[int], None] | None):
        self.engine = engine
        self.batch_size = batch_size
        self.progress = progress

    def run(self, items: list[_Item]) -> None:
        pending = [item for item in items if item.points]
        for strict in (False, True):
            prompts = [self._prompt(item, strict) for item in pending]
            outputs = self._generate(pending, prompts, count=not strict)
            still: list[_Item] = []
            for item, raw in zip(pending, outputs, strict=True):
                candidate = headline.clean_candidate(raw)
                result = check(candidate, item.index)
                texts = [p.text for p in item.points]
                fits = headline.acceptable(candidate, texts, MIN_SUPPORT, MAX_LINE_WORDS)
                loops = repeats_itself(candidate, texts)
                if candidate and result.ok and fits and not loops:
                    item.summary, item.path, item.verified = candidate, "abstractive", True
                else:
                    item.rejected.append(
                        headline.refused_line(
                            candidate, result.unsupported, loops, strict=strict, off_topic=not fits
                        )
                    )
                    still.append(item)
            pending = still
            if not pending:
                break

    def _prompt(self, item: _Item, strict: bool) -> str:
        if not strict and tuned_for(self.engine, "subject"):
            # A model tuned for subject lines gets the mail itself, in its training prompt.
            return task_prompt(self.engine.chat_prompt, "subject", item.text)
        sentence = headline.FILLER.sub("", item.points[0].text) or item.points[0].text
        name = "subject_strict" if strict else "subject"
        return few_shot(self.engine, name, sentence=sentence.strip())

    def _generate(self, items: list[_Item], prompts: list[str], count: bool) -> list[str]:
        outputs: list[str] = []
        max_new, stop = 24, ["\n"]
        # A line already too long to keep is refused the same whatever follows: stop there.
        done_when = headline.known_too_long(MAX_LINE_WORDS)
        for begin in range(0, len(prompts), self.batch_size):
            started = time.perf_counter()
            chunk = prompts[begin : begin + self.batch_size]
            outputs.extend(
                self.engine.generate(chunk, max_new_tokens=max_new, stop=stop, done_when=done_when)
            )
            share = (time.perf_counter() - started) / len(chunk)
            for item in items[begin : begin + len(chunk)]:
                item.elapsed += share
            if self.progress and count:  # retries do not advance the progress bar
                self.progress(len(chunk))
        return outputs


def _extractive(item: _Item, style: str) -> None:
    """The fallback (and the model-free path): best sentences, in document order."""
    if style == "oneline":
        item.summary = headline.extractive_line([p.text for p in item.points])
    elif style == "brief":
        top = sorted(item.points[:2], key=lambda p: p.order)
        item.summary = " ".join(p.text for p in top)
    item.path = "extractive"
    item.verified = check(item.summary, item.index).ok


def _check_data(item: _Item, style: str, lines: list[str] | None = None) -> dict[str, Any]:
    """How a draft that did not go through the brief path was checked."""
    if not item.summary:
        return {"method": "none", "label": "not checked", "sentences": []}
    if style == "oneline":
        # A subject line is a phrase, not a claim: its words must come, in order and with
        # any negation, from one sentence; the label says that is all that was checked.
        position = phrase_source(item.summary, item.sentences)
        item.verified = item.verified and position is not None
        if not item.verified or position is None:
            return {"method": "none", "label": "not checked", "sentences": []}
        return {
            "method": "words",
            "label": f"words from sentence {position}",
            "sentences": [position],
        }
    claims = check_claims(
        lines if lines is not None else item.summary,
        item.sentences,
        keep_context=style != "bullets",
    )
    item.verified = item.verified and claims.ok
    return {
        "method": claims.method if item.verified else "none",
        "label": claims.label if item.verified else "not checked",
        "sentences": claims.source_sentences if item.verified else [],
        "claim_check": claims.ok,
    }


def _key_points(item: _Item, count: int) -> list[dict[str, Any]]:
    top = sorted(item.points[:count], key=lambda p: p.order)
    return [{"text": p.text, "sources": [s.to_json() for s in p.spans]} for p in top]


def _to_draft(item: _Item, style: str, model: str) -> Draft:
    actions = extract_actions(item.text, document_id=item.document.id) if style == "bullets" else []
    key_points = _key_points(item, BULLET_POINTS if style == "bullets" else KEY_POINTS)
    if style == "bullets":
        lines = [f"- {p['text']}" for p in key_points]
        lines += [
            f"- Action: {a.text}" + (f" (due {a.due})" if a.due else "")
            for a in actions
            if not any(a.text == p["text"] for p in key_points)
        ]
        item.summary = "\n".join(lines)
        item.path, item.verified = "extractive", check(item.summary, item.index).ok
        quoted = [p["text"] for p in key_points]
        claim_lines = [*quoted, *(a.text for a in actions if a.text not in quoted)]
        item.check = _check_data(item, style, claim_lines)
    if not item.check:
        item.check = _check_data(item, style)
    data: dict[str, Any] = {
        "source": item.document.source,
        "style": style,
        "summary": item.summary,
        "key_points": key_points,
        "path": item.path,
        "check": item.check,
        "elapsed_ms": round(item.elapsed * 1000, 1),
    }
    if style == "bullets":
        data["action_items"] = [a.to_json() for a in actions]
    if item.mapped:
        data["map_reduce"] = True
    if item.rejected:
        data["rejected"] = item.rejected
    if item.carries is not None:
        data["carries"] = item.carries
    spans = [span for p in item.points[:KEY_POINTS] for span in p.spans]
    return Draft(
        kind="summarize",
        text=item.summary,
        data=data,
        attributions=spans,
        verified=item.verified,
        model=model,
    )


__all__ = ["STYLES", "Point", "SummaryDraft"]
