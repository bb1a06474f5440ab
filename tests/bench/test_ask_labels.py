"""tests/data/ask_labels.json, the session-8 sentence-level ask labels of the learned ask
decision (bench/asks_data.py): their schema, that each fragment is found in its mail,
that every mail is of a dev mailbox, and that no mail is labelled elsewhere or twice."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from asks_data import ASK_LABELS, relative
from reply import LABELS, norm, split_of

from plugin.drafts.triage import labels as mail_labels


def _messages() -> list[dict]:
    data = json.loads(ASK_LABELS.read_text(encoding="utf-8"))
    assert set(data) == {"about", "messages"} and data["about"].strip()
    return data["messages"]


def _body(shared: Path, path: str) -> str:
    return (shared / relative(path)).read_text(encoding="utf-8").split("\n@subject")[0].strip()


def test_schema_and_size() -> None:
    messages = _messages()
    assert len(messages) >= 800
    paths = [m["path"] for m in messages]
    assert len(paths) == len(set(paths)), "a mail is labelled twice"
    for message in messages:
        assert set(message) == {"path", "asks"}, message["path"]
        assert message["path"].startswith("../shared/data/aeslc-"), message["path"]
        assert all(isinstance(a, str) and a.strip() for a in message["asks"]), message["path"]
    # random mails, asking or not: both kinds are there in numbers
    asking = sum(bool(m["asks"]) for m in messages)
    assert 0.25 * len(messages) < asking < 0.75 * len(messages)


def test_dev_mailboxes_only_and_no_mail_of_the_other_label_files() -> None:
    replies = {relative(m["path"]) for m in json.loads(LABELS.read_text())["messages"]}
    digest_test = {relative(x.path) for x in mail_labels.read_labels() if x.split == "test"}
    for message in _messages():
        assert split_of(message["path"]) == "dev", message["path"]
        assert relative(message["path"]) not in replies | digest_test, message["path"]


def test_every_fragment_is_found_in_its_mail_and_no_body_twice(shared_dir: Path) -> None:
    # nor a copy of a mail of the other label files (Enron holds copies under other
    # mailboxes: a test mail's copy would bring test text into dev)
    other = [relative(m["path"]) for m in json.loads(LABELS.read_text())["messages"]]
    other += [relative(x.path) for x in mail_labels.read_labels()]
    bodies = {norm(_body(shared_dir, path)) for path in other if path.startswith("data/aeslc-")}
    for message in _messages():
        body = norm(_body(shared_dir, message["path"]))
        assert body not in bodies, message["path"]
        bodies.add(body)
        for fragment in message["asks"]:
            assert norm(fragment) in body, (message["path"], fragment)
