"""The words and regular-expression pieces the date/time grammar in ``parse`` is built from."""

from __future__ import annotations

import re

from connectors.timezones import WINDOWS_ZONES
from plugin.drafts.calendar.zones import ABBREVIATIONS
from plugin.drafts.text.numberwords import CARDINALS

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
    # Misspellings seen in the AESLC training mail (as "tomorow" is read for "tomorrow").
    "wedesday": 2,
    "wednesay": 2,
    "wedsnesday": 2,
    "thurday": 3,
    "thrusday": 3,
    "firday": 4,
}

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

NUMBER_WORDS: dict[str, float] = {
    "a": 1,
    "an": 1,
    **CARDINALS,
    "forty-five": 45,
    "forty five": 45,
    "ninety": 90,
    "couple of": 2,
    "few": 3,
    "half an": 0.5,
    "half a": 0.5,
}

#: Default clock time for a part of the day, as (hour, minute).
DAY_PARTS: dict[str, tuple[int, int]] = {
    "morning": (9, 0),
    "mid-morning": (10, 0),
    "midmorning": (10, 0),
    "noon": (12, 0),
    "midday": (12, 0),
    "lunch": (12, 0),
    "lunchtime": (12, 0),
    "afternoon": (14, 0),
    "mid-afternoon": (15, 0),
    "midafternoon": (15, 0),
    "evening": (18, 0),
    "night": (19, 0),
    "tonight": (19, 0),
}

#: End of business day, for "EOD", "COB", "close of business".
END_OF_DAY = (17, 0)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


WEEKDAY_RE = rf"(?:{_alternation(list(WEEKDAYS))})\.?"
MONTH_RE = rf"(?:{_alternation(list(MONTHS))})\.?"
NUMBER_RE = rf"(?:\d+(?:\.\d+)?|{_alternation(list(NUMBER_WORDS))})"
ORDINAL = r"(?:st|nd|rd|th)"
MERIDIEM = r"(?:a\.m\.?|p\.m\.?|am\b|pm\b|a\b|p\b)"

_ZONE_WORDS = [name for name in ABBREVIATIONS if len(name) > 1 and " " not in name]
_REGION_WORDS = ["eastern", "central", "mountain", "pacific", "houston", "london", "new york"]
# Lower-case "cst" after a time is common; words like "wet" are not zones there.
_LOWER_ZONE_WORDS = [w.lower() for w in _ZONE_WORDS if len(w) >= 3 and w not in {"WET", "WEST"}]
ZONE_RE = (
    r"(?:\(?(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?"
    rf"|{_alternation(sorted(WINDOWS_ZONES, key=len, reverse=True))}"
    rf"|(?:{_alternation(_REGION_WORDS)})(?:\s+(?:standard|daylight))?(?:\s+time)?"
    rf"|\(?\b(?-i:{_alternation(_ZONE_WORDS)})\b\)?"
    rf"|\(?\b(?:{_alternation(_LOWER_ZONE_WORDS)})\b\)?)"
)

# A reschedule's old time follows "moved … from": "move the call from Wednesday to
# Thursday" and "move the PRC from 8:00 am to 11:00 am" name an old time and a new one,
# not a span.
MOVED_FROM = (
    r"\b(?:mov(?:e|ed|es|ing)|push(?:ed|es|ing)?|resched\w*|postpon\w*|chang(?:e|ed|es|ing)|"
    r"shift(?:ed|ing|s)?|delay(?:ed|ing|s)?|switch(?:ed|es|ing)?|bump(?:ed|ing|s)?)\b"
    r"[^.!?\n]{0,40}\bfrom"
)
MOVED_FROM_BEFORE = re.compile(rf"{MOVED_FROM}\s+$", re.IGNORECASE)


def number_value(word: str) -> float | None:
    """``"two"`` → 2, ``"1.5"`` → 1.5, ``"half an"`` → 0.5."""
    cleaned = " ".join(word.lower().split())
    if cleaned in NUMBER_WORDS:
        return NUMBER_WORDS[cleaned]
    try:
        return float(cleaned)
    except ValueError:
        return None
