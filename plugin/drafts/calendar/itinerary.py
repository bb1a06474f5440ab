"""Bare weekdays placed by the passage around them, not by the Date header alone.

* After a written date well ahead, the days from it on: "travel on Monday, June 16,
  arriving on Tuesday" is June 17.
* In a list after next week's weekday, that week: "next Wed, Thur, or Fri"; and before one
  named with its week, the same: "Tuesday or Wednesday of next week" ("Friday or Tuesday
  of next week" keeps this Friday).
* Next week's weekday named again is the same day: "a call on Wednesday of next week … I am
  available after 2:30 on Wednesday".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from plugin.drafts.calendar.atombase import DATE_KINDS, Atom, day_role
from plugin.drafts.calendar.mention import TimeMention, on_day

#: How far ahead a written date must lie to anchor the bare weekdays after it: a weekday
#: alone names a day within the week ahead, so only a date beyond it can disagree.
_ITINERARY_AHEAD = timedelta(days=6)
_ITINERARY_REACH = 400
_BLANK_LINE = re.compile(r"\n\s*\n")
_THIS_OR_NEXT_WEEK = re.compile(r"\b(?:this|next|coming)\s+week\b", re.IGNORECASE)
_LISTED = re.compile(r"^\s*(?:,|(?:,\s*)?(?:or|and|&|/))\s*$", re.IGNORECASE)
_WEEK_LAST = re.compile(r"\bweek$", re.IGNORECASE)


def _bare_weekday(group: list[Atom]) -> bool:
    """A weekday with nothing to place it: no "next"/"this", no day of the month, no date."""
    dates = [a for a in group if a.kind in DATE_KINDS]
    return bool(dates) and all(
        day_role(a) == "weekday"
        and not a.value.get("mod")
        and "day" not in a.value
        and "recurring" not in a.value
        for a in dates
    )


def _same_passage(text: str, anchor: TimeMention, mention: TimeMention) -> bool:
    gap = text[anchor.span_end : mention.span_start]
    return (
        len(gap) <= _ITINERARY_REACH
        and not _BLANK_LINE.search(gap)
        # "I will be out next week. If you have time on Friday": the week ahead again
        and not _THIS_OR_NEXT_WEEK.search(gap)
    )


def _after_anchor(mention: TimeMention, anchor: date) -> TimeMention:
    """The mention moved to the first of its weekdays from the ``anchor`` day on ("June 9th -
    10th … dinner on Sat night" is the 9th itself)."""
    days_on = (mention.start_date().weekday() - anchor.weekday()) % 7
    return on_day(mention, anchor + timedelta(days=days_on))


def _next_week_weekday(group: list[Atom]) -> bool:
    """ "next Thursday", "Wednesday of next week", "the following Monday"."""
    return any(
        day_role(a) == "weekday" and a.value.get("mod") in {"next", "following"} for a in group
    )


def _in_week_of(mention: TimeMention, day: date) -> TimeMention:
    """The mention on its weekday of ``day``'s week (Monday to Sunday)."""
    monday = day - timedelta(days=day.weekday())
    return on_day(mention, monday + timedelta(days=mention.start_date().weekday()))


class _NextWeek:
    """Next week's days named so far in the passage, by weekday."""

    def __init__(self) -> None:
        self.days: dict[int, date] = {}
        self.last: TimeMention | None = None

    def remember(self, mention: TimeMention) -> None:
        self.days[mention.start_date().weekday()] = mention.start_date()
        if self.last is None or mention.span_end > self.last.span_end:
            self.last = mention

    def named_again(self, text: str, mention: TimeMention) -> TimeMention | None:
        day = self.days.get(mention.start_date().weekday())
        # the passage runs on from the last of next week's days ("Tuesday and Wednesday of
        # next week … best times on Tuesday")
        if day is None or self.last is None or not _same_passage(text, self.last, mention):
            return None
        return on_day(mention, day)


def place_bare_weekdays(
    text: str, resolved: list[tuple[list[Atom], TimeMention]], reference: datetime
) -> list[TimeMention]:
    """The mentions, with each bare weekday placed by the dates and weeks named before it
    in its passage; ``resolved`` pairs each mention with its atoms."""
    mentions: list[TimeMention] = []
    next_week = _NextWeek()
    # The last written date well ahead of the reference: bare weekdays after it in the same
    # passage name the days after it ("travel on Monday, June 16, arriving on Tuesday").
    anchor: TimeMention | None = None
    in_next_week = False  # the previous mention named a day of next week
    previous_bare = False  # the previous mention was a bare weekday and nothing else
    for group, mention in resolved:
        previous = mentions[-1] if mentions else None
        listed = previous is not None and bool(
            _LISTED.match(text[previous.span_end : mention.span_start])
        )
        bare = _bare_weekday(group)
        was_bare, previous_bare = previous_bare, bare and len(group) == 1
        if bare and previous is not None and listed and in_next_week:
            # "next Wed, Thur, or Fri": the list goes on in that week
            mention = _after_anchor(mention, previous.start_date())
            next_week.remember(mention)
            mentions.append(mention)
            continue
        if bare and (again := next_week.named_again(text, mention)) is not None:
            mentions.append(again)
            in_next_week = True
            continue
        if anchor is not None and bare and _same_passage(text, anchor, mention):
            mention = _after_anchor(mention, anchor.start_date())
        else:
            # any other time ("next week", "tomorrow", a near date) speaks of now again
            ahead = mention.start_date() - reference.astimezone(mention.zone).date()
            anchor = mention if mention.explicit_date and ahead > _ITINERARY_AHEAD else None
        in_next_week = _next_week_weekday(group)
        if mention.explicit_date and not in_next_week:
            # a written date places what follows: "next Monday, Dec. 10 … no later than
            # Monday, Dec. 3 … leaving by Monday" is Dec. 3
            next_week = _NextWeek()
        if in_next_week:
            next_week.remember(mention)
            if (
                previous is not None
                and listed
                and _WEEK_LAST.search(mention.text)
                and was_bare
                and previous.start_date().weekday() < mention.start_date().weekday()
            ):
                # "Tuesday or Wednesday of next week": the week named last is both days' week
                mentions[-1] = _in_week_of(previous, mention.start_date())
                next_week.remember(mentions[-1])
        mentions.append(mention)
    return mentions
