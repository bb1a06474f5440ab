"""bench/brief_ask_cover.py: whether the brief says a labelled ask, by halves of mailboxes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from brief_ask_cover import HALVES, ask_positions, asking, cover, half_of

from plugin.drafts.text.sentences import split_sentences


def test_a_mailbox_falls_in_one_half_and_both_halves_hold_asking_mails() -> None:
    assert half_of("../shared/data/aeslc-train/kean-s_sent_1.subject") == half_of(
        "../shared/data/aeslc-train/kean-s_inbox_99.subject"
    )
    labels = asking()
    assert labels and all(label["asks"] for label in labels)
    counts = {h: sum(half_of(label["path"]) == h for label in labels) for h in HALVES}
    assert min(counts.values()) >= 100, counts


def test_a_brief_covers_a_mail_when_it_says_a_sentence_holding_a_fragment() -> None:
    sentences = split_sentences(
        "The audit is done. Please send me the  signed forms by Friday. Thanks for the help."
    )
    assert ask_positions(sentences, ["send me the signed forms"]) == {1}
    labels = [
        {"path": "x/kean-s_inbox_1.subject", "asks": ["send me the signed forms"]},
        {"path": "x/kean-s_inbox_2.subject", "asks": ["send me the signed forms"]},
    ]
    figures = cover(labels, [sentences, sentences], [[0, 1], [0, 2]])
    half = half_of("x/kean-s_inbox_1.subject")
    assert figures[half] == {"mails": 2, "says_an_ask": 1, "share": 0.5, "ask_recall": 0.5}
    assert figures["all"] == figures[half]
    other = next(h for h in HALVES if h != half)
    assert figures[other] == {"mails": 0, "says_an_ask": 0, "share": None, "ask_recall": None}


def test_ask_recall_counts_every_labelled_ask_sentence() -> None:
    sentences = split_sentences(
        "Please send the forms by Friday. The audit is done. Can you call Joe on Monday?"
    )
    label = {"path": "x/kean-s_inbox_1.subject", "asks": ["send the forms", "call Joe"]}
    figures = cover([label], [sentences], [[0, 1]])
    assert figures["all"]["says_an_ask"] == 1 and figures["all"]["ask_recall"] == 0.5
