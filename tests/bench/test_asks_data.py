"""bench/asks_data.py: the candidate sentences and their labels for the learned ask
decision, and that no test-split mail of either label file is ever loaded."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import reply as reply_bench
from asks_data import (
    ASK_LABELS,
    RULE_FEATURES,
    Mail,
    add_candidates,
    candidates,
    fragments_without_candidate,
    load_mails,
    relative,
)

from plugin.drafts.inputs import text_document
from plugin.drafts.triage import labels as mail_labels

MAIL = (
    "Hi Ann,\n\nCould you send me the signed contract by Friday? The weather in Houston "
    "was nice all week. Let me know if you have any questions.\n\nThanks,\nBob"
)


def _feature(features: list[float], name: str) -> float:
    return features[RULE_FEATURES.index(name)]


def test_candidates_are_request_question_and_courtesy_sentences() -> None:
    found = {c.text: c for c in candidates(MAIL, "person", [])}
    ask = next(c for text, c in found.items() if text.startswith("Could you send"))
    manners = next(c for text, c in found.items() if text.startswith("Let me know"))
    assert not any("weather" in text for text in found)
    assert _feature(ask.features, "request_cue") == 1.0
    assert _feature(ask.features, "question_mark") == 1.0
    assert _feature(ask.features, "manners") == 0.0
    assert _feature(manners.features, "manners") == 1.0
    assert _feature(ask.features, "category_person") == 1.0
    assert len(ask.features) == len(RULE_FEATURES)


def _mail(source: str, asks: bool, fragments: list[str] | None = None) -> Mail:
    return Mail(
        key=source,
        group="enron:test-x",
        source=source,
        document=text_document(MAIL),
        asks=asks,
        fragments=fragments or [],
    )


def test_a_wish_or_suggestion_is_a_candidate() -> None:
    text = "Hi,\nThe report is attached. Lets discuss. I would like him to manage the plan."
    found = [c.text for c in candidates(text, "person", [])]
    assert found == ["Lets discuss.", "I would like him to manage the plan."]
    assert all(_feature(c.features, "wish") == 1.0 for c in candidates(text, "person", []))


def test_ask_label_fragments_label_sentences_and_count_the_generator_misses() -> None:
    asks = _mail("asks", True, ["send me the signed contract", "the weather in houston"])
    add_candidates([asks], ["person"], with_category=False)
    assert asks.truth == [1, 0]
    # the weather sentence is no candidate: a miss of the generator, not of a decision
    assert fragments_without_candidate([asks], "asks") == (1, 2)


def test_sentence_labels_from_reply_fragments_and_digest_messages() -> None:
    reply = _mail("reply", True, ["send me the signed contract by friday"])
    digest_no = _mail("digest", False)
    digest_yes = _mail("digest", True)
    add_candidates([reply, digest_no, digest_yes], ["person"] * 3, with_category=True)
    by_text = dict(zip([c.text[:10] for c in reply.candidates], reply.truth, strict=True))
    assert by_text == {"Could you ": 1, "Let me kno": 0}
    assert digest_no.truth == [0, 0]
    # two candidates in a mail that asks: which one asks is unknown, so neither is labelled
    assert digest_yes.truth == [None, None]


def test_a_digest_ask_with_one_candidate_is_its_positive() -> None:
    single = Mail(
        key="one",
        group="g",
        source="digest",
        document=text_document("Bob,\nCan you call me tomorrow morning?\nAnn"),
        asks=True,
    )
    add_candidates([single], ["person"], with_category=False)
    assert single.truth == [1]
    assert len(single.candidates[0].features) == len(RULE_FEATURES) - 3


def test_no_test_split_mail_is_loaded(shared_dir: Path) -> None:
    replies = json.loads(reply_bench.LABELS.read_text(encoding="utf-8"))["messages"]
    test_files = {
        relative(m["path"])
        for m in replies
        if (m.get("split") or reply_bench.split_of(m["path"])) == "test"
    } | {relative(label.path) for label in mail_labels.read_labels() if label.split == "test"}
    mails = load_mails(shared_dir)
    assert sum(m.source == "reply" for m in mails) >= 100
    assert sum(m.source == "digest" for m in mails) >= 300
    assert not {m.key for m in mails} & test_files
    # the ask labels come in once each, as sentence labels, and a mail is loaded once
    ask_paths = {relative(m["path"]) for m in json.loads(ASK_LABELS.read_text())["messages"]}
    loaded = [m for m in mails if m.source == "asks"]
    assert {m.key for m in loaded} == ask_paths - {m.key for m in mails if m.source == "reply"}
    assert len({m.key for m in mails}) == len(mails)
    assert all(m.asks == bool(m.fragments) for m in loaded)
