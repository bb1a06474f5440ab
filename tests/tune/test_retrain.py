"""Scheduled re-training from feedback: off by default, fired by the leading scheduler,
gated like ``model tune --promote``, and a note of what changed in the job result."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from connectors.errors import UsageError
from plugin.jobs.store import Job, User
from tests.tune.helpers import add_feedback

#: Adapters on every layer: on this tiny model that answers the 3 held-out mails alike
#: (no spread, so the promotion bar is exactly MIN_GAIN, set to 0 below).
FAST_RECIPE = (
    "recipe = { learning_rate = 1e-2, epochs = 3, batch_size = 8, accumulation = 1, "
    "eval_every = 5, patience = 5, threads = 1, lora_top_share = 1.0 }"
)
#: Barely trained: it scores like its parent, so the gate never promotes it.
NO_GAIN_RECIPE = (
    "recipe = { learning_rate = 1e-6, max_steps = 1, batch_size = 8, accumulation = 1, "
    "eval_every = 1, threads = 1 }"
)


def _configure(home: Path, *lines: str) -> None:
    from plugin.config import settings

    (home / "config.toml").write_text("[tune]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    settings.cache_clear()


@pytest.fixture
def people(deskdraft_home: Path, tiny_parent: Path) -> dict[str, User]:
    """ann with 20 edited drafts, bob with 3; the tiny parent is the install default."""
    from plugin.cli import main
    from plugin.jobs.queue import open_queue

    assert main(["model", "use", str(tiny_parent)]) == 0
    store = open_queue().store
    ann, _ = store.add_user("ann")
    bob, _ = store.add_user("bob")
    add_feedback(store, ann.id, 20, seed=1)
    add_feedback(store, bob.id, 3, seed=2)
    return {"ann": ann, "bob": bob}


def _queued_retrains() -> list[Job]:
    from plugin.jobs.queue import open_queue

    queue = open_queue()
    jobs = [queue.status(job_id) for job_id, _, _ in queue.store.due_queued(-60.0)]
    return [job for job in jobs if job.kind == "retrain"]


def _run_scheduler_until(done: Any, seconds: float) -> None:
    """The real leader loop (``deskdraft scheduler``) in a thread, stopped after ``done()``
    holds or ``seconds`` pass."""
    from plugin.digest.scheduler_process import run_scheduler

    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(stop,), kwargs={"renew_s": 0.5})
    thread.start()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not done():
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def _run(jobs: list[Job]) -> dict[str, dict[str, Any]]:
    """Run the jobs as a worker does; each user's note, by user."""
    from plugin.jobs.queue import open_queue
    from plugin.jobs.worker import make_runner

    queue = open_queue()
    runner = make_runner(queue)
    notes = {}
    for job in jobs:
        runner.run(job.id)
        done = queue.status(job.id)
        assert done.status == "done", done.error
        notes[done.options["user"] or "install"] = done.result
    return notes


def _audit(action: str) -> list[str]:
    from plugin.jobs.queue import open_store

    return [f"{e.user} {e.source} {e.outcome}" for e in open_store().audit_entries()
            if e.action == action]  # fmt: skip


def test_nothing_runs_when_disabled(people: dict[str, User], deskdraft_home: Path) -> None:
    from plugin.config import settings
    from plugin.tune.retrain import fire

    assert settings().tune.schedule is False  # the default
    _run_scheduler_until(lambda: False, 3.0)
    assert _queued_retrains() == []
    assert fire() == []  # even a tick that somehow ran


