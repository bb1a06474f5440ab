"""Real ``deskdraft worker`` processes on real backends: SQLite, Redis and PostgreSQL.

Two workers share 100 jobs and run each exactly once; a worker killed with ``kill -9`` in
the middle of a batch and started again leaves no job unfinished; SIGTERM lets a running
job finish.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import tests.jobs.kinds
from plugin.config import settings
from plugin.jobs.queue import JobQueue
from tests.jobs.helpers import start_worker, use_worker_env, wait_for
from tests.jobs.kinds import executions
from tests.servers.postgres import PostgresServer, postgres_server
from tests.servers.process import stop_process
from tests.servers.redis import RedisServer, redis_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "redis", "postgres"])
def queue_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return ""
    if request.param == "redis":
        server: RedisServer = request.getfixturevalue("redis")
        import redis as redis_client

        redis_client.Redis.from_url(server.url).flushall()
        return server.url
    pg: PostgresServer = request.getfixturevalue("postgres")
    import psycopg2

    name = f"t{uuid.uuid4().hex[:12]}"  # a fresh database per test
    conn = psycopg2.connect(pg.url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    return pg.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def env(deskdraft_home: Path, queue_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    environment = use_worker_env(deskdraft_home, monkeypatch, queue_url)
    tests.jobs.kinds.register()
    return environment


@pytest.fixture
def queue(env: dict[str, str]) -> Iterator[JobQueue]:
    q = JobQueue(settings())
    yield q
    q.close()


def _all_finished(queue: JobQueue, ids: list[str]) -> bool:
    return all(queue.status(i).finished for i in ids)


def test_two_workers_finish_100_jobs_each_exactly_once(
    queue: JobQueue, env: dict[str, str], deskdraft_home: Path
) -> None:
    logs = [deskdraft_home / f"worker{n}.log" for n in range(2)]
    workers = [start_worker(env, 2, log) for log in logs]
    try:
        # Both must be ready first: on a loaded machine one worker could otherwise finish
        # every 50 ms job before the other has imported its code.
        wait_for(
            lambda: all(log.exists() and "ready with" in log.read_text() for log in logs),
            120,
            "both workers to be ready",
        )
        ids = [
            queue.submit(
                "probe",
                {"text": f"job {n}"},
                {"sleep_s": 0.05},
                priority="batch" if n % 2 else "interactive",
            )
            for n in range(100)
        ]
        wait_for(lambda: _all_finished(queue, ids), 120, "100 jobs")
    finally:
        codes = [stop_process(w) for w in workers]
    jobs = [queue.status(i) for i in ids]
    assert {j.status for j in jobs} == {"done"}
    assert all(j.result["echo"] == f"JOB {n}" for n, j in enumerate(jobs))
    runs = Counter(executions(deskdraft_home / "probe.log"))
    assert runs == Counter(f"job {n}" for n in range(100))  # each ran once, none twice
    pids = {line.split()[1] for line in (deskdraft_home / "probe.log").read_text().splitlines()}
    assert len(pids) == 2, "both workers took jobs"
    assert codes == [0, 0]  # SIGTERM: a clean exit


def test_kill_9_mid_batch_and_restart_completes_every_job(
    queue: JobQueue, env: dict[str, str], deskdraft_home: Path
) -> None:
    log = deskdraft_home / "probe.log"
    victim = start_worker(env, 2, deskdraft_home / "victim.log")
    survivor = start_worker(env, 1, deskdraft_home / "survivor.log")
    restarted = None
    try:
        # Jobs last a second, so the kill lands well inside one the victim has started.
        ids = [
            queue.submit("probe", {"text": f"job {n}"}, {"sleep_s": 1.0}, priority="batch")
            for n in range(40)
        ]

        def victim_jobs_in_flight() -> list[str]:
            started = (
                [
                    line.split(" ", 2)[2]
                    for line in log.read_text().splitlines()
                    if line.startswith(f"start {victim.pid} ")
                ]
                if log.exists()
                else []
            )
            finished = set(executions(log))
            return [text for text in started if text not in finished]

        wait_for(
            lambda: len(executions(log)) >= 5 and bool(victim_jobs_in_flight()),
            60,
            "the victim to be mid-job",
        )
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
        lost_in_flight = victim_jobs_in_flight()
        assert lost_in_flight, "the kill hit a running job"
        restarted = start_worker(env, 2, deskdraft_home / "restarted.log")
        wait_for(lambda: _all_finished(queue, ids), 120, "every job after the kill")
    finally:
        for process in (victim, survivor, restarted):
            if process is not None:
                stop_process(process)
    jobs = [queue.status(i) for i in ids]
    assert [j.status for j in jobs] == ["done"] * 40
    assert all(j.result["echo"] == f"JOB {n}" for n, j in enumerate(jobs))
    finished = Counter(executions(log))
    assert set(finished) == {f"job {n}" for n in range(40)}
    for text in lost_in_flight:  # the jobs the kill interrupted ran again
        assert finished[text] >= 1
        job = jobs[int(text.split()[1])]
        assert job.deliveries >= 2


def test_sigterm_lets_the_running_job_finish(
    queue: JobQueue, env: dict[str, str], deskdraft_home: Path
) -> None:
    worker = start_worker(env, 1, deskdraft_home / "worker.log")
    try:
        job_id = queue.submit("probe", {"text": "long"}, {"sleep_s": 2.0})
        wait_for(lambda: queue.status(job_id).status == "running", 60, "the job to start")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        stop_process(worker)
    job = queue.status(job_id)
    assert job.status == "done" and job.result["echo"] == "LONG"
    assert time.time() - job.finished_at < 60
