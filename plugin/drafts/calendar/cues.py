"""Which resolved time mentions are proposed meetings, calls or deadlines (no model involved).

``detect(text, reference, zone)`` runs ``parse`` and keeps the mentions whose sentence
reads like an event ("meeting", "call", "lunch", "interview"...) or a deadline ("due",
"by Friday", "EOD"), drops past ones and ones the sender only reports ("I told you
Friday", "moved from Monday"), merges repeats of the same day, and groups times offered as
choices ("tomorrow or Monday") into alternatives.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any

from plugin.drafts.calendar.mention import TimeMention, localize
from plugin.drafts.calendar.parse import extract_times

# Lines that carry dates but no proposal: quoted history, forwarded headers, feeds.
_NOISE_LINE = re.compile(
    r"^\s*(?:>|(?:sent|date|from|to|cc|subject|posted|received)\s*:|posted\s+by\b"
    r"|.*\b(?:wrote|writes|escribió|mentioned):\s*$|.*\bwrote:)",
    re.IGNORECASE,
)
_HISTORY_START = re.compile(
    r"^\s*-{2,}\s*(?:original message|forwarded by|forwarded message)", re.IGNORECASE
)
MEETING_CUE = re.compile(
    r"\b(?:meet(?:ing|ings|s)?|call(?!\s+back)|calls|con(?:ference)?[- ]?call|conference|"
    r"dial[- ]in|lunch(?:eon)?|dinner|breakfast|coffee|drinks|session|presentation|interviews?|"
    r"appointment|event|seminar|workshop|training|class|party|talk|speak(?:ing)?|discuss|"
    r"review|off-?site|qbr|board|webinar|visit|agenda|invit\w*|attend\w*|join\s+us|"
    r"see\s+you|(?:re)?schedul\w*|calendars?|available|availability|reserve\w*|booked|"
    r"phone-a-thon|cocktails|celebrat\w*|summit|symposium|hearing|when:|(?:be|is|are)\s+held|"
    r"take\s+place|new\s+(?:date|time)|"
    # Proposals written as questions or suggestions name no event word.
    r"can\s+we|could\s+we|shall\s+we|let'?s|how\s+about|works?\s+(?:for|fine)|is\s+fine|"
    r"are\s+you\s+(?:free|around))",
    re.IGNORECASE,
)
DEADLINE_CUE = re.compile(
    r"\b(?:due|deadline|no\s+later\s+than|submit\w*|turned\s+in|needs?\s+(?:it|your|the|this)|"
    r"expires?|cut-?off|needs?\s+to\s+be|closes?|ends?)\b",
    re.IGNORECASE,
)
BY_BEFORE = re.compile(
    r"\b(?:by|before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE
)
# Words right before a mention that make it a report of the past or not an event at all.
NOT_AN_EVENT_BEFORE = re.compile(
    r"(?:\b(?:talked|told\s+\w+|spoke|sent\s+\w+|met|said|mentioned|discussed|received|wrote|"
    r"saw|was|were|had|did|went|came|got|left|filed|dated|gave|asked|heard|attended|finished|"
    r"completed|reviewed|as\s+of|passed\s+away|until|from|"
    r"since|out\s+of\s+(?:the\s+)?office|good)\s+(?:\w+\s+){0,2}(?:on\s+)?)(?<!\bto\s)$",
    re.IGNORECASE,
)
# Offered times that are then turned down, or events called off.
_REJECTED_BEFORE = re.compile(
    # "we have canceled next Monday's (May 21) 9:15AM Staff Meeting"
    r"(?:\bcancel\w*|\bnot\s+be\s+an?)\s+(?:\w+'?s?[\s/(]+){0,4}(?:for\s+|on\s+)?$"
    # "I'd prefer not to meet at 1 pm", "we would rather not start on Monday"
    r"|\b(?:prefer|rather)\s+not\s+(?:to\s+)?(?:\w+\s+){0,3}(?:at|on)\s+$"
    # "Cancel my RSVP for Carrin Patman's lunch tomorrow"
    r"|\bcancel\w*\s+(?:\w+[\s/]+){0,2}(?:for|of)\s+(?:\w+'?s?[\s/]+){1,4}$"
    r"|\bno\s+(?:\w+\s+)?(?:meeting|call|class|session|lunch)s?\s+(?:\w+\s+){0,2}$"
    # "Stan will NOT have a staff meeting next week, December 24th"
    r"|\b(?:will|do|does|did)\s+not\s+(?:be\s+)?(?:have|hold|having|holding)\s+(?:a|an|the|our|"
    r"his|her|their|its)\s+(?:[\w-]+\s+){0,2}(?:meeting|call|class|session|lunch)s?\s+"
    r"(?:\w+[\s,]+){0,3}$"
    r"|\b(?:I\s+am|I'm|I\s+will\s+be|will\s+be)\s+out\b[^.]{0,30}$"
    # "It is no longer necessary to have this meeting on Thursdays"
    r"|\bno\s+longer\s+(?:[\w'-]+\s+){0,7}$",
    re.IGNORECASE,
)
_REJECTED_AFTER = re.compile(
    r"^[\s,]*(?:\w+\s+){0,3}?(?:does\s*n[o']?t\s+work|won'?t\s+work|(?:is|are)\s+not\s+going\s+"
    r"to\s+work|(?:is|are|has\s+been|have\s+been)\s+cancel+ed|(?:is|are)\s+not\s+(?:good|possible)|"
    r"(?:is|are|will)\s+no\s+longer\b)",
    re.IGNORECASE,
)
_WINDOW = 400
MAX_MENTIONS = 200
_log = logging.getLogger(__name__)
_ALTERNATIVE_GAP = re.compile(
    r"\b(?:or|either|if\s+not|alternatively|otherwise|instead|if\s+(?:that|this|it)\s+"
    r"(?:does\s*n[o']?t|won'?t|is\s*n[o']?t|can'?t))\b",
    re.IGNORECASE,
)
# A full stop before a capital ends a sentence, except after "Mt.", "a.m.", "Dr." and the like.
_SENTENCE_BREAK = re.compile(
    r"(?<!\b[A-Z][a-z])(?<!\b[A-Z])(?<![ap]\.m)(?:[.!?]\s+(?=[A-Z(\"'])|[.!?:]\s*\n)|\n\s*\n"
)
_LOCATION = [
    re.compile(r"\bWhere:\s*(?P<loc>[^\n*]{2,60}?)\s*(?:\*|\n|$)"),
    re.compile(
        r"\b(?:in|at|location\s+will\s+be)\s+(?P<loc>(?:(?:the\s+)?(?:conf(?:erence)?\.?\s+|team\s+)"
        r"room\s*[\w-]*\d[\w-]*|(?:EB|ECN|ECS)[- ]?\d[\w-]*|\d{1,2}[A-Z]\d{1,2}|Room\s+[\w-]+))",
        re.IGNORECASE,
    ),
]


@dataclass(slots=True)
class Suggestion:
    mention: TimeMention
    kind: str  # meeting | deadline
    confidence: float
    location: str | None = None
    attendees: list[str] = field(default_factory=list)
    title: str = ""
    title_source: str = "subject"
    group: int = 0
    alternative: bool = False
    conflict: bool | None = None
    free_slots: list[dict[str, str]] = field(default_factory=list)
    cue: str = ""
    #: At or above ``[calendar] likely_confidence``; the pane and digest mark the rest "maybe".
    likely: bool = True

    @property
    def start(self) -> datetime | date:
        return self.mention.start

    def to_json(self) -> dict[str, Any]:
        out = self.mention.to_json()
        if self.mention.end is None:
            out["end"] = None
        out.update(
            {
                "title": self.title,
                "location": self.location,
                "attendees": list(self.attendees),
                "kind": self.kind,
                "confidence": round(self.confidence, 2),
                "likely": self.likely,
                "title_source": self.title_source,
                "group": self.group,
                "alternative": self.alternative,
            }
        )
        if self.conflict is not None:
            out["conflict"] = self.conflict
            out["free_slots"] = list(self.free_slots)
        return {key: out[key] for key in _FIELD_ORDER if key in out}


_FIELD_ORDER = [
    "title",
    "start",
    "end",
    "all_day",
    "timezone",
    "location",
    "attendees",
    "kind",
    "evidence",
    "confidence",
    "likely",
    "title_source",
    "group",
    "alternative",
    "conflict",
    "free_slots",
]


def proposal_text(text: str) -> str:
    """``text`` with quoted history and header-like lines blanked (offsets are kept)."""
    out: list[str] = []
    cut = False
    for line in text.splitlines(keepends=True):
        cut = cut or bool(_HISTORY_START.match(line))
        if cut or _NOISE_LINE.match(line):
            out.append(re.sub(r"[^\n]", " ", line))
        else:
            out.append(line)
    return "".join(out)


@lru_cache(maxsize=4)
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """Where sentences end and the next begin, found once per text (mail can be long)."""
    matches = list(_SENTENCE_BREAK.finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches]


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start..end``, at most ``_WINDOW`` characters either side."""
    break_starts, break_ends = _breaks(text)
    before = bisect_right(break_ends, start) - 1
    left = break_ends[before] if before >= 0 else 0
    after = bisect_left(break_starts, end)
    right = break_starts[after] + 1 if after < len(break_starts) else len(text)
    return max(left, start - _WINDOW), min(right, end + _WINDOW)


