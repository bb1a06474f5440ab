"""The ``jobs`` table: job records that survive restarts.

The huey message only says "run job X"; everything a user can see about a job lives
here: kind, options, input, status, timestamps, progress, error and result. That split is
what gives at-least-once delivery: a worker *claims* a job with a lease it keeps renewing;
when a worker dies (``kill -9``) its lease runs out and any worker puts the job back on the
queue. Every state change is a conditional UPDATE, so a job finishes exactly once even if
two deliveries race.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from plugin.jobs.sql import SqlDatabase, dumps

STATUSES = ("queued", "running", "done", "failed", "cancelled")
TERMINAL = frozenset({"done", "failed", "cancelled"})

_COLUMNS = (
    "id, kind, input, options, priority, status, progress, message, error, result, "
    "cached, attempts, deliveries, worker, created_at, updated_at, started_at, "
    "finished_at, owner"
)


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
    #: The user the job belongs to (``plugin.jobs.users``); None: the system's (the CLI,
    #: samples), visible to admins only.
    owner: str | None = None

    @classmethod
    def from_row(cls, row: Sequence[Any], unseal: Callable[[str], str] = str) -> Job:
        (
            id_,
            kind,
            input_,
            options,
            priority,
            status,
            progress,
            message,
            error,
            result,
            cached,
            attempts,
            deliveries,
            worker,
            created,
            updated,
            started,
            finished,
            owner,
        ) = row
        return cls(id_, kind, json.loads(unseal(input_)), json.loads(options), int(priority),
                   status, float(progress), message, json.loads(error) if error else None,
                   json.loads(unseal(result)) if result is not None else None, bool(cached),
                   int(attempts), int(deliveries), worker, created, updated, started, finished,
                   owner)  # fmt: skip

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


class JobRecords(SqlDatabase):
    """Create, claim, finish and read job records."""

    TABLES: ClassVar[tuple[str, ...]] = (
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
            finished_at DOUBLE PRECISION,
            owner TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, lease_until)",
    )
    ADDED_COLUMNS: ClassVar[tuple[tuple[str, str, str], ...]] = (("jobs", "owner", "TEXT"),)

    # -- jobs --------------------------------------------------------------------------

    def create(
        self,
        kind: str,
        input_: dict[str, Any],
        options: dict[str, Any],
        priority: int,
        *,
        result: Any = None,
        job_id: str | None = None,
        owner: str | None = None,
    ) -> Job:
        """A new job: queued, or already done when ``result`` came from the cache. With a
        ``job_id`` that exists already, that job is returned and nothing is written."""
        now = time.time()
        job_id = job_id or uuid.uuid4().hex
        done = result is not None
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO jobs (id, kind, input, options, priority, status, progress, result,"
                " cached, run_after, created_at, updated_at, finished_at, owner)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                (
                    job_id,
                    kind,
                    self.seal(dumps(input_)),
                    dumps(options),
                    priority,
                    "done" if done else "queued",
                    1.0 if done else 0.0,
                    self.seal(dumps(result)) if done else None,
                    1 if done else 0,
                    now,
                    now,
                    now,
                    now if done else None,
                    owner,
                ),
            )
            inserted = cur.rowcount == 1
        if not inserted:
            return self.get(job_id)  # type: ignore[return-value]
        return Job(
            job_id,
            kind,
            dict(input_),
            dict(options),
            priority,
            "done" if done else "queued",
            1.0 if done else 0.0,
            None,
            None,
            result,
            done,
            0,
            0,
            None,
            now,
            now,
            None,
            now if done else None,
            owner,
        )

    def get(self, job_id: str) -> Job | None:
        found = self.get_sized(job_id)
        return found[0] if found else None

    def get_sized(self, job_id: str) -> tuple[Job, int] | None:
        """The job and the length of its stored JSON (input + result), for memory budgets."""
        row = self._one(f"SELECT {_COLUMNS} FROM jobs WHERE id=?", (job_id,))
        if not row:
            return None
        return Job.from_row(row, self.unseal), len(row[2]) + len(row[9] or "") + len(row[8] or "")

    def claim(self, job_id: str, worker: str, lease_s: float) -> Job | None:
        """Take a queued job (or one whose worker died). None: someone else has it."""
        now = time.time()
        changed = self._update(
            "UPDATE jobs SET status='running', worker=?, lease_until=?, updated_at=?,"
            " started_at=COALESCE(started_at, ?), deliveries=deliveries+1 WHERE id=? AND"
            " (status='queued' OR (status='running' AND lease_until<?))",
            (worker, now + lease_s, now, now, job_id, now),
        )
        return self.get(job_id) if changed else None

    def heartbeat(self, job_ids: Sequence[str], worker: str, lease_s: float) -> None:
        if not job_ids:
            return
        marks = ",".join("?" * len(job_ids))
        self._update(
            f"UPDATE jobs SET lease_until=? WHERE status='running' AND worker=?"
            f" AND id IN ({marks})",
            (time.time() + lease_s, worker, *job_ids),
        )

    def set_progress(self, job_id: str, fraction: float, message: str | None = None) -> bool:
        """Record progress. False when the job is no longer running (it was cancelled)."""
        return (
            self._update(
                "UPDATE jobs SET progress=?, message=?, updated_at=?"
                " WHERE id=? AND status='running'",
                (max(0.0, min(1.0, fraction)), message, time.time(), job_id),
            )
            == 1
        )

    def complete(self, job_id: str, result: Any) -> bool:
        """Finish a job once: a later (duplicate) delivery finds it done and changes nothing."""
        now = time.time()
        return (
            self._update(
                "UPDATE jobs SET status='done', progress=1, result=?, error=NULL, worker=NULL,"
                " lease_until=NULL, updated_at=?, finished_at=? WHERE id=? AND status='running'",
                (self.seal(dumps(result)), now, now, job_id),
            )
            == 1
        )

    def fail(self, job_id: str, error: dict[str, Any]) -> bool:
        now = time.time()
        return (
            self._update(
                "UPDATE jobs SET status='failed', error=?, worker=NULL, lease_until=NULL,"
                " updated_at=?, finished_at=? WHERE id=? AND status IN ('running','queued')",
                (dumps(error), now, now, job_id),
            )
            == 1
        )

    def retry_later(self, job_id: str, error: dict[str, Any], delay_s: float) -> bool:
        now = time.time()
        return (
            self._update(
                "UPDATE jobs SET status='queued', error=?, attempts=attempts+1, worker=NULL,"
                " lease_until=NULL, run_after=?, updated_at=? WHERE id=? AND status='running'",
                (dumps(error), now + delay_s, now, job_id),
            )
            == 1
        )

    def cancel(self, job_id: str) -> Job | None:
        now = time.time()
        self._update(
            "UPDATE jobs SET status='cancelled', worker=NULL, lease_until=NULL, updated_at=?,"
            " finished_at=? WHERE id=? AND status IN ('queued','running')",
            (now, now, job_id),
        )
        return self.get(job_id)

    def requeue_expired(self, max_deliveries: int) -> list[tuple[str, int]]:
        """Jobs whose worker stopped renewing its lease: back to queued (or failed when they
        keep killing workers). Returns ``(id, priority)`` of each job to enqueue again."""
        now = time.time()
        with self._tx(write=False) as cur:
            cur.execute(
                "SELECT id, priority, deliveries FROM jobs"
                " WHERE status='running' AND lease_until<?",
                (now,),
            )
            expired = cur.fetchall()
        again: list[tuple[str, int]] = []
        for job_id, priority, deliveries in expired:
            if deliveries >= max_deliveries:
                self._update(
                    "UPDATE jobs SET status='failed', error=?, worker=NULL, lease_until=NULL,"
                    " updated_at=?, finished_at=? WHERE id=? AND status='running'"
                    " AND lease_until<?",
                    (
                        dumps(
                            {
                                "title": "Worker lost",
                                "detail": f"the worker stopped while running"
                                f" this job {deliveries} times; it is not retried again",
                                "type": "worker-lost",
                            }
                        ),
                        now,
                        now,
                        job_id,
                        now,
                    ),
                )
                continue
            if self._update(
                "UPDATE jobs SET status='queued', worker=NULL, lease_until=NULL,"
                " run_after=?, updated_at=? WHERE id=? AND status='running'"
                " AND lease_until<?",
                (now, now, job_id, now),
            ):
                again.append((job_id, int(priority)))
        return again

    def due_queued(self, older_than_s: float) -> list[tuple[str, int, float]]:
        """Queued jobs due for a while: ``(id, priority, run_after)``, for orphan checks."""
        now = time.time()
        with self._tx(write=False) as cur:
            cur.execute(
                "SELECT id, priority, run_after FROM jobs WHERE status='queued'"
                " AND run_after<? ORDER BY run_after",
                (now - older_than_s,),
            )
            return [(r[0], int(r[1]), float(r[2])) for r in cur.fetchall()]

    def touch_queued(self, job_id: str) -> bool:
        now = time.time()
        return (
            self._update(
                "UPDATE jobs SET run_after=? WHERE id=? AND status='queued'", (now, job_id)
            )
            == 1
        )

    def snapshot(self, job_ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """``{id: (status, result JSON)}`` for many jobs in one query (monitoring, benches)."""
        out: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(job_ids), 500):
            chunk = list(job_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            with self._tx(write=False) as cur:
                cur.execute(f"SELECT id, status, result FROM jobs WHERE id IN ({marks})", chunk)
                out.update(
                    {row[0]: (row[1], self.unseal_optional(row[2])) for row in cur.fetchall()}
                )
        return out

    def counts(self) -> dict[str, int]:
        with self._tx(write=False) as cur:
            cur.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status")
            found = {status: int(n) for status, n in cur.fetchall()}
        return {status: found.get(status, 0) for status in STATUSES}
