"""The job store: job records, the result cache and feedback in one SQL database.

Backends: SQLite (WAL, one file in the data dir) or PostgreSQL, same SQL
(``plugin.jobs.sql``). Each table has its own module; ``JobStore`` is all of them.
"""

from __future__ import annotations

from plugin.jobs.feedback import FeedbackTable
from plugin.jobs.records import STATUSES, TERMINAL, Job, JobRecords
from plugin.jobs.result_cache import ResultCache
from plugin.jobs.sql import dumps


class JobStore(JobRecords, ResultCache, FeedbackTable):
    """SQL job store. One connection per thread; safe to share between threads."""


__all__ = ["STATUSES", "TERMINAL", "Job", "JobStore", "dumps"]
