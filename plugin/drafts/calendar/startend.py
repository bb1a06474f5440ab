"""Times labelled as a start and an end, as course, booking and pipeline systems write them
("Start Time: Oct 31, 2001 8:00 AM   End Time: Oct 31, 2001 5:00 PM", "Begin Date: 12/1/2001
End Date: 11/1/2002") or as a notice tells them ("The meeting will begin at 8:30 a.m. and end
by 12:30 p.m."): one mention from the first to the second, not two events."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from plugin.drafts.calendar.mention import TimeMention

_START_LABEL = re.compile(
    r"\b(?:start(?:ing)?|begin(?:ning)?)\s+(?:time|date)\s*:\s*$"
    # ... or told: "The meeting will begin promptly at 8:30 a.m. and end by 12:30 p.m."
    r"|\b(?:begins?|starts?)\s+(?:promptly\s+)?(?:at\s+|@\s*)$",
    re.IGNORECASE,
)
_END_LABEL = re.compile(
    r"^[^\n]{0,40}?\b(?:end(?:ing)?)\s+(?:time|date)\s*:\s*$"
    r"|^[^\n.;]{0,30}?\b(?:end|ends|adjourn|adjourns|conclude|concludes|finish|finishes)\s+"
    r"(?:promptly\s+)?(?:at|by|around|about|approximately)\s+$",
    re.IGNORECASE,
)


def _labelled_start(text: str, mention: TimeMention) -> bool:
    return (
        _START_LABEL.search(text, max(0, mention.span_start - 30), mention.span_start) is not None
    )


def _joined(text: str, start: TimeMention, end: TimeMention) -> TimeMention | None:
    if not _END_LABEL.match(text[start.span_end : end.span_start]) or not _labelled_start(
        text, start
    ):
        return None
    if (
        isinstance(start.start, datetime) != isinstance(end.start, datetime)
        or end.start < start.start
    ):
        return None
    last = end.start if isinstance(end.start, datetime) else end.start + timedelta(days=1)
    return replace(
        start,
        end=last,
        span_end=end.span_end,
        text=text[start.span_start : end.span_end],
        confidence=max(start.confidence, end.confidence),
    )


def join_labelled_ends(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """``mentions`` with each labelled start and the labelled end after it made one."""
    out: list[TimeMention] = []
    for mention in mentions:
        joined = _joined(text, out[-1], mention) if out else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(mention)
    return out
