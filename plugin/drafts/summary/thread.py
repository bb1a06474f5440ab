"""Summarize mail threads as threads: who asked what, what was decided, what is open.

Messages are grouped by ``thread_key`` and read in date order. Requests come from the
action-item extractor (with the asker's name), decisions from decision cues, and an ask
stays open until someone else writes in the thread after it. Everything is quoted from
the messages, so the draft is extractive and checked like any other.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.document import Document
from connectors.history import quoted_documents
from connectors.mailheaders import address_name
from connectors.quotes import CONTEXT_PREFIX
from plugin.drafts.base import Draft, Span
from plugin.drafts.summary.actions import extract_actions
from plugin.drafts.summary.rank import DECISION
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import check

_EPOCH = datetime.min.replace(tzinfo=UTC)
UNNAMED = "someone"
_CONTEXT_LINE = re.compile(rf"(?m)^{re.escape(CONTEXT_PREFIX)}.*$")


def person(author: str) -> str:
    """A short display name: "Ann Lee <ann@x.com>" -> "Ann Lee"."""
    name = address_name(author) or author.strip()
    return name or UNNAMED


def group_threads(documents: Sequence[Document]) -> list[list[Document]]:
    """Documents grouped by thread key (or alone), each group in date order."""
    groups: dict[str, list[Document]] = {}
    for document in documents:
        groups.setdefault(document.thread_key or document.id, []).append(document)
    return [sorted(g, key=lambda d: d.date or _EPOCH) for g in groups.values()]


def _own_words(text: str) -> str:
    """``text`` with the quoted lines an inline answer keeps as context blanked out (same
    length, so spans hold): "> Why?" above Theo's answer is vernon's question, not his."""
    return _CONTEXT_LINE.sub(lambda line: " " * len(line.group()), text)


def summarize_thread(messages: Sequence[Document], style: str) -> Draft:
    started = time.perf_counter()
    asked: list[dict[str, Any]] = []
    decided: list[dict[str, Any]] = []
    spans: list[Span] = []
    for position, message in enumerate(messages):
        text = _own_words(message.text if message.text.strip() else message.full_text())
        who = person(message.author)
        later_writers = {person(m.author) for m in messages[position + 1 :]} - {who}
        for item in extract_actions(text, document_id=message.id):
            asked.append(
                {
                    "who": who,
                    "text": item.text,
                    "owner": item.owner,
                    "due": item.due,
                    "open": not later_writers,
                    "sources": [s.to_json() for s in item.sources],
                }
            )
            spans.extend(item.sources)
        for sentence in split_sentences(text):
            if DECISION.search(sentence.text) and not sentence.text.rstrip().endswith("?"):
                span = Span(sentence.start, sentence.end, message.id)
                decided.append({"who": who, "text": sentence.text, "sources": [span.to_json()]})
                spans.append(span)
    subject = next((m.title for m in messages if m.title), "")
    participants = list(dict.fromkeys(person(m.author) for m in messages))
    open_items = [a for a in asked if a["open"]]
    named = [p for p in participants if p != UNNAMED]
    writers = ", ".join(named)
    if len(named) < len(participants):  # a quoted message whose head names nobody
        writers = f"{writers} and a writer not named" if named else "a writer not named"
    lines = [f"{subject or 'Thread'}: {len(messages)} message(s) from {writers}."]
    limit = 1 if style == "oneline" else None
    lines += [f"{a['who']} asked: {a['text']}" for a in asked[:limit]]
    lines += [f"Decided ({d['who']}): {d['text']}" for d in decided[:limit]]
    lines += [f"Open: {a['text']}" for a in open_items[:limit]]
    summary = (
        lines[0]
        if style == "oneline"
        else "\n".join(f"- {line}" if style == "bullets" else line for line in lines)
    )
    source = "\n\n".join(f"{m.title}\n{person(m.author)}\n{m.text}" for m in messages)
    # The scaffolding ("asked:", the message count) is written by code from the headers;
    # what must be faithful is every piece quoted from the messages.
    quoted = [x["text"] for x in asked + decided] + named + [subject]
    result = check("\n".join(quoted), source)
    key_points = [{"text": x["text"], "sources": x["sources"]} for x in (asked + decided)[:5]]
    sources = list(dict.fromkeys(m.source for m in messages))  # quoted messages: their mail's
    data = {
        "source": sources[0] if len(sources) == 1 else sources,
        "style": style,
        "summary": summary,
        "key_points": key_points,
        "path": "extractive",
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
        "thread": {
            "subject": subject,
            "messages": len(messages),
            "participants": participants,
            "asked": asked,
            "decided": decided,
            "open": open_items,
        },
    }
    return Draft(
        kind="summarize",
        text=summary,
        data=data,
        attributions=spans,
        verified=result.ok,
        model="none",
    )


def with_history(thread: list[Document]) -> list[Document]:
    """A thread of one mail read with the conversation quoted below it, oldest first: each
    quoted message becomes a message of its own, by the author its head names (where the
    thread's other mails are at hand, they are read instead)."""
    if len(thread) != 1 or not thread[0].quoted.strip():
        return thread
    return [*quoted_documents(thread[0]), thread[0]]


def summarize_threads(documents: Sequence[Document], style: str) -> list[Draft]:
    return [summarize_thread(with_history(group), style) for group in group_threads(documents)]


__all__ = ["group_threads", "person", "summarize_thread", "summarize_threads", "with_history"]
