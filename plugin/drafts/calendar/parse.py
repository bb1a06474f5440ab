"""Deterministic date/time extraction: text + the message's Date header → resolved mentions.

``extract_times(text, reference, zone)`` finds phrases such as "next Tuesday at 3",
"tomorrow morning", "in two weeks", "EOD Friday", "tues, 8/10", "Oct 16 at 2:30pm CST",
"2-3pm", "Monday to Wednesday" and "for 30 minutes", and resolves each against
``reference`` (the Date header) in the sender's zone. Every mention keeps the character
offsets of its evidence. Conventions where English is ambiguous (docs/calendar.md):

* a bare weekday is the next one after the reference day ("Tuesday" said on a Tuesday is a
  week later), unless its passage places it (``itinerary``: after a date well ahead, in a
  list of next week's days, next week's weekday named again); "this Tuesday" may be today;
  "next Tuesday" is the Tuesday of next week;
* a month/day without a year is the one nearest the reference (up to 90 days back), and a
  weekday written beside it ("Tuesday, October 30") picks the year where they agree;
* "at 3" with no am/pm is 3pm (1 to 6 are afternoons, 7 to 12 mornings or noon);
* a wall time that does not exist (a spring-forward gap) moves forward by the gap, and a
  repeated one (fall-back) is the first occurrence.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from plugin.drafts.calendar.atombase import DATE_KINDS, Atom, day_role
from plugin.drafts.calendar.atoms import find_atoms
from plugin.drafts.calendar.clockatoms import implied_part, in_day_part
from plugin.drafts.calendar.days import month_days, resolve_day
from plugin.drafts.calendar.itinerary import place_bare_weekdays
from plugin.drafts.calendar.mention import TimeMention, localize
from plugin.drafts.calendar.startend import join_labelled_ends
from plugin.drafts.calendar.timewords import DAY_PARTS, MOVED_FROM_BEFORE
from plugin.drafts.calendar.zones import zone_named

_JOIN = re.compile(
    r"^\s*(?:(?:,|at|on|from|@|starting|beginning|the|of|by|between|\(|\)|-|–|—|:)\s*)*$",
    re.IGNORECASE,
)
_MERIDIEM_STOP = re.compile(r"[ap]\.\s?m\.$", re.IGNORECASE)
_DASH = re.compile(r"^\s*[-–—]\s*$")
_OPEN_PAREN = re.compile(r"^\s*\(\s*$")
_RANGE = re.compile(r"^\s*(?:-|–|—|to|through|thru|until|till|til)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_LOOSE_GAP_STOP = re.compile(
    r"(?<![A-Z][a-z])(?<![A-Z])[.!?;:]\s|\n\s*\n|\b(?:or|and|but|if|until|then)\b"
    # A new list item ("\n- Tuesday", "\n2) Friday") starts a new mention.
    r"|\n\s*(?:[-*•·>]|\d{1,2}[.)])\s",
    re.IGNORECASE,
)


def _group_atoms(text: str, atoms: list[Atom]) -> list[list[Atom]]:
    groups: list[list[Atom]] = []
    for atom in atoms:
        group = groups[-1] if groups else None
        if group is not None and _joins(text, group, atom):
            group.append(atom)
        else:
            groups.append([atom])
    return groups


def _slot(atom: Atom) -> str:
    if atom.kind in DATE_KINDS:
        return "date"
    return atom.kind


def _same_day_again(dates: list[Atom], atom: Atom) -> bool:
    """ "Tuesday, October 30th", "tomorrow, January 23", "tomorrow, Friday, October 19th":
    one day named in several ways, at most once each as a relative day (first), a weekday
    and a written date; the written date, then the weekday, wins (``days.resolve_day``)."""
    roles = [day_role(d) for d in dates]
    role = day_role(atom)
    if role not in {"weekday", "month"} or role in roles or None in roles:
        return False
    if role == "weekday" and "relday" in roles:
        # "tomorrow, Friday", never "tomorrow or next Friday" or "today and every Friday"
        return not atom.value.get("mod") and "recurring" not in atom.value
    return True


def _joins(text: str, group: list[Atom], atom: Atom) -> bool:
    gap = text[group[-1].end : atom.start]
    slots = [_slot(member) for member in group]
    slot = _slot(atom)
    if (
        slot == "date"
        and len(group) == 1
        and day_role(group[0]) == "weekday"
        and day_role(atom) == "month"
        and _DASH.match(gap)
    ):
        # "Tuesday - April 2, 2002", "this Saturday - December 8th": a dash after a weekday
        # sets off its date, as a comma does
        return True
    if (
        slot == "date"
        and len(group) == 1
        and group[0].kind == atom.kind == "date"
        and _RANGE.match(gap)
        and not MOVED_FROM_BEFORE.search(text[max(0, group[0].start - 60) : group[0].start])
    ):
        # Only a lone date opens a range: "Monday, October 29 to Thursday" is far more often
        # "moved from ... to ..." than a span of days.
        atom.value["range_end"] = True
        return True
    if slot == "duration" and "duration" not in slots:
        return len(gap) <= 40 and not _SENTENCE_END.search(gap)
    if slots == ["duration"]:
        # "a 45-minute call Monday at 4pm": the length comes first.
        return slot in {"date", "time"} and len(gap) <= 20 and not _SENTENCE_END.search(gap)
    if not _JOIN.match(gap):
        # "October 15 in ECN32c2 from 3-4", "the 10:30 am meeting tomorrow": a clock time and
        # a day a few words apart in one clause still name one moment.
        return (
            len(gap) <= 30
            and not _LOOSE_GAP_STOP.search(gap)
            and not _ends_on_meridiem_stop(text, group[-1], gap)
            and {slot, *slots} <= {"date", "time", "zone", "daypart"}
            and (
                (slot == "time" and "date" in slots and set(slots) <= {"date", "daypart"})
                or (slot == "date" and "date" not in slots and "time" in slots)
            )
        )
    if slot == "time" and _spells_out_deadline(group, atom, gap):
        return True
    if slot == "zone":
        return "time" in slots and "zone" not in slots
    if slot == "date" and "date" in slots:
        return _same_day_again([m for m in group if _slot(m) == "date"], atom)
    if slot == "daypart":
        return "daypart" not in slots and "time" not in slots
    if slot == "time" and "daypart" in slots:
        return "time" not in slots
    return slot not in slots


def _ends_on_meridiem_stop(text: str, last: Atom, gap: str) -> bool:
    """ "7:30 - 10 p.m.  How does the third Thursday sound?": the full stop of "p.m." before a
    capital ends the sentence."""
    return (
        _MERIDIEM_STOP.search(text, max(0, last.end - 6), last.end) is not None
        and gap[:1].isspace()
        and gap.strip()[:1].isupper()
    )


def _spells_out_deadline(group: list[Atom], atom: Atom, gap: str) -> bool:
    """ "close of business (5:00 pm CDT) tomorrow": the clock time written out for the end
    of the business day is the same moment."""
    times = [a for a in group if a.kind == "time"]
    return (
        len(times) == 1
        and times[0].value.get("deadline", False)
        and not atom.value.get("deadline")
        and _OPEN_PAREN.match(gap) is not None
    )


def extract_times(
    text: str, reference: datetime, zone: tzinfo | str | None = None
) -> list[TimeMention]:
    """Every date/time mention in ``text``, resolved against ``reference`` in ``zone``.

    ``zone`` is the sender's zone (an IANA/Windows name or tzinfo); by default the
    reference's own offset (the Date header's). ``reference`` must be aware.
    """
    if reference.tzinfo is None:
        raise ValueError("the reference datetime must be timezone-aware")
    default_zone = zone_named(zone) if isinstance(zone, str) else zone
    if default_zone is None:
        default_zone = reference.tzinfo
    resolved = []
    for group in _group_atoms(text, list(find_atoms(text))):
        mention = _resolve(text, group, reference, default_zone)
        if mention is not None:
            resolved.append((group, mention))
    return join_labelled_ends(text, place_bare_weekdays(text, resolved, reference))


def _resolve(
    text: str, group: list[Atom], reference: datetime, default_zone: tzinfo
) -> TimeMention | None:
    by_kind: dict[str, Atom] = {}
    dates: list[Atom] = []
    for atom in group:
        if atom.kind in DATE_KINDS:
            dates.append(atom)
        elif atom.kind == "time" and "time" in by_kind:
            by_kind["time"] = atom  # the clock spelt out after "close of business ("
        else:
            by_kind.setdefault(atom.kind, atom)
    zone_atom = by_kind.get("zone")
    zone = (
        zone_named(zone_atom.value["raw"]) or zone_named(zone_atom.value["name"])
        if zone_atom
        else None
    )
    explicit = zone is not None
    zone = zone or default_zone
    local_ref = reference.astimezone(zone)
    clock_atom = by_kind.get("time")
    part_atom = by_kind.get("daypart")
    span_start, span_end = group[0].start, group[-1].end
    mention: dict[str, Any] = dict(
        zone=zone,
        zone_explicit=explicit,
        span_start=span_start,
        span_end=span_end,
        text=text[span_start:span_end],
    )

    delta = next((a for a in dates if a.kind == "reldelta"), None)
    if delta and delta.value["unit"] in {"minute", "hour"}:
        minutes = delta.value["amount"] * (60 if delta.value["unit"] == "hour" else 1)
        start = local_ref + timedelta(minutes=minutes)
        return TimeMention(start=start, end=None, all_day=False, confidence=0.5, **mention)

    main = [a for a in dates if not a.value.get("range_end")]
    resolved = resolve_day(main, local_ref.date())
    if resolved is None:
        if not clock_atom or not clock_atom.value["sure"]:
            return None  # a lone "at 5" or "morning" is too weak to place on a calendar
        day, confidence = local_ref.date(), 0.35
        # "Dinner at 7:30?" sent at 9 am is tonight: the day rolls over by the clock as read
        part = part_atom.value["part"] if part_atom is not None else ""
        if localize(day, _as_read(clock_atom, part, text, span_start, span_end), zone) < local_ref:
            day += timedelta(days=1)
        mention["dated"] = False
    else:
        day, confidence = resolved
    last_day = _range_last_day(group, main, day)

    relday_part = next((a.value["part"] for a in dates if "part" in a.value), None)
    clock = clock_atom.value["time"] if clock_atom else None
    end_clock = clock_atom.value.get("end_time") if clock_atom else None
    mention["explicit_date"] = any(a.kind == "date" and "month" in a.value for a in main)
    if clock is None and part_atom is not None:
        clock, confidence = part_atom.value["time"], confidence + 0.15
        mention["vague_time"] = True
        mention["day_part"] = part_atom.value["part"]
    elif clock is None and relday_part:
        clock, confidence = DAY_PARTS[relday_part], confidence + 0.15
        mention["vague_time"] = True
        mention["day_part"] = relday_part
    elif clock_atom is not None:
        confidence += 0.4 if clock_atom.value["sure"] else 0.25
        part = part_atom.value["part"] if part_atom is not None else relday_part
        mention["day_part"] = part or ""
        if clock is not None and clock_atom.value.get("guessed"):
            mention["clock_guessed"] = True
            part = part or implied_part(text, span_start, span_end)
            clock = _as_read(clock_atom, part, text, span_start, span_end)
            if "end_time" in clock_atom.value:
                end_clock = in_day_part(clock_atom.value["end_time"], part)
    deadline = any(a.kind == "time" and a.value.get("deadline") for a in group) or any(
        a.kind == "endof" for a in dates
    )
    confidence = max(0.05, min(0.99, confidence))
    if clock is None:
        return TimeMention(
            start=day,
            end=(last_day or day) + timedelta(days=1),
            all_day=True,
            confidence=confidence,
            deadline_hint=deadline,
            **mention,
        )
    start = localize(day, clock, zone)
    end: datetime | None = None
    if end_clock is not None:
        # an end before the start ("9pm - 1am") is after midnight
        end = localize(day + timedelta(days=int(end_clock < clock)), end_clock, zone)
    elif "duration" in by_kind:
        end = start + timedelta(minutes=by_kind["duration"].value["minutes"])
    elif last_day is not None:
        end = localize(last_day, clock, zone)
    return TimeMention(
        start=start,
        end=end,
        all_day=False,
        confidence=confidence,
        deadline_hint=deadline,
        **mention,
    )


def _as_read(clock_atom: Atom, part: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The clock time as the writer meant it: a time written without am/pm is read in the
    part of the day named beside it, or the one its event implies ("dinner at 7:30")."""
    clock: tuple[int, int] = clock_atom.value["time"]
    if not clock_atom.value.get("guessed"):
        return clock
    return in_day_part(clock, part or implied_part(text, start, end))


def _range_last_day(group: list[Atom], main: list[Atom], day: date) -> date | None:
    tail = next((a for a in group if a.value.get("range_end")), None)
    if tail is not None:
        resolved = resolve_day([tail], day - timedelta(days=1))
        if resolved and resolved[0] >= day:
            return resolved[0]
        return None
    explicit = next((a for a in main if a.kind == "date" and a.value.get("day2")), None)
    if explicit is not None:
        return day.replace(day=min(explicit.value["day2"], month_days(day)))
    return None
