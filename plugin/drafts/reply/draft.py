"""Reply drafts: ``ReplyDraft`` (draft kind ``reply``).

Built the way summaries are: code decides what is said (``plan``), the model only
words it (``writer``), and every fact is checked. Per document (or, with
``thread``, per thread: the last message is answered, the earlier ones are context):

1. the plan: greeting, acknowledgement, one slot per ask (answered from the intent or a
   placeholder), the meeting answered against the calendar, the user's sign-off;
2. the model's wording with a strict retry, else the template;
3. ``verified``: the whole reply passes ``verify.check`` against the mail, the calendar
   answer, the intent and the profile.

Options: ``intent`` (a chip value or free text), ``thread``, ``calendar`` (an ``.ics`` file,
an ews:// or graph:// URI, or a calendar object), ``user`` (whose voice profile to use) or
``profile`` (a profile object), ``model`` (False: template only), ``reference`` and
``timezone`` (as for ``suggest_meetings``), ``answer_quoted`` (the documents are replies
being written: each answers the newest message quoted in it, the older quoted ones are
context; the Outlook pane's **Draft reply** while writing).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from connectors.document import Document
from connectors.errors import DeskdraftError, UsageError
from connectors.secrets import redact
from plugin.drafts.base import Draft, DraftKind, Span
from plugin.drafts.reply.intents import parse_intent
from plugin.drafts.reply.plan import ReplyPlan, build_plan
from plugin.drafts.reply.voice import Profile, load_profile
from plugin.drafts.reply.writer import attributions, full_text, supported, to_html, word_many
from plugin.drafts.text.verify import SourceIndex

#: A thread longer than this is answered from its last messages only.
MAX_CONTEXT_MESSAGES = 20
TONES = {"formal": "formal", "neutral": "friendly, professional", "casual": "warm, casual"}


def _calendar(option: Any) -> tuple[Any, str | None]:
    """The calendar, or (None, why) when it cannot be opened: the reply goes on without."""
    if option is None or option == "":
        return None, None
    from plugin.drafts.calendar.meetings import resolve_calendar

    try:
        return resolve_calendar(option), None
    except UsageError:
        raise
    except (DeskdraftError, OSError) as exc:
        return None, f"the calendar could not be opened ({redact(str(exc))})."


def _profile(options: Mapping[str, Any]) -> Profile:
    given = options.get("profile")
    if isinstance(given, Mapping):
        return Profile.from_json(dict(given))
    if given is not None:
        raise UsageError("option 'profile' must be an object (a `profile show --json` record)")
    user = options.get("user")
    return load_profile(str(user) if user else None)


def _targets(
    documents: Sequence[Document], thread: bool, answer_quoted: bool = False
) -> list[tuple[Document, list[Document], list[str]]]:
    """(message to answer, earlier messages of its thread, notes) per reply."""
    if not thread and not answer_quoted:
        return [(document, [], []) for document in documents]
    from plugin.drafts.summary.thread import group_threads, with_history

    if answer_quoted:
        # each draft with the messages it quotes, oldest first and the draft itself last:
        # the message it replies to is the one before it (nothing quoted: the text itself)
        threads = [with_history([document])[:-1] or [document] for document in documents]
    else:  # a thread of one mail: the messages it quotes are its thread
        threads = [with_history(group) for group in group_threads(documents)]
    out = []
    for group in threads:
        notes = []
        if len(group) > MAX_CONTEXT_MESSAGES + 1:
            notes.append(
                f"The thread has {len(group)} messages; the reply reads the last "
                f"{MAX_CONTEXT_MESSAGES + 1}."
            )
        out.append((group[-1], group[:-1][-MAX_CONTEXT_MESSAGES:], notes))
    return out


class ReplyDraft(DraftKind):
    name = "reply"

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        started = time.perf_counter()
        raw_intent = options.get("intent")
        if raw_intent is not None and not isinstance(raw_intent, str):
            raise UsageError("option 'intent' must be a string")
        intent = parse_intent(raw_intent)
        profile = _profile(options)
        calendar, calendar_error = _calendar(options.get("calendar"))
        reference = options.get("reference")
        moment = datetime.fromisoformat(reference) if reference else None
        if moment is not None and moment.tzinfo is None:
            raise UsageError("option 'reference' must include a UTC offset")
        targets = _targets(
            documents, bool(options.get("thread")), bool(options.get("answer_quoted"))
        )
        use_model = bool(options.get("model", True))
        engine = self.engine
        if engine is None and use_model:
            from plugin.engine.runtime import get_engine

            loading = time.perf_counter()
            engine = self.engine = get_engine()
            started += time.perf_counter() - loading  # loading the model is not drafting
        # MiniLM helps match a free-text intent to the asks; only when the model is in use.
        embed = engine.embed if use_model and engine is not None and intent else None
        plans = [
            build_plan(
                document,
                intent=intent,
                profile=profile,
                calendar=calendar,
                calendar_error=calendar_error,
                context=context,
                reference=moment,
                zone=options.get("timezone"),
                embed=embed,
            )
            for document, context, _notes in targets
        ]
        for plan, (_document, _context, notes) in zip(plans, targets, strict=True):
            plan.notes.extend(notes)
        planned = time.perf_counter() - started
        wordings = word_many(
            plans, engine if use_model else None, [TONES[profile.formality]] * len(plans)
        )
        model = str(engine.model_id) if use_model and engine is not None else "none"
        drafts = []
        for (document, context, _notes), plan, wording in zip(
            targets, plans, wordings, strict=True
        ):
            elapsed = planned / len(plans) + wording.elapsed
            drafts.append(self._to_draft(document, context, plan, wording, elapsed, model))
        return drafts

    @staticmethod
    def _to_draft(
        document: Document,
        context: list[Document],
        plan: ReplyPlan,
        wording: Any,
        elapsed: float,
        model: str,
    ) -> Draft:
        text = full_text(plan, wording.body)
        verified = supported(text, SourceIndex(plan.facts))
        data: dict[str, Any] = {
            "source": document.source,
            "document_id": document.id,
            "to": plan.to,
            "subject": plan.subject,
            "reply": text,
            "html": to_html(plan, wording.body),
            "placeholders": plan.placeholders(),
            "plan": plan.to_json(),
            "intents": [
                {"value": i.value(), "label": i.label(), "kind": i.kind} for i in plan.offered
            ],
            "attributions": attributions(plan, wording.body, wording.path),
            "notes": list(plan.notes),
            "path": wording.path,
            "elapsed_ms": round(elapsed * 1000, 1),
        }
        if context:
            data["thread"] = {"messages": len(context) + 1, "context": [m.source for m in context]}
        if wording.rejected:
            data["rejected"] = wording.rejected
        spans = [Span(a.start, a.end, a.document_id) for a in plan.asks]
        return Draft(
            kind="reply",
            text=text,
            data=data,
            attributions=spans,
            verified=verified,
            model=model if wording.path == "model" else "none",
        )


__all__ = ["ReplyDraft"]
