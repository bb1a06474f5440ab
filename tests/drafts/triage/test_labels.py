"""The hand labels of the digest: schema, groups and the dev/test split rule."""

from __future__ import annotations

import json
from pathlib import Path

from connectors.mailcategory import CATEGORIES
from plugin.drafts.triage.labels import LABELS, label_group, load_document, read_labels, split_of


def test_label_file_schema() -> None:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    assert data["categories"] == list(CATEGORIES)
    paths = [m["path"] for m in data["messages"]]
    assert len(paths) == len(set(paths)), "a mail is labelled twice"
    allowed = {"path", "category", "asks", "group", "split", "added_after_freeze", "note", "round"}
    for message in data["messages"]:
        assert {"path", "category", "asks", "group", "split"} <= set(message) <= allowed
        assert message["category"] in CATEGORIES and isinstance(message["asks"], bool)
        assert not message["path"].startswith(("/", "..")), "paths are relative to ../shared"
        # labels added after the rules were frozen are test labels, never trained on
        if message.get("added_after_freeze"):
            assert message["split"] == "test", message["path"]


def test_every_label_is_in_the_split_of_its_group(shared_dir: Path) -> None:
    labels = read_labels()
    assert len(labels) >= 293 + 80
    for label in labels:
        document = load_document(shared_dir, label.path)
        assert label_group(label.path, document.author) == label.group, label.path
        assert split_of(label.group) == label.split, label.path
    dev = {label.group for label in labels if label.split == "dev"}
    test = {label.group for label in labels if label.split == "test"}
    assert dev and test and not dev & test


def test_group_rule_examples() -> None:
    assert label_group("data/aeslc-train/mims-thurston-p_inbox_3.subject", "") == (
        "enron:mims-thurston-p"
    )
    assert label_group("corpus/mail/fixtures/flanker/x.eml", "a@b.c") == "fixture:flanker"
    assert label_group("corpus/mail/spamassassin/x.eml", "Wynne, Conor <c@mail.maxtor.com>") == (
        "sender:maxtor.com"
    )
    assert split_of("enron:shackleton-s") == "dev" and split_of("sender:ac.uk") == "test"
