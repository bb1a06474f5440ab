"""Clock atoms: times ("3pm", "14:00", "half past 12", "at 3", "EOD"), time ranges, parts of
the day, time zones and durations. :func:`plugin.drafts.calendar.atoms.find_atoms` runs
these rules after the date rules.
"""

from __future__ import annotations

import re

from plugin.drafts.calendar.atombase import AP, HOUR, Atom, Rules, meridiem_of, to_24h
from plugin.drafts.calendar.timewords import (
    DAY_PARTS,
    END_OF_DAY,
    MONTH_RE,
    MOVED_FROM_BEFORE,
    NUMBER_RE,
    WEEKDAY_RE,
    ZONE_RE,
    number_value,
)
from plugin.drafts.text.numberwords import ONE_TO_TWELVE

CLOCK_RULES = Rules()
_rule = CLOCK_RULES
# "Thursday evening 7-9": a part of the day makes a bare range of hours a time.
_DAY_PART_BEFORE = re.compile(
    r"\b(?:morning|afternoon|evening|night|tonight)\s+(?:from\s+|between\s+)?$", re.IGNORECASE
)

# "rescheduled for November 8 from 8:30 to 10:00": the new time is already named.
_NEW_TIME_NAMED = re.compile(r"\b(?:to|for)\b", re.IGNORECASE)


def _office_hour(hour: int) -> int:
    """An hour written without am/pm in office mail: 1 to 6 are afternoons."""
    return hour + 12 if 1 <= hour <= 6 else hour


def _office_hours(h1: int, h2: int) -> tuple[int, int]:
    """ "from 3-4" in office mail: 1 to 6 are afternoons, and so is the end of a range that
    starts in one ("from 6-8" is 18:00 to 20:00)."""
    if 1 <= h1 <= 6 and h1 < h2 < 12:
        return h1 + 12, h2 + 12
    return _office_hour(h1), _office_hour(h2)


@_rule(
    rf"(?:\b(?P<lead>between|from|at)\s+)?(?P<h1>{HOUR})(?:[:.](?P<m1>[0-5]\d))?(?P<ap1>{AP})?"
    rf"\s*(?:-|–|—|\bto\b|\buntil\b|\btill?\b|\band\b)"
    r"\s*(?:(?:approximately|about|around|roughly)\s+)?"
    rf"(?P<h2>(?:[01]?\d|2[0-3]))(?:[:.](?P<m2>[0-5]\d))?(?P<ap2>{AP})?(?![\d/-]|\.\d|\s*%)"
)
def _time_range(m: re.Match[str]) -> Atom | None:
    moved = MOVED_FROM_BEFORE.search(m.string[max(0, m.start("h1") - 60) : m.start("h1")])
    if moved and not _NEW_TIME_NAMED.search(moved.group(0)):
        return None  # "move the PRC from 8:00 am to 11:00 am": an old time and a new one
    ap1, ap2 = meridiem_of(m.group("ap1")), meridiem_of(m.group("ap2"))
    h1, h2 = int(m.group("h1")), int(m.group("h2"))
    guessed = not ap1 and not ap2
    if guessed and not (m.group("m1") and m.group("m2")):
        after_part = _DAY_PART_BEFORE.search(m.string[max(0, m.start() - 20) : m.start()])
        if not (m.group("lead") or after_part) or h1 > 12 or h2 > 12:
            return None  # "3-4" alone is more often a score or a count than a time
    if guessed and not m.group("lead") and "." in m.group(0)[: m.end("h2") - m.start()]:
        # "(12.40 - 4.00)", "around 0.25-0.50 points": dotted figures in a sum or from zero
        # are no times ("Wednesday 30th: 11.00 - 12.30 Office tour" is one)
        before = m.string[max(0, m.start() - 3) : m.start()].rstrip()
        if h1 == 0 or before.endswith(("(", "=", "*", "/", "+")):
            return None
    if guessed:
        h1, h2 = _office_hours(h1, h2)
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
    # "9pm - 1am", "from 8:30 until 1:30 am": an evening running past midnight (``parse``
    # puts the end on the next day)
    if end <= start and not (ap1 == "pm" and ap2 == "am"):
        return None
    value = {"time": start, "end_time": end, "sure": True, "guessed": guessed}
    return Atom("time", m.start(), m.end(), value)


