"""Leader locks against real servers: redis-server and PostgreSQL on loopback, and two
``deskdraft scheduler`` processes over a Redis queue."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from plugin.config import settings
from plugin.digest.leader import PostgresLeaderLock, RedisLeaderLock
from plugin.digest.schedule import add_schedule, fire_log
from tests.digest.helpers import assert_each_tick_fired_once_as_one_digest_job, stop_processes
from tests.servers.postgres import PostgresServer, postgres_server
from tests.servers.redis import RedisServer, redis_server

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


def _eventually(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{what} not within {timeout} s"
        time.sleep(0.1)


def _unique(prefix: str) -> str:
    # Each test gets its own lock, so module-scoped servers carry nothing between tests.
    return f"{prefix}-{secrets.token_hex(4)}"


# -- Redis: SET NX PX with renewal ------------------------------------------------------


def test_redis_lock_is_exclusive_and_the_holder_keeps_it_by_renewing(redis: RedisServer) -> None:
    key = _unique("leader")
    holder = RedisLeaderLock(redis.url, ttl_s=1.0, key=key)
    standby = RedisLeaderLock(redis.url, ttl_s=1.0, key=key)
    assert holder.try_acquire() is True
    assert standby.try_acquire() is False
    # Renewing for three TTLs keeps the lease: the standby never gets in.
    until = time.monotonic() + 3.0
    while time.monotonic() < until:
        assert holder.still_held() is True
        assert standby.try_acquire() is False
        time.sleep(0.25)
    assert holder.client.pttl(key) > 0
    holder.release()
    assert holder.client.exists(key) == 0
    assert standby.try_acquire() is True
    standby.release()


def test_redis_standby_takes_over_when_the_holder_stops_renewing(redis: RedisServer) -> None:
    key = _unique("leader")
    holder = RedisLeaderLock(redis.url, ttl_s=1.0, key=key)
    standby = RedisLeaderLock(redis.url, ttl_s=1.0, key=key)
    assert holder.try_acquire()
    stopped = time.monotonic()
    # The holder "dies": it neither renews nor releases. The key outlives it by the TTL.
    assert standby.try_acquire() is False
    _eventually(standby.try_acquire, 5.0, "standby acquiring after the TTL")
    assert time.monotonic() - stopped >= 0.9, "the lease ended before its TTL"
    assert standby.still_held()

    # The old holder comes back (a long pause, not a death) and must see the loss.
    assert holder.still_held() is False
    assert standby.still_held() is True
    standby.release()
    assert standby.client.exists(key) == 0


def test_redis_release_by_a_non_holder_does_nothing(redis: RedisServer) -> None:
    key = _unique("leader")
    holder = RedisLeaderLock(redis.url, ttl_s=5.0, key=key)
    other = RedisLeaderLock(redis.url, ttl_s=5.0, key=key)
    assert holder.try_acquire()
    assert other.try_acquire() is False
    other.release()
    assert holder.client.get(key) == holder.token.encode()
    assert holder.still_held() is True
    assert other.try_acquire() is False
    holder.release()

    # A holder whose lease ran out while it was paused believes it still holds the lock;
    # its release must not delete the key of the process that took over.
    stale = RedisLeaderLock(redis.url, ttl_s=0.5, key=key)
    successor = RedisLeaderLock(redis.url, ttl_s=5.0, key=key)
    assert stale.try_acquire()
    _eventually(successor.try_acquire, 5.0, "successor acquiring after the TTL")
    stale.release()
    assert successor.client.get(key) == successor.token.encode()
    assert successor.still_held() is True
    successor.release()


def test_redis_outage_makes_the_holder_stand_by_instead_of_crashing() -> None:
    with redis_server() as server:
        holder = RedisLeaderLock(server.url, ttl_s=5.0, key=_unique("leader"))
        assert holder.try_acquire()
        server.process.kill()
        server.process.wait()
        assert holder.still_held() is False  # cannot renew: another may take over
        holder.release()  # nothing to reach; the key would expire with its TTL
        assert holder.try_acquire() is False


# -- PostgreSQL: session advisory lock ----------------------------------------------------


def _advisory_holders(server: PostgresServer) -> list[int]:
    import psycopg2

    with psycopg2.connect(server.url) as conn, conn.cursor() as cur:
        cur.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")
        pids = [row[0] for row in cur.fetchall()]
    conn.close()
    return pids


def _terminate(server: PostgresServer, pid: int) -> None:
    import psycopg2

    conn = psycopg2.connect(server.url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert cur.fetchone()[0] is True
    conn.close()


def test_postgres_lock_is_exclusive_and_lost_with_the_holders_connection(
    postgres: PostgresServer,
) -> None:
    name = _unique("scheduler")
    holder = PostgresLeaderLock(postgres.url, name=name)
    standby = PostgresLeaderLock(postgres.url, name=name)
    assert holder.try_acquire() is True
    assert standby.try_acquire() is False
    assert holder.still_held() is True
    [pid] = _advisory_holders(postgres)

    _terminate(postgres, pid)  # the server drops the holder's session, and its lock
    _eventually(standby.try_acquire, 10.0, "standby acquiring after the holder's backend died")
    assert holder.still_held() is False
    holder.release()  # safe after the loss: nothing to give up
    assert holder.try_acquire() is False  # a fresh session, but the standby has the lock now
    assert standby.still_held() is True
    standby.release()
    assert _advisory_holders(postgres) == []
    assert holder.try_acquire() is True
    holder.release()


def test_postgres_release_after_an_unnoticed_loss_does_not_raise(
    postgres: PostgresServer,
) -> None:
    name = _unique("scheduler")
    holder = PostgresLeaderLock(postgres.url, name=name)
    assert holder.try_acquire()
    [pid] = _advisory_holders(postgres)
    _terminate(postgres, pid)
    # A scheduler stopping (SIGTERM) releases without checking first.
    holder.release()
    assert holder.still_held() is False


def test_postgres_outage_is_standing_by_not_a_crash() -> None:
    from tests.servers.postgres import free_port

    dead = PostgresLeaderLock(f"postgresql://deskdraft@127.0.0.1:{free_port()}/deskdraft")
    assert dead.try_acquire() is False
    assert dead.still_held() is False
    dead.release()


HOLD_PG_LOCK = textwrap.dedent(
    """
    import sys, time
    from plugin.digest.leader import PostgresLeaderLock
    lock = PostgresLeaderLock(sys.argv[1], name=sys.argv[2])
    assert lock.try_acquire()
    print("held", flush=True)
    time.sleep(120)
    """
)


def test_postgres_standby_takes_over_when_the_holder_process_is_killed(
    postgres: PostgresServer,
) -> None:
    name = _unique("scheduler")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_PG_LOCK, postgres.url, name],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        standby = PostgresLeaderLock(postgres.url, name=name)
        assert standby.try_acquire() is False
        holder.send_signal(signal.SIGKILL)  # no release: the dropped socket ends the session
        holder.wait()
        _eventually(standby.try_acquire, 15.0, "standby acquiring after kill -9 of the holder")
        assert standby.still_held()
        standby.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout:
            holder.stdout.close()


# -- two scheduler processes over a Redis queue ------------------------------------------


def _start_scheduler(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "plugin", "-v", "scheduler"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )


def test_two_schedulers_over_redis_fire_each_tick_once_and_the_standby_takes_over(
    redis: RedisServer, deskdraft_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = redis.url
    redis_client = RedisLeaderLock(url).client
    monkeypatch.setenv("DESKDRAFT_QUEUE_URL", url)
    settings.cache_clear()
    schedule = add_schedule(
        str(tmp_path / "mail"), "*/2 * * * * *", "UTC", f"dir:{tmp_path / 'out'}"
    )
    env = {**os.environ, "DESKDRAFT_HOME": str(deskdraft_home), "DESKDRAFT_QUEUE_URL": url}
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = {p.pid: p for p in (_start_scheduler(env, log) for log in logs)}

    def tail() -> str:
        return "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)

    try:
        try:
            _eventually(lambda: len(fire_log()) >= 3, 60, "three fires")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{tail()}") from None
        fires = fire_log()
        assert len({pid for _, _, pid in fires}) == 1, "two processes fired"
        leader = fires[0][2]
        assert leader in procs
        standby = next(pid for pid in procs if pid != leader)
        # The leader holds the Redis key; the standby only polls it.
        assert redis_client.get("deskdraft-scheduler") is not None

        procs[leader].send_signal(signal.SIGKILL)  # no release: the key must expire
        procs[leader].wait()
        before = len(fire_log())
        try:
            # Up to the lock's 10 s TTL, one poll, and the next 2 s tick.
            _eventually(
                lambda: any(pid == standby for _, _, pid in fire_log()[before:]),
                45,
                "a fire by the standby",
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{tail()}") from None

        procs[standby].terminate()  # graceful: it releases the Redis key
        assert procs[standby].wait(30) == 0
        assert redis_client.get("deskdraft-scheduler") is None
        assert {pid for _, _, pid in fire_log()} == {leader, standby}
        assert_each_tick_fired_once_as_one_digest_job(schedule.id)
    finally:
        stop_processes(procs.values())
