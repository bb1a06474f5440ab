"""tests/data/reply_labels.json, the labels bench/reply.py scores against: their schema,
that each ask is found in its mail, and that the mailbox split is kept."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from reply import LABELS, load, norm, owner, split_of

from plugin.drafts.reply.intents import MAX_FREE_CHARS, parse_intent

REQUIRED = {"path", "intent", "asks"}
# the labelling round a label was written in, where it matters for reporting apart
ROUNDS = {"s8-dev": "dev", "fresh-test": "test"}


def _messages() -> list[dict]:
    return json.loads(LABELS.read_text(encoding="utf-8"))["messages"]


def test_label_file_schema() -> None:
    messages = _messages()
    paths = [message["path"] for message in messages]
    assert len(paths) == len(set(paths)), "a mail is labelled twice"
    for message in messages:
        optional = {"split", "moved", "round", "second_asks"}
        assert REQUIRED <= set(message) <= REQUIRED | optional, message["path"]
        assert message["path"].startswith("../shared/data/aeslc-"), message["path"]
        assert message["intent"].strip() and message["asks"], message["path"]
        for ask in message["asks"]:
            assert set(ask) == {"text", "answered"} and isinstance(ask["answered"], bool)
        # a label may only leave the test split, and then it says why
        if "split" in message:
            assert message["split"] == "dev" and message.get("moved"), message["path"]
        # a round's labels all come from mailboxes of that round's split
        if "round" in message:
            assert ROUNDS.get(message["round"]) == split_of(message["path"]), message["path"]
            assert "split" not in message, message["path"]


def test_the_blind_dev_round_has_at_least_100_labels() -> None:
    rounds = [message.get("round") for message in _messages()]
    assert rounds.count("s8-dev") >= 100


def test_every_intent_is_a_chip_or_free_text_the_pane_accepts_whole() -> None:
    for message in _messages():
        raw = message["intent"]
        intent = parse_intent(raw)
        assert intent is not None, message["path"]
        if raw.startswith("later:"):
            assert intent.kind == "later" and intent.text, message["path"]
        elif intent.kind == "free":
            assert len(" ".join(raw.split())) <= MAX_FREE_CHARS, message["path"]


def test_every_ask_is_found_in_its_mail(shared_dir: Path) -> None:
    labels = load(shared_dir, "all")
    assert len(labels) == len(_messages())
    for label in labels:
        body = norm(label["body"])
        for ask in label["asks"]:
            assert norm(ask["text"]) in body, (label["path"], ask["text"])
        # the second, blind reading copies its fragments from the mail too
        for text in label.get("second_asks", []):
            assert isinstance(text, str) and norm(text) in body, (label["path"], text)


def test_the_fresh_test_labels_were_read_twice() -> None:
    twice = [m for m in _messages() if "second_asks" in m]
    assert len(twice) == 98 and all(m.get("round") == "fresh-test" for m in twice)


def test_no_mailbox_is_in_both_splits(shared_dir: Path) -> None:
    labels = load(shared_dir, "all")
    by_split = {
        split: {owner(label["path"]) for label in labels if label["split"] == split}
        for split in ("dev", "test")
    }
    moved = {owner(m["path"]) for m in _messages() if m.get("split") == "dev"}
    # only a moved label puts a test mailbox's mail in dev
    assert by_split["dev"] & by_split["test"] <= moved
    assert all(split_of(m["path"]) == "test" for m in _messages() if m.get("split") == "dev")
    assert len(by_split["test"]) >= 60 and sum(label["split"] == "test" for label in labels) >= 146