_AT_BEFORE = re.compile(r"(?:\b(?:at|by|until|from)\s*|@\s*)$", re.IGNORECASE)


@_rule(
    # "12:00 noon" and "12 midnight" are one time, not a clock time and a word beside it.
    r"(?<![\d:/.$,])\b12(?:[:.]00)?\s*(?P<named>noon|midnight)\b"
    # "930 am", "1030pm", "at 230 central": hour and minutes typed without the colon, told
    # apart from a count by the am/pm or the zone right after them.
    rf"|(?<![\d:/.$,])\b(?P<hc>1[0-2]|[1-9])(?P<mc>[0-5]\d)(?:(?P<apc>{AP})|(?=\s*(?:{ZONE_RE})(?![a-z])))"
    rf"|(?P<h>{HOUR})(?:[:.](?P<m>[0-5]\d))?(?P<ap>{AP})"
    rf"|(?P<h24>{HOUR}):(?P<m24>[0-5]\d)(?![\d:])(?!\s*%)"
    r"|\b(?P<word>noon|midnight)\b"
)
def _clock(m: re.Match[str]) -> Atom | None:
    if word := m.group("named") or m.group("word"):
        hour = 12 if word.lower() == "noon" else 0
        return Atom("time", m.start(), m.end(), {"time": (hour, 0), "sure": True})
    if m.group("hc"):
        hour, minute, meridiem = int(m.group("hc")), int(m.group("mc")), m.group("apc")
        if (
            meridiem
            and len(meridiem.strip()) == 1
            and not _AT_BEFORE.search(m.string, max(0, m.start() - 8), m.start())
        ):
            return None  # "a Rule 144a offering": a letter glued to a number is a label
        if meridiem:
            value = {"time": (to_24h(hour, meridiem_of(meridiem)), minute), "sure": True}
        else:  # "230 central" in office mail is the afternoon, as "at 2:30" is
            value = {"time": (_office_hour(hour), minute), "sure": True, "guessed": True}
        return Atom("time", m.start(), m.end(), value)
    if m.group("h24"):
        hour = int(m.group("h24"))
        guessed = hour <= 12 and not m.group("h24").startswith("0")
        if guessed:
            hour = _office_hour(hour)  # "at 3:00" in office mail is the afternoon
        value = {"time": (hour, int(m.group("m24"))), "sure": True, "guessed": guessed}
        return Atom("time", m.start(), m.end(), value)
    hour = int(m.group("h"))
    if hour > 12 or hour == 0:
        return None
    return Atom(
        "time",
        m.start(),
        m.end(),
        {
            "time": (to_24h(hour, meridiem_of(m.group("ap"))), int(m.group("m") or 0)),
            "sure": True,
        },
    )


_CLOCK_WORDS = {**ONE_TO_TWELVE, "noon": 12}
_CLOCK_WORD_RE = "|".join(_CLOCK_WORDS)


