"""Run one job: input → documents → draft kind → result, with the result cache.

Knows nothing about huey: the queue hands it a job id, it claims the job in the store,
runs it and records the outcome. Any registered draft kind works the same way; ``ingest``
is the one job kind that is not a draft (it returns the documents themselves).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors.errors import (
    AuthError,
    BadInputError,
    ConfigError,
    DeskdraftError,
    ResourceError,
    TransientError,
    UsageError,
)
from connectors.secrets import redact
from plugin.drafts.base import draft_kinds
from plugin.drafts.inputs import documents_from_input
from plugin.jobs.memo import Lru
from plugin.jobs.progress import JobCancelled, reporting_to
from plugin.jobs.store import Job, JobStore, User, dumps

log = logging.getLogger(__name__)

INGEST = "ingest"
MODEL_ID_KEY = "model_id"
#: Users' personal models (``model use --user``) a worker keeps loaded, least recently
#: used out: each is a whole model in memory (about 0.2 GB for SmolLM2 int8).
PERSONAL_ENGINES = 2


def personal_model_key(user_id: str) -> str:
    """The meta key of the model id a user's jobs use ("" or absent: the install's)."""
    return f"{MODEL_ID_KEY}:user:{user_id}"


_ERROR_TYPES: dict[type[DeskdraftError], str] = {
    BadInputError: "bad-input",
    UsageError: "bad-request",
    ConfigError: "config",
    AuthError: "auth",
    ResourceError: "resource",
    TransientError: "transient",
}


def job_kinds() -> list[str]:
    return sorted({*draft_kinds.names(), INGEST})


def available_job_kinds() -> list[str]:
    """Job kinds a client may submit whose code loads here (a declared kind with a broken
    module is left out, and so are kinds only the scheduler submits)."""
    kinds = {INGEST}
    for name in draft_kinds.names():
        try:
            kind_cls = draft_kinds.get(name)
        except ImportError as exc:
            log.warning("draft kind %r is unavailable: %s", name, exc)
            continue
        if not getattr(kind_cls, "scheduled_only", False):
            kinds.add(name)
    return sorted(kinds)


def needs_model(kind: str, options: Mapping[str, Any]) -> bool:
    """Whether a ``kind`` job with ``options`` runs the model (its cache key names it)."""
    if kind == INGEST:
        return False
    try:
        kind_cls = draft_kinds.get(kind)
    except ImportError as exc:  # declared, but its module is missing or broken
        raise ConfigError(
            f"job kind {kind!r} is not available: {exc}",
            hint="reinstall deskdraft or the extension that provides it",
        ) from None
    return _uses_model(kind_cls, options)


def _uses_model(kind_cls: type[Any], options: Mapping[str, Any]) -> bool:
    # An extension's kind may predate ``uses_model`` (or not subclass DraftKind at all).
    uses_model = getattr(kind_cls, "uses_model", None)
    if callable(uses_model):
        return bool(uses_model(options))
    return bool(getattr(kind_cls, "needs_model", True))


def cache_key(
    kind: str, input_: Mapping[str, Any], options: Mapping[str, Any], model_id: str
) -> str | None:
    """The result-cache key, or None for inputs whose content can change (a source URI)."""
    if "source" in input_:
        return None
    payload = dumps({"kind": kind, "input": input_, "options": options, "model": model_id})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def error_record(exc: BaseException) -> dict[str, Any]:
    """What a user sees of a failure: a type, a title and a redacted message."""
    if isinstance(exc, DeskdraftError):
        kind = next((name for cls, name in _ERROR_TYPES.items() if isinstance(exc, cls)), "error")
        return {"type": kind, "title": type(exc).__name__, "detail": redact(str(exc))}
    return {
        "type": "internal",
        "title": "Internal error",
        "detail": f"the job failed with an unexpected {type(exc).__name__}; "
        "see the worker log for details",
    }


def _shape(drafts: list[dict[str, Any]]) -> Any:
    return drafts[0] if len(drafts) == 1 else drafts


@dataclass
class Runner:
    """Executes jobs for one worker process. The engine is loaded once, on first need."""

    store: JobStore
    worker_id: str
    lease_s: float
    retries: int
    retry_delay_s: float
    #: Called to put a job back on the queue after a transient fault: (id, priority, delay).
    requeue: Callable[[str, int, float], None]
    engine_factory: Callable[[], Any] | None = None
    _engine: Any = None
    _default_stamp: tuple[int, int] = (0, 0)
    #: user name → their personal default model folder (re-read when the stamp changes).
    _personal: dict[str, Path] = field(default_factory=dict)
    _loaded: Lru[str, Any] = field(default_factory=lambda: Lru(PERSONAL_ENGINES))
    _announced: dict[str, str] = field(default_factory=dict)
    _engine_lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: set[str] = field(default_factory=set)

    def engine(self, owner: User | None = None) -> Any:
        """The engine for a job of ``owner``: their personal default when they have one
        (and the settings use the default model), else the install's."""
        with self._engine_lock:
            if self.engine_factory is None:
                # `deskdraft model use` changes a default: load the new one between jobs.
                from plugin.engine import registry

                current = registry.stamp()
                if current != self._default_stamp:
                    self._engine, self._default_stamp = None, current
                    self._personal = _personal_defaults()
                    self._announced.clear()  # tell submitters again: a default moved
                folder = self._personal.get(owner.name) if owner is not None else None
                if folder is not None:
                    assert owner is not None
                    return self._personal_engine(folder, owner)
            if self._engine is None:
                factory = self.engine_factory or _default_engine
                self._engine = factory()
                self.store.meta_set(MODEL_ID_KEY, str(self._engine.model_id))
            return self._engine

    def _personal_engine(self, folder: Path, owner: User) -> Any:
        engine = self._loaded.get(str(folder))
        if engine is None:
            from plugin.engine.runtime import open_engine

            engine = open_engine(folder)
            self._loaded.put(str(folder), engine)
            log.info("loaded %s, %s's default model", folder.name, owner.name)
        key = personal_model_key(owner.id)
        if self._announced.get(key) != engine.model_id:
            self.store.meta_set(key, str(engine.model_id))
            self._announced[key] = engine.model_id
        return engine

    def run(self, job_id: str) -> None:
        job = self.store.claim(job_id, self.worker_id, self.lease_s)
        if job is None:  # done, cancelled, or another worker holds a live lease
            log.debug("job %s: nothing to do", job_id)
            return
        self.in_flight.add(job_id)
        try:
            self._run_claimed(job)
        finally:
            self.in_flight.discard(job_id)

    def _run_claimed(self, job: Job) -> None:
        try:
            result = self.execute(job)
        except JobCancelled:
            log.info("job %s: cancelled while running", job.id)
        except TransientError as exc:
            if job.attempts + 1 >= self.retries:
                self.store.fail(job.id, error_record(exc))
                log.warning(
                    "job %s failed after %d attempts: %s",
                    job.id,
                    job.attempts + 1,
                    redact(str(exc)),
                )
                return
            delay = exc.retry_after or self.retry_delay_s * 2**job.attempts
            if self.store.retry_later(job.id, error_record(exc), delay):
                self.requeue(job.id, job.priority, delay)
            log.info(
                "job %s: transient fault, retrying in %.1fs: %s", job.id, delay, redact(str(exc))
            )
        except DeskdraftError as exc:
            self.store.fail(job.id, error_record(exc))
            log.info("job %s failed: %s", job.id, redact(str(exc)))
        except Exception as exc:
            log.exception("job %s: unexpected error", job.id)
            self.store.fail(job.id, error_record(exc))
        else:
            if not self.store.complete(job.id, result):
                log.info("job %s: finished elsewhere or cancelled; result dropped", job.id)

    def _seal_files(self, result: Any) -> None:
        """Seal the files a draft wrote under outputs/ (the bridge opens them to serve)."""
        if self.store.sealer is None:
            return
        from plugin.config import settings
        from plugin.jobs.sealing import seal_file

        outputs = (settings().data_dir / "outputs").resolve()
        for path in result_files(result):
            if path.resolve().is_relative_to(outputs) and path.is_file():
                seal_file(path, self.store.sealer)

    def execute(self, job: Job) -> Any:
        owner = None
        if job.owner is not None:  # runs as its owner: only their sources (again, at run time)
            from plugin.config import settings
            from plugin.jobs.ownership import check_job_access

            owner = self.store.user_by_id(job.owner)
            if owner is None:
                raise UsageError(f"job {job.id} belongs to a user who no longer exists")
            check_job_access(settings(), job.input, job.options, owner, at_submit=False)
        kind_cls = None if job.kind == INGEST else draft_kinds.get(job.kind)
        options = dict(job.options)
        if kind_cls is not None and kind_cls.reads_source and "source" in job.input:
            documents: list[Any] = []
            options["source"] = str(job.input["source"])
        else:
            documents = documents_from_input(job.input)
        if kind_cls is None:  # ingest; "full" adds what a later job needs sent back whole
            full = bool(options.get("full"))
            return _shape([doc.to_json(full=full) for doc in documents])
        as_owner = bool(getattr(kind_cls, "runs_as_owner", False))
        if as_owner and owner is not None:
            options.setdefault("owner", owner.name)
            options["owner_admin"] = owner.admin
        engine = self.engine(owner) if _uses_model(kind_cls, job.options) else None
        model_id = str(engine.model_id) if engine is not None else "none"
        key = None if as_owner else cache_key(job.kind, job.input, job.options, model_id)
        if key is not None and (cached := self.store.cache_get(key)) is not None:
            return cached

        def report(fraction: float, message: str | None) -> bool:
            return self.store.set_progress(job.id, fraction, message)

        with reporting_to(report):
            drafts = kind_cls(engine).draft(documents, options)
        result = _shape([d.to_json() for d in drafts])
        self._seal_files(result)
        if key is not None:
            self.store.cache_put(key, result)
        return result


def result_files(result: Any) -> list[Path]:
    """The files a result names (``files``: {name: path}), wherever they are."""
    found = []
    for item in result if isinstance(result, list) else [result]:
        files = item.get("files") if isinstance(item, dict) else None
        if isinstance(files, dict):
            found.extend(Path(p) for p in files.values() if isinstance(p, str))
    return found


def _personal_defaults() -> dict[str, Path]:
    from plugin.config import settings
    from plugin.engine import registry

    if settings().engine.model.strip() not in ("", "default"):
        return {}  # a configured model serves every job
    return registry.personal_defaults()


def _default_engine() -> Any:
    from plugin.engine.runtime import get_engine

    return get_engine()
