"""bench/reply_agreement.py: two readers' asks compared by the sentence they stand in."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from reply import load
from reply_agreement import norm, readers_agree, sentences_of

BODY = (
    "Hi Ann,\nCould you send me the Q3 numbers by Friday? I also need the contract signed.\n"
    "Let me know if you have any questions.\nThanks"
)


def _label(first: list[str], second: list[str]) -> dict:
    return {
        "body": BODY,
        "asks": [{"text": text, "answered": True} for text in first],
        "second_asks": second,
    }


def test_a_fragment_falls_in_the_sentences_it_covers() -> None:
    body = norm(BODY)
    assert sentences_of("send me the Q3 numbers", body) == sentences_of("by Friday?", body)
    assert sentences_of("send me the Q3 numbers", body) != sentences_of("contract signed", body)
    # not copied exactly: the sentence holding most of its words
    assert sentences_of("need the contract to be signed", body) == sentences_of(
        "contract signed", body
    )
    assert sentences_of("lunch on the terrace", body) == set()


def test_asks_match_by_sentence_not_by_the_exact_cut() -> None:
    agreed = readers_agree(
        [
            _label(
                ["Could you send me the Q3 numbers by Friday?", "I also need the contract signed"],
                ["send me the Q3 numbers", "Let me know if you have any questions"],
            ),
            _label([], []),
            {"body": BODY, "asks": [{"text": "by Friday", "answered": True}]},  # read once
        ]
    )
    assert agreed == {
        "mails": 2,
        "first_asks": 2,
        "second_asks": 2,
        "found": 0.5,
        "confirmed": 0.5,
        "mails_agreeing_on_asking": 1.0,
    }


def test_the_second_reading_on_the_label_file(shared_dir: Path) -> None:
    agreed = readers_agree(load(shared_dir, "all"))
    # the 98 fresh test labels were read twice (one has since moved to dev, read while
    # fixing a rule); every fragment of both readings is located
    assert agreed["mails"] == 98 and agreed["first_asks"] == 164
    assert 0.0 < agreed["found"] <= 1.0 and 0.0 < agreed["confirmed"] <= 1.0