def rejected(text: str, mention: TimeMention) -> bool:
    """An offered time turned down or an event called off: "cancel the 3pm call", "no
    meeting Friday", "Tuesday does not work", "no longer necessary to meet on Thursdays"."""
    left, _ = sentence_bounds(text, mention.span_start, mention.span_end)
    before = text[left : mention.span_start]
    after = text[mention.span_end : mention.span_end + 60]
    return bool(_REJECTED_BEFORE.search(before[-60:]) or _REJECTED_AFTER.search(after))


@lru_cache(maxsize=4)
def _where_line(text: str) -> str | None:
    found = _LOCATION[0].search(text)
    return found.group("loc").strip(" .,;") if found else None


def _location(text: str, sentence: str) -> str | None:
    for pattern in _LOCATION:
        found = pattern.search(sentence)
        if found:
            return found.group("loc").strip(" .,;")
    return _where_line(text)


def classify(text: str, mention: TimeMention) -> tuple[str, float, str] | None:
    left, right = sentence_bounds(text, mention.span_start, mention.span_end)
    before = text[left : mention.span_start]
    sentence = text[left:right]
    if rejected(text, mention):
        return None
    by_before = BY_BEFORE.search(before[-20:])
    if not by_before and NOT_AN_EVENT_BEFORE.search(before[-40:]):
        return None
    if by_before or mention.deadline_hint or DEADLINE_CUE.search(before):
        cue = DEADLINE_CUE.search(sentence)
        return "deadline", mention.confidence, cue.group(0) if cue else "deadline"
    cue = MEETING_CUE.search(sentence)
    if cue:
        return "meeting", mention.confidence, cue.group(0)
    if DEADLINE_CUE.search(sentence):
        return "deadline", mention.confidence * 0.9, "deadline"
    if not mention.all_day or mention.explicit_date:
        # A list under "The following meetings have been scheduled:" or a follow-up line
        # ("Please be prepared to leave at 1:30") takes its cue from the sentence before.
        previous_left, _ = sentence_bounds(text, max(left - 2, 0), max(left - 1, 0))
        cue = MEETING_CUE.search(text[previous_left:left])
        if cue:
            return "meeting", mention.confidence * 0.85, cue.group(0)
    return None


