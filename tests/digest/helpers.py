"""Checks shared by the two-scheduler tests (SQLite file lock and Redis leader lock)."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterable

from plugin.config import settings
from plugin.digest.schedule import fire_log, fired_job_ids
from tests.servers.process import stop_process


def assert_each_tick_fired_once_as_one_digest_job(schedule_id: str) -> None:
    """No period fired twice, and each fire put exactly one digest job on the queue."""
    from plugin.jobs.queue import open_queue

    periods = Counter((sid, period) for sid, period, _ in fire_log())
    assert all(sid == schedule_id for sid, _ in periods)
    assert max(periods.values()) == 1, f"a tick fired twice: {periods.most_common(3)}"
    settings.cache_clear()
    queue = open_queue()
    job_ids = fired_job_ids()
    assert len(job_ids) == len(periods) and len(set(job_ids)) == len(job_ids)
    for job_id in job_ids:
        job = queue.status(job_id)
        assert job.kind == "digest"
        assert job.options["schedule_id"] == schedule_id


def stop_processes(procs: Iterable[subprocess.Popen[bytes]]) -> None:
    """Terminate what still runs; kill what does not stop within 10 s."""
    for proc in procs:
        stop_process(proc, timeout=10)
