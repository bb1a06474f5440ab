from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from connectors.errors import UsageError
from plugin.digest.schedule import (
    add_schedule,
    fire_log,
    fired_job_ids,
    list_schedules,
    remove_schedule,
)
from tests.digest.helpers import assert_each_tick_fired_once_as_one_digest_job, stop_processes


def test_schedules_are_stable_ids_in_the_job_store() -> None:
    first = add_schedule("/mail", "0 8 * * 1-5", "Europe/Berlin", "dir:/tmp/out", "me@x.org")
    again = add_schedule("/mail", "0 8 * * 1-5", "Europe/Berlin", "dir:/tmp/out", "me@x.org")
    assert first.id == again.id
    listed = list_schedules()
    assert [s.id for s in listed] == [first.id]
    assert listed[0].next_run is not None and listed[0].next_run.endswith(("+01:00", "+02:00"))
    assert "08:00:00" in listed[0].next_run
    remove_schedule(first.id)
    assert list_schedules() == []
    with pytest.raises(UsageError, match="no schedule"):
        remove_schedule(first.id)


@pytest.mark.parametrize(
    ("cron", "tz", "deliver", "message"),
    [
        ("0 8 * *", "UTC", "dir:/x", "invalid cron"),
        ("0 25 * * *", "UTC", "dir:/x", "invalid cron"),
        ("0 8 * * *", "Mars/Olympus", "dir:/x", "unknown time zone"),
        ("0 8 * * *", "UTC", "pigeon://x", "unknown delivery"),
    ],
)
def test_bad_schedules_are_refused_clearly(cron: str, tz: str, deliver: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        add_schedule("/mail", cron, tz, deliver)


def _start_scheduler(home: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DESKDRAFT_HOME": str(home)}
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "plugin", "-v", "scheduler"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(predicate: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def test_two_schedulers_fire_each_tick_once_and_the_standby_takes_over(
    deskdraft_home: Path, tmp_path: Path
) -> None:
    schedule = add_schedule(
        str(tmp_path / "mail"), "*/2 * * * * *", "UTC", f"dir:{tmp_path / 'out'}"
    )
    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"
    first = _start_scheduler(deskdraft_home, log_a)
    second = _start_scheduler(deskdraft_home, log_b)
    procs = {first.pid: first, second.pid: second}
    try:
        _wait_for(lambda: len(fire_log()) >= 3, 30)
        fires = fire_log()
        # One process fires; the other stands by.
        assert {pid for _, _, pid in fires} <= set(procs)
        assert len({pid for _, _, pid in fires}) == 1
        leader = fires[0][2]
        standby = next(pid for pid in procs if pid != leader)

        procs[leader].send_signal(signal.SIGKILL)
        procs[leader].wait()
        before = len(fire_log())
        _wait_for(lambda: any(pid == standby for _, _, pid in fire_log()[before:]), 30)

        procs[standby].terminate()  # graceful: a fire in progress completes
        assert procs[standby].wait(30) == 0
        assert_each_tick_fired_once_as_one_digest_job(schedule.id)
    finally:
        stop_processes(procs.values())


def test_a_claimed_but_unqueued_period_is_enqueued_by_the_next_leader(tmp_path: Path) -> None:
    from plugin.digest import schedule as schedule_module
    from plugin.jobs.queue import open_queue

    with schedule_module._fires_db() as conn:
        conn.execute(
            "INSERT INTO periods (schedule_id, period, job_id, source, deliver, recipient) "
            "VALUES ('digest-x', '2026-03-02T08:00:00+00:00', NULL, ?, 'dir:/tmp/o', NULL)",
            (str(tmp_path),),
        )
    assert schedule_module.enqueue_unfinished() == 1
    [job_id] = fired_job_ids()
    job = open_queue().status(job_id)
    assert job.kind == "digest" and job.options["period"] == "2026-03-02T08:00:00+00:00"
    assert schedule_module.enqueue_unfinished() == 0


def test_a_schedule_runs_as_its_owner() -> None:
    import plugin.digest.schedule as schedule_module
    from plugin.jobs.queue import open_queue, open_store

    with pytest.raises(UsageError, match="no user 'ann'"):
        add_schedule("/mail/ann", "0 8 * * *", "UTC", "dir:/tmp/out", owner="ann")
    ann, _ = open_store().add_user("ann")
    owned = add_schedule("/mail/ann", "0 8 * * *", "UTC", "dir:/tmp/out", owner="ann")
    system = add_schedule("/mail/ann", "0 8 * * *", "UTC", "dir:/tmp/out")
    assert owned.id != system.id
    assert {s.id: s.owner for s in list_schedules()} == {owned.id: "ann", system.id: None}

    schedule_module.fire(
        owned.id, "/mail/ann", "dir:/tmp/out", None, "0 8 * * *", "UTC", owner="ann"
    )
    job = open_queue().status(fired_job_ids()[-1])
    assert job.owner == ann.id and job.options["owner"] == "ann"
