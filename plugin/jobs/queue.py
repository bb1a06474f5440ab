"""The job queue: ``submit``, ``status``, ``result``, ``cancel``. The only module that knows huey.

``queue.url`` picks the transport: empty → ``SqliteHuey`` in the data dir; ``redis://`` →
``PriorityRedisHuey``; ``postgresql://`` → huey's peewee ``SqlHuey`` (``FOR UPDATE SKIP
LOCKED``). Job records live in a ``JobStore`` (``plugin.jobs.store``); a huey message
carries only a job id, so losing or duplicating a message never loses or doubles a job.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError, DeskdraftError, UsageError
from connectors.secrets import redact
from plugin.config import Settings, settings
from plugin.jobs.memo import Lru
from plugin.jobs.sealing import SealingSerializer, sealer_for
from plugin.jobs.store import TERMINAL, Job, JobStore, dumps

log = logging.getLogger(__name__)

PRIORITIES = {"interactive": 10, "batch": 0}
HUEY_NAME = "deskdraft"
TASK_NAME = "deskdraft_run_job"
#: Model id that workers last reported, re-read at most this often by submitters.
MODEL_ID_TTL_S = 5.0
#: Finished job records kept in memory per process (they never change once finished).
FINISHED_MEMO_ENTRIES = 4096
FINISHED_MEMO_BYTES = 64 * 1024 * 1024


def cached_job_id(key: str, owner: str | None = None) -> str:
    """The one job a cached result is filed under for one user: that user submitting the
    same kind, input, options and model again gets that job instead of a new record.
    Another user gets a job of their own (their own feedback), over the same result."""
    scope = f"deskdraft-cached-job:{key}" if owner is None else f"{owner}:{key}"
    return hashlib.sha256(scope.encode()).hexdigest()[:32]


class JobFailed(DeskdraftError):
    """``result()`` of a job that failed or was cancelled."""


def store_url(s: Settings) -> str:
    """Where job records (and users) live for these settings."""
    if s.queue.store_url:
        return s.queue.store_url
    if s.queue.url.startswith(("postgresql://", "postgres://")):
        return s.queue.url
    return f"sqlite:///{s.data_dir / 'jobs.sqlite'}"


def _make_huey(url: str, data_dir: Path, serializer: Any = None) -> Any:
    """``serializer``: seals every message (``plugin.jobs.sealing.SealingSerializer``)."""
    if not url or url.startswith("sqlite:///"):
        from huey import SqliteHuey

        path = url.removeprefix("sqlite:///") if url else str(data_dir / "queue.sqlite")
        return SqliteHuey(
            HUEY_NAME, filename=path, results=False, utc=True, timeout=30, serializer=serializer
        )
    if url.startswith(("redis://", "rediss://", "unix://")):
        from huey import PriorityRedisHuey

        return PriorityRedisHuey(HUEY_NAME, url=url, results=False, utc=True, serializer=serializer)
    if url.startswith(("postgresql://", "postgres://")):
        from huey.contrib.sql_huey import SqlHuey

        return SqlHuey(
            HUEY_NAME,
            database=url.replace("postgres://", "postgresql://", 1),
            results=False,
            utc=True,
            serializer=serializer,
        )
    raise ConfigError(
        f"unsupported queue URL {redact(url)!r}",
        hint="leave empty for SQLite, or use redis://… or postgresql://…",
    )


class JobQueue:
    """Submit jobs and read their state. Cheap to create; share one per process."""

    def __init__(self, s: Settings | None = None) -> None:
        s = s or settings()
        self.settings = s
        sealer = sealer_for(s.data_dir, s.security.encrypt_at_rest)
        self.store = JobStore(store_url(s), sealer)
        self.huey = _make_huey(s.queue.url, s.data_dir, SealingSerializer(sealer))
        self._handler: Callable[[str], None] | None = None
        #: meta key → (read at, model id): the install's and users' personal model ids.
        self._model_ids: dict[str, tuple[float, str | None]] = {}
        self._kinds: set[str] = set()
        self._kinds_lock = threading.Lock()
        self._finished: Lru[str, Job] = Lru(FINISHED_MEMO_ENTRIES, FINISHED_MEMO_BYTES)
        #: (cache key, owner) → id of its (done) job: a repeated submit costs no SQL at all.
        self._cached_jobs: Lru[tuple[str, str | None], str] = Lru(FINISHED_MEMO_ENTRIES)
        self._task = self.huey.task(name=TASK_NAME)(self._dispatch)

    # -- the interface -----------------------------------------------------------------

    def submit(
        self,
        kind: str,
        input_: Mapping[str, Any],
        options: Mapping[str, Any] | None = None,
        priority: str = "interactive",
        owner: str | None = None,
    ) -> str:
        """Queue a job and return its id. A cached result makes it done at once."""
        return self.submit_job(kind, input_, options, priority, owner).id

    def submit_job(
        self,
        kind: str,
        input_: Mapping[str, Any],
        options: Mapping[str, Any] | None = None,
        priority: str = "interactive",
        owner: str | None = None,
    ) -> Job:
        """``owner``: the user id the job belongs to (None: the system's, admins only)."""
        from plugin.jobs.runner import cache_key, job_kinds, needs_model

        if kind not in self._kinds:
            with self._kinds_lock:  # one scan of the entry points, not one per thread
                if kind not in self._kinds:
                    self._kinds = set(job_kinds())  # a kind may have been registered since
            if kind not in self._kinds:
                raise UsageError(
                    f"unknown job kind {kind!r}", hint=f"known: {', '.join(sorted(self._kinds))}"
                )
        if priority not in PRIORITIES:
            raise UsageError(f"unknown priority {priority!r}", hint="use interactive or batch")
        input_, options = dict(input_), dict(options or {})
        model_id = self._current_model_id(owner) if needs_model(kind, options) else "none"
        key = cache_key(kind, input_, options, model_id) if model_id else None
        if key is not None and (known := self._cached_jobs.get((key, owner))) is not None:
            job = self.job(known)
            if job is not None:
                return job
        cached = self.store.cache_get(key) if key else None
        if cached is None:
            job = self.store.create(kind, input_, options, PRIORITIES[priority], owner=owner)
            self.enqueue(job.id, job.priority)
            return job
        assert key is not None
        job = self.store.create(
            kind,
            input_,
            options,
            PRIORITIES[priority],
            result=cached,
            job_id=cached_job_id(key, owner),
            owner=owner,
        )
        self._finished.put(job.id, job, len(dumps(job.input)) + len(dumps(job.result)))
        self._cached_jobs.put((key, owner), job.id)
        return job

    def job(self, job_id: str) -> Job | None:
        """A job's record, or None. Finished records come from memory after the first read.
        Callers must not change the returned object."""
        job = self._finished.get(job_id)
        if job is not None:
            return job
        found = self.store.get_sized(job_id)
        if found is None:
            return None
        job, size = found
        if job.status in TERMINAL:
            self._finished.put(job_id, job, size)
        return job

    def status(self, job_id: str) -> Job:
        job = self.job(job_id)
        if job is None:
            raise UsageError(f"no job {job_id!r}", item=job_id)
        return job

    def result(self, job_id: str, timeout: float | None = None, poll_s: float = 0.1) -> Any:
        """Wait for a job and return its result; raise ``JobFailed`` if it failed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.status(job_id)
            if job.status == "done":
                return job.result
            if job.status in {"failed", "cancelled"}:
                detail = (job.error or {}).get("detail") or job.status
                raise JobFailed(f"job {job.status}: {detail}", item=job_id)
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.status} after {timeout}s")
            time.sleep(poll_s)

    def cancel(self, job_id: str) -> Job:
        job = self.store.cancel(job_id)
        if job is None:
            raise UsageError(f"no job {job_id!r}", item=job_id)
        return job

    # -- for workers -------------------------------------------------------------------

    def enqueue(self, job_id: str, priority: int, delay: float = 0.0) -> None:
        if delay > 0:
            self._task.schedule(args=(job_id,), delay=delay, priority=priority)
        else:
            self.huey.enqueue(self._task.s(job_id, priority=priority))

    def pending_messages(self) -> int:
        return int(self.huey.pending_count()) + int(self.huey.scheduled_count())

    def set_handler(self, handler: Callable[[str], None]) -> None:
        self._handler = handler

    def _dispatch(self, job_id: str) -> None:
        if self._handler is None:
            raise RuntimeError("this process runs no worker")
        self._handler(job_id)

    def run_consumer(
        self, concurrency: int, *, poll_s: float = 0.05, max_poll_s: float = 0.5
    ) -> None:
        """Run huey's consumer in this (main) thread until a signal stops it."""
        # Service managers stop with SIGTERM on POSIX and with Ctrl+C (SIGINT) on Windows.
        graceful = "INT" if os.name == "nt" else "TERM"
        consumer = self.huey.create_consumer(
            workers=concurrency,
            worker_type="thread",
            initial_delay=poll_s,
            max_delay=max_poll_s,
            backoff=1.5,
            periodic=False,
            graceful_signal=graceful,
            check_worker_health=True,
        )
        consumer.run()

    def _current_model_id(self, owner: str | None = None) -> str | None:
        """The id of the model a job of ``owner`` runs with: their personal default's,
        else the install's (a user's cached results are never keyed by another's model)."""
        from plugin.jobs.runner import MODEL_ID_KEY, personal_model_key

        if owner is not None:
            personal = self._meta(personal_model_key(owner), missing="")
            if personal:
                return personal
        return self._meta(MODEL_ID_KEY)

    def _meta(self, key: str, missing: str | None = None) -> str | None:
        read_at, value = self._model_ids.get(key, (0.0, None))
        # Until a worker has reported its model, look every time; afterwards now and then.
        if value is None or time.monotonic() - read_at > MODEL_ID_TTL_S:
            value = self.store.meta_get(key)
            if value is None:
                value = missing
            self._model_ids[key] = (time.monotonic(), value)
        return value

    def close(self) -> None:
        self.store.close()
        self.huey.storage.close()


_queues: dict[tuple[str, str, str], JobQueue] = {}


def open_queue(s: Settings | None = None) -> JobQueue:
    """The process's queue for the current settings (one per backend URL)."""
    s = s or settings()
    key = (s.queue.url, store_url(s), str(s.data_dir))
    if key not in _queues:
        _queues[key] = JobQueue(s)
    return _queues[key]


def open_store(s: Settings | None = None) -> JobStore:
    """The job store alone (users, audit, keys), for commands that need no queue."""
    s = s or settings()
    return JobStore(store_url(s), sealer_for(s.data_dir, s.security.encrypt_at_rest))


__all__ = ["PRIORITIES", "JobFailed", "JobQueue", "open_queue", "open_store", "store_url"]
