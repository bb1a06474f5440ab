"""Faithfulness check: every fact-like token of a draft must occur in its source.

A small model writes fluent text but invents dates, amounts and names. ``check`` pulls
the fact-like tokens out of a draft (numbers, amounts, percentages, dates, weekdays,
months, times, e-mail addresses, phone-like digit strings and capitalised names) and
looks each one up in the source after normalization:

* dates: "Oct 16" = "16 October" = "10/16" = "2001-10-16"; numeric dates are read both
  as month/day and day/month, years as 4 digits ("01" = "2001");
* times: "3 pm" = "3:00 PM" = "15:00"; a source time without am/pm supports either;
* numbers and amounts: "$1,200" = "1200 dollars" = "1.2k"; "1.5 million" = "1,500,000";
  "two" = "2"; units and currencies are not compared, only values;
* names: capitalised words are compared by a light stem, case-insensitively, so
  "Confirmation" is supported by "confirm" and "Bishops" by "Bishop's"; function words
  and generic subject-line words ("Reminder", "Update") are not names.

Usage (also by the calendar and report drafts)::

    from plugin.drafts.text.verify import check, SourceIndex
    result = check("Meeting on Oct 16 at 3pm", source_text)
    result.ok            # False when anything is unsupported
    result.unsupported   # the draft's tokens that failed, e.g. ["Oct 16"]

Build a ``SourceIndex`` once when checking many candidates against one source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugin.drafts.text.numberwords import CARDINALS
from plugin.drafts.text.sentences import word_set

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
#: "one" is left out: as a pronoun ("the one I sent") it is no number.
NUMBER_WORDS = {word: n for word, n in CARDINALS.items() if word != "one"} | {
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "thousand": 1000,
    "million": 1e6,
    "billion": 1e9,
    "dozen": 12,
    "half": 0.5,
    "first": 1,
    "second": 2,
    "third": 3,
}
_MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}

# Words that are capitalised only as sentence starts or in Title Case subject lines: they
# name nothing, so they are not checked as names.
NOT_NAMES = word_set(
    """a an the and or but if of to in on at by for with from as is are was were be been am
    i i'll i'm i've i'd me my we our us you your he she it its they them their this that these
    those there here
    do does did have has had will would can could should shall may might must not no yes so
    than then too very just also please thanks thank hi hello dear re fw fwd fyi all any some
    what which who when where why how about into over under up down out new next last per
    reminder update updates request requests question questions meeting meetings follow
    followup follow-up info information summary review confirmation confirmed notice status
    schedule agenda invitation invite urgent important draft final call report issue issues
    plan help note notes change changes time date deadline approval proposal today tomorrow
    tonight yesterday week weekend month year morning afternoon evening noon action needed
    required attached attachment let know see get make need needs needed our action items
    reply send write call meet review approve confirm check forward sign submit attach share
    read join discuss ask thank welcome fix add remove cancel move moved book plan re"""
)

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("phone", re.compile(r"(?<![\d/])(?:\+?\d{1,3}[ .-])?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")),
    ("numdate", re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?(?![\d/])")),
    (
        "day_month",
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\b\.?(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b({_MONTH_RE})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    ("month_year", re.compile(rf"\b({_MONTH_RE})\b\.?,?\s+(\d{{4}})\b", re.IGNORECASE)),
    (
        "time",
        re.compile(
            r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?|\b(\d{1,2}):(\d{2})\b|\b(noon|midnight)\b",
            re.IGNORECASE,
        ),
    ),
    ("weekday", re.compile(rf"\b({_DAY_RE})\b\.?", re.IGNORECASE)),
    ("month", re.compile(rf"\b({_MONTH_RE})\b", re.IGNORECASE)),
    (
        "number",
        re.compile(
            r"(?<![\w.])[$€£]?\s?(\d[\d,]*(?:\.\d+)?|\.\d+)(?:st|nd|rd|th)?"
            r"(?:\s?(k|mm|m|mil|bn|b|thousand|million|billion)\b)?%?",
            re.IGNORECASE,
        ),
    ),
    ("numword", re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)),
    ("name", re.compile(r"(?<![\w@])[A-Z][\w'&-]*")),
]
# Lowercase month words that are ordinary English ("may", "march", "sun") count as
# months only when capitalised.
_AMBIGUOUS = {"may", "mar", "march", "sun", "sat", "wed", "dec", "jan"}

Fact = tuple[str, object]


@dataclass(slots=True)
class VerifyResult:
    ok: bool
    #: Draft tokens with no support in the source, in order of appearance.
    unsupported: list[str] = field(default_factory=list)
    #: How many fact-like tokens the draft had.
    checked: int = 0


@dataclass(slots=True)
class _Token:
    text: str
    alternatives: list[Fact]  # the token is supported when any alternative is


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    if value < 100:
        value += 2000 if value < 70 else 1900
    return value


def _date_facts(month: int, day: int, year: int | None) -> list[Fact]:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return []
    return [("date", (month, day, year))]


def _value(number: str, unit: str | None) -> float | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    return round(value * _MULTIPLIERS.get((unit or "").lower(), 1.0), 6)


def tokenize(text: str) -> list[_Token]:
    """The fact-like tokens of ``text``, each with its normalized readings."""
    taken = [False] * len(text)
    tokens: list[tuple[int, _Token]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if end <= start or any(taken[start:end]):
                continue
            facts = _facts_of(kind, match)
            if facts is None:
                continue
            for i in range(start, end):
                taken[i] = True
            tokens.append((start, _Token(match.group().strip(), facts)))
    tokens.sort(key=lambda pair: pair[0])
    return [token for _, token in tokens]


def _facts_of(kind: str, m: re.Match[str]) -> list[Fact] | None:
    """Readings of one match, or ``None`` when the match is not a fact after all."""
    g = m.groups()
    if kind == "email":
        return [("email", m.group().lower())]
    if kind == "phone":
        return [("digits", re.sub(r"\D", "", m.group())[-10:])]
    if kind == "iso":
        return _date_facts(int(g[1]), int(g[2]), int(g[0]))
    if kind == "numdate":
        a, b, year = int(g[0]), int(g[1]), _year(g[2])
        if g[2] is None and "." in m.group():
            return None  # "3.5" is a number, not a date
        return _date_facts(a, b, year) + _date_facts(b, a, year) or None
    if kind in ("day_month", "month_day"):
        day, month = (g[0], g[1]) if kind == "day_month" else (g[1], g[0])
        if month.lower() in _AMBIGUOUS and month[0].islower():
            return None
        return _date_facts(MONTHS[month.lower().rstrip(".")], int(day), _year(g[2])) or None
    if kind == "month_year":
        return [("month", MONTHS[g[0].lower()]), ("number", float(g[1]))]
    if kind == "month":
        if g[0].lower() in _AMBIGUOUS and g[0][0].islower():
            return None
        return [("month", MONTHS[g[0].lower()])]
    if kind == "weekday":
        word = g[0].lower()
        if word in _AMBIGUOUS and g[0][0].islower():
            return None
        return [("weekday", WEEKDAYS[word])]
    if kind == "time":
        return _time_facts(g)
    if kind == "number":
        value = _value(g[0], g[1])
        return None if value is None else [("number", value)]
    if kind == "numword":
        return [("number", float(NUMBER_WORDS[g[0].lower()]))]
    if kind == "name":
        word = m.group().strip("'-&")
        if len(word) < 2 or word.lower() in NOT_NAMES:
            return None
        return [("name", stem(word))]
    return None


def _time_facts(g: tuple[str | None, ...]) -> list[Fact]:
    if g[5]:
        return [("time", 12 * 60 if g[5].lower() == "noon" else 0)]
    if g[0] is not None:
        hour, minute = int(g[0]) % 12, int(g[1] or 0)
        if g[2] and g[2].lower() == "p":
            hour += 12
        return [("time", hour * 60 + minute)]
    hour, minute = int(g[3] or 0), int(g[4] or 0)
    if hour > 23 or minute > 59:
        # Not a clock time (an elapsed "75:23", a score): it must appear as written.
        return [("literal", f"{hour}:{minute:02d}")]
    readings = [("time", hour * 60 + minute)]
    if 1 <= hour <= 12:  # no am/pm given: either half of the day
        readings.append(("time", ((hour % 12) + 12) * 60 + minute if hour < 12 else minute))
    return readings


_SUFFIXES = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ions",
    "ion",
    "ments",
    "ment",
    "ers",
    "er",
    "ies",
    "ied",
    "es",
    "ed",
    "s",
    "ly",
)


def stem(word: str) -> str:
    """A light, stable stem for name matching ("Confirmation" -> "confirm")."""
    word = word.lower().replace("’", "'")
    word = re.sub(r"'s?$", "", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class SourceIndex:
    """Everything the source supports, normalized once."""

    def __init__(self, source_text: str) -> None:
        self.text = source_text
        self.facts: set[Fact] = set()
        self.years: set[int] = set()
        for token in tokenize(source_text):
            for fact in token.alternatives:
                self._add(fact)
        # Lowercase words feed name matching: "Bishops Corner" is supported by "bishops corner".
        for word in re.findall(r"[\w'&-]+", source_text):
            self.facts.add(("name", stem(word.strip("'-&"))))
        self.stems = {value for kind, value in self.facts if kind == "name"}

    def _add(self, fact: Fact) -> None:
        self.facts.add(fact)
        kind, value = fact
        if kind == "date":
            month, day, year = value  # type: ignore[misc]
            self.facts.update(
                {
                    ("date", (month, day, None)),
                    ("month", month),
                    ("number", float(day)),
                    ("number", float(month)),
                }
            )
            if year:
                self.years.add(year)
                self.facts.add(("number", float(year)))
                self.facts.add(("weekday", _weekday(year, month, day)))
        elif kind == "time":
            self.facts.add(("number", float(int(value) // 60 % 12 or 12)))  # type: ignore[call-overload]

    def supports(self, fact: Fact) -> bool:
        if fact in self.facts:
            return True
        kind, value = fact
        if kind == "date":
            month, day, year = value  # type: ignore[misc]
            return year is None and any(
                k == "date" and v[0] == month and v[1] == day  # type: ignore[index]
                for k, v in self.facts
            )
        if kind == "name":
            word = str(value)
            return len(word) >= 4 and any(
                len(s) >= 4 and (s.startswith(word) or word.startswith(s)) for s in self.stems
            )
        return False


def _weekday(year: int, month: int, day: int) -> int:
    from datetime import date

    try:
        return date(year, month, day).weekday()
    except ValueError:
        return -1


def check(draft_text: str, source: str | SourceIndex) -> VerifyResult:
    """Whether every fact-like token of ``draft_text`` is supported by ``source``."""
    index = source if isinstance(source, SourceIndex) else SourceIndex(source)
    tokens = tokenize(draft_text)
    unsupported = [t.text for t in tokens if not any(index.supports(f) for f in t.alternatives)]
    return VerifyResult(ok=not unsupported, unsupported=unsupported, checked=len(tokens))


__all__ = ["SourceIndex", "VerifyResult", "check", "stem", "tokenize"]
