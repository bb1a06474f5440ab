"""The atom record and the rule book the date and clock atom finders build on
(``atoms.py`` for dates and days, ``clockatoms.py`` for times, zones and durations).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Meridiem glued on ("3pm", "3p") or spaced ("3 p.m."); never a numbered item of a list
# ("the clauses in 3a and 3b", "sections 2a, 2c").
AP = r"(?:\s*(?:[ap]\.\s?m\b\.?|[ap]m\b)|[ap]\b(?!\s*(?:,|and|&|or|-|–)\s*\d+[b-oq-z]\b))"
HOUR = r"(?<![\w:/.$,])(?:[01]?\d|2[0-3])"


@dataclass(slots=True)
class Atom:
    kind: str  # date | relday | reldelta | weekend | time | daypart | zone | duration
    start: int
    end: int
    value: dict[str, Any] = field(default_factory=dict)


#: The atom kinds that name a day (the rest name a clock time, a part of the day, a zone or
#: a length).
DATE_KINDS = frozenset({"date", "relday", "reldelta", "endof"})


def day_role(atom: Atom) -> str | None:
    """How a date atom names its day: "relday" (tomorrow), "weekday", "month" (a written
    date), or None (any other atom)."""
    if atom.kind == "relday":
        return "relday"
    if atom.kind == "date":
        return "weekday" if "weekday" in atom.value else "month" if "month" in atom.value else None
    return None


def meridiem_of(text: str | None) -> str | None:
    if not text:
        return None
    return "pm" if text.strip().lower().startswith("p") else "am"


def to_24h(hour: int, meridiem: str | None) -> int:
    if meridiem == "pm" and hour < 12:
        return hour + 12
    if meridiem == "am" and hour == 12:
        return 0
    return hour


def two_digit_year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if value < 100:
        value += 2000 if value < 70 else 1900
    return value


def clean_word(text: str) -> str:
    return text.lower().rstrip(".")


Builder = Callable[[re.Match[str]], "Atom | None"]


class Rules:
    """Patterns and the builders that turn their matches into atoms, in the order added
    (where two atoms tie in length and start, the earlier rule's wins)."""

    def __init__(self) -> None:
        self.items: list[tuple[re.Pattern[str], Builder]] = []

    def __call__(self, pattern: str, flags: int = re.IGNORECASE) -> Callable[[Builder], Builder]:
        def register(builder: Builder) -> Builder:
            self.items.append((re.compile(pattern, flags), builder))
            return builder

        return register
