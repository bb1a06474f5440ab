"""tests/data/reply_labels.json and reply_intents.json, the labels bench/reply.py scores
against: their schema, that each ask is found in its mail, and that the mailbox split is
kept."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from asks_data import ASK_LABELS
from reply import INTENT_LABELS, label_messages, load, norm, owner, split_of

from plugin.drafts.reply.intents import MAX_FREE_CHARS, parse_intent

REQUIRED = {"path", "intent", "asks"}
# the labelling round a label was written in, where it matters for reporting apart
ROUNDS = {"s8-dev": "dev", "fresh-test": "test", "s36-dev": "dev", "s37-dev": "dev"}


def _messages() -> list[dict]:
    return label_messages()


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


def test_the_intents_answer_the_ask_labels_own_asks() -> None:
    """Each intent of ``reply_intents.json`` was written for a mail of the ask labels and
    keeps that mail's asks, word for word and in order."""
    asked = {
        m["path"]: m["asks"] for m in json.loads(ASK_LABELS.read_text(encoding="utf-8"))["messages"]
    }
    intents = json.loads(INTENT_LABELS.read_text(encoding="utf-8"))["messages"]
    assert len(intents) >= 140
    for message in intents:
        assert message["round"] == "s36-dev", message["path"]
        assert [ask["text"] for ask in message["asks"]] == asked[message["path"]], message["path"]


def test_the_blind_dev_rounds_have_their_labels() -> None:
    rounds = [message.get("round") for message in _messages()]
    assert rounds.count("s8-dev") >= 100
    assert rounds.count("s37-dev") >= 60


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
    # a fresh test label whose draft was read is moved to dev, and says so
    assert len(twice) == 98
    assert all(m.get("round") == "fresh-test" or "fresh test" in m["moved"] for m in twice)


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


def test_no_test_label_is_a_copy_of_a_dev_mail(shared_dir: Path) -> None:
    """Enron holds many mails twice, under two mailboxes: a test label whose body is also a
    dev label's was seen while tuning (session 37 moved two to dev for that)."""
    labels = load(shared_dir, "all")
    asked = json.loads(ASK_LABELS.read_text(encoding="utf-8"))["messages"]
    dev_bodies = {norm(label["body"]) for label in labels if label["split"] == "dev"}
    for message in asked:
        path = shared_dir / Path(message["path"]).relative_to("../shared")
        dev_bodies.add(norm(path.read_text(encoding="utf-8").split("\n@subject")[0].strip()))
    copies = [
        label["path"]
        for label in labels
        if label["split"] == "test" and norm(label["body"]) in dev_bodies
    ]
    assert copies == []
