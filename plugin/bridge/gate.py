"""Each API request's way in and out: who is calling, anomaly rules, the audit entry.

In: the credentials name a user (``plugin.bridge.auth``), who is not locked, not over their
rate and not tripping an anomaly rule (``plugin.bridge.anomaly``). Out: the answer's status
feeds the rules (404 bursts) and one audit entry records who did what, never content.
"""

from __future__ import annotations

import logging
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


class Gate:
    def __init__(self, store: JobStore, s: Settings, watch: AnomalyWatch | None = None) -> None:
        self.store = store
        self.settings = s
        self.authenticator = Authenticator(store, s.bridge)
        self.watch = watch or AnomalyWatch(s.security, store)

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
        try:
            self.store.audit(
                user=name,
                credential=caller.credential
                if caller
                else (failure.credential if failure else None),
                action=f"{request.method} {rule}",
                job_id=job.id if job is not None else None,
                kind=job.kind if job is not None else None,
                source=str(source) if isinstance(source, str) else None,
                ip=request.remote_addr,
                outcome=str(response.status_code),
            )
        except Exception as exc:  # the answer is already made; say so loudly, keep serving
            log.error(
                "audit: could not record %s %s: %s",
                request.method,
                request.path,
                type(exc).__name__,
            )


def note_job(job: Any) -> None:
    """Name the job a request touched, for its audit entry."""
    g.job = job
