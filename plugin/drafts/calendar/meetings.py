"""The ``suggest_meetings`` draft kind: calendar suggestions from mail and documents.

Dates and times come from deterministic code (``parse``); which of them are meetings or
deadlines for the reader is decided by a small learned model over rule features
(``decision``; option ``decision: "rules"`` uses the hand-written rules of
``cues`` instead). Suggestions below ``min_confidence`` (option, else
``[calendar] min_confidence``) are hidden; those below ``likely_confidence`` are marked
"maybe". The language model only proposes each title;
the title must pass the same faithfulness check as a
summary (``verify.check`` against the subject and text), else the subject (or the cue
word, "Call", "Lunch") is used and ``title_source`` says "subject" (or "cue"). A model
title with the same words as the subject is the subject echoed, not model work: its
``title_source`` stays "subject". With a calendar
(option ``calendar``: a ``busy_intervals`` object, an ``.ics`` file or a source URI such
as ``ews://...``), timed meetings are marked ``conflict`` and given the nearest ``free_slots``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.document import Document
from connectors.errors import ConfigError, UsageError
from connectors.threads import strip_subject_prefixes
from plugin.drafts.base import Draft, DraftKind, Span
from plugin.drafts.calendar.cues import Suggestion, detect
from plugin.drafts.calendar.decision import detect_learned
from plugin.drafts.calendar.mention import TimeMention
from plugin.drafts.text.prompts import task_prompt, title_input

# The small model often echoes the prompt's labels ("Subject: Q4 budget review").
_TITLE_NOISE = re.compile(
    r"^\s*(?:(?:title|subject|event|calendar\s+event)\s*:\s*)*[\"'“”*#-]*|[^\w)]+$", re.I
)
_GREETING = re.compile(r"^(?:hi|hello|hey|dear|thanks|thank\s+you|regards)\b", re.I)
MAX_TITLE_WORDS = 8
#: Cue words that can stand as a title on their own; other cues ("can we") give "Meeting".
_EVENT_WORDS = {
    "meeting",
    "call",
    "lunch",
    "luncheon",
    "dinner",
    "breakfast",
    "coffee",
    "interview",
    "presentation",
    "conference",
    "conference call",
    "session",
    "seminar",
    "workshop",
    "training",
    "class",
    "party",
    "talk",
    "appointment",
    "webinar",
    "offsite",
    "off-site",
    "qbr",
    "visit",
    "review",
    "reception",
}


def subject_title(document: Document, suggestion: Suggestion) -> str:
    """A title from the subject line, or from the cue word when there is no subject."""
    # A plain text's "title" is only its first line, not a subject someone wrote.
    subject = strip_subject_prefixes(document.title) if document.kind != "text" else ""
    if subject:
        return subject[:120]
    if suggestion.kind == "deadline":
        return "Deadline"
    cue = " ".join(suggestion.cue.split()).strip(": ")
    cue = cue if cue in _EVENT_WORDS else "meeting"
    return cue[:1].upper() + cue[1:]


def clean_title(raw: str) -> str:
    """A model's title as the suggestion shows it: its first line, labels and quotes off."""
    line = next((part for part in raw.strip().splitlines() if part.strip()), "")
    title = strip_subject_prefixes(_TITLE_NOISE.sub("", line))
    return "" if _GREETING.match(title) else title[:120]


def _title_is_faithful(title: str, source: str) -> bool:
    """The summary check (every name, number and date is in the source), plus: most words of
    the title occur in the source, since a title that passes the fact check with none of the
    message's words ("Quarterly synergy sync") is still made up."""
    from plugin.drafts.text.claims import repeats_itself
    from plugin.drafts.text.verify import check

    words = re.findall(r"[A-Za-z]{3,}", title.lower())
    if not words or len(title.split()) > MAX_TITLE_WORDS or not check(title, source).ok:
        return False
    if repeats_itself(title, [source]):
        return False  # "Meeting: Meeting: Meeting" passes the fact check
    known = set(re.findall(r"[a-z]{3,}", source.lower()))
    stems = {word[:5] for word in known}
    found = sum(1 for word in words if word in known or word[:5] in stems)
    return found / len(words) >= 0.6


def same_words(first: str, second: str) -> bool:
    """Whether two titles have the same words in the same order (case and punctuation
    aside): the model's title then only echoes the subject."""
    return re.findall(r"\w+", first.lower()) == re.findall(r"\w+", second.lower())


def _sentence(text: str, mention: TimeMention) -> str:
    left = max(text.rfind("\n", 0, mention.span_start), text.rfind(". ", 0, mention.span_start))
    right_candidates = [
        i for i in (text.find("\n", mention.span_end), text.find(". ", mention.span_end)) if i >= 0
    ]
    right = min(right_candidates) if right_candidates else len(text)
    return " ".join(text[left + 1 : right + 1].split())[:400]


def resolve_calendar(calendar: Any) -> Any:
    """A free/busy calendar from an object, an ``.ics`` file or an ews:// / graph:// URI."""
    if calendar is None or hasattr(calendar, "busy_intervals"):
        return calendar
    if isinstance(calendar, str) and (
        calendar.lower().endswith(".ics") or calendar.startswith("ics:")
    ):
        from plugin.drafts.calendar.ics_freebusy import IcsCalendar

        return IcsCalendar(calendar)
    if isinstance(calendar, str):
        from connectors.base import open_source
        from plugin.drafts.inputs import _options

        source = open_source(calendar, _options(calendar))
        if hasattr(source, "busy_intervals"):
            return source
        raise ConfigError(
            f"{type(source).__name__} has no free/busy calendar",
            item=calendar,
            hint="use an ews:// or graph:// source or an .ics file",
        )
    raise UsageError("option 'calendar' must be a source URI or a calendar object")


