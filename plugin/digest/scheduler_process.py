"""The leader's scheduler process: fires digest schedules, purges old data, re-trains.

``run_scheduler`` waits for the leader lock (``plugin.digest.leader``), then runs the
APScheduler of ``plugin.digest.schedule`` and, beside it, the retention purge
(``security.retention_days``) and the ``[tune]`` re-training tick. It stands by again
when leadership is lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from typing import Any

from connectors.errors import DeskdraftError
from plugin.config import settings
from plugin.digest.leader import LeaderLock, leader_lock_for
from plugin.digest.schedule import (
    cron_granularity_s,
    cron_trigger,
    enqueue_unfinished,
    open_scheduler,
)

log = logging.getLogger(__name__)

RETRAIN_FUNC = "plugin.tune.retrain:fire"
RETRAIN_ID = "retrain-from-feedback"
#: How often the leader re-reads the job store, so schedules added by the CLI are seen.
RESCAN_S = 2.0
#: How often the leader applies the retention policy (security.retention_days).
PURGE_EVERY_S = 3600.0


# -- retention -----------------------------------------------------------------------


def purge_now(days: float, by: str = "scheduler") -> str:
    """Delete job content, files and digests older than ``days``; audited, no content."""
    from plugin.digest import store as digests
    from plugin.jobs.queue import open_store
    from plugin.jobs.retention import cutoff_for, purge

    cutoff = cutoff_for(days)
    jobs = open_store()
    purged = purge(jobs, settings().data_dir, cutoff)
    text = (
        f"purged {purged.describe()} and {digests.purge(cutoff)} digest(s) older than "
        f"{days:g} day(s)"
    )
    jobs.audit(user=by, action="purge", outcome=text)
    return text


def _scheduled_purge() -> None:
    days = settings().security.retention_days
    if days <= 0:
        return
    try:
        log.info("retention: %s", purge_now(days))
    except Exception:  # a store hiccup must not stop the schedules
        log.exception("retention purge failed; retrying in an hour")


# -- scheduled re-training ---------------------------------------------------------------


def schedule_retrain(scheduler: Any) -> Any:
    """Add the ``[tune]`` re-training tick (when ``schedule`` is on) to the leader's
    scheduler; returns its APScheduler job, or None. It lives in a memory job store: the
    config, not the schedules database, says whether and when it runs."""
    from apscheduler.jobstores.memory import MemoryJobStore

    cfg = settings().tune
    if not cfg.schedule:
        return None
    with contextlib.suppress(ValueError):  # added by an earlier call: one is enough
        scheduler.add_jobstore(MemoryJobStore(), alias="config")
    job = scheduler.add_job(
        RETRAIN_FUNC,
        trigger=cron_trigger(cfg.cron, cfg.tz),
        id=RETRAIN_ID,
        name="re-train from feedback",
        jobstore="config",
        kwargs={"step_s": cron_granularity_s(cfg.cron)},
        replace_existing=True,
    )
    log.info(
        "re-training from feedback on %r (%s); next run %s", cfg.cron, cfg.tz, job.next_run_time
    )
    return job


# -- the scheduler process -------------------------------------------------------------


def run_scheduler(
    stop: threading.Event, lock: LeaderLock | None = None, renew_s: float = 2.0
) -> None:
    """Wait for leadership, run the scheduler while leader, stand by again if it is lost."""
    s = settings()
    lock = lock or leader_lock_for(s.queue.url, s.data_dir)
    while not stop.is_set():
        log.info("scheduler %d: standing by for leadership", os.getpid())
        if not lock.wait_for_leadership(stop):
            break
        log.info("scheduler %d: leader, firing schedules", os.getpid())
        enqueue_unfinished()
        scheduler = open_scheduler()
        scheduler.start()
        try:
            try:
                schedule_retrain(scheduler)
            except DeskdraftError as exc:  # a bad [tune] cron must not stop the digests
                log.error("re-training from feedback is not scheduled: %s", exc)
            last_renew = time.monotonic()
            last_purge = 0.0
            while not stop.wait(RESCAN_S):
                scheduler.wakeup()
                if time.monotonic() - last_purge >= PURGE_EVERY_S:
                    last_purge = time.monotonic()
                    _scheduled_purge()
                if time.monotonic() - last_renew >= renew_s:
                    last_renew = time.monotonic()
                    if not lock.still_held():
                        log.error("scheduler %d: lost leadership; stopping", os.getpid())
                        break
        finally:
            # Let a fire in progress finish enqueuing before leadership is given up.
            scheduler.shutdown(wait=True)
            lock.release()
