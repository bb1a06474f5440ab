"""Job records that survive restarts, the result cache and draft feedback.

The huey message only says "run job X"; everything a user can see about a job lives
here: kind, options, input, status, timestamps, progress, error and result. That split is
what gives at-least-once delivery: a worker *claims* a job with a lease it keeps renewing;
when a worker dies (``kill -9``) its lease runs out and any worker puts the job back on the
queue. Every state change is a conditional UPDATE, so a job finishes exactly once even if
two deliveries race.

Backends: SQLite (WAL, one file in the data dir) or PostgreSQL, same SQL.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError, TransientError
from connectors.secrets import redact

STATUSES = ("queued", "running", "done", "failed", "cancelled")
TERMINAL = frozenset({"done", "failed", "cancelled"})

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        input TEXT NOT NULL,
        options TEXT NOT NULL,
        priority INTEGER NOT NULL,
        status TEXT NOT NULL,
        progress DOUBLE PRECISION NOT NULL DEFAULT 0,
        message TEXT,
        error TEXT,
        result TEXT,
        cached INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        deliveries INTEGER NOT NULL DEFAULT 0,
        worker TEXT,
        lease_until DOUBLE PRECISION,
        run_after DOUBLE PRECISION NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        started_at DOUBLE PRECISION,
        finished_at DOUBLE PRECISION
    )""",
    "CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, lease_until)",
    """CREATE TABLE IF NOT EXISTS result_cache (
        key TEXT PRIMARY KEY, result TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS feedback (
        id TEXT PRIMARY KEY, job_id TEXT NOT NULL, rating INTEGER NOT NULL,
        edited_text TEXT, comment TEXT, draft_index INTEGER NOT NULL DEFAULT 0,
        created_at DOUBLE PRECISION NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

_COLUMNS = ("id, kind, input, options, priority, status, progress, message, error, result, "
            "cached, attempts, deliveries, worker, created_at, updated_at, started_at, "
            "finished_at")


def dumps(value: Any) -> str:
    """Canonical JSON: the same value always gives the same text (cache keys rely on it)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(slots=True)
class Job:
    id: str
    kind: str
    input: dict[str, Any]
    options: dict[str, Any]
    priority: int
    status: str
    progress: float
    message: str | None
    error: dict[str, Any] | None
    result: Any
    cached: bool
    attempts: int
    deliveries: int
    worker: str | None
    created_at: float
    updated_at: float
    started_at: float | None
    finished_at: float | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Job:
        (id_, kind, input_, options, priority, status, progress, message, error, result,
         cached, attempts, deliveries, worker, created, updated, started, finished) = row
        return cls(id_, kind, json.loads(input_), json.loads(options), int(priority), status,
                   float(progress), message, json.loads(error) if error else None,
                   json.loads(result) if result is not None else None, bool(cached),
                   int(attempts), int(deliveries), worker, created, updated, started, finished)

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