def detect(text: str, reference: datetime, zone: tzinfo | str | None = None) -> list[Suggestion]:
    """Proposed meetings and deadlines in ``text``, resolved against ``reference``."""
    clean = proposal_text(text)
    suggestions: list[Suggestion] = []
    mentions = extract_times(clean, reference, zone)
    if len(mentions) > MAX_MENTIONS:
        # A log, a timetable or a newsletter: nobody proposes hundreds of meetings in one
        # message, and classifying each would take seconds.
        _log.warning(
            "%d date/time mentions; only the first %d are considered", len(mentions), MAX_MENTIONS
        )
        mentions = mentions[:MAX_MENTIONS]
    for mention in mentions:
        if mention.is_before(reference):
            continue
        classified = classify(clean, mention)
        if classified is None:
            continue
        kind, confidence, cue = classified
        left, right = sentence_bounds(clean, mention.span_start, mention.span_end)
        suggestions.append(
            Suggestion(
                mention=mention,
                kind=kind,
                confidence=confidence,
                location=_location(clean, clean[left:right]),
                cue=cue.lower(),
            )
        )
    suggestions = _merge_same_day(_date_bare_times(suggestions))
    _group_alternatives(clean, suggestions)
    return suggestions


def _date_bare_times(suggestions: list[Suggestion]) -> list[Suggestion]:
    """A clock time with no day ("See you at 1:00", "Dinner: 6:00pm") belongs to the day
    named just before it; when that day already has a time, it repeats that event."""
    out: list[Suggestion] = []
    for suggestion in suggestions:
        mention = suggestion.mention
        anchor = next(
            (
                s
                for s in reversed(out)
                if s.mention.dated
                and s.kind == suggestion.kind
                and mention.span_start - s.mention.span_end <= 400
            ),
            None,
        )
        if mention.dated or anchor is None or not isinstance(mention.start, datetime):
            out.append(suggestion)
            continue
        day = anchor.mention.start_date()
        vague = next(
            (s for s in out if s.mention.vague_time and s.mention.start_date() == day), None
        )
        if vague is not None:
            # "this afternoon ... Does 3:00 work?": the clock time makes the guess precise.
            start = localize(day, (mention.start.hour, mention.start.minute), mention.zone)
            vague.mention = replace(vague.mention, start=start, vague_time=False)
            continue
        if any(not s.mention.all_day and s.mention.start_date() == day for s in out):
            continue
        start = localize(day, (mention.start.hour, mention.start.minute), mention.zone)
        shift = start - mention.start
        end = mention.end + shift if isinstance(mention.end, datetime) else None
        suggestion.mention = replace(mention, start=start, end=end, dated=True)
        out.append(suggestion)
    return out


