"""Leader election, so that exactly one scheduler fires.

Two APScheduler 3.x schedulers sharing one job store both fire, so every scheduler
process first takes a lock and only the holder runs its scheduler; the others wait as
hot standbys and take over when the holder dies:

* embedded (SQLite queue): an OS file lock in the data dir, released by the kernel
  when the process dies;
* Redis queue: ``SET key token NX PX ttl``, renewed by the holder; it expires if the
  holder dies;
* PostgreSQL queue: a session-level advisory lock, released when its connection drops.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import secrets
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, BinaryIO

from connectors.errors import ConfigError

LOCK_NAME = "deskdraft-scheduler"

log = logging.getLogger(__name__)


class LeaderLock(ABC):
    """A lock that at most one process holds at a time."""

    @abstractmethod
    def try_acquire(self) -> bool:
        """Take the lock if it is free. Never blocks for long."""

    @abstractmethod
    def still_held(self) -> bool:
        """Renew the lock where it has a lease; False once leadership is lost."""

    @abstractmethod
    def release(self) -> None:
        """Give the lock up. Safe to call when not held."""

    def wait_for_leadership(self, stop: threading.Event, poll_s: float = 1.0) -> bool:
        """Block until the lock is ours (True) or ``stop`` is set (False)."""
        while not stop.is_set():
            if self.try_acquire():
                return True
            stop.wait(poll_s)
        return False


class FileLeaderLock(LeaderLock):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None

    def try_acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._handle = handle
        return True

    def still_held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class RedisLeaderLock(LeaderLock):
    # Only the holder's token may renew or delete the key.
    _RENEW = (
        "if redis.call('get', KEYS[1]) == ARGV[1] then "
        "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
    )
    _RELEASE = (
        "if redis.call('get', KEYS[1]) == ARGV[1] then "
        "return redis.call('del', KEYS[1]) else return 0 end"
    )

    def __init__(self, url: str, ttl_s: float = 10.0, key: str = LOCK_NAME) -> None:
        import redis

        self.client: Any = redis.Redis.from_url(url)
        self.ttl_ms = int(ttl_s * 1000)
        self.key = key
        self.token = secrets.token_hex(16)
        self._held = False

    def try_acquire(self) -> bool:
        import redis

        if self._held:
            return self.still_held()
        try:
            self._held = bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))
        except redis.RedisError as exc:
            # Redis down: stand by (and keep the process alive) until it is back.
            log.warning("scheduler lock: redis unavailable: %s", type(exc).__name__)
            return False
        return self._held

    def still_held(self) -> bool:
        import redis

        if not self._held:
            return False
        try:
            renewed = self.client.eval(self._RENEW, 1, self.key, self.token, self.ttl_ms)
        except redis.RedisError as exc:
            # Unrenewable means the lease may lapse and another process take over.
            log.warning("scheduler lock: cannot renew: %s", type(exc).__name__)
            renewed = 0
        self._held = bool(renewed)
        return self._held

    def release(self) -> None:
        import redis

        if self._held:
            self._held = False
            # Unreachable Redis: nothing to do, the key expires with its TTL.
            with contextlib.suppress(redis.RedisError):
                self.client.eval(self._RELEASE, 1, self.key, self.token)


class PostgresLeaderLock(LeaderLock):
    def __init__(self, url: str, name: str = LOCK_NAME) -> None:
        self.url = url
        # Advisory locks take a bigint key: derive a stable one from the name.
        self.key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        self._conn: Any = None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            return self.still_held()
        import psycopg2

        try:
            conn = psycopg2.connect(self.url, connect_timeout=10)
        except psycopg2.OperationalError as exc:
            # Server down: stand by (and keep the process alive) until it is back.
            log.warning("scheduler lock: postgres unavailable: %s", type(exc).__name__)
            return False
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))
            got = bool(cur.fetchone()[0])
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def still_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            with self._conn.cursor() as cur:
                cur.execute("SELECT 1")
            return True
        except Exception:
            # The connection (and with it the advisory lock) is gone.
            self._conn = None
            return False

    def release(self) -> None:
        import psycopg2

        if self._conn is not None:
            try:
                with self._conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            except psycopg2.Error:
                pass  # the session is gone, and the server dropped its lock with it
            finally:
                self._conn.close()
                self._conn = None


def leader_lock_for(queue_url: str, data_dir: Path) -> LeaderLock:
    """The lock that matches the queue backend: schedulers sharing a queue share a lock."""
    if not queue_url or queue_url.startswith("sqlite"):
        return FileLeaderLock(data_dir / "scheduler.lock")
    if queue_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisLeaderLock(queue_url)
    if queue_url.startswith(("postgresql://", "postgres://")):
        return PostgresLeaderLock(queue_url)
    raise ConfigError(
        f"no scheduler lock for queue url scheme {queue_url.split(':', 1)[0]!r}",
        hint="use redis://, postgresql:// or leave queue.url empty for the embedded queue",
    )
