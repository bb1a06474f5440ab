"""Map step for documents longer than the model's context.

The document is cut at section boundaries (Word headings) into chunks that fit the
model's context; sections longer than that are cut between sentences. Each chunk's top
sentences are summarized by the model in one sentence, checked against the chunk, and
replaced by the chunk's best sentence when the check fails. The digests, with the spans
they rest on, are then ranked and written up by the normal summary pipeline (reduce).
"""

from __future__ import annotations

from typing import Any

from connectors.document import Document
from plugin.drafts.base import Span
from plugin.drafts.summary.points import Point
from plugin.drafts.summary.rank import rank_many
from plugin.drafts.text.prompts import render
from plugin.drafts.text.sentences import Sentence, split_sentences
from plugin.drafts.text.verify import check

#: Share of the context one chunk may fill; the rest is prompt and answer.
CHUNK_SHARE = 0.4
TOP_PER_CHUNK = 3


def _section_starts(document: Document, text: str) -> list[int]:
    """Offsets in ``full_text()`` where each Word section begins."""
    if not document.sections:
        return [0]
    starts, offset = [], 0
    for section in document.sections:
        starts.append(offset)
        offset += len(section.text()) + 2  # full_text() joins sections with a blank line
    return starts


def chunk_sentences(document: Document, text: str, engine: Any) -> list[list[Sentence]]:
    """Sentences grouped into chunks that fit the context, never splitting a small section."""
    budget = max(64, int(engine.context_tokens * CHUNK_SHARE))
    starts = _section_starts(document, text)
    by_section: list[list[Sentence]] = [[] for _ in starts]
    for sentence in split_sentences(text):
        position = max(i for i, s in enumerate(starts) if s <= sentence.start)
        by_section[position].append(sentence)
    chunks: list[list[Sentence]] = []
    current: list[Sentence] = []
    used = 0
    for section in by_section:
        size = sum(engine.count_tokens(s.text) for s in section)
        if current and used + size > budget:
            chunks.append(current)
            current, used = [], 0
        for sentence in section:
            tokens = engine.count_tokens(sentence.text)
            if current and used + tokens > budget:
                chunks.append(current)
                current, used = [], 0
            current.append(sentence)
            used += tokens
    if current:
        chunks.append(current)
    return chunks


def map_sections(document: Document, text: str, engine: Any) -> list[Point]:
    """One digest point per chunk, best first."""
    chunks = chunk_sentences(document, text, engine)
    ranked = rank_many(chunks, engine)
    prompts, tops = [], []
    for ranked_chunk in ranked:
        top = sorted(ranked_chunk[:TOP_PER_CHUNK], key=lambda r: r.sentence.index)
        tops.append(top)
        body = "\n".join(r.sentence.text for r in top)
        prompts.append(engine.chat_prompt(render("section", text=body), system=render("system")))
    outputs = engine.generate(prompts, max_new_tokens=60, stop=["\n"])
    points = []
    for order, (chunk, top, raw, ranked_chunk) in enumerate(
        zip(chunks, tops, outputs, ranked, strict=True)
    ):
        if not top:
            continue
        chunk_text = text[chunk[0].start : chunk[-1].end]
        digest = " ".join(raw.split())
        spans = [Span(r.sentence.start, r.sentence.end, document.id) for r in top]
        best = ranked_chunk[0]
        if not digest or not check(digest, chunk_text).ok:
            digest = best.sentence.text
            spans = [Span(best.sentence.start, best.sentence.end, document.id)]
        points.append(Point(digest, spans, best.score, order))
    points.sort(key=lambda p: (-p.score, p.order))
    return points