def _confidence_option(options: Mapping[str, Any], name: str) -> float:
    """A confidence cut from the job's options, else from ``[calendar]`` in the config."""
    raw = options.get(name)
    if raw is None:
        from plugin.config import settings

        return float(getattr(settings().calendar, name))
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise UsageError(f"option '{name}' must be a number, not {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"option '{name}' must be between 0 and 1, not {value}")
    return value


class MeetingsDraft(DraftKind):
    """One draft per document: ``data["suggestions"]`` plus a readable ``text``."""

    name = "suggest_meetings"
    needs_model = True

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        reference_option = options.get("reference")
        fallback_reference = (
            datetime.fromisoformat(reference_option) if reference_option else datetime.now(UTC)
        )
        zone = options.get("timezone")
        calendar = resolve_calendar(options.get("calendar"))
        decision = str(options.get("decision") or "model")
        if decision not in {"model", "rules"}:
            raise UsageError(f"option 'decision' must be 'model' or 'rules', not {decision!r}")
        min_confidence = _confidence_option(options, "min_confidence")
        likely_confidence = _confidence_option(options, "likely_confidence")
        found: list[tuple[Document, datetime, list[Suggestion]]] = []
        for document in documents:
            reference = document.date or fallback_reference
            if reference.tzinfo is None:
                raise UsageError(
                    "option 'reference' must include a UTC offset", item=document.source
                )
            # A plain text's "title" is its first line, not a subject someone wrote.
            subject = (document.title or "") if document.kind != "text" else ""
            detected = (
                detect_learned(document.text, reference, zone, subject=subject)
                if decision == "model"
                else detect(document.text, reference, zone)
            )
            suggestions = [s for s in detected if s.confidence >= min_confidence]
            attendees = [a for a in [document.author, *document.to, *document.cc] if a]
            for suggestion in suggestions:
                suggestion.likely = suggestion.confidence >= likely_confidence
                suggestion.attendees = list(dict.fromkeys(attendees))
                suggestion.title = subject_title(document, suggestion)
                if suggestion.title != strip_subject_prefixes(document.title):
                    suggestion.title_source = "cue"
            if calendar is not None:
                from plugin.drafts.calendar.freeslots import mark_conflicts

                mark_conflicts(suggestions, calendar, reference=reference)
            found.append((document, reference, suggestions))
        model = self._propose_titles(found) if options.get("titles", "model") == "model" else None
        return [
            self._to_draft(document, reference, suggestions, model)
            for document, reference, suggestions in found
        ]

    def _propose_titles(
        self, found: list[tuple[Document, datetime, list[Suggestion]]]
    ) -> str | None:
        """Ask the model for every title in one batch; keep the ones the verifier accepts."""
        if self.engine is None:
            return None
        jobs = [
            (document, suggestion)
            for document, _ref, suggestions in found
            for suggestion in suggestions
        ]
        if not jobs:
            return None
        # The same prompt whether or not the model was tuned for titles (one template).
        prompts = [
            task_prompt(
                self.engine.chat_prompt,
                "title",
                title_input(
                    document.title if document.title and document.kind != "text" else "",
                    _sentence(document.text, suggestion.mention),
                ),
            )
            for document, suggestion in jobs
        ]
        outputs = self.engine.generate(prompts, max_new_tokens=16, stop=["\n"])
        for (document, suggestion), raw in zip(jobs, outputs, strict=True):
            title = clean_title(raw)
            if _title_is_faithful(title, f"{document.title}\n{document.text}") and not same_words(
                title, suggestion.title
            ):
                suggestion.title, suggestion.title_source = title, "model"
        return str(self.engine.model_id)

    def _to_draft(
        self,
        document: Document,
        reference: datetime,
        suggestions: list[Suggestion],
        model: str | None,
    ) -> Draft:
        lines = []
        for suggestion in suggestions:
            start = suggestion.mention.start
            when = (
                start.isoformat()
                if not isinstance(start, datetime)
                else (start.strftime("%Y-%m-%d %H:%M"))
            )
            marker = " (alternative)" if suggestion.alternative else ""
            clash = " [conflict]" if suggestion.conflict else ""
            maybe = "" if suggestion.likely else " (maybe)"
            lines.append(
                f"{when} {suggestion.mention.timezone}: {suggestion.title}"
                f" ({suggestion.kind}){maybe}{marker}{clash}"
            )
        source_text = f"{document.title}\n{document.text}"
        from plugin.drafts.text.verify import check

        # The summary check on every title; model titles also passed the word-overlap rule
        # when they were chosen.
        verified = all(check(s.title, source_text).ok for s in suggestions)
        used_model = any(s.title_source == "model" for s in suggestions)
        return Draft(
            kind=self.name,
            text="\n".join(lines) or "No meetings, calls or deadlines proposed.",
            data={
                "source": document.source,
                "document_id": document.id,
                "subject": document.title,
                "reference": reference.isoformat(),
                "suggestions": [s.to_json() for s in suggestions],
            },
            attributions=[
                Span(s.mention.span_start, s.mention.span_end, document.id) for s in suggestions
            ],
            verified=verified,
            model=model if (model and used_model) else "none",
        )
