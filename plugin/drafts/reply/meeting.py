"""A reply's answer to a proposed meeting, decided against the user's calendar.

The proposal comes from ``calendar.decision.detect_learned`` (as in ``suggest-meetings``); free/busy
from the calendar (EWS, Graph or an ``.ics`` file) through ``freeslots.mark_conflicts``.
Free: "<time> works for me". Busy: "I'm not free at <time>" and the nearest free slots.
The user's intent overrides: accept, decline. Without a calendar and without an intent
the proposal stays an open ask (a placeholder). A calendar that cannot be read gives a
reply without availability and a note saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.errors import DeskdraftError
from connectors.secrets import redact
from plugin.drafts.calendar.cues import Suggestion
from plugin.drafts.calendar.decision import detect_learned
from plugin.drafts.reply.intents import Intent
from plugin.drafts.reply.slots import Ask, Slot

if TYPE_CHECKING:
    from connectors.document import Document

MAX_ALTERNATIVES = 2
_ABOUT_MEETING = re.compile(
    r"\b(?:attend\w*|meet(?:ing)?|invitation|availab\w+|join|come|make\s+it)\b", re.I
)

#: A request that is the meeting itself ("I would appreciate it if we could meet at 4:00 PM"),
#: answered with the proposed time like the ask the time is part of.
MEETING_REQUEST = re.compile(
    r"\bwe\s+(?:could|can|might)\s+meet\b|\b(?:arrange|schedule|set\s+up)\s+a\s+meeting\b"
    r"|\bplease\s+(?:plan\s+to\s+)?attend\b|\bif\s+you\s+are\s+available\b",
    re.I,
)
_PART_OF_DAY = re.compile(r"\b(morning|afternoon|evening)\b", re.I)
#: A clock time as written, not a date's digits: "4:00", "2 pm", "3p.m.", "at 4", "noon".
_CLOCK_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b|o'clock"
    r"|(?:\bat|@)\s*(?:1[0-2]|0?[1-9])\b(?![/-])",
    re.I,
)


@dataclass(slots=True)
class MeetingAnswer:
    when: str
    start: datetime
    #: Index of the ask the proposal is part of, if it is part of one.
    ask: int | None
    #: True/False from the calendar; None when no calendar was read.
    conflict: bool | None
    alternatives: list[str] = field(default_factory=list)
    slot: Slot | None = None
    source: dict[str, Any] = field(default_factory=dict)

    def facts(self) -> str:
        """The times code resolved (from the mail's date words and the calendar)."""
        return "\n".join([self.when, *self.alternatives])

    def to_json(self) -> dict[str, Any]:
        return {
            "when": self.when,
            "start": self.start.isoformat(),
            "ask": self.ask,
            "conflict": self.conflict,
            "alternatives": list(self.alternatives),
            "source": self.source,
        }


def when_text(moment: datetime, written: str | None = None) -> str:
    """ "Tuesday, October 30 at 9:00 AM" (":00" kept so the time reads as a time).

    ``written``: the mail's own words for the time. When they hold no clock time ("Feb 22
    evening", "tomorrow afternoon"), the hour is the detector's default for that part of
    the day, which the mail never said, so the reply names the day and the mail's part of
    the day instead ("Monday, February 22 in the evening")."""
    day = f"{moment:%A}, {moment:%B} {moment.day}"
    if written is not None and not _CLOCK_TIME.search(written):
        part = _PART_OF_DAY.search(written)
        return f"{day} in the {part.group(1).lower()}" if part else day
    hour = moment.hour % 12 or 12
    return f"{day} at {hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def _proposal(
    document: Document, asks: list[Ask], moment: datetime, zone: str | None
) -> tuple[Suggestion, int | None] | None:
    timed = [
        s
        for s in detect_learned(document.text, moment, zone, subject=document.title)
        if s.kind == "meeting"
        and not s.mention.all_day
        and isinstance(s.mention.start, datetime)
        and not s.alternative
    ]
    if not timed:
        return None
    # "a meeting tomorrow afternoon … meet at around 4:00 PM": a written clock time before
    # a part of the day, whose hour code would make up; a date's digits ("Dec 8 evening")
    # are not a clock time
    timed.sort(
        key=lambda s: (
            not _CLOCK_TIME.search(document.text[s.mention.span_start : s.mention.span_end])
        )
    )
    for suggestion in timed:  # a proposal inside a question is the one being asked about
        for index, ask in enumerate(asks):
            if ask.start <= suggestion.mention.span_start < ask.end:
                return suggestion, index
    # "When: Monday 1 PM … Please accept this invitation": the ask is about the time above.
    about = next((i for i, ask in enumerate(asks) if _ABOUT_MEETING.search(ask.text)), None)
    return timed[0], about


