"""The job store: job records, the result cache and feedback in one SQL database.

Backends: SQLite (WAL, one file in the data dir) or PostgreSQL, same SQL
(``plugin.jobs.sql``). Each table has its own module; ``JobStore`` is all of them.
"""

from __future__ import annotations

from plugin.jobs.feedback import FeedbackTable
from plugin.jobs.records import STATUSES, TERMINAL, Job, JobRecords
from plugin.jobs.result_cache import ResultCache
from plugin.jobs.sql import dumps
from plugin.jobs.users import User, UsersTable


class JobStore(JobRecords, ResultCache, FeedbackTable, UsersTable):
    """SQL job store. One connection per thread; safe to share between threads."""

    def adopt_unowned(self, owner: str) -> None:
        """Give jobs and feedback from before there were users to ``owner`` (the install
        admin), so an upgraded install's history stays its admin's and nobody else's."""
        with self._tx() as cur:
            cur.execute("UPDATE jobs SET owner=? WHERE owner IS NULL", (owner,))
            cur.execute("UPDATE feedback SET owner=? WHERE owner IS NULL", (owner,))


__all__ = ["STATUSES", "TERMINAL", "Job", "JobStore", "User", "dumps"]
