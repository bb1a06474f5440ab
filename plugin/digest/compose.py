"""Compose an inbox digest: fetch new mail, group by thread, rank, draft, render, deliver.

The digest is a draft kind like any other (``digest`` in the registry). It reuses the
``summarize``, ``action_items`` and ``suggest_meetings`` kinds through the registry and
renders with ``plugin.digest.render``. Delivery is idempotent per (schedule, period):
the rendered digest is stored first, then sent once (``plugin.digest.store``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import getaddresses
from typing import Any

from connectors.base import ItemError, open_source
from connectors.document import Document, content_id
from connectors.errors import UsageError
from connectors.threads import assign_threads
from plugin.config import settings
from plugin.digest import store
from plugin.digest.render import DigestContent, ThreadDigest, build_message
from plugin.drafts.base import Draft, DraftKind, draft_kinds
from plugin.jobs.progress import report_progress

log = logging.getLogger(__name__)

#: Characters of each single message the digest summarizes.
DIGEST_TEXT_CHARS = 3000
_DURATION = re.compile(r"^(\d+)\s*([hdw])$")


@dataclass(slots=True)
class Fetched:
    documents: list[Document]
    total: int
    errors: list[ItemError]
    cursor: dict[str, Any] | None


def _addresses(values: Sequence[str] | str) -> set[str]:
    items = [values] if isinstance(values, str) else list(values)
    return {addr.lower() for _, addr in getaddresses(items) if addr}


def parse_since(since: str | None, now: datetime) -> tuple[datetime | None, bool]:
    """``24h``/``7d``/``2w`` → a start time; ``all`` → None; ``cursor`` → use the saved cursor."""
    text = (since or "24h").strip().lower()
    if text == "all":
        return None, False
    if text == "cursor":
        return None, True
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"invalid --since {since!r}", hint="use 24h, 7d, 2w, all or cursor")
    amount, unit = int(match.group(1)), match.group(2)
    delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount),
             "w": timedelta(weeks=amount)}[unit]
    return now - delta, False


def fetch(source: str, since: str | None, cap: int, cursor_key: str,
          now: datetime | None = None) -> Fetched:
    now = now or datetime.now(UTC)
    start, use_cursor = parse_since(since, now)
    saved = store.load_cursor(cursor_key) if use_cursor else None
    mails: list[Document] = []
    errors: list[ItemError] = []
    with open_source(source, settings().source_options(source)) as connector:
        for item in connector.iter_documents(since=saved):
            if isinstance(item, ItemError):
                errors.append(item)
                continue
            if item.kind != "email":
                continue
            if start is not None and (item.date is None or item.date < start):
                continue
            mails.append(item)
        cursor = connector.cursor
    # Newest first, so the cap keeps the most recent mail; the rest is counted.
    mails.sort(key=lambda d: d.date or datetime.min.replace(tzinfo=UTC), reverse=True)
    return Fetched(mails[:cap], len(mails), errors, cursor)


class DigestDraft(DraftKind):
    """Options: ``source`` (when no documents are given), ``since``, ``reader`` (address),
    ``schedule_id``, ``period``, ``deliver``, ``to``, ``max_messages``, ``send_empty``."""

    name = "digest"
    reads_source = True

    def _kind(self, name: str) -> DraftKind:
        return draft_kinds.get(name)(self.engine)

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        cfg = settings().digest
        cap = int(options.get("max_messages") or cfg.max_messages)
        source = str(options.get("source") or "")
        schedule_id = str(options.get("schedule_id") or "adhoc")
        cursor_key = f"{schedule_id}|{source}"
        deliver_to = options.get("deliver")
        explicit_period = options.get("period")
        if explicit_period:
            # A period composed before is never composed again: resend or report it.
            existing = store.lookup(schedule_id, str(explicit_period))
            if existing is not None:
                data = dict(existing.data)
                data["delivery"] = (self._deliver(str(deliver_to), schedule_id,
                                                  str(explicit_period))
                                    if deliver_to and not data.get("skip_delivery")
                                    else data.get("delivery"))
                return [self._draft(data)]
        if documents:
            mails = [d for d in documents if d.kind == "email"]
            fetched = Fetched(mails[:cap], len(mails), [], None)
        elif source:
            fetched = fetch(source, options.get("since"), cap, cursor_key)
        else:
            raise UsageError("a digest needs a source", hint="pass --source SOURCE")
        period = str(explicit_period or content_id(
            source, *sorted(d.id for d in fetched.documents)))
        content = self.compose(fetched, options, cap)
        data: dict[str, Any] = {
            "source": source,
            "period": period,
            "title": content.title,
            "messages": content.total_messages,
            "included": content.included_messages,
            "left_out": content.left_out,
            "threads": [
                {"subject": t.subject, "summary": t.summary, "count": t.count,
                 "importance": t.importance, "reasons": t.reasons, "verified": t.verified}
                for t in content.threads
            ],
            "action_items": content.actions,
            "meetings": content.meetings,
            "errors": [e.to_json() for e in fetched.errors],
            "empty": content.empty,
            "verified": all(t.verified for t in content.threads),
            "model": content.model or "none",
        }
        to = options.get("to") or options.get("reader")
        send_empty = bool(options.get("send_empty", cfg.send_empty))
        data["skip_delivery"] = content.empty and not send_empty
        message = build_message(content, sender=str(options.get("sender") or to or
                                                     "deskdraft@localhost"), to=to)
        record = store.store(schedule_id, period, message, data)
        data["stored"] = str(record.path)
        if data["skip_delivery"]:
            data["delivery"] = "not sent: no new mail in this period"
        elif deliver_to:
            data["delivery"] = self._deliver(str(deliver_to), schedule_id, period)
        store.save_cursor(cursor_key, fetched.cursor)
        return [self._draft(data)]

    def _draft(self, data: dict[str, Any]) -> Draft:
        text = "\n".join(f"{t['subject']}: {t['summary']}" for t in data["threads"]) or (
            "No new mail in this period.")
        return Draft(kind=self.name, text=text, data=data, verified=bool(data["verified"]),
                     model=str(data["model"]))

    def _deliver(self, target: str, schedule_id: str, period: str) -> str:
        from plugin.digest.deliver import deliver

        record = store.lookup(schedule_id, period)
        assert record is not None
        if record.status == "delivered":
            return "already delivered for this period; not sent again"
        try:
            outcome = deliver(target, store.load_message(record))
        except Exception as exc:
            store.mark(schedule_id, period, "failed", str(exc))
            raise
        store.mark(schedule_id, period, "delivered")
        return outcome

    def compose(self, fetched: Fetched, options: Mapping[str, Any], cap: int) -> DigestContent:
        reader = _addresses(str(options.get("reader") or options.get("to") or ""))
        threads = assign_threads(fetched.documents)
        summaries, model = self._summaries(
            threads, str(options.get("style") or settings().digest.style))
        found = self._per_document(self._kind("action_items"), fetched.documents, "action_items")
        suggested = self._per_document(self._kind("suggest_meetings"),
                                       [t[-1] for t in threads], "suggestions")
        correspondents = {
            addr for doc in fetched.documents if _addresses(doc.author) & reader
            for addr in _addresses([*doc.to, *doc.cc])
        }
        digests: list[ThreadDigest] = []
        actions: list[dict[str, Any]] = []
        meetings: list[dict[str, Any]] = []
        for thread in threads:
            latest = thread[-1]
            subject = latest.title or thread[0].title
            thread_actions = [item for doc in thread for item in found.get(doc.id, [])]
            thread_meetings = suggested.get(latest.id, [])
            reasons: list[str] = []
            if any(_addresses(doc.to) & reader for doc in thread):
                reasons.append("addressed to you")
            if any(_addresses(doc.author) & correspondents for doc in thread):
                reasons.append("from someone you write to")
            if thread_actions:
                reasons.append("asks something of you")
            if any(s.get("kind") == "deadline" for s in thread_meetings):
                reasons.append("has a deadline")
            actions.extend({**item, "subject": subject} for item in thread_actions)
            meetings.extend(thread_meetings)
            summary = summaries.get(id(thread))
            digests.append(ThreadDigest(
                subject=subject,
                participants=sorted({_display(d.author) for d in thread if d.author}),
                count=len(thread),
                latest=latest.date.strftime("%a %d %b %H:%M") if latest.date else None,
                summary=(summary.data.get("summary") or summary.text) if summary else subject,
                verified=summary.verified if summary else True,
                importance=float(len(reasons)),
                reasons=reasons,
            ))
        # Stable sort: equally important threads stay in date order.
        digests.sort(key=lambda t: t.importance, reverse=True)
        report_progress(1.0, "rendering")
        return DigestContent(
            title=str(options.get("title") or "Your inbox digest"),
            period_label=str(options.get("period_label") or
                             datetime.now(UTC).strftime("%A %d %B %Y")),
            threads=digests,
            actions=actions,
            meetings=[{**m, "when": _when(m)} for m in meetings],
            ics=_ics(meetings),
            total_messages=fetched.total,
            included_messages=len(fetched.documents),
            cap=cap,
            model=model,
        )

    def _summaries(self, threads: list[list[Document]],
                   style: str) -> tuple[dict[int, Draft], str | None]:
        """One summary per thread: conversations as threads, single messages in batches."""
        summarize = self._kind("summarize")
        out: dict[int, Draft] = {}
        conversations = [t for t in threads if len(t) > 1]
        for thread in conversations:
            # Thread summaries are written by code (who asked, what was decided, what is
            # open), so the richer style costs nothing.
            [summary] = summarize.draft(thread, {"style": "brief", "thread": True})
            out[id(thread)] = summary
        singles = [t for t in threads if len(t) == 1 and t[0].full_text().strip()]
        done = len(conversations)
        total = max(len(threads), 1)

        def progress(count: int) -> None:
            nonlocal done
            # The stricter retry pass counts again; progress never runs past the end.
            done = min(done + count, total)
            report_progress(done / total, f"summarized {done} of {total} threads")

        # A digest is an overview: the head of a long mail carries its point, and skipping
        # map-reduce over newsletters keeps a 500-message digest within minutes.
        heads = [replace(t[0], text=t[0].text[:DIGEST_TEXT_CHARS], sections=[])
                 for t in singles]
        drafts = summarize.draft(heads, {"style": style, "progress": progress})
        model = None
        for thread, summary in zip(singles, drafts, strict=True):
            out[id(thread)] = summary
            if summary.model != "none":
                model = summary.model
        return out, model

    @staticmethod
    def _per_document(kind: DraftKind, documents: list[Document],
                      key: str) -> dict[str, list[dict[str, Any]]]:
        drafts = kind.draft(documents, {}) if documents else []
        return {doc.id: list(d.data.get(key, [])) for doc, d in zip(documents, drafts,
                                                                       strict=True)}


def _display(author: str) -> str:
    pairs = getaddresses([author])
    if pairs and (pairs[0][0] or pairs[0][1]):
        return pairs[0][0] or pairs[0][1]
    return author


def _when(meeting: Mapping[str, Any]) -> str:
    start = meeting.get("start")
    if not start:
        return "time to be agreed"
    if meeting.get("all_day"):
        return str(start)[:10]
    tz = meeting.get("timezone")
    return f"{str(start)[:16].replace('T', ' ')}{f' ({tz})' if tz else ''}"


def _ics(meetings: list[dict[str, Any]]) -> bytes | None:
    if not meetings:
        return None
    from plugin.drafts.calendar.ics import suggestions_to_ics

    return suggestions_to_ics(meetings)
