"""Find the small pieces of date/time language ("atoms") in text, with character offsets.
The date and day rules are here, the clock rules in ``clockatoms.py``.

``parse`` groups neighbouring atoms ("Tuesday" + "at 3pm" + "CST") into one mention
and resolves it. Each atom only records what it saw; no calendar arithmetic happens here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from plugin.drafts.calendar.atombase import (
    AP,
    Atom,
    Rules,
    clean_word,
    to_24h,
    two_digit_year,
)
from plugin.drafts.calendar.clockatoms import CLOCK_RULES
from plugin.drafts.calendar.timewords import (
    MONTH_RE,
    MONTHS,
    NUMBER_RE,
    ORDINAL,
    WEEKDAY_RE,
    WEEKDAYS,
    number_value,
)

DATE_RULES = Rules()
_rule = DATE_RULES


@_rule(
    rf"\b(?P<month>{MONTH_RE})\s*(?P<day>\d{{1,2}}){ORDINAL}?(?![\d:])"
    rf"(?:\s*(?:-|–|to|through|thru)\s*(?P<day2>\d{{1,2}}){ORDINAL}?(?![\d:]|{AP}))?"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?(?!\d)"
)
def _month_day(m: re.Match[str]) -> Atom | None:
    if m.group("month")[:3].lower() == "may" and m.group("month")[0] == "m":
        return None  # "you may 2..." - only the capitalised month counts
    if m.group("day").startswith("0") and not m.group("year") and not m.group("day2"):
        return None  # "June 01" names a month and year, not a day
    return _date_atom(m, MONTHS[clean_word(m.group("month"))], m.group("day"), m.group("day2"))


@_rule(
    # Not the minutes of a clock time: "3:15 oct. 30" is 3:15 on October 30, not the 15th.
    rf"\b(?<![:.])(?:the\s+)?(?P<day>\d{{1,2}}){ORDINAL}?"
    # A span: "14-16 December", and two days of one event: "the 16th and 17th of May".
    rf"(?:\s*(?:-|–|to|and)\s*(?:the\s+)?(?P<day2>\d{{1,2}}){ORDINAL}?)?"
    # "21-Dec" and "21-Dec-01", as spreadsheets and travel agents write them.
    rf"(?:(?:\s+of)?\s+|-)(?P<month>{MONTH_RE})(?![a-z])"
    rf"(?:,?\s+(?P<year>(?:19|20)\d{{2}})|-(?P<short_year>(?:19|20)?\d{{2}})(?!\d))?"
)
def _day_month(m: re.Match[str]) -> Atom | None:
    day, day2 = m.group("day"), m.group("day2")
    if day2 and int(day2) != int(day) + 1 and "and" in m.group(0)[: m.start("day2") - m.start()]:
        # "the 8th and 14th of December" are two days, not a span: the date is the 14th and
        # the day listed before it is added by ``timelists``.
        atom = _date_atom(m, MONTHS[clean_word(m.group("month"))], day2, None)
        if atom is not None:
            atom.start = m.start("day2")
    else:
        atom = _date_atom(m, MONTHS[clean_word(m.group("month"))], day, day2)
    if atom is not None and m.group("short_year"):
        atom.value["year"] = two_digit_year(m.group("short_year"))
    return atom


@_rule(
    r"(?<![\d/.$#-])(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?(?![\d/%])"
    # "1/2 day of vacation", "1/2 hour": a fraction before a unit is not a date
    r"(?!\s*(?:of|hours?|hrs?|days?|weeks?|months?|years?|miles?|cups?|inch|pounds?|lbs?|"
    r"points?|percent|price|off)\b)"
    # ... nor one before a share, without a year ("a 2/3's vote"; "the 1/17/92 Interest Rate
    # master" is a date)
    r"(?(year)|(?!\s*(?:votes?|majority|shares?|stake|interest)\b|'s\b))"
)
def _numeric(m: re.Match[str]) -> Atom | None:
    month, day = int(m.group("month")), int(m.group("day"))
    if month > 12 >= day:  # written day first, the only reading that is a date
        month, day = day, month
    return _date_atom(m, month, str(day), None)


@_rule(r"(?<![\d-])(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{4}|\d{2})(?![\d-])")
def _numeric_dashes(m: re.Match[str]) -> Atom | None:
    return _date_atom(m, int(m.group("month")), m.group("day"), None)


@_rule(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
def _iso(m: re.Match[str]) -> Atom | None:
    return _date_atom(m, int(m.group("month")), m.group("day"), None)


def _date_atom(m: re.Match[str], month: int, day: str, day2: str | None) -> Atom | None:
    first = int(day)
    last = int(day2) if day2 else None
    if not (1 <= month <= 12 and 1 <= first <= 31) or (last is not None and not first < last <= 31):
        return None
    return Atom(
        "date",
        m.start(),
        m.end(),
        {
            "month": month,
            "day": first,
            "day2": last,
            "year": two_digit_year(m.group("year")),
        },
    )


@_rule(
    rf"\b(?:(?P<mod>next|this\s+past|this|coming|following|last|past|previous|every|each)\s+)?"
    rf"(?P<weekday>{WEEKDAY_RE})"
    r"(?P<plural>(?<=day)s)?(?![a-z])"
    # "Thursday the 3rd", "Wednesday 30th": a day of the month with no month.
    r"(?:,?:?\s+(?:the\s+)?(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?-i:[A-Z])))?"
    # "Tuesday of next week", "Tuesday next week", "Friday morning next week": the week
    # named after the day.
    r"(?:(?:\s+(?P<part>morning|afternoon|evening|night))?"
    r",?\s+(?:of\s+)?(?:the\s+)?(?P<week>next|following|coming|this)\s+week\b)?"
)
def _weekday(m: re.Match[str]) -> Atom | None:
    word = m.group("weekday")
    if m.group("plural") or (m.group("mod") or "").lower() in {"every", "each"}:
        # "Fridays 9am", "every Tues.": a recurring meeting; its next occurrence is the date.
        return Atom(
            "date",
            m.start(),
            m.end(),
            {"weekday": WEEKDAYS[clean_word(word)], "mod": None, "recurring": True},
        )
    # Short forms that are also English words count only when capitalised ("Sun", "Wed").
    if len(word.rstrip(".")) <= 4 and not word[0].isupper() and word.lower() not in {"tues"}:
        return None
    mod = " ".join((m.group("mod") or m.group("week") or "").lower().split()) or None
    if mod == "coming" and m.group("week"):
        mod = "next"  # "Tuesday of the coming week"
    elif mod in {"this past", "past", "previous"}:
        mod = "last"  # "this past Wednesday" is behind us, not "this" coming one
    # A full name's trailing dot ends the sentence; an abbreviation's belongs to it.
    end = m.end() - 1 if word.endswith(".") and len(word) > 6 and not m.group("week") else m.end()
    value = {"weekday": WEEKDAYS[clean_word(word)], "mod": mod}
    if m.group("day") and not mod:
        value["day"] = int(m.group("day"))
    if m.group("part"):
        value["part"] = m.group("part").lower()
    return Atom("date", m.start(), end, value)


# Misspellings of "tomorrow" are common enough in mail to be worth reading.
_TOMORROW = r"tomm?orr?ow|2morrow|tmrw|tmw"


@_rule(
    rf"\b(?P<rel>today|tonight|{_TOMORROW}|(?:the\s+)?day\s+after\s+(?:{_TOMORROW})|yesterday)\b"
    r"|\bthis\s+(?P<part>morning|morn|a\.?m\.?|afternoon|p\.?m\.?|evening)(?!\w)"
)
def _relday(m: re.Match[str]) -> Atom | None:
    word = " ".join((m.group("rel") or "").lower().split())
    if m.group("part"):
        part = m.group("part").lower().replace(".", "")
        part = {"morn": "morning", "am": "morning", "pm": "afternoon"}.get(part, part)
        return Atom("relday", m.start(), m.end(), {"days": 0, "part": part})
    if re.fullmatch(_TOMORROW, word):
        word = "tomorrow"
    elif word.startswith(("day after", "the day after")):
        word = "day after tomorrow"
    days = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
    value: dict[str, Any] = {"days": days.get(word, 2)}
    if word == "tonight":
        value["part"] = "tonight"
    return Atom("relday", m.start(), m.end(), value)


@_rule(
    rf"\b(?:in|within)\s+(?:(?:about|around|approximately|another)\s+)?(?P<n>{NUMBER_RE})\s+"
    r"(?P<unit>minute|min|hour|hr|day|week|month)s?\b"
    rf"|\b(?P<n2>{NUMBER_RE})\s+(?P<unit2>day|week)s?\s+from\s+(?:today|now)\b"
    # "by this time next week", "same time next week": a week from the reference.
    r"|\b(?:this|the\s+same|same)\s+time\s+(?P<next>next)\s+week\b"
)
def _reldelta(m: re.Match[str]) -> Atom | None:
    if m.group("next"):
        return Atom("reldelta", m.start(), m.end(), {"amount": 1, "unit": "week"})
    amount = number_value(m.group("n") or m.group("n2"))
    if amount is None:
        return None
    unit = (m.group("unit") or m.group("unit2")).lower()
    unit = {"min": "minute", "hr": "hour"}.get(unit, unit)
    return Atom("reldelta", m.start(), m.end(), {"amount": amount, "unit": unit})


@_rule(r"\bend\s+of\s+(?:the\s+|this\s+)?(?P<unit>week|month)\b")
def _end_of(m: re.Match[str]) -> Atom | None:
    return Atom("endof", m.start(), m.end(), {"unit": m.group("unit").lower()})


@_rule(
    # "Let's talk about this on the 4th or 5th": a day of the month alone, after a word that
    # places an event on it; never "the 4th floor", "the 3rd quarter", "the 2nd Thursday".
    r"\b(?:on|by|before|for)\s+(?P<the>the\s+(?P<day>[12]?\d|3[01])(?:st|nd|rd|th))\b"
    r"(?!\s*(?:of\b|-|/)|\s+(?:\w+\s+)?(?:floor|quarter|qtr|time|grade|anniversary|place|"
    r"round|draft|edition|version|annual|level|street|st\b|ave|avenue|hole|inning|period|"
    rf"percentile|century|birthday|day|week|month|year|{WEEKDAY_RE})\b)"
)
def _day_of_month(m: re.Match[str]) -> Atom | None:
    return Atom("date", m.start("the"), m.end(), {"day_of_month": int(m.group("day"))})


def find_atoms(text: str) -> Iterator[Atom]:
    """Non-overlapping atoms in text order; where two overlap the longer one wins."""
    found: list[Atom] = []
    for pattern, build in [*DATE_RULES.items, *CLOCK_RULES.items]:
        position = 0
        while (match := pattern.search(text, position)) is not None:
            atom = build(match) if match.end() > match.start() else None
            if atom is not None:
                found.append(atom)
                position = match.end()
            else:
                # A match its builder refuses must not hide one that overlaps it: "May 11 -
                # 9:00-10:00 AM" is refused as the range "11 - 9:00", then read as "9:00-10:00".
                position = match.start() + 1
    # Kept atoms never overlap, so sorted by start their ends are sorted too: each
    # candidate only needs comparing with its two neighbours.
    starts: list[int] = []
    kept: list[Atom] = []
    for atom in sorted(found, key=lambda a: (-(a.end - a.start), a.start)):
        index = bisect_left(starts, atom.start)
        if index > 0 and kept[index - 1].end > atom.start:
            continue
        if index < len(kept) and kept[index].start < atom.end:
            continue
        starts.insert(index, atom.start)
        kept.insert(index, atom)
    yield from kept


__all__ = ["Atom", "find_atoms", "to_24h"]
