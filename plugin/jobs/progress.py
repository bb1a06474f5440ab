"""Progress reporting from inside a draft kind, without knowing about queues.

A draft kind calls ``report_progress(0.5, "summarising part 2 of 4")``. Inside a worker the
fraction lands in the job record (and the bridge's event stream); anywhere else (the CLI,
tests) it is a no-op. When the job was cancelled meanwhile, ``JobCancelled`` is raised so
the kind stops early.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[float, str | None], bool]

_reporter: ContextVar[Reporter | None] = ContextVar("deskdraft_progress", default=None)


class JobCancelled(Exception):
    """The job was cancelled while it ran; its result would be thrown away."""


def report_progress(fraction: float, message: str | None = None) -> None:
    reporter = _reporter.get()
    if reporter is not None and not reporter(fraction, message):
        raise JobCancelled(message or "cancelled")


@contextmanager
def reporting_to(reporter: Reporter) -> Iterator[None]:
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)