def test_a_scheduled_run_tunes_gates_and_notes_what_changed(
    people: dict[str, User],
    deskdraft_home: Path,
    tiny_parent: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plugin.engine import manifest as mf
    from plugin.engine import registry
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import personal_model_key
    from plugin.tune.retrain import fire, retrain

    # A tiny random model learns too little in seconds to clear the real promotion bar
    # (+1 ROUGE-1 on 3 held-out mails); with no minimum gain the gate's own rule (a gain
    # of at least two standard errors, faithful share not lower) decides, and promotes.
    monkeypatch.setattr("plugin.tune.gate.MIN_GAIN", 0.0)
    # Every second (a sixth, leading cron field), so the test sees a tick quickly.
    _configure(deskdraft_home, "schedule = true", 'cron = "* * * * * *"',
               "min_new_records = 10", FAST_RECIPE)  # fmt: skip
    _run_scheduler_until(lambda: len(_queued_retrains()) >= 2, 30.0)
    jobs = _queued_retrains()
    # One job per user with feedback, theirs, for the period of the tick.
    assert sorted(job.options["user"] for job in jobs) == ["ann", "bob"]
    assert {job.owner for job in jobs} == {people["ann"].id, people["bob"].id}
    notes = _run(jobs)

    bob = notes["bob"]
    assert bob["outcome"] == "skipped" and bob["promoted"] is False
    assert bob["records"] == {"new": 3, "new_usable": 3}
    assert "3 new usable record(s), fewer than the 10 a re-training needs" in bob["text"]
    assert registry.current("bob") is None

    ann = notes["ann"]
    model = registry.models_dir() / ann["tuned_model"]
    assert mf.read(model)["owner"] == "ann"
    assert ann["records"] == {"new": 20, "new_usable": 20, "used": 20, "skipped": {}}
    assert ann["parent"] == tiny_parent.name
    gate = ann["gate"]
    for side in ("old", "new"):
        assert set(gate[side]) >= {"rouge1", "rouge2", "rougeL", "faithful", "count"}
        assert gate[side]["count"] == gate["old"]["count"] > 0
    assert gate["gain"] >= gate["required_gain"] == 0.0
    verdict = mf.read(model)["tuned"]["evaluation"]["verdict"]
    assert verdict["promote"] is True and ann["reason"] == verdict["reason"]
    assert "trained on 20 edited draft(s), 0 record(s) skipped" in ann["text"]
    assert f"promoted {model.name} to ann's default" in ann["text"]
    # Her default, hers alone; the install's stays.
    assert ann["outcome"] == "promoted" and ann["promoted"] is True
    assert registry.current("ann") == model and registry.current("bob") is None
    assert open_queue().store.meta_get(personal_model_key(people["ann"].id)) == (
        registry.model_id(model)
    )
    assert registry.current() == tiny_parent.resolve()
    assert _audit("model.retrain") == [
        f"scheduler for:ann {ann['outcome']}: {model.name}@{registry.model_id(model)}"
    ]

    # The next run finds nothing new since that model, and says so.
    again = retrain("ann")
    assert again["outcome"] == "skipped" and again["since"]["model"] == model.name
    assert f"0 new usable record(s) since {model.name}" in again["text"]
    # A tick fired twice (a restarted leader) enqueues its jobs once.
    assert fire(step_s=3600) != [] and fire(step_s=3600) == []


def test_a_gate_refusal_leaves_the_default_untouched(
    people: dict[str, User], deskdraft_home: Path, tiny_parent: Path
) -> None:
    from plugin.engine import manifest as mf
    from plugin.engine import registry
    from plugin.tune.retrain import fire

    # per_user off: one install-owned model from everybody's feedback.
    _configure(deskdraft_home, "schedule = true", "per_user = false", "min_new_records = 10",
               NO_GAIN_RECIPE)  # fmt: skip
    before = (registry.models_dir() / registry.POINTER).read_bytes()
    fire()
    [job] = _queued_retrains()
    assert job.owner is None and job.options["user"] is None
    note = _run([job])["install"]
    assert note["outcome"] == "kept" and note["promoted"] is False
    assert note["records"]["used"] == 23
    assert note["gate"]["new"]["rouge1"] - note["gate"]["old"]["rouge1"] < 1.0
    assert "not promoted" in note["text"] and "the default is unchanged" in note["text"]
    model = registry.models_dir() / note["tuned_model"]
    assert mf.read(model)["owner"] is None
    assert (registry.models_dir() / registry.POINTER).read_bytes() == before
    assert registry.current() == tiny_parent.resolve()


def test_the_bridge_does_not_offer_the_retrain_kind() -> None:
    from plugin.bridge.validation import served_spec
    from plugin.jobs.runner import available_job_kinds, job_kinds

    assert "retrain" in job_kinds()  # the queue and workers know it
    assert "retrain" not in available_job_kinds()
    spec = served_spec(available_job_kinds())
    assert (
        "retrain" not in spec["components"]["schemas"]["JobRequest"]["properties"]["kind"]["enum"]
    )


def test_an_unknown_recipe_setting_is_a_clear_config_error(deskdraft_home: Path) -> None:
    from connectors.errors import ConfigError
    from plugin.config import settings
    from plugin.tune.retrain import recipe

    _configure(deskdraft_home, "recipe = { learnig_rate = 1e-2 }")
    with pytest.raises(ConfigError, match="unknown \\[tune\\] recipe setting\\(s\\): learnig_rate"):
        recipe(settings().tune)


def test_a_bad_cron_is_one_clear_error_and_the_scheduler_keeps_running(
    deskdraft_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from plugin.digest.schedule import open_scheduler
    from plugin.digest.scheduler_process import schedule_retrain

    _configure(deskdraft_home, "schedule = true", 'cron = "every sunday"')
    scheduler = open_scheduler()
    scheduler.start(paused=True)
    try:
        with pytest.raises(UsageError, match="invalid cron expression 'every sunday'"):
            schedule_retrain(scheduler)
    finally:
        scheduler.shutdown(wait=False)
    _run_scheduler_until(lambda: False, 2.0)  # stops only when told: the digests go on
    assert "re-training from feedback is not scheduled: invalid cron" in caplog.text
    assert _queued_retrains() == []