@_rule(
    r"\b(?P<mil>(?:[01]\d|2[0-3])[0-5]\d)\s*(?:hrs|hours|h)\b"
    r"|\b(?P<hh>[01]?\d|2[0-3])h(?P<hm>[0-5]\d)\b"
    r"|\bat\s+(?P<dh>[1-9]|1[0-2])\.(?P<dm>[0-5]\d)\b(?!\s*(?:%|[ap]\.?m))"
    rf"|\b(?P<frac>half|(?:a\s+)?quarter)\s+(?P<rel>past|after|to|till|of)\s+"
    rf"(?P<fh>1[0-2]|[1-9]|{_CLOCK_WORD_RE})\b(?P<fap>{AP})?"
    rf"|\b(?P<wh>{_CLOCK_WORD_RE})(?:\s+(?P<wm>thirty|fifteen|forty[- ]five))?"
    rf"(?:\s+o'?clock|(?P<wap>\s*(?:[ap]\.\s?m\.?|[ap]m\b)))"
    r"|\b(?P<ish>(?:1[0-2]|[1-9])(?::[0-5]\d)?|noon)(?:\s*(?P<iap>[ap]m))?-?ish\b"
)
def _spelled_clock(m: re.Match[str]) -> Atom | None:
    """Clock times written out: "1500 hrs", "14h00", "at 9.30", "half past 12", "quarter
    to 4", "three thirty pm", "three o'clock", "3ish"."""
    if m.group("mil") or m.group("hh"):
        digits = m.group("mil")
        hour, minute = (
            (int(digits[:2]), int(digits[2:]))
            if digits
            else (int(m.group("hh")), int(m.group("hm")))
        )
        return Atom("time", m.start(), m.end(), {"time": (hour, minute), "sure": True})
    if m.group("dh"):
        hour = _office_hour(int(m.group("dh")))
        value = {"time": (hour, int(m.group("dm"))), "sure": True, "guessed": True}
        return Atom("time", m.start(), m.end(), value)
    if m.group("frac"):
        word = m.group("fh").lower()
        hour = _CLOCK_WORDS.get(word) or int(word)
        minutes = 30 if m.group("frac") == "half" else 15
        if m.group("rel").lower() in {"to", "till", "of"}:
            hour, minutes = (hour - 1) or 12, 60 - minutes
        meridiem = meridiem_of(m.group("fap"))
        hour = to_24h(hour, meridiem) if meridiem else _office_hour(hour)
        value = {"time": (hour, minutes), "sure": True, "guessed": not meridiem}
        return Atom("time", m.start(), m.end(), value)
    if m.group("wh"):
        hour = _CLOCK_WORDS[m.group("wh").lower()]
        minute = {"thirty": 30, "fifteen": 15}.get(
            (m.group("wm") or "").lower(), 45 if m.group("wm") else 0
        )
        meridiem = meridiem_of(m.group("wap"))
        hour = to_24h(hour, meridiem) if meridiem else _office_hour(hour)
        value = {"time": (hour, minute), "sure": True, "guessed": not meridiem}
        return Atom("time", m.start(), m.end(), value)
    raw = m.group("ish").lower()
    hour, _, minute = raw.partition(":")
    meridiem = meridiem_of(m.group("iap"))
    value = 12 if hour == "noon" else int(hour)
    value = to_24h(value, meridiem) if meridiem else _office_hour(value)
    guessed = not meridiem and hour != "noon"
    # "6:00ish" is a clock time as sure as "6:00"; "6ish" is as loose as "at 6".
    sure = bool(minute or meridiem)
    return Atom(
        "time",
        m.start(),
        m.end(),
        {"time": (value, int(minute or 0)), "sure": sure, "guessed": guessed},
    )


_AFTER_BARE_HOUR = (
    rf"(?=\s*(?:$|[,;!?)\n]|\.(?!\d)|(?:on|today|tomorrow|tonight|this|next|and|or|with|for|sharp|in|"
    rf"o'?clock|in\s+the|{WEEKDAY_RE}|{ZONE_RE})(?![a-z])))"
)


@_rule(rf"(?:\b(?:at|@)|(?<=@))\s*(?P<h>(?:[1-9]|1[0-2]))(?![\d:/%]){_AFTER_BARE_HOUR}")
def _bare_hour(m: re.Match[str]) -> Atom | None:
    # "at 3" means 3pm in office mail; 7 to 11 are mornings.
    hour = int(m.group("h"))
    hour = hour if 7 <= hour <= 12 else hour + 12
    return Atom("time", m.start(), m.end(), {"time": (hour, 0), "sure": False, "guessed": True})


# "COB" alone is also the California-Oregon Border trading hub ("moving more midc to cob",
# "our COB position with BPA"): it is a time only after a deadline word or before a day.
_COB_AS_TIME_BEFORE = re.compile(r"\b(?:by|before|until|till|after|from|of)\s+(?:the\s+)?$", re.I)
_COB_AS_TIME_AFTER = re.compile(
    rf"^[\s,]*(?:today|tomorrow|tonight|this|next|on\s+(?:{WEEKDAY_RE}|{MONTH_RE}|\d)|{WEEKDAY_RE}|"
    rf"{MONTH_RE}|\d)",
    re.IGNORECASE,
)


