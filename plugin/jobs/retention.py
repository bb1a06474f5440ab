"""Retention: job inputs, results, feedback and files older than ``retention_days`` go.

Finished jobs whose ``finished_at`` is before the cutoff are deleted with their feedback;
cached results made before it are dropped (the next identical request runs again); files
under ``outputs/`` last written before it are removed. Queued and running jobs are never
touched. The audit trail is kept: it holds no content.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from plugin.jobs.store import JobStore

DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class Purged:
    jobs: int
    feedback: int
    cached: int
    files: int

    def describe(self) -> str:
        return (
            f"{self.jobs} job(s), {self.feedback} feedback record(s), {self.cached} cached"
            f" result(s), {self.files} file(s)"
        )


def cutoff_for(days: float, now: float | None = None) -> float:
    return (time.time() if now is None else now) - days * DAY_S


def purge(store: JobStore, data_dir: Path, cutoff: float) -> Purged:
    with store._tx() as cur:
        cur.execute(
            "DELETE FROM feedback WHERE created_at < ? OR job_id IN (SELECT id FROM jobs"
            " WHERE status IN ('done','failed','cancelled') AND finished_at < ?)",
            (cutoff, cutoff),
        )
        feedback = cur.rowcount
        cur.execute(
            "DELETE FROM jobs WHERE status IN ('done','failed','cancelled') AND finished_at < ?",
            (cutoff,),
        )
        jobs = cur.rowcount
        cur.execute("DELETE FROM result_cache WHERE created_at < ?", (cutoff,))
        cached = cur.rowcount
    files = 0
    outputs = data_dir / "outputs"
    if outputs.is_dir():
        for path in sorted(outputs.rglob("*"), reverse=True):  # files before their folders
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                files += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return Purged(max(jobs, 0), max(feedback, 0), max(cached, 0), files)
