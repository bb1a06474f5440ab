"""The ``feedback`` table: ratings and edits users give a job's drafts."""

from __future__ import annotations

import time
import uuid
from typing import Any, ClassVar

from plugin.jobs.sql import SqlDatabase


class FeedbackTable(SqlDatabase):
    TABLES: ClassVar[tuple[str, ...]] = (
        """CREATE TABLE IF NOT EXISTS feedback (
            id TEXT PRIMARY KEY, job_id TEXT NOT NULL, rating INTEGER NOT NULL,
            edited_text TEXT, comment TEXT, draft_index INTEGER NOT NULL DEFAULT 0,
            created_at DOUBLE PRECISION NOT NULL, owner TEXT)""",
    )
    ADDED_COLUMNS: ClassVar[tuple[tuple[str, str, str], ...]] = (("feedback", "owner", "TEXT"),)

    def add_feedback(
        self,
        job_id: str,
        rating: int,
        edited_text: str | None,
        comment: str | None,
        draft_index: int,
        owner: str | None = None,
    ) -> str:
        feedback_id = uuid.uuid4().hex
        self._update(
            "INSERT INTO feedback (id, job_id, rating, edited_text, comment,"
            " draft_index, created_at, owner) VALUES (?,?,?,?,?,?,?,?)",
            (
                feedback_id,
                job_id,
                rating,
                self.seal_optional(edited_text),
                self.seal_optional(comment),
                draft_index,
                time.time(),
                owner,
            ),
        )
        return feedback_id

    def feedback(self, job_id: str) -> list[dict[str, Any]]:
        with self._tx(write=False) as cur:
            cur.execute(
                "SELECT id, rating, edited_text, comment, draft_index, created_at, owner"
                " FROM feedback WHERE job_id=? ORDER BY created_at",
                (job_id,),
            )
            rows = cur.fetchall()
        names = ("id", "rating", "edited_text", "comment", "draft_index", "created_at", "owner")
        return [
            dict(
                zip(
                    names,
                    (a, b, self.unseal_optional(c), self.unseal_optional(d), *rest),
                    strict=True,
                )
            )
            for a, b, c, d, *rest in rows
        ]

    def feedback_owners(self) -> list[str]:
        """The user ids that gave feedback (a scheduled re-training runs once for each)."""
        with self._tx(write=False) as cur:
            cur.execute("SELECT DISTINCT owner FROM feedback WHERE owner IS NOT NULL")
            return sorted(str(row[0]) for row in cur.fetchall())
