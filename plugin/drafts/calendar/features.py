"""Candidates for calendar suggestions, and the features the learned decision reads.

``candidates(text, reference, zone)`` is the high-recall half of suggesting meetings: every
resolved date/time mention outside quoted history that is not already past, with clock times
that name no day ("See you at 1:00") placed on the day named just before them. Each
candidate carries a fixed-length feature vector (``FEATURES`` names its columns) built
from the rule vocabulary of ``cues`` (cue words, "by"/"due", past-report phrases) plus
tense, negation, who acts, position in the message and list/table layout. ``decision``
weighs them; nothing here is learned.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from plugin.drafts.calendar.clockatoms import in_day_part
from plugin.drafts.calendar.cues import (
    BY_BEFORE,
    DEADLINE_CUE,
    MAX_MENTIONS,
    MEETING_CUE,
    NOT_AN_EVENT_BEFORE,
    classify,
    proposal_text,
    sentence_bounds,
)
from plugin.drafts.calendar.featurewords import (
    ALTERNATIVE,
    BULK,
    EVENT_NOUN,
    FIRST_PLURAL,
    FIRST_SINGULAR,
    FUTURE,
    LIST_LINE,
    NEGATION,
    NOT_EVENT_WORDS,
    PAST,
    PLEASE,
    PROPOSAL,
    QUESTION_AFTER,
    RECURRING,
    RESCHEDULE_NEW,
    RESCHEDULE_OLD,
    SECOND_PERSON,
    WEEKDAY_ONLY,
    WRITER_AWAY,
    WRITER_BEFORE,
)
from plugin.drafts.calendar.filters import ruled_out
from plugin.drafts.calendar.mention import TimeMention, localize
from plugin.drafts.calendar.nearby import nearby_words
from plugin.drafts.calendar.parse import extract_times
from plugin.drafts.calendar.timelists import expand_offered_days

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Candidate:
    mention: TimeMention
    features: list[float]
    #: A clock time with no day of its own, placed on the day named before it.
    anchored: bool = False
    #: The words around the mention (``nearby.nearby_words``), for the decision's TF-IDF.
    nearby: str = ""


def _log_distance(
    text: str, pattern: re.Pattern[str], start: int, end: int, window: int = 300
) -> float:
    """How far (characters, log scale) the nearest ``pattern`` match lies from the span;
    the window's edge when there is none."""
    left = max(0, start - window)
    best = window
    for match in pattern.finditer(text, left, min(len(text), end + window)):
        if match.end() <= start:
            best = min(best, start - match.end())
        elif match.start() >= end:
            best = min(best, match.start() - end)
        else:
            best = 0
    return math.log1p(best) / math.log1p(window)


_NUMBER = re.compile(r"(?<![\w/])\d[\d,.]*(?![\w/])")
_WORD = re.compile(r"[A-Za-z]{3,}")


def _is_data_row(line: str, text: str, mention: TimeMention) -> bool:
    """A row of a table of figures ("12/01   5,000 MMBtu   Katy"): the date labels numbers,
    it names no event."""
    line_start = text.rfind("\n", 0, mention.span_start) + 1
    rest = line[: mention.span_start - line_start] + " " + line[mention.span_end - line_start :]
    return (
        len(_NUMBER.findall(rest)) >= 1
        and len(_WORD.findall(rest)) <= 3
        and not (EVENT_NOUN.search(rest))
    )


