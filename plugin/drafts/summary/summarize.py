"""Summaries: ``SummaryDraft`` (draft kind ``summarize``).

Pipeline per document:

1. clean text from the connector (the new text, not the quoted history, unless
   ``thread`` is asked for: then a thread is summarized as a thread, see ``thread.py``);
2. split sentences and rank them (MiniLM centrality, position, cues: ``rank.py``);
   a long document is first mapped section by section within the model's context and
   the section digests are ranked instead (map-reduce);
3. the model writes the summary from the top sentences (prompts in ``templates/prompts``);
4. the faithfulness check (``verify.py``); on failure one retry with a stricter prompt,
   then the best extractive sentences. ``data["path"]`` says which path was taken.

Styles: ``oneline`` (a subject line), ``brief`` (one or two sentences), ``bullets``
(key points plus the action items). All inputs of one call share the engine and are
generated in batches.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.document import Document
from connectors.errors import BadInputError, UsageError
from plugin.drafts.base import Draft, DraftKind, Span
from plugin.drafts.summary import headline
from plugin.drafts.summary.actions import extract_actions
from plugin.drafts.summary.mapreduce import map_sections
from plugin.drafts.summary.points import Point
from plugin.drafts.summary.rank import rank_many
from plugin.drafts.summary.thread import summarize_threads
from plugin.drafts.text.prompts import render, task_prompt, tuned_for
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import SourceIndex, check

STYLES = ("oneline", "brief", "bullets")
KEY_POINTS = 3
BULLET_POINTS = 5
#: A model line must share this much of its content with the top sentences (headline.py).
MIN_SUPPORT = 0.8
#: Longer model lines scored below the extractive line on AESLC (docs/quality.md).
MAX_LINE_WORDS = 10
#: The same for ``brief``: a 135M model drifts into generic prose ("a company's report").
MIN_SUPPORT_BRIEF = 0.5
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
        self._rank(items, engine if use_model else None)
        if use_model and engine is not None:
            writer = _Writer(engine, batch_size, progress)
            writer.run(items, style)
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

    def _rank(self, items: list[_Item], engine: Any | None) -> None:
        start = time.perf_counter()
        sentence_lists = []
        for item in items:
            sentences = split_sentences(item.text)
            if engine is not None and _too_long(item, engine):
                item.mapped = True
            sentence_lists.append(sentences)
        ranked = rank_many(sentence_lists, engine)
        for item, ranked_sentences in zip(items, ranked, strict=True):
            item.points = [
                Point(r.sentence.text[:_MAX_SENTENCE_CHARS],
                      [Span(r.sentence.start, r.sentence.end, item.document.id)],
                      r.score, r.sentence.index)
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
    """Runs the model stage for all items in batches: prompt, check, stricter retry."""

    def __init__(self, engine: Any, batch_size: int, progress: Callable[[int], None] | None):
        self.engine = engine
        self.batch_size = batch_size
        self.progress = progress

    def run(self, items: list[_Item], style: str) -> None:
        pending = [item for item in items if item.points]
        if style == "bullets":
            return  # bullets are the ranked sentences themselves plus the action items
        for strict in (False, True):
            prompts = [self._prompt(item, style, strict) for item in pending]
            outputs = self._generate(pending, prompts, style, count=not strict)
            still: list[_Item] = []
            for item, raw in zip(pending, outputs, strict=True):
                candidate = _clean(raw, style)
                result = check(candidate, item.index)
                fits = self._fits(item, style, candidate)
                if candidate and result.ok and fits:
                    item.summary, item.path, item.verified = candidate, "abstractive", True
                else:
                    item.rejected.append({"text": candidate, "unsupported": result.unsupported,
                                          "strict": strict, "off_topic": not fits})
                    still.append(item)
            pending = still
            if not pending:
                break

    @staticmethod
    def _fits(item: _Item, style: str, candidate: str) -> bool:
        texts = [p.text for p in item.points]
        if style == "oneline":
            return headline.acceptable(candidate, texts, MIN_SUPPORT, MAX_LINE_WORDS)
        return headline.acceptable(candidate, texts, MIN_SUPPORT_BRIEF, max_words=80)

    def _prompt(self, item: _Item, style: str, strict: bool) -> str:
        if style == "oneline" and not strict and tuned_for(self.engine, "subject"):
            # A model tuned for subject lines gets the mail itself, in its training prompt.
            return task_prompt(self.engine.chat_prompt, "subject", item.text)
        if style == "oneline":
            sentence = headline.FILLER.sub("", item.points[0].text) or item.points[0].text
            return render("subject_strict" if strict else "subject", sentence=sentence.strip())
        top = sorted(item.points[:KEY_POINTS], key=lambda p: p.order)
        text = "\n".join(p.text for p in top)
        user = render("brief_strict" if strict else "brief", text=text)
        return self.engine.chat_prompt(user, system=render("system"))

    def _generate(self, items: list[_Item], prompts: list[str], style: str,
                  count: bool) -> list[str]:
        outputs: list[str] = []
        max_new = 24 if style == "oneline" else 90
        stop = ["\n"] if style == "oneline" else ["\n\n"]
        for begin in range(0, len(prompts), self.batch_size):
            started = time.perf_counter()
            chunk = prompts[begin : begin + self.batch_size]
            outputs.extend(self.engine.generate(chunk, max_new_tokens=max_new, stop=stop))
            share = (time.perf_counter() - started) / len(chunk)
            for item in items[begin : begin + len(chunk)]:
                item.elapsed += share
            if self.progress and count:  # retries do not advance the progress bar
                self.progress(len(chunk))
        return outputs


def _clean(raw: str, style: str) -> str:
    if style == "oneline":
        return headline.clean_candidate(raw)
    text = " ".join(raw.split())
    text = re.sub(r"^(?:summary|here is (?:a|the) summary[^:]*)\s*:\s*", "", text, flags=re.I)
    sentences = split_sentences(text)
    return " ".join(s.text for s in sentences[:2]).strip()


def _extractive(item: _Item, style: str) -> None:
    """The fallback (and the model-free path): best sentences, in document order."""
    if style == "oneline":
        item.summary = headline.extractive_line([p.text for p in item.points])
    elif style == "brief":
        top = sorted(item.points[:2], key=lambda p: p.order)
        item.summary = " ".join(p.text for p in top)
    item.path = "extractive"
    item.verified = check(item.summary, item.index).ok


def _key_points(item: _Item, count: int) -> list[dict[str, Any]]:
    top = sorted(item.points[:count], key=lambda p: p.order)
    return [{"text": p.text, "sources": [s.to_json() for s in p.spans]} for p in top]


def _to_draft(item: _Item, style: str, model: str) -> Draft:
    actions = extract_actions(item.text, document_id=item.document.id) if style == "bullets" \
        else []
    key_points = _key_points(item, BULLET_POINTS if style == "bullets" else KEY_POINTS)
    if style == "bullets":
        lines = [f"- {p['text']}" for p in key_points]
        lines += [f"- Action: {a.text}" + (f" (due {a.due})" if a.due else "") for a in actions
                  if not any(a.text == p["text"] for p in key_points)]
        item.summary = "\n".join(lines)
        item.path, item.verified = "extractive", check(item.summary, item.index).ok
    data: dict[str, Any] = {
        "source": item.document.source,
        "style": style,
        "summary": item.summary,
        "key_points": key_points,
        "path": item.path,
        "elapsed_ms": round(item.elapsed * 1000, 1),
    }
    if style == "bullets":
        data["action_items"] = [a.to_json() for a in actions]
    if item.mapped:
        data["map_reduce"] = True
    if item.rejected:
        data["rejected"] = item.rejected
    spans = [span for p in item.points[:KEY_POINTS] for span in p.spans]
    return Draft(kind="summarize", text=item.summary, data=data, attributions=spans,
                 verified=item.verified, model=model)


__all__ = ["STYLES", "Point", "SummaryDraft"]
