"""Find the small pieces of date/time language ("atoms") in text, with character offsets.

``parse`` groups neighbouring atoms ("Tuesday" + "at 3pm" + "CST") into one mention
and resolves it. Each atom only records what it saw; no calendar arithmetic happens here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from plugin.drafts.calendar.timewords import (
    DAY_PARTS,
    END_OF_DAY,
    MONTH_RE,
    MONTHS,
    NUMBER_RE,
    ORDINAL,
    WEEKDAY_RE,
    WEEKDAYS,
    ZONE_RE,
    number_value,
)

# Meridiem glued on ("3pm", "3p") or spaced ("3 p.m.").
_AP = r"(?:\s*(?:[ap]\.\s?m\b\.?|[ap]m\b)|[ap]\b)"
_HOUR = r"(?<![\d:/.$,])(?:[01]?\d|2[0-3])"


@dataclass(slots=True)
class Atom:
    kind: str  # date | relday | reldelta | weekend | time | daypart | zone | duration
    start: int
    end: int
    value: dict[str, Any] = field(default_factory=dict)


def _meridiem(text: str | None) -> str | None:
    if not text:
        return None
    return "pm" if text.strip().lower().startswith("p") else "am"


def to_24h(hour: int, meridiem: str | None) -> int:
    if meridiem == "pm" and hour < 12:
        return hour + 12
    if meridiem == "am" and hour == 12:
        return 0
    return hour


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if value < 100:
        value += 2000 if value < 70 else 1900
    return value


def _clean(text: str) -> str:
    return text.lower().rstrip(".")


Builder = Callable[[re.Match[str]], "Atom | None"]
_RULES: list[tuple[re.Pattern[str], Builder]] = []


def _rule(pattern: str, flags: int = re.IGNORECASE) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        _RULES.append((re.compile(pattern, flags), builder))
        return builder

    return register


@_rule(
    rf"\b(?P<month>{MONTH_RE})\s*(?P<day>\d{{1,2}}){ORDINAL}?(?![\d:])"
    rf"(?:\s*(?:-|–|to|through|thru)\s*(?P<day2>\d{{1,2}}){ORDINAL}?(?![\d:]|{_AP}))?"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?(?!\d)"
)
def _month_day(m: re.Match[str]) -> Atom | None:
    if m.group("month")[:3].lower() == "may" and m.group("month")[0] == "m":
        return None  # "you may 2..." - only the capitalised month counts
    if m.group("day").startswith("0") and not m.group("year") and not m.group("day2"):
        return None  # "June 01" names a month and year, not a day
    return _date_atom(m, MONTHS[_clean(m.group("month"))], m.group("day"), m.group("day2"))


@_rule(
    rf"\b(?:the\s+)?(?P<day>\d{{1,2}}){ORDINAL}?(?:\s*(?:-|–|to)\s*(?P<day2>\d{{1,2}}){ORDINAL}?)?"
    rf"(?:\s+of)?\s+(?P<month>{MONTH_RE})(?![a-z])(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?"
)
def _day_month(m: re.Match[str]) -> Atom | None:
    return _date_atom(m, MONTHS[_clean(m.group("month"))], m.group("day"), m.group("day2"))


@_rule(
    r"(?<![\d/.$#-])(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?(?![\d/%])"
    r"(?!\s*(?:of|hours?|hrs?|miles?|cups?|inch|pounds?|lbs?|price|off)\b)"
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
    return Atom("date", m.start(), m.end(), {
        "month": month, "day": first, "day2": last, "year": _year(m.group("year")),
    })


@_rule(
    rf"\b(?:(?P<mod>next|this|coming|following|last|every|each)\s+)?(?P<weekday>{WEEKDAY_RE})"
    r"(?P<plural>(?<=day)s)?(?![a-z])"
)
def _weekday(m: re.Match[str]) -> Atom | None:
    word = m.group("weekday")
    if m.group("plural") or (m.group("mod") or "").lower() in {"every", "each"}:
        # "Fridays 9am", "every Tues.": a recurring meeting; its next occurrence is the date.
        return Atom("date", m.start(), m.end(), {"weekday": WEEKDAYS[_clean(word)], "mod": None,
                                                 "recurring": True})
    # Short forms that are also English words count only when capitalised ("Sun", "Wed").
    if len(word.rstrip(".")) <= 4 and not word[0].isupper() and word.lower() not in {"tues"}:
        return None
    mod = (m.group("mod") or "").lower() or None
    # A full name's trailing dot ends the sentence; an abbreviation's belongs to it.
    end = m.end() - 1 if word.endswith(".") and len(word) > 6 else m.end()
    return Atom("date", m.start(), end, {"weekday": WEEKDAYS[_clean(word)], "mod": mod})


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
)
def _reldelta(m: re.Match[str]) -> Atom | None:
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
    rf"(?:\b(?P<lead>between|from)\s+)?(?P<h1>{_HOUR})(?:[:.](?P<m1>[0-5]\d))?(?P<ap1>{_AP})?"
    rf"\s*(?:-|–|—|\bto\b|\buntil\b|\btill?\b|\band\b)"
    r"\s*(?:(?:approximately|about|around|roughly)\s+)?"
    rf"(?P<h2>(?:[01]?\d|2[0-3]))(?:[:.](?P<m2>[0-5]\d))?(?P<ap2>{_AP})?(?![\d/-]|\.\d)"
)
def _time_range(m: re.Match[str]) -> Atom | None:
    ap1, ap2 = _meridiem(m.group("ap1")), _meridiem(m.group("ap2"))
    h1, h2 = int(m.group("h1")), int(m.group("h2"))
    if not ap2 and not ap1 and not (m.group("m1") and m.group("m2")):
        if not m.group("lead") or h1 > 12 or h2 > 12:
            return None  # "3-4" alone is more often a score or a count than a time
        # "from 3-4": office hours, so 1 to 6 are afternoons.
        h1, h2 = (h + 12 if 1 <= h <= 6 else h for h in (h1, h2))
    if (m.group("m1") or m.group("m2")) and not ap1 and not ap2:
        h1, h2 = (h + 12 if 1 <= h <= 6 else h for h in (h1, h2))
    if " and " in m.group(0).lower() and not m.group(0).lower().startswith("between"):
        return None
    if ap2 and not ap1:
        # "2-3pm" shares pm; "11-1pm" starts in the morning.
        ap1 = ap2 if h1 <= h2 or h1 == 12 else ("am" if ap2 == "pm" else "pm")
        if h1 == 12 and h2 != 12:
            ap1 = "pm"
    if ap1 and not ap2:
        ap2 = ap1 if h2 >= h1 else ("pm" if ap1 == "am" else "am")
    if (ap1 and h1 > 12) or (ap2 and h2 > 12):
        return None
    start = (to_24h(h1, ap1), int(m.group("m1") or 0))
    end = (to_24h(h2, ap2), int(m.group("m2") or 0))
    if end <= start:
        return None
    return Atom("time", m.start(), m.end(), {"time": start, "end_time": end, "sure": True})


@_rule(
    rf"(?P<h>{_HOUR})(?:[:.](?P<m>[0-5]\d))?(?P<ap>{_AP})"
    rf"|(?P<h24>{_HOUR}):(?P<m24>[0-5]\d)(?![\d:])(?!\s*%)"
    r"|\b(?P<word>noon|midnight)\b"
)
def _clock(m: re.Match[str]) -> Atom | None:
    if m.group("word"):
        hour = 12 if m.group("word").lower() == "noon" else 0
        return Atom("time", m.start(), m.end(), {"time": (hour, 0), "sure": True})
    if m.group("h24"):
        hour = int(m.group("h24"))
        if 1 <= hour <= 6 and not m.group("h24").startswith("0"):
            hour += 12  # "at 3:00" in office mail is the afternoon
        return Atom("time", m.start(), m.end(), {"time": (hour, int(m.group("m24"))), "sure": True})
    hour = int(m.group("h"))
    if hour > 12 or hour == 0:
        return None
    return Atom("time", m.start(), m.end(), {
        "time": (to_24h(hour, _meridiem(m.group("ap"))), int(m.group("m") or 0)), "sure": True,
    })


_CLOCK_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "noon": 12}
_CLOCK_WORD_RE = "|".join(_CLOCK_WORDS)


def _office_hour(hour: int) -> int:
    """An hour written without am/pm in office mail: 1 to 6 are afternoons."""
    return hour + 12 if 1 <= hour <= 6 else hour


@_rule(
    r"\b(?P<mil>(?:[01]\d|2[0-3])[0-5]\d)\s*(?:hrs|hours|h)\b"
    r"|\b(?P<hh>[01]?\d|2[0-3])h(?P<hm>[0-5]\d)\b"
    r"|\bat\s+(?P<dh>[1-9]|1[0-2])\.(?P<dm>[0-5]\d)\b(?!\s*(?:%|[ap]\.?m))"
    rf"|\b(?P<frac>half|(?:a\s+)?quarter)\s+(?P<rel>past|after|to|till|of)\s+"
    rf"(?P<fh>1[0-2]|[1-9]|{_CLOCK_WORD_RE})\b(?P<fap>{_AP})?"
    rf"|\b(?P<wh>{_CLOCK_WORD_RE})(?:\s+(?P<wm>thirty|fifteen|forty[- ]five))?"
    rf"(?:\s+o'?clock|(?P<wap>\s*(?:[ap]\.\s?m\.?|[ap]m\b)))"
    r"|\b(?P<ish>(?:1[0-2]|[1-9])(?::[0-5]\d)?|noon)(?:\s*(?P<iap>[ap]m))?-?ish\b"
)
def _spelled_clock(m: re.Match[str]) -> Atom | None:
    """Clock times written out: "1500 hrs", "14h00", "at 9.30", "half past 12", "quarter
    to 4", "three thirty pm", "three o'clock", "3ish"."""
    if m.group("mil") or m.group("hh"):
        digits = m.group("mil")
        hour, minute = ((int(digits[:2]), int(digits[2:])) if digits
                        else (int(m.group("hh")), int(m.group("hm"))))
        return Atom("time", m.start(), m.end(), {"time": (hour, minute), "sure": True})
    if m.group("dh"):
        hour = _office_hour(int(m.group("dh")))
        return Atom("time", m.start(), m.end(), {"time": (hour, int(m.group("dm"))), "sure": True})
    if m.group("frac"):
        word = m.group("fh").lower()
        hour = _CLOCK_WORDS.get(word) or int(word)
        minutes = 30 if m.group("frac") == "half" else 15
        if m.group("rel").lower() in {"to", "till", "of"}:
            hour, minutes = (hour - 1) or 12, 60 - minutes
        meridiem = _meridiem(m.group("fap"))
        hour = to_24h(hour, meridiem) if meridiem else _office_hour(hour)
        return Atom("time", m.start(), m.end(), {"time": (hour, minutes), "sure": True})
    if m.group("wh"):
        hour = _CLOCK_WORDS[m.group("wh").lower()]
        minute = {"thirty": 30, "fifteen": 15}.get((m.group("wm") or "").lower(),
                                                   45 if m.group("wm") else 0)
        meridiem = _meridiem(m.group("wap"))
        hour = to_24h(hour, meridiem) if meridiem else _office_hour(hour)
        return Atom("time", m.start(), m.end(), {"time": (hour, minute), "sure": True})
    raw = m.group("ish").lower()
    hour, _, minute = raw.partition(":")
    meridiem = _meridiem(m.group("iap"))
    value = 12 if hour == "noon" else int(hour)
    value = to_24h(value, meridiem) if meridiem else _office_hour(value)
    return Atom("time", m.start(), m.end(), {"time": (value, int(minute or 0)), "sure": False})