def _merge_same_day(suggestions: list[Suggestion]) -> list[Suggestion]:
    """One suggestion per moment; a day named again with its time keeps only the timed one."""
    timed_days = {s.mention.start_date() for s in suggestions if not s.mention.all_day}
    kept: list[Suggestion] = []
    seen: set[object] = set()
    for suggestion in suggestions:
        mention = suggestion.mention
        if mention.all_day and mention.start_date() in timed_days:
            continue
        key = (mention.start, mention.all_day)
        if key in seen:
            continue
        seen.add(key)
        kept.append(suggestion)
    return kept


def offered_together(
    text: str, previous: TimeMention, previous_kind: str, mention: TimeMention, kind: str
) -> bool:
    """Two meeting times in a row offered as alternatives ("Tuesday or Wednesday", "3pm; if
    that doesn't work, 4pm"): close together, with an "or"-like word between them."""
    return bool(
        previous_kind == kind == "meeting"
        and mention.span_start - previous.span_end <= 200
        and _ALTERNATIVE_GAP.search(text[previous.span_end : mention.span_start])
    )


def _group_alternatives(text: str, suggestions: list[Suggestion]) -> None:
    group = -1
    previous: Suggestion | None = None
    for suggestion in suggestions:
        if previous is not None and offered_together(
            text, previous.mention, previous.kind, suggestion.mention, suggestion.kind
        ):
            previous.alternative = suggestion.alternative = True
        else:
            group += 1
        suggestion.group = group
        previous = suggestion
