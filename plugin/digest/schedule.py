"""Digest schedules: stable-id APScheduler jobs that only enqueue a ``digest`` job.

Schedules live in an APScheduler ``SQLAlchemyJobStore`` (SQLite in the data dir), with
``coalesce``, ``max_instances=1`` and a misfire grace time. The scheduler process runs
nothing heavy: each tick records the fire and submits a ``digest`` job to the queue.
Only the holder of the leader lock (``plugin.digest.leader``) runs a scheduler: see
``plugin.digest.scheduler_process``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connectors.errors import UsageError
from plugin.config import settings

log = logging.getLogger(__name__)

FIRE_FUNC = "plugin.digest.schedule:fire"
MISFIRE_GRACE_S = 15 * 60


@dataclass(frozen=True, slots=True)
class Schedule:
    id: str
    source: str
    cron: str
    tz: str
    deliver: str
    to: str | None = None
    next_run: str | None = None
    #: The user it runs as (name); None: the system (admins see its digests).
    owner: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _store_path() -> Path:
    return settings().data_dir / "schedules.sqlite"


def cron_trigger(cron: str, tz: str) -> Any:
    from apscheduler.triggers.cron import CronTrigger

    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone {tz!r}", hint="use an IANA name like Europe/Berlin"
        ) from None
    fields = cron.split()
    try:
        if len(fields) == 5:
            return CronTrigger.from_crontab(cron, timezone=zone)
        if len(fields) == 6:  # seconds first, for tests and fine-grained schedules
            sec, minute, hour, day, month, dow = fields
            return CronTrigger(
                second=sec,
                minute=minute,
                hour=hour,
                day=day,
                month=month,
                day_of_week=dow,
                timezone=zone,
            )
    except ValueError as exc:
        raise UsageError(f"invalid cron expression {cron!r}: {exc}") from None
    raise UsageError(f"invalid cron expression {cron!r}", hint='five fields, e.g. "0 8 * * 1-5"')


def cron_granularity_s(cron: str) -> int:
    return 1 if len(cron.split()) == 6 else 60


def open_scheduler(*, background: bool = True) -> Any:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = BackgroundScheduler if background else BlockingScheduler
    return cls(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{_store_path()}")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_S},
        timezone=UTC,
    )


def _with_paused_scheduler(action: Callable[[Any], Any]) -> Any:
    scheduler = open_scheduler()
    scheduler.start(paused=True)
    try:
        return action(scheduler)
    finally:
        scheduler.shutdown(wait=False)


def schedule_id_for(
    source: str, cron: str, tz: str, deliver: str, to: str | None, owner: str | None = None
) -> str:
    """The same schedule always gets the same id, so adding it twice replaces it."""
    parts = [source, cron, tz, deliver, to or ""] + ([owner] if owner else [])
    key = "\x1f".join(parts)
    return "digest-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def add_schedule(
    source: str,
    cron: str,
    tz: str,
    deliver: str,
    to: str | None = None,
    owner: str | None = None,
) -> Schedule:
    _validate_delivery(deliver)
    trigger = cron_trigger(cron, tz)
    if owner is not None:
        _owner_id(owner)  # the user must exist now, not only when it fires
    sid = schedule_id_for(source, cron, tz, deliver, to, owner)
    kwargs = {
        "schedule_id": sid,
        "source": source,
        "deliver": deliver,
        "to": to,
        "cron": cron,
        "tz": tz,
        "owner": owner,
    }

    def add(scheduler: Any) -> Any:
        return scheduler.add_job(
            FIRE_FUNC,
            trigger=trigger,
            id=sid,
            name=f"digest of {source}",
            kwargs=kwargs,
            replace_existing=True,
        )

    job = _with_paused_scheduler(add)
    next_run = job.next_run_time.isoformat() if job.next_run_time else None
    return Schedule(sid, source, cron, tz, deliver, to, next_run, owner)


def list_schedules() -> list[Schedule]:
    def collect(scheduler: Any) -> list[Schedule]:
        out = []
        for job in scheduler.get_jobs():
            kw = job.kwargs
            out.append(
                Schedule(
                    job.id,
                    kw["source"],
                    kw["cron"],
                    kw["tz"],
                    kw["deliver"],
                    kw.get("to"),
                    job.next_run_time.isoformat() if job.next_run_time else None,
                    kw.get("owner"),
                )
            )
        return out

    return _with_paused_scheduler(collect)


def remove_schedule(schedule_id: str) -> None:
    from apscheduler.jobstores.base import JobLookupError

    def remove(scheduler: Any) -> None:
        try:
            scheduler.remove_job(schedule_id)
        except JobLookupError:
            raise UsageError(
                f"no schedule with id {schedule_id!r}", hint="see `deskdraft digest schedule list`"
            ) from None

    _with_paused_scheduler(remove)


def _validate_delivery(deliver: str) -> None:
    if deliver in {"ews", "graph"} or deliver.startswith(("smtp://", "smtps://", "dir:")):
        return
    raise UsageError(
        f"unknown delivery {deliver!r}", hint="use smtp://host[:port], ews, graph or dir:PATH"
    )


# -- firing ---------------------------------------------------------------------------


def _fires_db() -> sqlite3.Connection:
    conn = sqlite3.connect(settings().data_dir / "schedule-fires.sqlite", timeout=30)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS fires (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        "schedule_id TEXT, period TEXT, pid INTEGER, fired_at TEXT)"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS periods (schedule_id TEXT, period TEXT, job_id TEXT, "
        "source TEXT, deliver TEXT, recipient TEXT, PRIMARY KEY (schedule_id, period))"
    )
    if "owner" not in {row[1] for row in conn.execute("PRAGMA table_info(periods)")}:
        conn.execute("ALTER TABLE periods ADD COLUMN owner TEXT")
    return conn


def fire_log() -> list[tuple[str, str, int]]:
    """Every recorded fire, oldest first: ``(schedule_id, period, pid)``."""
    with _fires_db() as conn:
        return list(conn.execute("SELECT schedule_id, period, pid FROM fires ORDER BY seq"))


def fired_job_ids() -> list[str]:
    """The digest job id enqueued for each fired period, oldest period first."""
    with _fires_db() as conn:
        rows = conn.execute("SELECT job_id FROM periods WHERE job_id IS NOT NULL ORDER BY period")
        return [row[0] for row in rows]


def fire(
    schedule_id: str,
    source: str,
    deliver: str,
    to: str | None,
    cron: str,
    tz: str,
    owner: str | None = None,
) -> None:
    """The APScheduler job: claim the tick's period, then enqueue one digest job for it.

    The claim is written before the job is enqueued; a scheduler that dies in between
    leaves a claimed period without a job, which the next leader enqueues on takeover
    (``enqueue_unfinished``). Delivery is idempotent per period, so a rare double enqueue
    never sends twice.
    """
    step = cron_granularity_s(cron)
    period = datetime.fromtimestamp(int(time.time() // step * step), UTC).isoformat()
    with _fires_db() as conn:
        conn.execute(
            "INSERT INTO fires (schedule_id, period, pid, fired_at) VALUES (?,?,?,?)",
            (schedule_id, period, os.getpid(), datetime.now(UTC).isoformat()),
        )
        fresh = conn.execute(
            "INSERT OR IGNORE INTO periods (schedule_id, period, job_id, source, deliver, "
            "recipient, owner) VALUES (?,?,NULL,?,?,?,?)",
            (schedule_id, period, source, deliver, to, owner),
        ).rowcount
    if not fresh:
        log.warning("schedule %s already fired for %s; not enqueuing again", schedule_id, period)
        return
    _enqueue_period(schedule_id, period, source, deliver, to, owner)


def _enqueue_period(
    schedule_id: str,
    period: str,
    source: str,
    deliver: str,
    to: str | None,
    owner: str | None = None,
) -> None:
    job_id = enqueue_digest(
        schedule_id=schedule_id, source=source, deliver=deliver, to=to, period=period, owner=owner
    )
    with _fires_db() as conn:
        conn.execute(
            "UPDATE periods SET job_id=? WHERE schedule_id=? AND period=?",
            (job_id, schedule_id, period),
        )
    log.info("schedule %s fired for %s: digest job %s", schedule_id, period, job_id)


def enqueue_unfinished() -> int:
    """Enqueue the periods a previous leader claimed but died before enqueuing."""
    with _fires_db() as conn:
        rows = list(
            conn.execute(
                "SELECT schedule_id, period, source, deliver, recipient, "
                "owner FROM periods WHERE job_id IS NULL ORDER BY period"
            )
        )
    for schedule_id, period, source, deliver, to, owner in rows:
        log.warning(
            "schedule %s: enqueuing %s, claimed by a scheduler that stopped", schedule_id, period
        )
        _enqueue_period(schedule_id, period, source, deliver, to, owner)
    return len(rows)


def enqueue_digest(
    *,
    schedule_id: str,
    source: str,
    deliver: str,
    to: str | None,
    period: str,
    owner: str | None = None,
) -> str:
    """The period's digest job, owned by the schedule's owner (who must still exist)."""
    from plugin.jobs.queue import open_queue

    queue = open_queue()
    options: dict[str, Any] = {
        "schedule_id": schedule_id,
        "deliver": deliver,
        "to": to,
        "period": period,
        "since": "cursor",
    }
    owner_id = None
    if owner is not None:
        owner_id = _owner_id(owner)
        options["owner"] = owner  # the ledger records whose digest it is
    return queue.submit("digest", {"source": source}, options, priority="batch", owner=owner_id)


def _owner_id(name: str) -> str:
    from plugin.jobs.queue import open_store

    return str(open_store().require_user(name).id)