_AFTER_BARE_HOUR = (
    rf"(?=\s*(?:$|[,;!?)\n]|\.(?!\d)|(?:on|today|tomorrow|tonight|this|next|and|or|with|for|sharp|in|"
    rf"o'?clock|in\s+the|{WEEKDAY_RE}|{ZONE_RE})(?![a-z])))"
)


@_rule(rf"(?:\b(?:at|@)|(?<=@))\s*(?P<h>(?:[1-9]|1[0-2]))(?![\d:/%]){_AFTER_BARE_HOUR}")
def _bare_hour(m: re.Match[str]) -> Atom | None:
    # "at 3" means 3pm in office mail; 7 to 11 are mornings.
    hour = int(m.group("h"))
    hour = hour if 7 <= hour <= 12 else hour + 12
    return Atom("time", m.start(), m.end(), {"time": (hour, 0), "sure": False})


@_rule(r"\b(?P<eod>EOD|COB|end\s+of\s+(?:the\s+)?(?:business\s+)?day|close\s+of\s+business)\b")
def _end_of_day(m: re.Match[str]) -> Atom | None:
    return Atom("time", m.start(), m.end(), {"time": END_OF_DAY, "sure": True, "deadline": True})


@_rule(
    r"\b(?:in\s+the\s+)?(?P<part>mid-?morning|morning|mid-?afternoon|afternoon|evening|"
    r"lunch(?:time)?|midday)\b"
)
def _day_part(m: re.Match[str]) -> Atom | None:
    part = m.group("part").lower()
    return Atom("daypart", m.start(), m.end(), {"time": DAY_PARTS[part], "part": part})