class JobStore:
    """SQL job store. One connection per thread; safe to share between threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._write_lock = threading.Lock()
        if url.startswith(("postgresql://", "postgres://")):
            self.dialect = "postgres"
        elif url.startswith("sqlite:///"):
            self.dialect = "sqlite"
            self.path = Path(url.removeprefix("sqlite:///"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise ConfigError(f"unsupported job store URL {redact(url)!r}",
                              hint="use sqlite:///PATH or postgresql://…")
        with self._tx() as cur:
            if self.dialect == "postgres":  # concurrent CREATE IF NOT EXISTS can collide
                cur.execute("SELECT pg_advisory_xact_lock(741852)")
            for statement in _SCHEMA:
                cur.execute(statement)

    # -- connections -------------------------------------------------------------------

    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        import psycopg2

        try:
            conn = psycopg2.connect(self.url, connect_timeout=10)
        except psycopg2.OperationalError as exc:
            raise TransientError(f"cannot reach the job store: {redact(str(exc)).strip()}",
                                 item=redact(self.url)) from None
        conn.autocommit = False
        return conn

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(conn, "closed", 0):
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[Any]:
        conn = self._conn()
        if self.dialect == "sqlite":
            cur = conn.cursor()
            if not write:  # WAL readers need no lock; autocommit reads see committed data
                yield _Cursor(cur, self.dialect)
                return
            # Threads of one process queue here instead of in SQLite's busy handler, whose
            # growing sleeps (up to 100 ms) would otherwise make the latency tail.
            with self._write_lock:
                cur.execute("BEGIN IMMEDIATE")
                try:
                    yield _Cursor(cur, self.dialect)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
            return
        import psycopg2

        try:
            with conn.cursor() as cur:
                yield _Cursor(cur, self.dialect)
            conn.commit()
        except psycopg2.OperationalError:
            self._local.conn = None  # a dropped connection: reconnect next time
            raise
        except BaseException:
            conn.rollback()
            raise

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._tx(write=False) as cur:
            cur.execute(sql, params)
            return cur.fetchone()

    def _update(self, sql: str, params: Sequence[Any]) -> int:
        with self._tx() as cur:
            cur.execute(sql, params)
            return cur.rowcount

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- jobs --------------------------------------------------------------------------

    def create(self, kind: str, input_: dict[str, Any], options: dict[str, Any],
               priority: int, *, result: Any = None, job_id: str | None = None) -> Job:
        """A new job: queued, or already done when ``result`` came from the cache. With a
        ``job_id`` that exists already, that job is returned and nothing is written."""
        now = time.time()
        job_id = job_id or uuid.uuid4().hex
        done = result is not None
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO jobs (id, kind, input, options, priority, status, progress, result,"
                " cached, run_after, created_at, updated_at, finished_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                (job_id, kind, dumps(input_), dumps(options), priority,
                 "done" if done else "queued", 1.0 if done else 0.0,
                 dumps(result) if done else None, 1 if done else 0, now, now, now,
                 now if done else None))
            inserted = cur.rowcount == 1
        if not inserted:
            return self.get(job_id)  # type: ignore[return-value]
        return Job(job_id, kind, dict(input_), dict(options), priority,
                   "done" if done else "queued", 1.0 if done else 0.0, None, None, result,
                   done, 0, 0, None, now, now, None, now if done else None)

    def get(self, job_id: str) -> Job | None:
        found = self.get_sized(job_id)
        return found[0] if found else None

    def get_sized(self, job_id: str) -> tuple[Job, int] | None:
        """The job and the length of its stored JSON (input + result), for memory budgets."""
        row = self._one(f"SELECT {_COLUMNS} FROM jobs WHERE id=?", (job_id,))
        if not row:
            return None
        return Job.from_row(row), len(row[2]) + len(row[9] or "") + len(row[8] or "")

    def claim(self, job_id: str, worker: str, lease_s: float) -> Job | None:
        """Take a queued job (or one whose worker died). None: someone else has it."""
        now = time.time()
        changed = self._update(
            "UPDATE jobs SET status='running', worker=?, lease_until=?, updated_at=?,"
            " started_at=COALESCE(started_at, ?), deliveries=deliveries+1 WHERE id=? AND"
            " (status='queued' OR (status='running' AND lease_until<?))",
            (worker, now + lease_s, now, now, job_id, now))
        return self.get(job_id) if changed else None

    def heartbeat(self, job_ids: Sequence[str], worker: str, lease_s: float) -> None:
        if not job_ids:
            return
        marks = ",".join("?" * len(job_ids))
        self._update(f"UPDATE jobs SET lease_until=? WHERE status='running' AND worker=?"
                     f" AND id IN ({marks})", (time.time() + lease_s, worker, *job_ids))

    def set_progress(self, job_id: str, fraction: float, message: str | None = None) -> bool:
        """Record progress. False when the job is no longer running (it was cancelled)."""
        return self._update(
            "UPDATE jobs SET progress=?, message=?, updated_at=? WHERE id=? AND status='running'",
            (max(0.0, min(1.0, fraction)), message, time.time(), job_id)) == 1

    def complete(self, job_id: str, result: Any) -> bool:
        """Finish a job once: a later (duplicate) delivery finds it done and changes nothing."""
        now = time.time()
        return self._update(
            "UPDATE jobs SET status='done', progress=1, result=?, error=NULL, worker=NULL,"
            " lease_until=NULL, updated_at=?, finished_at=? WHERE id=? AND status='running'",
            (dumps(result), now, now, job_id)) == 1

    def fail(self, job_id: str, error: dict[str, Any]) -> bool:
        now = time.time()
        return self._update(
            "UPDATE jobs SET status='failed', error=?, worker=NULL, lease_until=NULL,"
            " updated_at=?, finished_at=? WHERE id=? AND status IN ('running','queued')",
            (dumps(error), now, now, job_id)) == 1

    def retry_later(self, job_id: str, error: dict[str, Any], delay_s: float) -> bool:
        now = time.time()
        return self._update(
            "UPDATE jobs SET status='queued', error=?, attempts=attempts+1, worker=NULL,"
            " lease_until=NULL, run_after=?, updated_at=? WHERE id=? AND status='running'",
            (dumps(error), now + delay_s, now, job_id)) == 1

    def cancel(self, job_id: str) -> Job | None:
        now = time.time()
        self._update(
            "UPDATE jobs SET status='cancelled', worker=NULL, lease_until=NULL, updated_at=?,"
            " finished_at=? WHERE id=? AND status IN ('queued','running')", (now, now, job_id))
        return self.get(job_id)

    def requeue_expired(self, max_deliveries: int) -> list[tuple[str, int]]:
        """Jobs whose worker stopped renewing its lease: back to queued (or failed when they
        keep killing workers). Returns ``(id, priority)`` of each job to enqueue again."""
        now = time.time()
        with self._tx(write=False) as cur:
            cur.execute("SELECT id, priority, deliveries FROM jobs"
                        " WHERE status='running' AND lease_until<?", (now,))
            expired = cur.fetchall()
        again: list[tuple[str, int]] = []
        for job_id, priority, deliveries in expired:
            if deliveries >= max_deliveries:
                self._update(
                    "UPDATE jobs SET status='failed', error=?, worker=NULL, lease_until=NULL,"
                    " updated_at=?, finished_at=? WHERE id=? AND status='running'"
                    " AND lease_until<?",
                    (dumps({"title": "Worker lost", "detail": f"the worker stopped while running"
                            f" this job {deliveries} times; it is not retried again",
                            "type": "worker-lost"}), now, now, job_id, now))
                continue
            if self._update("UPDATE jobs SET status='queued', worker=NULL, lease_until=NULL,"
                            " run_after=?, updated_at=? WHERE id=? AND status='running'"
                            " AND lease_until<?", (now, now, job_id, now)):
                again.append((job_id, int(priority)))
        return again

    def due_queued(self, older_than_s: float) -> list[tuple[str, int, float]]:
        """Queued jobs due for a while: ``(id, priority, run_after)``, for orphan checks."""
        now = time.time()
        with self._tx(write=False) as cur:
            cur.execute("SELECT id, priority, run_after FROM jobs WHERE status='queued'"
                        " AND run_after<? ORDER BY run_after", (now - older_than_s,))
            return [(r[0], int(r[1]), float(r[2])) for r in cur.fetchall()]

    def touch_queued(self, job_id: str) -> bool:
        now = time.time()
        return self._update("UPDATE jobs SET run_after=? WHERE id=? AND status='queued'",
                            (now, job_id)) == 1

    def snapshot(self, job_ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """``{id: (status, result JSON)}`` for many jobs in one query (monitoring, benches)."""
        out: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(job_ids), 500):
            chunk = list(job_ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            with self._tx(write=False) as cur:
                cur.execute(f"SELECT id, status, result FROM jobs WHERE id IN ({marks})", chunk)
                out.update({row[0]: (row[1], row[2]) for row in cur.fetchall()})
        return out

    def counts(self) -> dict[str, int]:
        with self._tx(write=False) as cur:
            cur.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status")
            found = {status: int(n) for status, n in cur.fetchall()}
        return {status: found.get(status, 0) for status in STATUSES}

    # -- result cache, meta and feedback ---------------------------------------------

    def cache_get(self, key: str) -> Any:
        row = self._one("SELECT result FROM result_cache WHERE key=?", (key,))
        return json.loads(row[0]) if row else None

    def cache_put(self, key: str, result: Any) -> None:
        self._update("INSERT INTO result_cache (key, result, created_at) VALUES (?,?,?)"
                     " ON CONFLICT (key) DO NOTHING", (key, dumps(result), time.time()))

    def meta_get(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return row[0] if row else None

    def meta_set(self, key: str, value: str) -> None:
        self._update("INSERT INTO meta (key, value) VALUES (?,?)"
                     " ON CONFLICT (key) DO UPDATE SET value=excluded.value", (key, value))

    def add_feedback(self, job_id: str, rating: int, edited_text: str | None,
                     comment: str | None, draft_index: int) -> str:
        feedback_id = uuid.uuid4().hex
        self._update("INSERT INTO feedback (id, job_id, rating, edited_text, comment,"
                     " draft_index, created_at) VALUES (?,?,?,?,?,?,?)",
                     (feedback_id, job_id, rating, edited_text, comment, draft_index,
                      time.time()))
        return feedback_id

    def feedback(self, job_id: str) -> list[dict[str, Any]]:
        with self._tx(write=False) as cur:
            cur.execute("SELECT id, rating, edited_text, comment, draft_index, created_at"
                        " FROM feedback WHERE job_id=? ORDER BY created_at", (job_id,))
            names = ("id", "rating", "edited_text", "comment", "draft_index", "created_at")
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def feedback_with_jobs(self) -> list[dict[str, Any]]:
        """Every feedback record with its job's kind, input, options and result (raw JSON
        text, or None when the job is gone), oldest first: the training data of
        ``deskdraft model tune --from-feedback``."""
        names = ("id", "job_id", "rating", "edited_text", "draft_index", "kind", "input",
                 "options", "result")
        with self._tx(write=False) as cur:
            cur.execute("SELECT f.id, f.job_id, f.rating, f.edited_text, f.draft_index,"
                        " j.kind, j.input, j.options, j.result FROM feedback f"
                        " LEFT JOIN jobs j ON j.id = f.job_id ORDER BY f.created_at, f.id")
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class _Cursor:
    """Lets one SQL text (``?`` placeholders) run on both sqlite3 and psycopg2."""

    def __init__(self, cur: Any, dialect: str) -> None:
        self._cur = cur
        self._pg = dialect == "postgres"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self._pg:
            sql = sql.replace("?", "%s")
        self._cur.execute(sql, tuple(params))

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)
