"""How far two people agree when they label the same mail: the ceiling of the calendar
figures.

Messages read twice (``LabelledMessage.labellings``: two blind labellings with the written
convention, docs/calendar.md) are scored as ``evaluation.evaluate`` scores a detector: the
second reader's labels play the suggestions, matched against the first reader's labels
(the same instant, or the same day for a day-only label). Precision is the share of the
second reader's labels the first also gave, recall the share of the first's the second
found. A detector scored against one reader's labels cannot be expected to do better than
another careful reader does.
"""

from __future__ import annotations

from typing import Any

from plugin.drafts.calendar.evaluation import (
    LabelledMessage,
    Labelling,
    claim_label,
    label_start,
)


def _matched(first: Labelling, second: Labelling) -> int:
    open_labels = list(first.expected)
    zone = second.zone or second.reference.tzinfo
    return sum(
        claim_label(label_start(label, zone), open_labels, first) for label in second.expected
    )


def agreement(messages: list[LabelledMessage]) -> dict[str, Any]:
    """The second labelling scored against the first, over the ``messages`` read twice."""
    read_twice = [m for m in messages if len(m.labellings) == 2]
    matched = first_labels = second_labels = agreeing = 0
    for message in read_twice:
        first, second = message.labellings
        hits = _matched(first, second)
        matched += hits
        first_labels += len(first.expected)
        second_labels += len(second.expected)
        agreeing += hits == len(first.expected) == len(second.expected)
    precision = matched / second_labels if second_labels else 1.0
    recall = matched / first_labels if first_labels else 1.0
    return {
        "messages": len(read_twice),
        "first_labels": first_labels,
        "second_labels": second_labels,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "messages_agreeing": agreeing / len(read_twice) if read_twice else 1.0,
    }
