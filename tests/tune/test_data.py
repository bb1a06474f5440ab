"""Training pairs from AESLC folders, JSONL files and the job store's feedback."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from connectors.errors import UsageError
from plugin.jobs.store import JobStore
from plugin.tune import data
from tests.tune.conftest import topic_pairs


def test_aeslc_folder_gives_body_and_subject_with_annotator_references(shared_dir: Path) -> None:
    loaded = data.load_aeslc(shared_dir / "data" / "aeslc-train", limit=5)
    assert len(loaded.pairs) == 5
    first = loaded.pairs[0]
    assert first.task == "subject" and first.input and first.target
    assert "@subject" not in first.input
    assert first.group == first.group.split("_")[0]  # the mailbox, not the file
    dev = data.load_aeslc(shared_dir / "data" / "aeslc-dev", limit=3)
    assert all(len(p.references) == 3 for p in dev.pairs)


def test_jsonl_counts_malformed_lines_and_unknown_tasks(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps({"task": "subject", "input": "Please send the report.", "target": "report"}),
        "{not json",
        json.dumps({"task": "poem", "input": "x", "target": "y"}),
        json.dumps({"task": "title", "input": "Lunch on Friday?", "target": ""}),
        json.dumps({"task": "title", "input": "Lunch on Friday at noon", "target": "Lunch"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = data.load_jsonl(path)
    assert [(p.task, p.target) for p in loaded.pairs] == [("subject", "report"), ("title", "Lunch")]
    assert loaded.skipped == Counter({"malformed": 2, "unknown task": 1})


def _job(store: JobStore, kind: str, text: str, draft_text: str) -> str:
    job = store.create(
        kind, {"text": text}, {"style": "oneline"}, 0, result={"kind": kind, "text": draft_text}
    )
    return job.id


def test_feedback_edits_become_pairs_and_the_rest_is_counted(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    mail = "Ticket 4821\nPlease review the quarterly budget report before Friday."
    edited = _job(store, "summarize", mail, "review the budget report")
    store.add_feedback(edited, 1, "4821 budget report review", None, 0)
    same = _job(store, "summarize", mail, "review the budget report")
    store.add_feedback(same, 1, "review  the budget report", None, 0)  # only spacing differs
    store.add_feedback(same, -1, None, "bad", 0)  # a rating without an edit
    other = _job(store, "action_items", mail, "- review")
    store.add_feedback(other, 1, "- review it", None, 0)
    broken = _job(store, "summarize", mail, "x")
    store._update("UPDATE jobs SET input=? WHERE id=?", ("{not json", broken))
    store.add_feedback(broken, 1, "a real edit", None, 0)
    store.add_feedback("gone-job", 1, "orphan edit", None, 0)
    loaded = data.from_feedback(store.feedback_with_jobs())
    assert [(p.task, p.target) for p in loaded.pairs] == [("subject", "4821 budget report review")]
    assert loaded.pairs[0].input == mail
    assert loaded.skipped == Counter(
        {"not edited": 2, "kind action_items not tunable": 1, "malformed": 1, "job gone": 1}
    )
    store.close()


def test_split_keeps_each_group_on_one_side_and_is_seeded() -> None:
    pairs = topic_pairs(60, groups=10)
    train, held = data.split(pairs, 0.2, seed=3)
    assert {p.group for p in train}.isdisjoint({p.group for p in held})
    assert 6 <= len(held) <= 18 and len(train) + len(held) == 60
    assert data.split(pairs, 0.2, seed=3) == (train, held)


def test_a_tiny_data_set_is_refused_with_its_skip_counts() -> None:
    with pytest.raises(UsageError, match=r"only 3 usable training pairs \(5 not edited\)"):
        data.check_size(topic_pairs(3), Counter({"not edited": 5}), "feedback")


def test_an_edited_reply_becomes_a_pair_of_its_notes_and_the_users_words(tmp_path: Path) -> None:
    from connectors.document import Document
    from plugin.drafts.reply.plan import build_plan
    from plugin.drafts.reply.voice import Profile
    from plugin.drafts.reply.writer import full_text, plan_notes

    mail = Document(
        id="m1",
        kind="email",
        source="inbox/1.eml",
        title="Budget",
        author="Ann Lee <ann@example.com>",
        text="Could you send me the budget figures by Friday?\n\nThanks,\nAnn",
    )
    plan = build_plan(mail, intent=None, profile=Profile(name="Bob Stone"))
    drafted = full_text(plan, " ".join(slot.text for slot in plan.body))
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite'}")

    def reply_job(result: dict[str, object]) -> str:
        return store.create("reply", {"text": mail.text}, {}, 0, result=result).id

    result = {"reply": drafted, "plan": plan.to_json()}
    store.add_feedback(
        reply_job(result),
        1,
        "Hi Ann,\n\nSure, I'll send the figures on Thursday.\n\nBest regards,\nBob Stone",
        None,
        0,
    )
    store.add_feedback(reply_job(result), 1, drafted, None, 0)  # sent as drafted
    store.add_feedback(reply_job({"reply": drafted}), 1, "Sure, Thursday.", None, 0)  # no plan
    store.add_feedback(reply_job(result), 1, "Hi Ann,\n\nBest regards,\nBob Stone", None, 0)
    loaded = data.from_feedback(store.feedback_with_jobs())
    assert loaded.pairs == [
        data.Pair(
            "reply", plan_notes(plan), "Sure, I'll send the figures on Thursday.", "ann@example.com"
        )
    ]
    assert "[Answer:" in loaded.pairs[0].input  # the notes the writer gave the model
    assert loaded.skipped == Counter({"not edited": 1, "malformed": 1, "empty reply": 1})
    store.close()
