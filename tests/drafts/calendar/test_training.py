"""What the calendar decision learns from: candidates, targets and each reader's weight."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from plugin.drafts.calendar.evaluation import LabelledMessage, Labelling, mailbox
from plugin.drafts.calendar.training import (
    CandidateCache,
    candidate_rows,
    out_of_fold_scores,
    readings,
)
from tests.drafts.calendar.helpers import CHICAGO, LABELLED_MAILS, MONDAY, labelled_mail

TEXT = "Can we meet Thursday at 3pm to go over the budget?"
THURSDAY = [{"start": "2001-10-18T15:00"}]


def _message(*labellings: Labelling, expected: list[dict[str, str]] = THURSDAY) -> LabelledMessage:
    return LabelledMessage("f", TEXT, MONDAY, CHICAGO, expected, labellings=labellings)


def test_a_message_read_once_is_one_reading() -> None:
    found, targets, weights = candidate_rows([_message()], CandidateCache())
    assert len(found) == 1 and targets == [1] and weights == [1.0]


def test_readers_who_disagree_make_the_candidate_uncertain() -> None:
    # The first reader and the third (the final label) took the Thursday call; the second
    # did not.
    message = _message(Labelling(MONDAY, CHICAGO, THURSDAY), Labelling(MONDAY, CHICAGO, []))
    assert [len(r.expected) for r in readings(message)] == [1, 1, 0]
    found, targets, weights = candidate_rows([message], CandidateCache())
    assert len(found) == 3 and sorted(targets) == [0, 1, 1]
    assert weights == pytest.approx([1 / 3] * 3)
    assert sum(w for w, t in zip(weights, targets, strict=True) if t) == pytest.approx(2 / 3)


def test_each_reading_resolves_dates_from_its_own_send_time() -> None:
    # The second reader assumed the mail was sent a week later: "Thursday" is the 25th.
    later = datetime(2001, 10, 22, 8, tzinfo=CHICAGO)
    message = _message(
        Labelling(MONDAY, CHICAGO, THURSDAY),
        Labelling(later, CHICAGO, [{"start": "2001-10-25T15:00"}]),
    )
    _found, targets, _weights = candidate_rows([message], CandidateCache())
    assert targets == [1, 1, 1]


def _mailboxes(relabel: str = "") -> list[LabelledMessage]:
    """``LABELLED_MAILS`` in their four mailboxes; ``relabel``'s mail loses its labels."""
    messages = [labelled_mail(i, body, starts) for i, (body, starts) in enumerate(LABELLED_MAILS)]
    return [replace(m, expected=[]) if mailbox(m.file) == relabel else m for m in messages]


def _scores_by_mailbox(messages: list[LabelledMessage]) -> dict[str, list[float]]:
    cache = CandidateCache()
    scores = out_of_fold_scores(messages, cache, folds=2)
    by_box: dict[str, list[float]] = {}
    for message in messages:
        _clean, found = cache.get(message.text, message.reference, message.zone, message.subject)
        by_box.setdefault(mailbox(message.file), []).extend(
            scores[id(candidate)] for candidate in found
        )
    return by_box


def test_calibration_scores_come_from_fits_that_never_saw_the_mailbox() -> None:
    before = _scores_by_mailbox(_mailboxes())
    after = _scores_by_mailbox(_mailboxes(relabel="box0"))
    assert sorted(before) == ["box0", "box1", "box2", "box3"]
    assert all(before[box] for box in before)
    # Relabelling one mailbox leaves its own candidates' scores alone and moves others'.
    assert after["box0"] == before["box0"]
    assert any(after[box] != before[box] for box in ("box1", "box2", "box3"))
