"""What the user-store tests of ``tests/jobs`` and ``tests/bridge`` share: a SQLite job store
as the release before users wrote it (no owner columns, no users table), holding one done
``probe`` job and its feedback, for the tests of the upgrade that adopts old jobs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The tables as the release before users created them (no owner columns).
_OLD_SCHEMA = [
    """CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, input TEXT NOT NULL,
        options TEXT NOT NULL, priority INTEGER NOT NULL, status TEXT NOT NULL,
        progress DOUBLE PRECISION NOT NULL DEFAULT 0, message TEXT, error TEXT, result TEXT,
        cached INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
        deliveries INTEGER NOT NULL DEFAULT 0, worker TEXT, lease_until DOUBLE PRECISION,
        run_after DOUBLE PRECISION NOT NULL, created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL, started_at DOUBLE PRECISION,
        finished_at DOUBLE PRECISION)""",
    """CREATE TABLE feedback (id TEXT PRIMARY KEY, job_id TEXT NOT NULL,
        rating INTEGER NOT NULL, edited_text TEXT, comment TEXT,
        draft_index INTEGER NOT NULL DEFAULT 0, created_at DOUBLE PRECISION NOT NULL)""",
]


def make_old_store(path: Path) -> None:
    conn = sqlite3.connect(path)
    for statement in _OLD_SCHEMA:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO jobs (id, kind, input, options, priority, status, result, run_after,"
        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        ("a" * 32, "probe", '{"text":"old"}', "{}", 10, "done", '{"echo":"OLD"}', 1, 1, 1),
    )
    conn.execute(
        "INSERT INTO feedback (id, job_id, rating, created_at) VALUES (?,?,?,?)",
        ("f" * 32, "a" * 32, 1, 1),
    )
    conn.commit()
    conn.close()
