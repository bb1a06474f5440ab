"""bench/reply.py's summary: the figures of each split, and of each label round in it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from reply import OLDER_ROUND, judge, split_summary


def _result(split: str, round_name: str, asks: int, covered: int) -> dict:
    return {
        "split": split,
        "round": round_name,
        "asks": asks,
        "covered": covered,
        "invented_answers": 0,
        "unsupported": [],
        "commitments": [],
        "answers_all": True,
        "placeholder_free": covered == asks,
        "draft_path": "template",
        "verified": True,
        "elapsed_s": 0.01,
    }


def test_each_round_of_a_split_is_reported_apart() -> None:
    results = [
        _result("dev", OLDER_ROUND, 2, 2),
        _result("dev", "s8-dev", 2, 1),
        _result("dev", "s8-dev", 1, 1),
    ]
    summary = split_summary(results)
    assert "test" not in summary and "test_rounds" not in summary
    assert summary["dev"]["messages"] == 3 and summary["dev"]["asks_covered"] == 0.8
    rounds = summary["dev_rounds"]
    assert list(rounds) == [OLDER_ROUND, "s8-dev"]
    assert rounds[OLDER_ROUND]["asks_covered"] == 1.0
    assert rounds["s8-dev"]["asks"] == 3 and rounds["s8-dev"]["asks_covered"] == 0.6667
    assert rounds["s8-dev"]["placeholder_free_when_answered"] == 0.5


def test_a_label_without_a_round_is_of_the_older_round() -> None:
    label = {
        "path": "../shared/data/aeslc-dev/x_inbox_1.subject",
        "split": "dev",
        "asks": [{"text": "Can you send it?", "answered": True}],
        "intent": "yes",
        "body": "Can you send it?",
    }
    data = {
        "reply": "Hi,\n\nYes.\n\nBest regards,",
        "plan": {
            "asks": [{"text": "Can you send it?", "answered_by": "intent"}],
            "intent": {"kind": "yes"},
        },
        "placeholders": [],
        "path": "template",
        "verified": True,
        "_elapsed": 0.01,
    }
    assert judge(label, data)["round"] == OLDER_ROUND
    assert judge({**label, "round": "s8-dev"}, data)["round"] == "s8-dev"