def _line(text: str, start: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", start)
    return text[left : right if right >= 0 else len(text)]


FEATURES: list[str] = [
    "bias_all_day",
    "has_clock",
    "vague_time",
    "explicit_date",
    "weekday_only_text",
    "undated_clock",
    "anchored",
    "zone_explicit",
    "has_end",
    "parse_confidence",
    "days_ahead_log",
    "same_day",
    "over_90_days",
    "short_text",
    "meeting_cue",
    "event_noun",
    "event_noun_distance",
    "proposal",
    "proposal_distance",
    "deadline_cue_before",
    "deadline_cue_sentence",
    "by_before",
    "deadline_hint",
    "previous_sentence_cue",
    "not_event_before",
    "future_words",
    "past_words",
    "negation",
    "question",
    "please",
    "writer_away",
    "second_person",
    "first_plural",
    "first_singular",
    "reschedule_new",
    "reschedule_old",
    "recurring",
    "not_event_words",
    "alternative_near",
    "list_line",
    "table_line",
    "mentions_on_line",
    "mentions_in_sentence",
    "rank_in_sentence",
    "relative_position",
    "in_first_300",
    "mentions_in_text_log",
    "bulk_mail",
    "text_length_log",
    "digit_share_line",
    "rule_meeting",
    "rule_deadline",
    "writer_before",
    "earlier_time_same_day",
    "day_has_timed",
    "data_row",
    "subject_event",
    "subject_proposal",
    "subject_same_day",
    "subject_reply",
    "subject_has_date",
]


def _features(
    text: str,
    mention: TimeMention,
    reference: datetime,
    anchored: bool,
    starts: list[int],
    bulk: bool,
) -> list[float]:
    left, right = sentence_bounds(text, mention.span_start, mention.span_end)
    sentence = text[left:right]
    before = text[left : mention.span_start]
    after = text[mention.span_end : mention.span_end + 80]
    line = _line(text, mention.span_start)
    previous_left, _ = sentence_bounds(text, max(left - 2, 0), max(left - 1, 0))
    start_day = mention.start_date()
    today = reference.astimezone(mention.zone).date()
    days = (start_day - today).days
    in_sentence = [s for s in starts if left <= s < right]
    on_line = [
        s
        for s in starts
        if line and s >= mention.span_start - len(line) and s <= mention.span_start + len(line)
    ]
    digits = sum(ch.isdigit() for ch in line)
    words = mention.text.strip()
    by_before = bool(BY_BEFORE.search(before[-20:]))
    rule = classify(text, mention)
    return [
        float(mention.all_day),
        float(not mention.all_day and not mention.vague_time),
        float(mention.vague_time),
        float(mention.explicit_date),
        float(bool(WEEKDAY_ONLY.match(words))),
        float(not mention.dated and not anchored),
        float(anchored),
        float(mention.zone_explicit),
        float(mention.end is not None and not mention.all_day),
        mention.confidence,
        math.log1p(max(days, 0)) / math.log1p(365),
        float(days == 0),
        float(days > 90),
        float(len(words) <= 4),
        float(bool(MEETING_CUE.search(sentence))),
        float(bool(EVENT_NOUN.search(sentence))),
        _log_distance(text, EVENT_NOUN, mention.span_start, mention.span_end),
        float(bool(PROPOSAL.search(sentence))),
        _log_distance(text, PROPOSAL, mention.span_start, mention.span_end),
        float(bool(DEADLINE_CUE.search(before))),
        float(bool(DEADLINE_CUE.search(sentence))),
        float(by_before),
        float(mention.deadline_hint),
        float(bool(MEETING_CUE.search(text[previous_left:left]))),
        float(not by_before and bool(NOT_AN_EVENT_BEFORE.search(before[-40:]))),
        float(bool(FUTURE.search(sentence))),
        float(bool(PAST.search(sentence))),
        float(bool(NEGATION.search(sentence))),
        float(bool(QUESTION_AFTER.match(after) or sentence.rstrip().endswith("?"))),
        float(bool(PLEASE.search(sentence))),
        float(bool(WRITER_AWAY.search(sentence))),
        float(bool(SECOND_PERSON.search(sentence))),
        float(bool(FIRST_PLURAL.search(sentence))),
        float(bool(FIRST_SINGULAR.search(sentence))),
        float(bool(RESCHEDULE_NEW.search(before[-60:]))),
        float(bool(RESCHEDULE_OLD.search(before[-40:]))),
        float(bool(RECURRING.search(sentence))),
        float(bool(NOT_EVENT_WORDS.search(before[-50:]))),
        float(
            bool(
                ALTERNATIVE.search(text[max(0, mention.span_start - 25) : mention.span_start])
                or ALTERNATIVE.search(after[:25])
            )
        ),
        float(bool(LIST_LINE.match(line))),
        float("\t" in line or "  " in line.strip()),
        math.log1p(len(on_line)),
        math.log1p(len(in_sentence)),
        float(in_sentence.index(mention.span_start) if mention.span_start in in_sentence else 0),
        mention.span_start / max(len(text), 1),
        float(mention.span_start < 300),
        math.log1p(len(starts)) / math.log1p(MAX_MENTIONS),
        float(bulk),
        math.log1p(len(text)) / math.log1p(100_000),
        digits / max(len(line), 1),
        float(rule is not None and rule[0] == "meeting"),
        float(rule is not None and rule[0] == "deadline"),
        float(bool(WRITER_BEFORE.search(before))),
        float(_is_data_row(line, text, mention)),
    ]


#: How far after the day named before it a clock time with no day still takes that day: an
#: agenda's times run on long after its heading ("Tuesday November 6th 7:00 Continental
#: Breakfast … 3:15 Break"), and a part of the day ("Thursday night") only nearby.
_DAY_REACH = 1200
_DAY_PART_REACH = 400


def candidates(
    text: str, reference: datetime, zone: tzinfo | str | None = None, subject: str = ""
) -> tuple[str, list[Candidate]]:
    """The text with quoted history blanked, and every future mention in it as a candidate.
    ``subject`` (the mail's subject line, "" when there is none) lends its cue words and
    dates to the candidates."""
    clean = proposal_text(text)
    found = extract_times(clean, reference, zone)
    if len(found) > MAX_MENTIONS:
        # A log, a timetable or a newsletter: nobody proposes hundreds of meetings at once.
        _log.warning(
            "%d date/time mentions; only the first %d are considered", len(found), MAX_MENTIONS
        )
    mentions = expand_offered_days(clean, found[:MAX_MENTIONS])
    starts = [m.span_start for m in mentions]
    bulk = bool(BULK.search(clean))
    out: list[Candidate] = []
    last_dated: TimeMention | None = None
    for mention in mentions:
        anchored = False
        if (
            not mention.dated
            and last_dated is not None
            and isinstance(mention.start, datetime)
            and mention.span_start - last_dated.span_end <= _DAY_REACH
        ):
            day = last_dated.start_date()
            clock = (mention.start.hour, mention.start.minute)
            if (
                mention.clock_guessed
                and not mention.day_part
                and last_dated.day_part
                and mention.span_start - last_dated.span_end <= _DAY_PART_REACH
            ):
                # "Thursday night ... I'll have it ready by 8:30": the day's part of the
                # day decides the clock's half, as beside it.
                clock = in_day_part(clock, last_dated.day_part)
            start = localize(day, clock, mention.zone)
            shift = start - mention.start
            end = mention.end + shift if isinstance(mention.end, datetime) else None
            mention = replace(mention, start=start, end=end, dated=True)
            anchored = True
        elif mention.dated and not (mention.deadline_hint and mention.all_day):
            # "by the end of the week. … See you at 1:00": a period's end is no day to meet on.
            last_dated = mention
        if mention.is_before(reference) or ruled_out(clean, mention):
            continue
        out.append(
            Candidate(
                mention,
                _features(clean, mention, reference, anchored, starts, bulk),
                anchored,
                nearby_words(clean, mention),
            )
        )
    _add_neighbour_features(out)
    _add_subject_features(out, subject, reference, zone)
    return clean, out


_REPLY_SUBJECT = re.compile(r"^\s*(?:re|fw|fwd|aw|wg|sv)\s*:", re.IGNORECASE)


def _add_subject_features(
    found: list[Candidate], subject: str, reference: datetime, zone: tzinfo | str | None
) -> None:
    """ "Meeting 10/24 at 10:00am", "happy hour tomorrow": the subject often names the event
    and its day."""
    days = {m.start_date() for m in extract_times(subject, reference, zone)} if subject else set()
    event = float(bool(EVENT_NOUN.search(subject)))
    proposal = float(bool(PROPOSAL.search(subject)))
    reply = float(bool(_REPLY_SUBJECT.match(subject)))
    for candidate in found:
        same_day = float(candidate.mention.start_date() in days)
        candidate.features.extend([event, proposal, same_day, reply, float(bool(days))])


def _add_neighbour_features(found: list[Candidate]) -> None:
    """Schedules ("Cocktails 5:30pm, Dinner 6:00pm") name one event by its first time; a
    day named alone beside the same day with a time is the same event."""
    timed_days = {c.mention.start_date() for c in found if not c.mention.all_day}
    for index, candidate in enumerate(found):
        mention = candidate.mention
        earlier = any(
            not other.mention.all_day
            and not mention.all_day
            and other.mention.start_date() == mention.start_date()
            and mention.span_start - other.mention.span_end <= 400
            for other in found[:index]
        )
        candidate.features.append(float(earlier))
        candidate.features.append(float(mention.all_day and mention.start_date() in timed_days))
