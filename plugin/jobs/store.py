"""The job store: job records, the result cache and feedback in one SQL database.

Backends: SQLite (WAL, one file in the data dir) or PostgreSQL, same SQL
(``plugin.jobs.sql``). Each table has its own module; ``JobStore`` is all of them.
"""

from __future__ import annotations

from typing import Any

from plugin.jobs.audit import AuditTable
from plugin.jobs.feedback import FeedbackTable
from plugin.jobs.keys import DataKeyError
from plugin.jobs.records import STATUSES, TERMINAL, Job, JobRecords
from plugin.jobs.result_cache import ResultCache
from plugin.jobs.sealing import Sealer
from plugin.jobs.sql import dumps
from plugin.jobs.users import User, UsersTable

#: A meta row sealed with the data key: a wrong key fails here, at start, with a clear error.
KEY_CHECK = "data_key_check"
KEY_CHECK_TEXT = "deskdraft data key check"


class JobStore(JobRecords, ResultCache, FeedbackTable, UsersTable, AuditTable):
    """SQL job store. One connection per thread; safe to share between threads."""

    def __init__(self, url: str, sealer: Sealer | None = None) -> None:
        super().__init__(url, sealer)
        if sealer is None:
            return
        stored = self.meta_get(KEY_CHECK)
        if stored is None or not stored.startswith("enc1:"):
            if sealer.enabled:
                self.meta_set(KEY_CHECK, sealer.seal(KEY_CHECK_TEXT))
        elif sealer.unseal(stored) != KEY_CHECK_TEXT:  # raises DataKeyError on a wrong key
            raise DataKeyError("the data key check of this job store does not match")

    def adopt_unowned(self, owner: str) -> None:
        """Give jobs and feedback from before there were users to ``owner`` (the install
        admin), so an upgraded install's history stays its admin's and nobody else's."""
        with self._tx() as cur:
            cur.execute("UPDATE jobs SET owner=? WHERE owner IS NULL", (owner,))
            cur.execute("UPDATE feedback SET owner=? WHERE owner IS NULL", (owner,))

    def feedback_with_jobs(self, owner: str | None = None) -> list[dict[str, Any]]:
        """Every feedback record (of ``owner``'s, when given) with its job's kind, input,
        options and result (JSON text, unsealed; None when the job is gone), oldest first:
        the training data of ``deskdraft model tune --from-feedback``."""
        names = (
            "id",
            "job_id",
            "rating",
            "edited_text",
            "draft_index",
            "kind",
            "input",
            "options",
            "result",
            "owner",
            "created_at",
        )
        query = (
            "SELECT f.id, f.job_id, f.rating, f.edited_text, f.draft_index,"
            " j.kind, j.input, j.options, j.result, f.owner, f.created_at FROM feedback f"
            " LEFT JOIN jobs j ON j.id = f.job_id"
        )
        with self._tx(write=False) as cur:
            if owner is None:
                cur.execute(query + " ORDER BY f.created_at, f.id")
            else:
                cur.execute(query + " WHERE f.owner=? ORDER BY f.created_at, f.id", (owner,))
            rows = cur.fetchall()
        return [
            dict(
                zip(
                    names,
                    (
                        id_,
                        job_id,
                        rating,
                        self.unseal_optional(edited),
                        index,
                        kind,
                        self.unseal_optional(input_),
                        options,
                        self.unseal_optional(result),
                        owner_,
                        created,
                    ),
                    strict=True,
                )
            )
            for (
                id_,
                job_id,
                rating,
                edited,
                index,
                kind,
                input_,
                options,
                result,
                owner_,
                created,
            ) in rows
        ]


__all__ = ["STATUSES", "TERMINAL", "Job", "JobStore", "User", "dumps"]
