"""Days written as a list of numbers beside one resolved date: "March 15 and 16",
"Nov 5, 6, 7 or 8", "December 3rd, 7th, 9th", "the 7th or 8th or 14th of December".

``parse`` resolves each date phrase on its own, so the bare numbers of a list are lost.
This pass adds one mention per listed day (same month, same clock time). Listed weekdays
("next Tuesday or Wednesday") are placed by ``parse`` itself (``itinerary``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from plugin.drafts.calendar.mention import TimeMention, localize, on_day
from plugin.drafts.calendar.timewords import MONTH_RE, WEEKDAY_RE

_DAY_LIST = re.compile(
    r"(?:\s*(?:,|and|or|&)\s*(?:and\s+|or\s+)?(?:the\s+)?(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)?"
    r"\b(?![:./]\d|\s*(?:[ap]\.?m\b|%|\$|people|hours?|minutes?|days?|weeks?|years?)))+",
    re.IGNORECASE,
)
# "the 7th or 8th or 14th or 15th of December", "7, 8 or 9 December": the days listed
# before a written date, read back from it.
_DAYS_BEFORE = re.compile(
    r"(?<![\d/.:$,-])(?:(?:the\s+)?(?:[12]?\d|3[01])(?:st|nd|rd|th)?\s*"
    r"(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+))+(?:the\s+)?$",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"^\d{1,2}[/-]\d")
_LIST_GOES_ON = re.compile(rf"(?:\b(?:{MONTH_RE})|[\d,])\s*$", re.IGNORECASE)
_WEEKDAY_ALONE = re.compile(rf"^(?:{WEEKDAY_RE})$", re.IGNORECASE)
_DAY_OF_MONTH_ALONE = re.compile(r"^(?:the\s+)?\d{1,2}(?:st|nd|rd|th)$", re.IGNORECASE)
_ONE_DAY = re.compile(r"(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)?\b")
_ORDINAL_END = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)


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
    return _listed(mention, numbers, later=True)


def _listed(mention: TimeMention, numbers: list[re.Match[str]], later: bool) -> list[TimeMention]:
    """One mention per listed day of the mention's month, on its side of the mention
    (``later``) and at most two weeks from it."""
    named = mention.start_date()
    listed = []
    for number in numbers:
        try:
            day = named.replace(day=int(number.group("day")))
        except ValueError:
            continue
        if 0 < ((day - named) if later else (named - day)).days <= 14:
            listed.append(
                replace(
                    on_day(mention, day),
                    span_start=number.start(),
                    span_end=number.end(),
                    text=number.group(0),
                    confidence=mention.confidence * 0.9,
                )
            )
    return listed


def _days_listed_before(text: str, mention: TimeMention, since: int) -> list[TimeMention]:
    """The days listed before a written date, read back to ``since`` (the end of the
    mention before it)."""
    if _NUMERIC_DATE.match(mention.text):
        return []  # "12/26-28 & 12/31": numbers before a numeric date are no list of days
    found = _DAYS_BEFORE.search(text, max(since, mention.span_start - 80), mention.span_start)
    if (
        found is None
        or not re.search(r"\b(?:and|or)\b|&", found.group(0), re.IGNORECASE)
        # "May 11, 12, 13, 14 and May 23": the numbers belong to the date before them
        or _LIST_GOES_ON.search(text, max(0, found.start() - 12), found.start())
    ):
        return []
    return _listed(mention, list(_ONE_DAY.finditer(text, found.start(), found.end())), later=False)


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


def _add_days_listed_before(text: str, mention: TimeMention, out: list[TimeMention]) -> None:
    """Adds to ``out`` the days listed before ``mention``, taking over the mention before
    them when it was the list's head read alone."""
    head = out[-1] if out else None
    # "on the 7th, 8th and 14th of December": "the 7th" alone was read as the next 7th
    head_day = head is not None and _DAY_OF_MONTH_ALONE.match(head.text) is not None
    since = 0 if head is None else head.span_start if head_day else head.span_end
    listed = _days_listed_before(text, mention, since)
    if not listed or head is None:
        out.extend(listed)
        return
    # "Saturday 3 and Sunday 4 November": the weekday names the listed day
    weekday_head = _WEEKDAY_ALONE.match(head.text) and not (
        text[head.span_end : listed[0].span_start].strip()
    )
    if (head_day and listed[0].span_start < head.span_end) or weekday_head:
        out.pop()
        if head.span_start < listed[0].span_start:
            listed[0] = replace(
                listed[0],
                span_start=head.span_start,
                text=text[head.span_start : listed[0].span_end],
            )
    out.extend(listed)


def expand_offered_days(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """``mentions`` plus the days listed before and after a date, in text order."""
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
        if mention.explicit_date and mention.dated:
            _add_days_listed_before(text, mention, out)
        out.append(mention)
        if mention.explicit_date and mention.dated:
            listed = _listed_days(text, mention)
            if listed and mention.all_day:
                pending = list(range(len(out) - 1, len(out) + len(listed)))
            out.extend(listed)
    return out
