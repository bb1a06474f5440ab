"""The queue interface, job records, retries, cache and recovery, run in-process on SQLite."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import tests.jobs.kinds  # registers the probe kinds
from connectors.errors import UsageError
from plugin.config import settings
from plugin.drafts.inputs import documents_from_input
from plugin.jobs.queue import JobFailed, JobQueue, open_queue
from plugin.jobs.runner import MODEL_ID_KEY, Runner
from plugin.jobs.worker import ORPHAN_AFTER_S, Maintenance, make_runner
from tests.drafts.report.report_data import sales_document
from tests.jobs.kinds import executions


class FakeEngine:
    """Counts generate calls so tests can prove the model did (not) run."""

    model_id = "fakehash:int8"

    def __init__(self) -> None:
        self.calls = 0

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        return user

    def generate(self, prompts: list[str], **_: Any) -> list[str]:
        self.calls += 1
        return [f"summary of {p}" for p in prompts]


@pytest.fixture
def probe_log(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = deskdraft_home / "probe.log"
    monkeypatch.setenv("DESKDRAFT_PROBE_LOG", str(path))
    return path


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch, probe_log: Path) -> Iterator[JobQueue]:
    monkeypatch.setenv("DESKDRAFT_QUEUE_RETRY_DELAY_S", "0.2")
    monkeypatch.setenv("DESKDRAFT_QUEUE_LEASE_S", "5")
    settings.cache_clear()
    tests.jobs.kinds.register()
    q = open_queue()
    yield q
    q.close()


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def runner(queue: JobQueue, engine: FakeEngine) -> Runner:
    return make_runner(queue, engine_factory=lambda: engine)


def deliver(queue: JobQueue, runner: Runner) -> str:
    """Take the next message (queued or scheduled) and run it now, whatever its time."""
    queue.set_handler(runner.run)
    task = queue.huey.dequeue()
    if task is None:
        later = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1)
        scheduled = queue.huey.read_schedule(later)
        assert scheduled, "no message to deliver"
        task, rest = scheduled[0], scheduled[1:]
        for other in rest:
            queue.huey.enqueue(other)
    task.eta = None  # run a delayed retry now instead of waiting for its time
    queue.huey.execute(task)
    return str(task.args[0])


def test_submit_run_and_read_the_result(queue: JobQueue, runner: Runner) -> None:
    job_id = queue.submit("probe", {"text": "hello world"}, {})
    job = queue.status(job_id)
    assert (job.status, job.kind, job.progress, job.result) == ("queued", "probe", 0.0, None)
    assert job.input == {"text": "hello world"}
    assert queue.pending_messages() == 1

    assert deliver(queue, runner) == job_id

    job = queue.status(job_id)
    assert job.status == "done"
    assert job.progress == 1.0
    assert job.started_at is not None and job.finished_at is not None
    # One input document gives one object, exactly what `--json` prints for it.
    assert job.result == {"echo": "HELLO WORLD", "verified": True, "model": "none"}
    assert queue.result(job_id, timeout=1) == job.result


def test_job_records_survive_a_new_process_view(queue: JobQueue, runner: Runner) -> None:
    job_id = queue.submit("probe", {"text": "kept"}, {"sleep_s": 0}, priority="batch")
    deliver(queue, runner)
    fresh = JobQueue(settings())  # a new connection, as after a restart
    job = fresh.status(job_id)
    assert job.status == "done" and job.options == {"sleep_s": 0} and job.priority == 0
    assert job.result["echo"] == "KEPT"
    fresh.close()


def test_bad_input_fails_at_once_with_a_clear_error(
    queue: JobQueue, runner: Runner, probe_log: Path
) -> None:
    job_id = queue.submit("probe", {"text": "x"}, {"fail": "bad"})
    deliver(queue, runner)
    job = queue.status(job_id)
    assert job.status == "failed"
    assert job.attempts == 0
    assert job.error == {
        "type": "bad-input",
        "title": "BadInputError",
        "detail": "probe: the probe refuses this input",
    }
    assert len(executions(probe_log, "start")) == 1
    assert queue.pending_messages() == 0  # nothing scheduled: no retry
    with pytest.raises(JobFailed, match="refuses this input"):
        queue.result(job_id, timeout=1)


def test_transient_faults_retry_with_backoff(queue: JobQueue, runner: Runner) -> None:
    job_id = queue.submit("probe", {"text": "busy"}, {"transient_times": 2})
    delays = []
    for _ in range(2):
        deliver(queue, runner)
        job = queue.status(job_id)
        assert job.status == "queued"
        assert job.error is not None and job.error["type"] == "transient"
        row = queue.store._one("SELECT run_after - updated_at FROM jobs WHERE id=?", (job_id,))
        delays.append(round(row[0], 2))
    assert delays == [0.2, 0.4]  # retry_delay_s doubling
    assert queue.pending_messages() == 1  # the retry, scheduled
    deliver(queue, runner)
    job = queue.status(job_id)
    assert job.status == "done" and job.attempts == 2 and job.error is None


def test_transient_faults_give_up_after_the_configured_attempts(
    queue: JobQueue, runner: Runner
) -> None:
    job_id = queue.submit("probe", {"text": "down"}, {"transient_times": 99})
    for _ in range(3):
        deliver(queue, runner)
    job = queue.status(job_id)
    assert job.status == "failed"
    assert job.error is not None and "busy" in job.error["detail"]
    runner.run(job_id)  # a stray message changes nothing
    assert queue.status(job_id).status == "failed"


def test_cached_result_is_returned_without_running_the_model(
    queue: JobQueue, runner: Runner, engine: FakeEngine
) -> None:
    first = queue.submit("model_probe", {"text": "quarterly numbers"}, {"length": "short"})
    deliver(queue, runner)
    assert engine.calls == 1
    assert queue.store.meta_get(MODEL_ID_KEY) == "fakehash:int8"
    expected = queue.status(first).result

    queue._model_ids.clear()  # forget the cached model id, as a new bridge would
    again = queue.submit_job("model_probe", {"text": "quarterly numbers"}, {"length": "short"})
    assert again.status == "done" and again.cached and again.result == expected
    assert queue.pending_messages() == 0  # never queued
    assert engine.calls == 1

    # Other options or another model are different drafts.
    other = queue.submit("model_probe", {"text": "quarterly numbers"}, {"length": "long"})
    assert deliver(queue, runner) == other
    assert engine.calls == 2


def test_worker_side_cache_hit_when_the_submitter_did_not_know_the_model(
    queue: JobQueue, runner: Runner, engine: FakeEngine
) -> None:
    first = queue.submit("model_probe", {"text": "same"}, {})
    deliver(queue, runner)
    queue.store.meta_set(MODEL_ID_KEY, "another:model")  # the submitter guesses wrong
    queue._model_ids.clear()
    second = queue.submit("model_probe", {"text": "same"}, {})
    assert queue.status(second).status == "queued"
    deliver(queue, runner)
    assert queue.status(second).result == queue.status(first).result
    assert engine.calls == 1


def test_a_report_loads_the_model_only_for_a_model_narrative(
    queue: JobQueue, engine: FakeEngine
) -> None:
    loads: list[FakeEngine] = []

    def load() -> FakeEngine:
        loads.append(engine)
        return engine

    runner = make_runner(queue, engine_factory=load)
    book = {"document": sales_document().to_json(full=True)}
    plain = queue.submit("report", book, {"formats": ["md"]})
    deliver(queue, runner)
    assert queue.status(plain).status == "done", queue.status(plain).error
    assert queue.status(plain).result["model"] == "none"
    assert loads == [] and queue.store.meta_get(MODEL_ID_KEY) is None
    # Code wrote it, so no model id is needed to answer it again from the cache.
    again = queue.submit_job("report", book, {"formats": ["md"]})
    assert again.cached and again.result == queue.status(plain).result

    narrated = queue.submit("report", book, {"formats": ["md"], "narrative": "model"})
    deliver(queue, runner)
    assert queue.status(narrated).status == "done", queue.status(narrated).error
    assert loads == [engine] and engine.calls >= 1  # the model was asked, then checked
    with pytest.raises(UsageError, match="'facts' or 'model'"):
        queue.submit("report", book, {"narrative": "poem"})  # refused before it is queued


def test_source_inputs_are_never_served_from_the_cache(queue: JobQueue) -> None:
    from plugin.jobs.runner import cache_key

    assert cache_key("summarize", {"source": "imap://me@host/INBOX"}, {}, "m:1") is None
    assert cache_key("summarize", {"text": "a"}, {}, "m:1") != cache_key(
        "summarize", {"text": "a"}, {}, "m:2"
    )


def test_cancelled_queued_job_never_runs(queue: JobQueue, runner: Runner, probe_log: Path) -> None:
    job_id = queue.submit("probe", {"text": "never"}, {})
    assert queue.cancel(job_id).status == "cancelled"
    deliver(queue, runner)
    assert queue.status(job_id).status == "cancelled"
    assert executions(probe_log, "start") == []
    with pytest.raises(JobFailed, match="cancelled"):
        queue.result(job_id, timeout=1)


def test_cancel_while_running_stops_the_kind_and_drops_the_result(
    queue: JobQueue, runner: Runner, probe_log: Path
) -> None:
    job_id = queue.submit("probe", {"text": "slow"}, {"sleep_s": 2.0})
    thread = threading.Thread(target=runner.run, args=(job_id,))
    thread.start()
    deadline = time.monotonic() + 10
    while queue.status(job_id).status != "running" and time.monotonic() < deadline:
        time.sleep(0.02)
    queue.cancel(job_id)
    thread.join(10)
    job = queue.status(job_id)
    assert job.status == "cancelled" and job.result is None
    assert executions(probe_log, "done") == []  # the kind stopped at its next progress report


def test_progress_is_recorded_while_running(queue: JobQueue, runner: Runner) -> None:
    job_id = queue.submit("probe", {"text": "steps"}, {"sleep_s": 1.2})
    thread = threading.Thread(target=runner.run, args=(job_id,))
    thread.start()
    seen = set()
    while thread.is_alive():
        job = queue.status(job_id)
        if job.status == "running":
            seen.add((job.progress, job.message))
        time.sleep(0.02)
    thread.join()
    assert (0.5, "step 2 of 4") in seen


def test_a_dead_workers_job_runs_again_and_finishes_once(
    queue: JobQueue, runner: Runner, probe_log: Path
) -> None:
    job_id = queue.submit("probe", {"text": "orphaned"}, {})
    queue.huey.flush()  # its message was taken by the worker that then died
    assert queue.store.claim(job_id, "dead-worker", lease_s=0.05) is not None
    assert queue.store.requeue_expired(max_deliveries=5) == []  # lease still valid
    time.sleep(0.1)
    assert queue.store.requeue_expired(max_deliveries=5) == [(job_id, 10)]
    assert queue.status(job_id).status == "queued"

    runner.run(job_id)  # what the maintenance thread's message would trigger
    assert queue.status(job_id).status == "done"
    assert queue.status(job_id).deliveries == 2
    # The dead worker "coming back" cannot report a second time.
    assert queue.store.complete(job_id, {"echo": "stale"}) is False
    assert queue.status(job_id).result["echo"] == "ORPHANED"
    assert executions(probe_log, "done") == ["orphaned"]


def test_a_job_that_keeps_killing_workers_is_failed(queue: JobQueue) -> None:
    job_id = queue.submit("probe", {"text": "poison"}, {})
    for _ in range(2):
        queue.store.claim(job_id, "w", lease_s=0.01)
        time.sleep(0.02)
        queue.store.requeue_expired(max_deliveries=2)
    job = queue.status(job_id)
    assert job.status == "failed" and job.error is not None
    assert job.error["type"] == "worker-lost"


def test_maintenance_requeues_orphans_and_expired_leases(queue: JobQueue, runner: Runner) -> None:
    orphan = queue.store.create("probe", {"text": "no message"}, {}, 10)
    queue.store._update(
        "UPDATE jobs SET run_after=run_after-? WHERE id=?", (ORPHAN_AFTER_S + 1, orphan.id)
    )
    maintenance = Maintenance(queue, runner, interval_s=1, max_deliveries=5)
    assert queue.pending_messages() == 0
    maintenance.tick()
    assert queue.pending_messages() == 1
    maintenance.tick()  # a message exists now: no duplicate
    assert queue.pending_messages() == 1


def test_unknown_kind_and_priority_are_usage_errors(queue: JobQueue) -> None:
    with pytest.raises(UsageError, match="unknown job kind 'nope'"):
        queue.submit("nope", {"text": "x"})
    with pytest.raises(UsageError, match="unknown priority"):
        queue.submit("probe", {"text": "x"}, priority="urgent")


def test_interactive_jobs_are_taken_before_batch_jobs(queue: JobQueue) -> None:
    batch = [queue.submit("probe", {"text": f"b{i}"}, {}, priority="batch") for i in range(3)]
    interactive = queue.submit("probe", {"text": "now"}, {}, priority="interactive")
    order = []
    while (task := queue.huey.dequeue()) is not None:
        order.append(task.args[0])
    assert order[0] == interactive
    assert order[1:] == batch


def test_ingest_jobs_return_documents(queue: JobQueue, runner: Runner) -> None:
    job_id = queue.submit("ingest", {"text": "plain words"}, {})
    deliver(queue, runner)
    result = queue.status(job_id).result
    assert result["text"] == "plain words" and result["kind"] == "text"


def test_an_ingested_outlook_mail_comes_back_whole_for_the_next_job(
    queue: JobQueue, runner: Runner
) -> None:
    # The Outlook pane has the server clean the open mail, then sends the record back
    # with each draft job: "full" keeps what the drafts read (category, signals, signature).
    body = "Yes, Friday works.\n\nOn Mon, Nov 30, 2026, Bob wrote:\n> Can we meet Friday?\n"
    mail = {"kind": "email", "source": "outlook:1", "body": body, "headers": ""}
    job_id = queue.submit("ingest", {"document": mail}, {"full": True})
    deliver(queue, runner)
    record = queue.status(job_id).result
    assert record["text"] == "Yes, Friday works." and record["quoted"].startswith("On Mon")
    assert record["metadata"]["category"] == "person"
    (again,) = documents_from_input({"document": record})
    assert again.text == record["text"] and again.metadata["category"] == "person"


def test_a_repeated_cached_submit_answers_one_job_and_writes_nothing(
    queue: JobQueue, runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = queue.submit("probe", {"text": "again and again"}, {})
    deliver(queue, runner)
    cached = queue.submit_job("probe", {"text": "again and again"}, {})
    assert cached.id != first and cached.status == "done" and cached.cached
    assert cached.result == queue.status(first).result
    rows = queue.store.counts()

    # Another bridge process (its own memory) files the same request under the same job.
    other = JobQueue(settings())
    assert other.submit_job("probe", {"text": "again and again"}, {}, "batch").id == cached.id
    other.close()
    assert queue.store.counts() == rows  # no second record

    # This process remembers it: no SQL at all, even with the store unreachable.
    def unreachable(*_args: object) -> None:
        raise AssertionError("the store was used")

    monkeypatch.setattr(queue.store, "_one", unreachable)
    monkeypatch.setattr(queue.store, "_tx", unreachable)
    again = queue.submit_job("probe", {"text": "again and again"}, {})
    assert (again.id, again.status, again.result) == (cached.id, "done", cached.result)
    assert queue.status(cached.id).result == cached.result
    assert queue.pending_messages() == 0


def test_only_finished_jobs_are_answered_from_memory(
    queue: JobQueue, runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = queue.submit("probe", {"text": "watch me"}, {})
    assert queue.status(job_id).status == "queued"
    deliver(queue, runner)  # another process could have done this: the record is re-read
    assert queue.status(job_id).status == "done"
    cancelled = queue.submit("probe", {"text": "cancelled"}, {})
    queue.cancel(cancelled)
    assert queue.status(cancelled).status == "cancelled"

    def unreachable(*_args: object) -> None:
        raise AssertionError("the store was read")

    monkeypatch.setattr(queue.store, "_one", unreachable)
    assert queue.status(job_id).result["echo"] == "WATCH ME"
    assert queue.status(cancelled).status == "cancelled"
    with pytest.raises(AssertionError, match="store was read"):
        queue.job("f" * 32)  # anything not known finished is read from the store