def answer_meeting(
    document: Document,
    asks: list[Ask],
    intent: Intent | None,
    calendar: Any,
    moment: datetime,
    zone: str | None,
    notes: list[str],
) -> MeetingAnswer | None:
    found = _proposal(document, asks, moment, zone)
    if found is None:
        return None
    suggestion, ask_index = found
    if ask_index is not None:
        asks[ask_index].kind = "meeting"
    start = suggestion.mention.start
    assert isinstance(start, datetime)
    written = document.text[suggestion.mention.span_start : suggestion.mention.span_end]
    answer = MeetingAnswer(
        when_text(start, written),
        start,
        ask_index,
        None,
        source={
            "from": "mail",
            "start": suggestion.mention.span_start,
            "end": suggestion.mention.span_end,
            "document_id": document.id,
        },
    )
    if calendar is not None:
        from plugin.drafts.calendar.freeslots import mark_conflicts

        try:
            mark_conflicts([suggestion], calendar, reference=moment)
        except (DeskdraftError, OSError, ValueError) as exc:
            notes.append(
                f"Availability was not checked: the calendar could not be read "
                f"({redact(str(exc))})."
            )
        else:
            answer.conflict = bool(suggestion.conflict)
            answer.alternatives = [
                when_text(datetime.fromisoformat(slot["start"]))
                for slot in suggestion.free_slots[:MAX_ALTERNATIVES]
            ]
    answer.slot = _slot(answer, intent, notes)
    return answer


def _slot(answer: MeetingAnswer, intent: Intent | None, notes: list[str]) -> Slot | None:
    kind = intent.kind if intent else None
    if answer.ask is not None:  # "yes" to "Can we meet Tuesday at 3?" accepts the time
        kind = {"yes": "accept", "no": "decline"}.get(kind or "", kind)
    asks = [answer.ask] if answer.ask is not None else []
    calendar = {
        "from": "calendar",
        "conflict": answer.conflict,
        "alternatives": answer.alternatives,
    }
    offer = (
        f" Would {' or '.join(answer.alternatives)} work instead?"
        if answer.alternatives
        else " Could we find another time?"
    )
    if kind == "decline":
        sources = [answer.source, {"from": "intent", "kind": intent.kind if intent else ""}]
        if answer.conflict is not None:
            sources.append(calendar)
        return Slot("meeting", f"I can't make {answer.when}.{offer}", sources, asks)
    if kind == "accept" or (answer.conflict is False and kind not in ("no", "later")):
        if answer.conflict:
            notes.append(f"Your calendar shows you busy on {answer.when}.")
        sources = [
            answer.source,
            calendar
            if kind != "accept"
            else {"from": "intent", "kind": intent.kind if intent else ""},
        ]
        return Slot("meeting", f"{answer.when} works for me.", sources, asks)
    if answer.conflict and kind not in ("later",):
        return Slot(
            "meeting", f"I'm not free on {answer.when}.{offer}", [answer.source, calendar], asks
        )
    return None


__all__ = ["MEETING_REQUEST", "MeetingAnswer", "answer_meeting", "when_text"]
