"""Two readers' labels of the same mail, scored against each other (the figures' ceiling)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plugin.drafts.calendar.agreement import agreement
from plugin.drafts.calendar.evaluation import (
    LABELS,
    LabelledMessage,
    Labelling,
    load_labelled,
    start_matches,
)

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = datetime(2001, 10, 15, 8, tzinfo=CHICAGO)


def _read_twice(first: list[dict[str, str]], second: list[dict[str, str]]) -> LabelledMessage:
    return LabelledMessage(
        "data/aeslc-train/x_inbox_1.subject",
        "text",
        MONDAY,
        CHICAGO,
        first,
        labellings=(Labelling(MONDAY, CHICAGO, first), Labelling(MONDAY, CHICAGO, second)),
    )


def test_the_same_labels_agree_fully() -> None:
    labels = [{"date": "2001-10-19"}, {"start": "2001-10-16T10:30"}]
    result = agreement([_read_twice(labels, list(labels)), _read_twice([], [])])
    assert result["messages"] == 2
    assert result["precision"] == result["recall"] == result["messages_agreeing"] == 1.0


def test_a_timed_label_matches_a_day_label_of_its_day_but_not_the_reverse() -> None:
    timed, day = [{"start": "2001-10-16T10:30"}], [{"date": "2001-10-16"}]
    # The second reader gave the time where the first gave the day: it counts, as a
    # detector's timed suggestion counts against a day label.
    assert agreement([_read_twice(day, timed)])["precision"] == 1.0
    # A day where the first reader wrote the time is not the same start.
    result = agreement([_read_twice(timed, day)])
    assert result["precision"] == 0.0 and result["recall"] == 0.0
    assert result["messages_agreeing"] == 0.0


def test_extra_and_missing_labels_cost_precision_and_recall() -> None:
    first = [{"date": "2001-10-19"}, {"date": "2001-10-22"}]
    second = [{"date": "2001-10-19"}, {"date": "2001-10-17"}, {"date": "2001-10-18"}]
    result = agreement([_read_twice(first, second)])
    assert (result["first_labels"], result["second_labels"]) == (2, 3)
    assert result["precision"] == pytest.approx(1 / 3) and result["recall"] == 0.5


def test_a_label_in_another_zone_is_the_same_instant() -> None:
    houston = [{"start": "2001-10-15T09:30"}]
    # A Portland reader wrote "9:30 Houston time" as 9:30 with Houston's zone.
    pacific = ZoneInfo("America/Los_Angeles")
    portland = LabelledMessage(
        "f",
        "t",
        MONDAY,
        CHICAGO,
        houston,
        labellings=(
            Labelling(MONDAY, CHICAGO, houston),
            Labelling(
                MONDAY.astimezone(pacific),
                pacific,
                [{"start": "2001-10-15T09:30", "zone": "America/Chicago"}],
            ),
        ),
    )
    assert agreement([portland])["f1"] == 1.0
    assert not start_matches(
        datetime(2001, 10, 15, 9, 30, tzinfo=pacific), houston[0], portland.labellings[0]
    )


def test_messages_read_once_are_left_out() -> None:
    once = LabelledMessage("f", "t", MONDAY, CHICAGO, [{"date": "2001-10-19"}])
    assert agreement([once])["messages"] == 0


def test_every_dev_and_test_message_was_read_twice(shared_dir: Path) -> None:
    items = json.loads(LABELS.read_text(encoding="utf-8"))["messages"]
    for item in items:
        if item["split"] in {"dev", "test"}:
            assert "second" in item, item["file"]
        if "first" in item:  # a third reader's final label replaced the first one
            assert item.get("adjudicated") and "second" in item, item["file"]
    messages = [m for m in load_labelled(shared_dir) if m.split == "test"]
    result = agreement(messages)
    assert result["messages"] == len(messages) >= 250
    # Two careful readers agree on most starts but not all: the convention leaves room.
    assert 0.75 < result["f1"] < 1.0
