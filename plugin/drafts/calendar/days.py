"""The calendar day that a mention's date atoms name: an explicit date (its year chosen
as docs/calendar.md says), a weekday (bare, "this", "next", "last", or with its day of the
month), today/tomorrow, "in two weeks", "end of the month".
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from plugin.drafts.calendar.atombase import Atom

#: How many years either side of the reference a weekday may pick for a date written
#: without one ("Tuesday, October 30"). Further away it is the writer's slip, not another
#: year: "Monday, Jan. 2" in a December 2000 mail is 2 January 2001 (a Tuesday), not 1995.
_WEEKDAY_YEARS = 2


def month_days(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def resolve_day(dates: list[Atom], today: date) -> tuple[date, float] | None:
    """The calendar day the date atoms name, and a base confidence."""
    if not dates:
        return None
    explicit = next((a for a in dates if a.kind == "date" and "month" in a.value), None)
    weekday = next((a for a in dates if a.kind == "date" and "weekday" in a.value), None)
    if explicit is not None:
        return _explicit_day(explicit.value, weekday.value if weekday else None, today)
    alone = next((a for a in dates if "day_of_month" in a.value), None)
    if alone is not None and weekday is None:
        return _next_day_of_month(alone.value["day_of_month"], today), 0.4
    if weekday is not None:
        relday = next((a for a in dates if a.kind == "relday"), None)
        if relday is not None:
            # "today, Thursday": the relative day, when it is that weekday (a bare weekday
            # said on that day would be next week's)
            named = today + timedelta(days=relday.value["days"])
            if named.weekday() == weekday.value["weekday"]:
                return named, 0.55
        return _weekday_day(weekday.value, today), 0.5
    atom = dates[0]
    if atom.kind == "relday":
        return today + timedelta(days=atom.value["days"]), 0.5
    if atom.kind == "reldelta":
        amount, unit = atom.value["amount"], atom.value["unit"]
        if unit == "month":
            return _add_months(today, int(amount)), 0.35
        return today + timedelta(days=amount * (7 if unit == "week" else 1)), 0.4
    if atom.kind == "endof":
        if atom.value["unit"] == "week":
            return today + timedelta(days=(4 - today.weekday()) % 7), 0.4
        return today.replace(day=month_days(today)), 0.4
    return None


def _explicit_day(
    value: dict[str, Any], weekday: dict[str, Any] | None, today: date
) -> tuple[date, float] | None:
    month, day, year = value["month"], value["day"], value["year"]
    confidence = 0.55
    if year is not None:
        resolved = _valid_date(year, month, day)
        if resolved is None:
            return None
        agrees = weekday is None or resolved.weekday() == weekday["weekday"]
        return resolved, confidence + (0.0 if weekday is None else 0.05 if agrees else -0.3)
    if weekday is not None:
        # The weekday written beside the date tells the year ("Tuesday, October 30").
        near = sorted(
            range(today.year - _WEEKDAY_YEARS, today.year + _WEEKDAY_YEARS + 1),
            key=lambda y: abs(y - today.year),
        )
        for candidate in near:
            resolved = _valid_date(candidate, month, day)
            if resolved is not None and resolved.weekday() == weekday["weekday"]:
                return resolved, confidence + 0.05
        confidence -= 0.3  # the weekday is a slip: the date alone decides
    for candidate in (today.year, today.year + 1, today.year - 1):
        resolved = _valid_date(candidate, month, day)
        if resolved is None or resolved < today - timedelta(days=90):
            continue  # "Jan 5" written in December means next January
        return resolved, confidence
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _weekday_day(value: dict[str, Any], today: date) -> date:
    target, mod = value["weekday"], value["mod"]
    if "day" in value and (day := _weekday_on_day(target, value["day"], today)) is not None:
        return day
    ahead = (target - today.weekday()) % 7
    if mod == "this":
        return today + timedelta(days=ahead)
    if mod in {"next", "following"}:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=target)
    if mod == "last":
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    return today + timedelta(days=ahead or 7)


def _next_day_of_month(day_of_month: int, today: date) -> date:
    """ "on the 4th": this month's 4th if it is still ahead, else the next month that has one."""
    month = today.replace(day=1)
    # Of any two months in a row one has 31 days, so this ends by the month after next.
    while day_of_month > month_days(month) or month.replace(day=day_of_month) < today:
        month = _add_months(month, 1)
    return month.replace(day=day_of_month)


def _weekday_on_day(weekday: int, day_of_month: int, today: date) -> date | None:
    """ "Thursday the 3rd": the first 3rd that is a Thursday from a week back on, within half
    a year (a weekday is named for the days ahead); None if there is none."""
    for months in range(-1, 7):
        first = _add_months(today.replace(day=1), months)
        if day_of_month > month_days(first):
            continue
        day = first.replace(day=day_of_month)
        if day.weekday() == weekday and day >= today - timedelta(days=7):
            return day
    return None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_days(date(year, month, 1))))
