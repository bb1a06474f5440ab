"""The labelled set, the learned calendar decision and its confidence threshold."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from plugin.drafts.calendar.decision import WEIGHTS, MeetingModel, detect_learned, load_model
from plugin.drafts.calendar.evaluation import LABELS, evaluate, load_labelled, mailbox
from plugin.drafts.calendar.features import FEATURES, Candidate, candidates
from plugin.drafts.calendar.meetings import MeetingsDraft
from tests.conftest import REPO, python_outside_repo
from tests.drafts.calendar.helpers import CHICAGO, WEDNESDAY, mail


def _labels() -> list[dict[str, object]]:
    return json.loads(LABELS.read_text(encoding="utf-8"))["messages"]


def test_label_file_schema_and_size() -> None:
    items = _labels()
    assert len(items) >= 400
    assert len({item["file"] for item in items}) == len(items)
    assert len({mailbox(str(item["file"])) for item in items}) >= 60
    assert sum(1 for item in items if not item["expected"]) >= 0.4 * len(items)
    for item in items:
        keys = {"file", "reference", "zone", "expected", "note", "split", "round"}
        # A message read twice: the second blind labelling, and where a third reader
        # decided between them, the decision and (when it replaced it) the first labelling.
        keys |= {"second", "first", "adjudicated"}
        assert set(item) <= keys, item
        assert item.get("round", "s27") in {"s27", "s33"}, item  # a later round is added here
        if item.get("round") == "s33":  # train labels added later, each read twice blind
            assert item["split"] == "train" and "second" in item, item
        for labelling in (item[k] for k in ("second", "first") if k in item):
            assert set(labelling) <= {"reference", "zone", "expected", "note"}, item
            datetime.fromisoformat(str(labelling["reference"]))
            _check_labels(labelling["expected"])
        assert item["split"] in {"train", "dev", "test"}
        file = str(item["file"])
        assert file.startswith(("data/aeslc-train/", "data/aeslc-dev/", "corpus/mail/")), file
        if file.endswith(".subject"):  # AESLC keeps no headers: the send time is assumed
            datetime.fromisoformat(str(item["reference"]))
            assert item["zone"]
        _check_labels(item["expected"])


def _check_labels(expected: Any) -> None:
    assert isinstance(expected, list)
    for label in expected:
        assert len(label) == 1 or set(label) == {"start", "zone"}, label
        if "start" in label:
            datetime.fromisoformat(label["start"])
        else:
            date.fromisoformat(label["date"])


def test_no_mailbox_is_in_two_splits() -> None:
    splits: dict[str, set[str]] = defaultdict(set)
    for item in _labels():
        splits[mailbox(str(item["file"]))].add(str(item["split"]))
    assert all(len(found) == 1 for found in splits.values()), {
        box: found for box, found in splits.items() if len(found) > 1
    }
    counts = {
        name: sum(1 for item in _labels() if item["split"] == name)
        for name in ("train", "dev", "test")
    }
    assert counts["test"] >= 100 and counts["dev"] >= 60 and counts["train"] >= 200


def test_mailbox_is_the_file_name_prefix() -> None:
    assert mailbox("data/aeslc-train/allen-p_inbox_20.subject") == "allen-p"
    assert mailbox("data/aeslc-dev/allen-p_sent_3.subject") == "allen-p"
    assert mailbox("corpus/mail/spamassassin/easy-ham-1_00063.0a.eml") == "spamassassin/easy-ham-1"
    assert mailbox("corpus/mail/fixtures/talon/yahoo.eml") == "talon"


def test_labelled_files_exist_in_shared(shared_dir: Path) -> None:
    messages = load_labelled(shared_dir)
    assert len(messages) == len(_labels())
    assert all(message.text.strip() for message in messages)


def test_learned_decision_loads_from_the_package_without_shared(tmp_path: Path) -> None:
    import plugin.drafts.calendar.decision as module

    assert WEIGHTS.parent == Path(module.__file__).parent  # inside the installed package
    assert REPO / "plugin" in WEIGHTS.parents
    weights = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert weights["features"] == FEATURES and len(weights["coef"]) == len(FEATURES)
    # A fresh interpreter in an empty folder, with ../shared out of reach: only the
    # package's own file is read.
    script = (
        "from datetime import datetime; from zoneinfo import ZoneInfo\n"
        "from plugin.drafts.calendar.decision import detect_learned\n"
        "ref = datetime(2026, 11, 25, 9, tzinfo=ZoneInfo('America/Chicago'))\n"
        "found = detect_learned('Can we meet Thursday at 3pm to review the budget?', ref)\n"
        "print([s.mention.start.isoformat() for s in found], found[0].confidence)\n"
    )
    done = python_outside_repo(script, tmp_path)
    assert "2026-11-26T15:00:00-06:00" in done.stdout


def test_weights_from_another_feature_set_are_refused() -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        MeetingModel.from_json(data)


@pytest.mark.parametrize("content", ["", "{not json", '{"features": []}'])
def test_broken_weights_file_is_a_clear_config_error(tmp_path: Path, content: str) -> None:
    from connectors.errors import ConfigError

    broken = tmp_path / "decision_weights.json"
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_model(broken)
    assert raised.value.item == str(broken) and "train_meetings" in (raised.value.hint or "")


def test_retraining_reproduces_the_shipped_weights(shared_dir: Path) -> None:
    from plugin.drafts.calendar.training import train  # scikit-learn: a [dev] dependency

    retrained = json.loads(json.dumps(train(shared_dir)))
    assert retrained == json.loads(WEIGHTS.read_text(encoding="utf-8"))


@pytest.mark.xfail(
    strict=True,
    reason="not met yet: test split measured P 0.646 / R 0.694 (docs/calendar.md; two blind "
    "readers agree at 0.897 / 0.897 on it); strict, so the suite says so the day the targets "
    "are reached",
)
def test_test_split_reaches_the_targets(shared_dir: Path) -> None:
    result = evaluate(shared_dir, detect_learned, split="test")
    assert result["messages"] >= 100
    # Only the figures are shown: a test message whose misses are read moves to dev.
    assert result["precision"] >= 0.9, (result["precision"], result["recall"])
    assert result["recall"] >= 0.85, (result["precision"], result["recall"])


def _learned_and_rules_on_test(shared_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    from plugin.drafts.calendar.cues import detect

    learned = evaluate(shared_dir, detect_learned, split="test")
    return learned, evaluate(shared_dir, detect, split="test")


def test_learned_decision_beats_the_rules_on_test(shared_dir: Path) -> None:
    from plugin.drafts.calendar.evaluation import f1

    learned, rules = _learned_and_rules_on_test(shared_dir)
    assert f1(learned) > f1(rules) + 0.05
    assert learned["precision"] > rules["precision"] + 0.1


@pytest.mark.xfail(
    strict=True,
    reason="not met since the test split grew by 172 fresh messages (round s27): learned "
    "recall 0.694 against the rules' 0.752 (docs/calendar.md); it held on the first 104",
)
def test_learned_decision_finds_as_much_as_the_rules_on_test(shared_dir: Path) -> None:
    learned, rules = _learned_and_rules_on_test(shared_dir)
    assert learned["recall"] >= rules["recall"], (learned["recall"], rules["recall"])


def test_confident_suggestions_hold_on_test(shared_dir: Path) -> None:
    """The operating point ``[calendar] min_confidence = 0.9`` keeps its promise on mail
    no rule or weight was tuned on."""

    def confident(text: str, reference: datetime, zone: object, subject: str = "") -> list[object]:
        found = detect_learned(text, reference, zone, subject=subject)  # type: ignore[arg-type]
        return [s for s in found if s.confidence >= 0.9]

    result = evaluate(shared_dir, confident, split="test")  # type: ignore[arg-type]
    assert result["suggestions"] >= 10
    assert result["precision"] >= 0.9, result["precision"]


def test_confidence_is_calibrated_on_test(shared_dir: Path) -> None:
    """On mail the weights never saw: dev is in their fit, and its calibration comes from
    scores out of fold (``training``)."""
    from plugin.drafts.calendar.evaluation import calibration

    def scored(text: str, reference: datetime, zone: object, subject: str = "") -> list[object]:
        return detect_learned(text, reference, zone, threshold=0.05, subject=subject)  # type: ignore[arg-type]

    table = calibration(shared_dir, scored, "test", edges=(0.0, 0.5, 0.8, 1.01))
    low, middle, high = table
    # Suggestions at 0.8 or more are right about as often as they claim; below 0.5 rarely.
    assert high["suggestions"] >= 20 and high["accuracy"] >= 0.8
    assert low["accuracy"] is None or low["accuracy"] <= 0.5
    assert (
        middle["accuracy"] is None
        or low["accuracy"] is None
        or (middle["accuracy"] >= low["accuracy"])
    )


def test_candidates_find_what_the_rules_find() -> None:
    _clean, found = candidates(
        "Lunch Friday at noon? If not, Monday at 1pm works too.", WEDNESDAY, CHICAGO
    )
    assert len(found) == 2 and all(len(c.features) == len(FEATURES) for c in found)
    assert load_model().confidence(found[0]) > 0.5


def test_min_confidence_hides_weak_suggestions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from plugin.config import settings

    text = "Can we meet Thursday at 3pm to review the budget? Maybe lunch Friday too."
    shown = MeetingsDraft(None).draft([mail(text)], {"titles": "subject"})[0]
    confidences = [s["confidence"] for s in shown.data["suggestions"]]
    assert confidences and all(0.0 < c <= 1.0 for c in confidences)
    strict = MeetingsDraft(None).draft([mail(text)], {"titles": "subject", "min_confidence": 1.0})
    assert strict[0].data["suggestions"] == []
    # The config file's [calendar] min_confidence applies when the job sets none.
    config = tmp_path / "config.toml"
    config.write_text("[calendar]\nmin_confidence = 0.999\n", encoding="utf-8")
    monkeypatch.setenv("DESKDRAFT_CONFIG", str(config))
    settings.cache_clear()
    try:
        hidden = MeetingsDraft(None).draft([mail(text)], {"titles": "subject"})[0]
        assert len(hidden.data["suggestions"]) < len(confidences) or max(confidences) >= 0.999
    finally:
        settings.cache_clear()


@pytest.mark.parametrize("name", ["min_confidence", "likely_confidence"])
@pytest.mark.parametrize("value", ["lots", 1.5, -0.1])
def test_confidence_options_are_checked(name: str, value: object) -> None:
    from connectors.errors import UsageError

    with pytest.raises(UsageError, match=name):
        MeetingsDraft(None).draft([mail("Lunch Friday?")], {name: value})


def test_suggestions_below_likely_confidence_are_marked_maybe() -> None:
    text = "Can we meet Thursday at 3pm to review the budget? Maybe lunch Friday too."
    options = {"titles": "subject"}
    shown = MeetingsDraft(None).draft([mail(text)], options)[0]
    confidences = [s["confidence"] for s in shown.data["suggestions"]]
    cut = (min(confidences) + max(confidences)) / 2
    assert min(confidences) < cut < max(confidences)
    marked = MeetingsDraft(None).draft([mail(text)], {**options, "likely_confidence": cut})[0]
    likely = [s["likely"] for s in marked.data["suggestions"]]
    assert likely == [c >= cut for c in confidences]
    # The text output says "maybe" on exactly the unsure lines.
    lines = marked.text.splitlines()
    assert [("(maybe)" in line) for line in lines] == [not flag for flag in likely]


def test_rules_decision_is_still_available() -> None:
    draft = MeetingsDraft(None).draft(
        [mail("Lunch Friday at noon?")], {"decision": "rules", "titles": "subject"}
    )[0]
    assert [s["start"] for s in draft.data["suggestions"]] == ["2026-11-27T12:00:00-06:00"]


def test_subject_line_lends_its_cue_and_day() -> None:
    text = "I can send the numbers Thursday at 3pm."

    def confidence(subject: str) -> float:
        found = detect_learned(text, WEDNESDAY, CHICAGO, threshold=0.0, subject=subject)
        return found[0].confidence

    assert confidence("Budget review meeting Thursday") > confidence("") + 0.1
    draft = MeetingsDraft(None).draft(
        [mail(text, title="Budget review meeting Thursday")], {"titles": "subject"}
    )[0]
    assert draft.data["suggestions"][0]["confidence"] == round(
        confidence("Budget review meeting Thursday"), 2
    )


def test_learned_decision_caps_timetables(caplog: pytest.LogCaptureFixture) -> None:
    from plugin.drafts.calendar.cues import MAX_MENTIONS

    text = "Meeting at 9:00 am on Dec 3. " * (MAX_MENTIONS + 50)
    found = detect_learned(text, WEDNESDAY, CHICAGO)
    assert len(found) <= 1  # one moment, named many times
    assert f"only the first {MAX_MENTIONS}" in caplog.text


def test_a_feature_the_labels_barely_show_is_not_learned() -> None:
    """A column set on fewer than ``MIN_SUPPORT`` training candidates gets no weight, so on
    real mail it cannot add a term that its tiny spread would make huge."""
    from plugin.drafts.calendar.training import MIN_SUPPORT, _fit

    found = _candidates([[float(i % 2), 1.0 if i < 2 else 0.0] for i in range(40)])
    targets = [i % 2 for i in range(40)]
    fitted = _fit(found, targets, [1.0] * 40, 1.0)
    assert MIN_SUPPORT > 2  # the column above is set on two rows
    assert fitted["coef"][1] == 0.0 and fitted["scale"][1] == 1.0
    assert fitted["coef"][0] > 0.5


def _candidates(rows: list[list[float]], nearby: list[str] | None = None) -> list[Candidate]:
    _clean, [found] = candidates("Lunch Friday at noon?", WEDNESDAY, CHICAGO)
    return [
        replace(found, features=row, nearby=words)
        for row, words in zip(rows, nearby or [""] * len(rows), strict=True)
    ]


def test_the_words_around_a_time_are_learned() -> None:
    """Words the rule features never name ("postponed") still move a candidate's score,
    through the TF-IDF of the words around the mention, and the weights file keeps them."""
    from plugin.drafts.calendar.training import _fit, _model

    nearby = [
        f"the review timemention {'was postponed' if i % 2 else 'works for me'} thanks"
        for i in range(40)
    ]
    found = _candidates([[0.0] * len(FEATURES)] * 40, nearby)
    targets = [1 - i % 2 for i in range(40)]
    fitted = _fit(found, targets, [1.0] * 40, 1.0)
    terms = fitted["words"]["blocks"][0]["terms"]
    weight = dict(zip(terms, fitted["words"]["coef"], strict=True))
    assert weight["postponed"] < 0 < weight["works"]
    assert "the" in terms and "timemention" in terms  # in every text: no weight to speak of
    model = _model(fitted, 1.0, 0.0, 0.5)
    assert model.confidence(found[0]) > 0.5 > model.confidence(found[1])
    # Unknown words score as no words.
    plain = replace(found[0], nearby="quarterly figures attached")
    blank = replace(found[0], nearby="")
    assert model.score(plain) == pytest.approx(model.score(blank))


def test_weights_without_words_still_load_and_mismatched_words_are_refused() -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    words = data.pop("words")
    _clean, found = candidates("Lunch Friday at noon?", WEDNESDAY, CHICAGO)
    assert 0.0 < MeetingModel.from_json(data).confidence(found[0]) < 1.0
    words["coef"] = words["coef"][:-1]
    with pytest.raises(ValueError, match="do not match their vocabulary"):
        MeetingModel.from_json({**data, "words": words})


def test_a_reply_subject_does_not_sink_a_plain_proposal() -> None:
    """AESLC subjects carry no "Re:": the shipped weights must not punish a reply for it."""
    text = "Can we go through the Q4 budget on Tuesday, December 1 at 2:30pm?"
    model = load_model()
    scores = {}
    for subject in ("Q4 budget review", "Re: Q4 budget review"):
        _clean, found = candidates(text, WEDNESDAY, CHICAGO, subject)
        scores[subject] = model.confidence(found[0])
    assert scores["Re: Q4 budget review"] == pytest.approx(scores["Q4 budget review"], abs=0.02)
    assert scores["Re: Q4 budget review"] >= model.threshold
