"""Each API request's way in and out: who is calling, anomaly rules, the audit entry.

In: the credentials name a user (``plugin.bridge.auth``), who is not locked, not over their
rate and not tripping an anomaly rule (``plugin.bridge.anomaly``). Out: the answer's status
feeds the rules (404 bursts) and one audit entry records who did what, never content.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Response, g, request

from plugin.bridge.anomaly import AnomalyWatch
from plugin.bridge.auth import Authenticator, AuthFailure
from plugin.bridge.problems import Problem
from plugin.config import Settings
from plugin.jobs.store import Job, JobStore

log = logging.getLogger(__name__)

LOCKED = Problem(
    403,
    "token-locked",
    "Token locked",
    "this user is locked after unusual activity; an admin unlocks it with "
    "`deskdraft user unlock NAME`",
)


#: Audit entries of answered requests are written in one transaction this often, off the
#: request path (a write per request would make every poll wait for the store's write lock).
AUDIT_FLUSH_S = 0.2


class AuditWriter:
    """Buffers audit entries and appends them to the chain from one background thread."""

    def __init__(self, store: JobStore, interval_s: float = AUDIT_FLUSH_S) -> None:
        self.store = store
        self.interval_s = interval_s
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append(entry)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="deskdraft-audit", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.interval_s)
            self.flush()

    def flush(self) -> None:
        with self._flush_lock:  # entries keep their order across concurrent flushes
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                self.store.audit_many(batch)
            except Exception as exc:  # keep them for the next try; say so loudly
                log.error("audit: could not write %d entries: %s", len(batch), type(exc).__name__)
                with self._lock:
                    self._pending[:0] = batch


class Gate:
    def __init__(self, store: JobStore, s: Settings, watch: AnomalyWatch | None = None) -> None:
        self.store = store
        self.settings = s
        self.authenticator = Authenticator(store, s.bridge)
        self.watch = watch or AnomalyWatch(s.security, store)
        self.audit_log = AuditWriter(store)

    def flush(self) -> None:
        """Write the buffered audit entries now (tests, shutdown)."""
        self.audit_log.flush()

    def close(self) -> None:
        """At shutdown, after the last request was answered: no buffered entry is lost."""
        self.audit_log.flush()

    def admit(self) -> None:
        """Set ``g.caller`` or raise the problem the caller gets instead."""
        try:
            caller = self.authenticator.authenticate(request.headers.get("Authorization"))
        except AuthFailure as failure:
            g.failure = failure
            if failure.user is not None and failure.reason == "wrong-token":
                self.watch.observe(failure.user.id, failure.user.name, 401, failed_auth=True)
            if failure.locked:
                raise LOCKED from None
            raise Problem(
                401,
                "unauthorized",
                "Unauthorized",
                "send Authorization: Bearer TOKEN (see `deskdraft user token`)",
                {"WWW-Authenticate": 'Bearer realm="deskdraft"'},
            ) from None
        g.caller = caller
        verdict = self.watch.admit(caller.user_id, caller.name, request.remote_addr)
        if verdict.status == 429:
            raise Problem(
                429,
                "rate-limited",
                "Too many requests",
                f"at most {self.settings.security.rate_limit} requests per "
                f"{self.settings.security.window_s:g} s; retry after "
                f"{verdict.retry_after} s",
                {"Retry-After": str(verdict.retry_after)},
            )
        if verdict.status == 403:
            raise LOCKED

    def record(self, response: Response) -> None:
        """Feed the rules and write the audit entry for an answered API request."""
        caller = g.get("caller")
        failure: AuthFailure | None = g.get("failure")
        user = failure.user if failure is not None else None
        user_id = caller.user_id if caller else (user.id if user else None)
        name = caller.name if caller else (user.name if user else None)
        if caller is not None:
            self.watch.observe(user_id, name, response.status_code)
        if not self.settings.security.audit:
            return
        job: Job | None = g.get("job")
        rule = request.url_rule.rule if request.url_rule is not None else request.path
        source = job.input.get("source") if job is not None else None
        credential = caller.credential if caller else (failure.credential if failure else None)
        self.audit_log.add(
            {
                "at": time.time(),
                "user": name,
                "credential": credential,
                "action": f"{request.method} {rule}",
                "job_id": job.id if job is not None else None,
                "kind": job.kind if job is not None else None,
                "source": str(source) if isinstance(source, str) else None,
                "ip": request.remote_addr,
                "outcome": str(response.status_code),
            }
        )


def note_job(job: Any) -> None:
    """Name the job a request touched, for its audit entry."""
    g.job = job
