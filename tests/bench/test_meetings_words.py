"""bench/meetings_words.py: the cross-validation that chose the calendar decision's words
keeps each fold's vocabulary and weights to its own training mailboxes."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from meetings_contexts import Table
from meetings_words import out_of_fold

from tests.drafts.calendar.helpers import LABELLED_MAILS, labelled_mail


def test_every_candidate_is_scored_by_a_model_that_never_saw_its_mailbox() -> None:
    messages = [labelled_mail(i, body, starts) for i, (body, starts) in enumerate(LABELLED_MAILS)]
    table = Table(messages)
    with_words = out_of_fold(table, 2, 1.0, 10.0)
    without = out_of_fold(table, 2, 1.0, 0.0)
    assert with_words.shape == without.shape == (len(table.candidates),)
    assert np.all((with_words > 0) & (with_words < 1))
    assert not np.allclose(with_words, without)  # the words take part
    # Relabel one mailbox's mail: its own candidates' scores stay, the others' move.
    relabelled = Table(
        [
            replace(m, expected=[]) if m.file.split("/")[-1].startswith("box0_") else m
            for m in messages
        ]
    )
    moved = out_of_fold(relabelled, 2, 1.0, 10.0)
    own = np.array(table.groups) == "box0"
    assert own.any() and not own.all()
    np.testing.assert_array_equal(moved[own], with_words[own])
    assert not np.allclose(moved[~own], with_words[~own])