@_rule(r"\b(?P<eod>EOD|COB|end\s+of\s+(?:the\s+)?(?:business\s+)?day|close\s+of\s+business)\b")
def _end_of_day(m: re.Match[str]) -> Atom | None:
    if m.group("eod").lower() == "cob" and not (
        _COB_AS_TIME_BEFORE.search(m.string[max(0, m.start() - 20) : m.start()])
        or _COB_AS_TIME_AFTER.match(m.string[m.end() : m.end() + 30])
    ):
        return None
    return Atom("time", m.start(), m.end(), {"time": END_OF_DAY, "sure": True, "deadline": True})


@_rule(
    r"\b(?:in\s+the\s+)?(?P<part>mid-?morning|morning|mid-?afternoon|afternoon|evening|"
    r"night|lunch(?:time)?|midday)\b"
)
def _day_part(m: re.Match[str]) -> Atom | None:
    part = m.group("part").lower()
    return Atom("daypart", m.start(), m.end(), {"time": DAY_PARTS[part], "part": part})


@_rule(
    # "Wednesday PM may work", "tomorrow a.m.": a meridiem with no hour after a day is a part
    # of that day (a lower-case "am" only with its dots: "on Monday am I free").
    rf"\b(?:{WEEKDAY_RE}|today|tomorrow)\s+(?P<ap>(?-i:AM|PM|pm)\b|[ap]\.m\.)(?!\s*\d)"
)
def _meridiem_part(m: re.Match[str]) -> Atom | None:
    part = "morning" if m.group("ap")[0] in "aA" else "afternoon"
    return Atom("daypart", m.start("ap"), m.end(), {"time": DAY_PARTS[part], "part": part})


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


_AFTER_NOON_PARTS = {"afternoon", "mid-afternoon", "midafternoon", "evening", "night", "tonight"}
_MORNING_PARTS = {"morning", "mid-morning", "midmorning"}
# Events that say the half of the day themselves: "dinner at 7:30" is an evening.
_EVENING_EVENT = re.compile(
    r"\b(?:dinner|supper|drinks|cocktails?|happy\s+hour|nightcap)\b", re.IGNORECASE
)
# Events held after work as often as not: "The game is at 8:45" (subject "Game Tonight"),
# a party at 8 - an evening at 7 to 10 only, since a game is at 11:30 on a Saturday as
# often as at night.
_AFTER_WORK_EVENT = re.compile(
    r"\b(?:part(?:y|ies)|concerts?|(?:ball)?games?|receptions?|banquets?|galas?|"
    r"recitals?|movies?)\b",
    re.IGNORECASE,
)
_AFTER_WORK = "after work"
_MORNING_EVENT = re.compile(r"\bbreakfast\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]")


def in_day_part(clock: tuple[int, int], part: str) -> tuple[int, int]:
    """A clock time written without am/pm, read in the part of the day named beside it:
    "tonight at 7:30" is 19:30 and "Thursday evening at 8" 20:00, although a bare 7 to 11
    is a morning in office mail; "tomorrow morning at 6" is 06:00, not the office 18:00."""
    hour, minute = clock
    if part == _AFTER_WORK and 7 <= hour <= 10:
        return hour + 12, minute
    if part.lower() in _AFTER_NOON_PARTS and 1 <= hour <= 11:
        return hour + 12, minute
    if part.lower() in _MORNING_PARTS and 13 <= hour <= 18:
        return hour - 12, minute
    return clock


def implied_part(text: str, start: int, end: int) -> str:
    """The part of the day an event named beside a clock time implies, in the same sentence:
    "Dinner Thursday at 7:30" is an evening, "breakfast at 7" a morning, "the game is at
    8:45" after work; else ""."""
    before = _SENTENCE_END.split(text[max(0, start - 60) : start])[-1]
    after = _SENTENCE_END.split(text[end : end + 30])[0]
    window = f"{before} {after}"
    if _EVENING_EVENT.search(window):
        return "evening"
    if _MORNING_EVENT.search(window):
        return "morning"
    if _AFTER_WORK_EVENT.search(window):
        return _AFTER_WORK
    return ""
