"""Number words: one table of the small cardinals for every reader of numbers in text
(the fact check's numbers, the calendar's durations and clock hours)."""

from __future__ import annotations

#: "one" to "twelve": the clock's hours, and the counts mail spells out most.
ONE_TO_TWELVE: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
#: The cardinals both the fact check and the calendar read, in that order.
CARDINALS: dict[str, int] = {**ONE_TO_TWELVE, "fifteen": 15, "twenty": 20, "thirty": 30}