_OUTLOOK_REGION = re.compile(r"\)\s*(eastern|central|mountain|pacific)\b", re.IGNORECASE)


@_rule(
    r"\((?:GMT|UTC)\s*[+-]\s*\d{1,2}:?\d{2}\)\s*(?:eastern|central|mountain|pacific)\s+"
    r"(?:standard\s+)?time(?:\s*\(US\s*&\s*Canada\))?"
)
def _outlook_zone(m: re.Match[str]) -> Atom | None:
    return _zone(m)


@_rule(ZONE_RE)
def _zone(m: re.Match[str]) -> Atom | None:
    region = _OUTLOOK_REGION.search(m.group(0))
    if region and m.group(0).startswith("("):
        # Outlook's "(GMT-06:00) Central Time (US & Canada)": the offset shown is the
        # standard one even in summer; the region is what the organiser meant.
        return Atom("zone", m.start(), m.end(), {"name": region.group(1), "raw": region.group(1)})
    name = m.group(0).strip("() ")
    name = re.sub(r"\s+time$", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:standard|daylight)$", "", name, flags=re.IGNORECASE)
    return Atom("zone", m.start(), m.end(), {"name": name, "raw": m.group(0).strip("() ")})


@_rule(
    r"\bfor\s+(?:about\s+|around\s+|approximately\s+|roughly\s+|up\s+to\s+)?"
    rf"(?:(?P<n>{NUMBER_RE})\s*(?P<unit>hours?|hrs?|minutes?|mins?)(?P<half>\s+and\s+a\s+half)?"
    r"|(?P<halfhour>half\s+an\s+hour))\b"
    rf"|\b(?P<n2>{NUMBER_RE})-(?P<unit2>hour|minute|min)\b"
)
def _duration(m: re.Match[str]) -> Atom | None:
    if m.group("halfhour"):
        return Atom("duration", m.start(), m.end(), {"minutes": 30})
    amount = number_value(m.group("n") or m.group("n2") or "")
    if amount is None:
        return None
    unit = (m.group("unit") or m.group("unit2")).lower()
    minutes = amount * (60 if unit.startswith("h") else 1)
    if m.group("half"):
        minutes += 30
    if not 0 < minutes <= 24 * 60:
        return None
    return Atom("duration", m.start(), m.end(), {"minutes": int(minutes)})


def find_atoms(text: str) -> Iterator[Atom]:
    """Non-overlapping atoms in text order; where two overlap the longer one wins."""
    found: list[Atom] = []
    for pattern, build in _RULES:
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            atom = build(match)
            if atom is not None:
                found.append(atom)
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
