"""plugin.jobs.records: the job record's life, each state change exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plugin.jobs.records import STATUSES, JobRecords


@pytest.fixture
def records(tmp_path: Path) -> Iterator[JobRecords]:
    store = JobRecords(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    yield store
    store.close()


def test_a_job_is_claimed_once_and_finished_once(records: JobRecords) -> None:
    job = records.create("probe", {"text": "hi"}, {"n": 1}, 10)
    assert (job.status, job.progress, job.cached) == ("queued", 0.0, False)
    assert records.claim(job.id, "w1", lease_s=30) is not None
    assert records.claim(job.id, "w2", lease_s=30) is None  # a live lease is respected
    assert records.set_progress(job.id, 1.7, "almost")  # clamped
    assert records.get(job.id).progress == 1.0  # type: ignore[union-attr]
    assert records.complete(job.id, {"ok": True})
    assert not records.complete(job.id, {"ok": False})
    done = records.get(job.id)
    assert done is not None and done.finished and done.result == {"ok": True}
    assert not records.set_progress(job.id, 0.5)  # no longer running


def test_a_cached_result_makes_a_done_job_and_an_existing_id_is_kept(
    records: JobRecords,
) -> None:
    first = records.create("probe", {"t": 1}, {}, 0, result={"r": 1}, job_id="a" * 32)
    assert (first.status, first.cached, first.result) == ("done", True, {"r": 1})
    again = records.create("probe", {"t": 2}, {}, 0, result={"r": 2}, job_id="a" * 32)
    assert again.input == {"t": 1} and again.result == {"r": 1}


def test_retry_fail_and_cancel(records: JobRecords) -> None:
    job = records.create("probe", {}, {}, 10)
    records.claim(job.id, "w", 30)
    assert records.retry_later(job.id, {"type": "transient"}, delay_s=5)
    again = records.get(job.id)
    assert again is not None and (again.status, again.attempts) == ("queued", 1)
    assert records.due_queued(0) == []  # not due for 5 s
    assert records.cancel(job.id).status == "cancelled"  # type: ignore[union-attr]
    assert not records.fail(job.id, {"type": "x"})  # already final
    assert records.counts() == {s: (1 if s == "cancelled" else 0) for s in STATUSES}


def test_expired_leases_are_requeued_then_failed(records: JobRecords) -> None:
    job = records.create("probe", {}, {}, 7)
    records.claim(job.id, "dead", lease_s=0.01)
    time.sleep(0.02)
    assert records.requeue_expired(max_deliveries=2) == [(job.id, 7)]
    records.claim(job.id, "dead", lease_s=0.01)
    time.sleep(0.02)
    assert records.requeue_expired(max_deliveries=2) == []
    failed = records.get(job.id)
    assert failed is not None and failed.error["type"] == "worker-lost"  # type: ignore[index]


def test_heartbeat_and_snapshot(records: JobRecords) -> None:
    job = records.create("probe", {}, {}, 10)
    records.claim(job.id, "w", lease_s=0.05)
    records.heartbeat([job.id], "w", lease_s=30)
    time.sleep(0.06)
    assert records.requeue_expired(5) == []  # the renewed lease holds
    assert records.snapshot([job.id, "f" * 32]) == {job.id: ("running", None)}
    size = records.get_sized(job.id)
    assert size is not None and size[1] == len("{}")
