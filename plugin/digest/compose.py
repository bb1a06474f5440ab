"""Compose an inbox digest: fetch new mail, group by thread, rank, draft, render, deliver.

The digest is a draft kind like any other (``digest`` in the registry). It reuses the
``summarize``, ``action_items`` and ``suggest_meetings`` kinds through the registry and
renders with ``plugin.digest.render``. Delivery is idempotent per (schedule, period):
the rendered digest is stored first, then sent once (``plugin.digest.store``). The
mail is fetched by ``plugin.digest.inbox``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any

from connectors.document import Document, content_id
from connectors.errors import UsageError
from connectors.threads import assign_threads
from plugin.config import settings
from plugin.digest import layout, store
from plugin.digest.inbox import Fetched, fetch
from plugin.digest.render import DigestContent, ThreadDigest, build_message
from plugin.drafts.base import Draft, DraftKind, draft_kinds
from plugin.drafts.summary.oneliner import DigestLines, subject_line
from plugin.drafts.triage.categories import refine_categories
from plugin.jobs.progress import report_progress

log = logging.getLogger(__name__)

#: Characters of each single message the digest summarizes.
DIGEST_TEXT_CHARS = 3000


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    verified: bool
    #: "abstractive", "extractive", "subject" (labelled fallback) or "thread".
    path: str


_addresses = layout.addresses


class DigestDraft(DraftKind):
    """Options: ``source`` (when no documents are given), ``since``, ``reader`` (address),
    ``schedule_id``, ``period``, ``deliver``, ``to``, ``max_messages``, ``send_empty``,
    ``owner`` (whose digest it is; the runner sets it for a user's job)."""

    name = "digest"
    reads_source = True
    runs_as_owner = True

    def _kind(self, name: str) -> DraftKind:
        return draft_kinds.get(name)(self.engine)

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        cfg = settings().digest
        cap = int(options.get("max_messages") or cfg.max_messages)
        source = str(options.get("source") or "")
        schedule_id = str(options.get("schedule_id") or "adhoc")
        owner = str(options["owner"]) if options.get("owner") else None
        # "Since the last digest" means this person's last one: an ad-hoc digest run as a
        # user (the Outlook pane) keeps a cursor of its own.
        cursor_key = (
            f"adhoc:{owner}|{source}"
            if owner and not options.get("schedule_id")
            else f"{schedule_id}|{source}"
        )
        deliver_to = options.get("deliver")
        explicit_period = options.get("period")
        if explicit_period:
            # A period composed before is never composed again: resend or report it.
            existing = store.lookup(schedule_id, str(explicit_period))
            if existing is not None:
                data = dict(existing.data)
                data["delivery"] = (
                    self._deliver(str(deliver_to), schedule_id, str(explicit_period))
                    if deliver_to and not data.get("skip_delivery")
                    else data.get("delivery")
                )
                return [self._draft(data)]
        if documents:
            mails = [d for d in documents if d.kind == "email"]
            fetched = Fetched(mails[:cap], len(mails), [], None)
        elif source:
            fetched = fetch(source, options.get("since"), cap, cursor_key)
        else:
            raise UsageError("a digest needs a source", hint="pass --source SOURCE")
        period = str(
            explicit_period or content_id(source, *sorted(d.id for d in fetched.documents))
        )
        content = self.compose(fetched, options, cap)
        data: dict[str, Any] = {
            "source": source,
            "period": period,
            "title": content.title,
            "messages": content.total_messages,
            "included": content.included_messages,
            "left_out": content.left_out,
            # In digest order: "needs you", then people, then the collapsed categories.
            "threads": [
                {
                    "subject": t.subject,
                    "summary": t.summary,
                    "count": t.count,
                    "importance": t.importance,
                    "reasons": t.reasons,
                    "verified": t.verified,
                    "category": t.category,
                    "section": t.section,
                    "path": t.path,
                    "participants": t.participants,
                    "latest": t.latest,
                    "asks": t.asks,
                    "meetings": t.meetings,
                    "item": t.item,
                }
                for t in content.threads
            ],
            "collapsed": content.collapsed,
            "action_items": content.actions,
            "meetings": content.meetings,
            "errors": [e.to_json() for e in fetched.errors],
            "empty": content.empty,
            "verified": all(t.verified for t in content.threads),
            "sections": {
                name: sum(t.section == name for t in content.threads) for name in layout.SECTIONS
            },
            "model": content.model or "none",
        }
        to = options.get("to") or options.get("reader")
        send_empty = bool(options.get("send_empty", cfg.send_empty))
        data["skip_delivery"] = content.empty and not send_empty
        message = build_message(
            content, sender=str(options.get("sender") or to or "deskdraft@localhost"), to=to
        )
        record = store.store(schedule_id, period, message, data, owner=owner)
        data["stored"] = str(record.path)
        if data["skip_delivery"]:
            data["delivery"] = "not sent: no new mail in this period"
        elif deliver_to:
            data["delivery"] = self._deliver(str(deliver_to), schedule_id, period)
        store.save_cursor(cursor_key, fetched.cursor)
        return [self._draft(data)]

    def _draft(self, data: dict[str, Any]) -> Draft:
        lines = [f"{t['subject']}: {t['summary']}" for t in data["threads"] if t["summary"]]
        lines += [c["label"] for c in data.get("collapsed", [])]
        text = "\n".join(lines) or "No new mail in this period."
        return Draft(
            kind=self.name,
            text=text,
            data=data,
            verified=bool(data["verified"]),
            model=str(data["model"]),
        )

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
        engine = self._engine()
        self._categorize(fetched.documents, engine)
        threads = assign_threads(fetched.documents)
        correspondents = {
            addr
            for doc in fetched.documents
            if _addresses(doc.author) & reader
            for addr in _addresses([*doc.to, *doc.cc])
        }
        # Meetings and deadlines only count where someone can ask the reader something;
        # newsletters are full of dates.
        askable = [t for t in threads if layout.can_ask(t, reader)]
        suggested = self._per_document(
            self._kind("suggest_meetings"), [t[-1] for t in askable], "suggestions"
        )
        placements = {
            id(thread): layout.place(
                thread, reader, correspondents, suggested.get(thread[-1].id, [])
            )
            for thread in threads
        }
        shown = [t for t in threads if placements[id(t)].section != layout.COLLAPSED]
        summaries, model = self._summaries(
            shown, str(options.get("style") or settings().digest.style), engine
        )
        digests: list[ThreadDigest] = []
        actions: list[dict[str, Any]] = []
        meetings: list[dict[str, Any]] = []
        for thread in threads:
            latest = thread[-1]
            subject = latest.title or thread[0].title
            placed = placements[id(thread)]
            actions.extend({**item, "subject": subject} for item in placed.asks)
            meetings.extend(placed.meetings)
            thread_meetings = [{**m, "when": _when(m)} for m in placed.meetings]
            summary = summaries.get(id(thread))
            digests.append(
                ThreadDigest(
                    subject=subject,
                    participants=sorted({_display(d.author) for d in thread if d.author}),
                    count=len(thread),
                    latest=latest.date.strftime("%a %d %b %H:%M") if latest.date else None,
                    summary=summary.text if summary else "",
                    verified=summary.verified if summary else True,
                    importance=placed.importance,
                    reasons=placed.reasons,
                    category=placed.category,
                    section=placed.section,
                    path=summary.path if summary else "",
                    asks=[{"text": a["text"], "due": a.get("due")} for a in placed.asks],
                    meetings=[
                        {k: m.get(k) for k in ("kind", "title", "when", "likely")}
                        for m in thread_meetings
                    ],
                    item=_mailbox_item(latest),
                )
            )
        # Sections in order; within one, the most important first (a stable sort keeps
        # equally important threads in date order).
        rank = {name: i for i, name in enumerate(layout.SECTIONS)}
        digests.sort(key=lambda t: (rank[t.section], -t.importance))
        report_progress(1.0, "rendering")
        return DigestContent(
            title=str(options.get("title") or "Your inbox digest"),
            period_label=str(
                options.get("period_label") or datetime.now(UTC).strftime("%A %d %B %Y")
            ),
            threads=digests,
            actions=actions,
            meetings=[{**m, "when": _when(m)} for m in meetings],
            ics=_ics(meetings),
            total_messages=fetched.total,
            included_messages=len(fetched.documents),
            cap=cap,
            model=model,
            collapsed=layout.collapsed_lines(
                (t.category, t.count) for t in digests if t.section == layout.COLLAPSED
            ),
        )

    def _engine(self) -> Any:
        if self.engine is None:
            from plugin.engine.runtime import get_engine

            self.engine = get_engine()
        return self.engine

    @staticmethod
    def _categorize(documents: Sequence[Document], engine: Any) -> None:
        try:
            refine_categories(documents, engine)
        except ValueError as exc:
            # A model built with other embeddings: the header categories still sort mail.
            log.warning("mail categories from headers only: %s", exc)

    def _summaries(
        self, threads: list[list[Document]], style: str, engine: Any
    ) -> tuple[dict[int, _Line], str | None]:
        """One line per shown thread: conversations as threads, single messages as digest
        lines (``plugin.drafts.summary.oneliner``; ``style = "brief"``: about four sentences)."""
        out: dict[int, _Line] = {}
        conversations = [t for t in threads if len(t) > 1]
        for thread in conversations:
            # Thread summaries are written by code (who asked, what was decided, what is
            # open), so the richer style costs nothing.
            [summary] = self._kind("summarize").draft(thread, {"style": "brief", "thread": True})
            out[id(thread)] = _Line(
                str(summary.data.get("summary") or summary.text), summary.verified, "thread"
            )
        singles = [t for t in threads if len(t) == 1]
        done = len(conversations)
        total = max(len(threads), 1)

        def progress(count: int) -> None:
            nonlocal done
            done = min(done + count, total)
            report_progress(done / total, f"summarized {done} of {total} threads")

        # A digest is an overview: the head of a long mail carries its point.
        heads = [replace(t[0], text=t[0].text[:DIGEST_TEXT_CHARS], sections=[]) for t in singles]
        model = engine.model_id if engine is not None and singles else None
        if style == "brief":
            with_text = [
                (t, h) for t, h in zip(singles, heads, strict=True) if h.full_text().strip()
            ]
            drafts = self._kind("summarize").draft(
                [h for _, h in with_text], {"style": style, "progress": progress}
            )
            for (thread, _), summary in zip(with_text, drafts, strict=True):
                out[id(thread)] = _Line(
                    str(summary.data.get("summary") or summary.text),
                    summary.verified,
                    str(summary.data.get("path")),
                )
            for thread, head in zip(singles, heads, strict=True):
                if id(thread) not in out:
                    out[id(thread)] = _Line(subject_line(head), True, "subject")
            return out, model
        lines = DigestLines(engine, progress=progress).lines(heads)
        for thread, line in zip(singles, lines, strict=True):
            out[id(thread)] = _Line(line.text, line.verified, line.path)
        return out, model

    @staticmethod
    def _per_document(
        kind: DraftKind, documents: list[Document], key: str
    ) -> dict[str, list[dict[str, Any]]]:
        drafts = kind.draft(documents, {}) if documents else []
        return {doc.id: list(d.data.get(key, [])) for doc, d in zip(documents, drafts, strict=True)}


def _display(author: str) -> str:
    pairs = getaddresses([author])
    if pairs and (pairs[0][0] or pairs[0][1]):
        return pairs[0][0] or pairs[0][1]
    return author


def _mailbox_item(document: Document) -> dict[str, str]:
    """How Outlook finds the message again: an EWS item id, or a Graph (REST) id."""
    if ews_id := document.metadata.get("ews_id"):
        return {"ews_id": str(ews_id)}
    if graph_id := document.metadata.get("graph_id"):
        return {"rest_id": str(graph_id)}
    return {}


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
