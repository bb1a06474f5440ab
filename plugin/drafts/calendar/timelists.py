"""Days written as a list of numbers after one resolved date: "March 15 and 16",
"Nov 5, 6, 7 or 8", "December 3rd, 7th, 9th".

``parse`` resolves each date phrase on its own, so the bare numbers of a list are lost.
This pass adds one mention per listed day (same month, same clock time). Listed weekdays
("next Tuesday or Wednesday") are placed by ``parse`` itself (``itinerary``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from plugin.drafts.calendar.mention import TimeMention, localize

_DAY_LIST = re.compile(
    r"(?:\s*(?:,|and|or|&)\s*(?:and\s+|or\s+)?(?:the\s+)?(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)?"
    r"\b(?![:./]\d|\s*(?:[ap]\.?m\b|%|\$|people|hours?|minutes?|days?|weeks?|years?)))+",
    re.IGNORECASE,
)
_ONE_DAY = re.compile(r"(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)?\b")
_ORDINAL_END = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)


def _moved(mention: TimeMention, day: date) -> TimeMention:
    if isinstance(mention.start, datetime):
        start = localize(day, (mention.start.hour, mention.start.minute), mention.zone)
        shift = start - mention.start
        end = mention.end + shift if isinstance(mention.end, datetime) else None
        return replace(mention, start=start, end=end)
    return replace(mention, start=day, end=day + timedelta(days=1))


def _listed_days(text: str, mention: TimeMention) -> list[TimeMention]:
    found = _DAY_LIST.match(text, mention.span_end)
    if found is None:
        return []
    numbers = list(_ONE_DAY.finditer(text, found.start(), found.end()))
    # "Nov 5, 6, 7 or 8" needs its "or"; "November 13th, 16th, 17th" is a list by its
    # ordinals alone ("December 7, 2001" and "Oct 5, 10 people" are not lists).
    ordinals = _ORDINAL_END.search(mention.text) and all(
        _ORDINAL_END.search(number.group(0)) for number in numbers
    )
    if not ordinals and not re.search(r"\b(?:and|or)\b|&", found.group(0), re.IGNORECASE):
        return []
    first = mention.start_date()
    extra = []
    for number in numbers:
        try:
            day = first.replace(day=int(number.group("day")))
        except ValueError:
            continue
        if day <= first or (day - first).days > 14:
            continue
        extra.append(
            replace(
                _moved(mention, day),
                span_start=number.start(),
                span_end=number.end(),
                text=number.group(0),
                confidence=mention.confidence * 0.9,
            )
        )
    return extra


def _with_clock(mention: TimeMention, clock: TimeMention) -> TimeMention:
    """A listed day given the clock time written after the list ("... or 8 between 11:00
    and 1:00")."""
    assert isinstance(clock.start, datetime)
    start = localize(mention.start_date(), (clock.start.hour, clock.start.minute), clock.zone)
    end = (
        localize(mention.start_date(), (clock.end.hour, clock.end.minute), clock.zone)
        if isinstance(clock.end, datetime)
        else None
    )
    return replace(
        mention,
        start=start,
        end=end,
        all_day=False,
        zone=clock.zone,
        confidence=max(mention.confidence, clock.confidence),
    )


def expand_offered_days(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """``mentions`` plus the days listed after a date, in text order."""
    out: list[TimeMention] = []
    pending: list[int] = []  # indexes in ``out`` of an all-day list waiting for a time
    for mention in mentions:
        if (
            pending
            and not mention.dated
            and isinstance(mention.start, datetime)
            and mention.span_start - out[pending[-1]].span_end <= 12
        ):
            for index in pending:
                out[index] = _with_clock(out[index], mention)
            pending = []
            continue
        pending = []
        out.append(mention)
        if mention.explicit_date and mention.dated:
            listed = _listed_days(text, mention)
            if listed and mention.all_day:
                pending = list(range(len(out) - 1, len(out) + len(listed)))
            out.extend(listed)
    return out
