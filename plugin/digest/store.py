"""The digest ledger: rendered digests are stored before delivery, deliveries recorded once.

This is what makes digests idempotent: the same schedule and period is composed once,
kept on disk, and marked delivered once; a failed delivery keeps the stored message so a
retry sends exactly what was composed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from plugin.config import settings
from plugin.jobs.rotation import Budget, Interrupted, reseal_files
from plugin.jobs.sealing import Sealer, sealer_for


@dataclass(frozen=True, slots=True)
class DigestRecord:
    schedule_id: str
    period: str
    path: Path
    status: str  # stored | delivered | failed
    attempts: int
    error: str | None
    data: dict[str, Any]  # the digest's JSON, as first composed
    owner: str | None = None  # the user (name) whose schedule made it; None: the system's


def _sealer() -> Sealer:
    """Stored digests (the .eml files and their JSON) are sealed like job content."""
    s = settings()
    return sealer_for(s.data_dir, s.security.encrypt_at_rest)


def _digest_dir() -> Path:
    path = settings().data_dir / "digests"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(_digest_dir() / "ledger.sqlite", timeout=30)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS digests (schedule_id TEXT, period TEXT, path TEXT, "
        "status TEXT, attempts INTEGER DEFAULT 0, error TEXT, updated_at TEXT, data TEXT, "
        "PRIMARY KEY (schedule_id, period))"
    )
    if "owner" not in {row[1] for row in conn.execute("PRAGMA table_info(digests)")}:
        conn.execute("ALTER TABLE digests ADD COLUMN owner TEXT")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS cursors (key TEXT PRIMARY KEY, cursor TEXT, updated_at TEXT)"
    )
    return conn


def _row(row: tuple[Any, ...] | None) -> DigestRecord | None:
    if row is None:
        return None
    return DigestRecord(
        row[0],
        row[1],
        Path(row[2]),
        row[3],
        row[4],
        row[5],
        json.loads(_sealer().unseal(row[6] or "{}")),
        row[7],
    )


def lookup(schedule_id: str, period: str) -> DigestRecord | None:
    with _db() as conn:
        return _row(
            conn.execute(
                "SELECT schedule_id, period, path, status, attempts, error, data, owner"
                " FROM digests WHERE schedule_id=? AND period=?",
                (schedule_id, period),
            ).fetchone()
        )


def store(
    schedule_id: str,
    period: str,
    message: EmailMessage,
    data: dict[str, Any] | None = None,
    owner: str | None = None,
) -> DigestRecord:
    """Write the rendered digest to disk first; an existing record for the period wins."""
    existing = lookup(schedule_id, period)
    if existing is not None and existing.path.is_file():
        return existing
    name = hashlib.sha256(f"{schedule_id}\x1f{period}".encode()).hexdigest()[:16]
    folder = _digest_dir() / schedule_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(_sealer().seal_bytes(message.as_bytes(policy=policy.SMTP)))
    tmp.replace(path)
    now = datetime.now(UTC).isoformat()
    with _db() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO digests (schedule_id, period, path, status, updated_at, data,"
            " owner) VALUES (?,?,?, 'stored', ?, ?, ?)",
            (
                schedule_id,
                period,
                str(path),
                now,
                _sealer().seal(json.dumps(data or {}, default=str)),
                owner,
            ),
        )
    record = lookup(schedule_id, period)
    assert record is not None
    return record


def load_message(record: DigestRecord) -> EmailMessage:
    raw = _sealer().unseal_bytes(record.path.read_bytes(), f"digest {record.path.name}")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def mark(schedule_id: str, period: str, status: str, error: str | None = None) -> None:
    with _db() as conn:
        conn.execute(
            "UPDATE digests SET status=?, error=?, attempts=attempts+1, updated_at=? "
            "WHERE schedule_id=? AND period=?",
            (status, error, datetime.now(UTC).isoformat(), schedule_id, period),
        )


def load_cursor(key: str) -> dict[str, Any] | None:
    with _db() as conn:
        row = conn.execute("SELECT cursor FROM cursors WHERE key=?", (key,)).fetchone()
    return json.loads(row[0]) if row else None


def save_cursor(key: str, cursor: dict[str, Any] | None) -> None:
    if cursor is None:
        return
    with _db() as conn:
        conn.execute(
            "INSERT INTO cursors VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET "
            "cursor=excluded.cursor, updated_at=excluded.updated_at",
            (key, json.dumps(cursor), datetime.now(UTC).isoformat()),
        )


def reseal(sealer: Sealer, budget: Budget) -> None:
    """Reseal stored digests (JSON and .eml files) under the current key (key rotation)."""
    with _db() as conn:
        rows = list(conn.execute("SELECT schedule_id, period, data FROM digests"))
    for schedule_id, period, data in rows:
        if data is None or sealer.is_current(data):
            continue
        if not budget.take():
            raise Interrupted
        with _db() as conn:
            conn.execute(
                "UPDATE digests SET data=? WHERE schedule_id=? AND period=? AND data=?",
                (sealer.seal(sealer.unseal(data)), schedule_id, period, data),
            )
    reseal_files(sorted(_digest_dir().rglob("*.eml")), sealer, budget)


def purge(cutoff: float) -> int:
    """Drop stored digests last changed before ``cutoff`` (retention); returns how many."""
    before = datetime.fromtimestamp(cutoff, UTC).isoformat()
    with _db() as conn:
        rows = list(conn.execute("SELECT path FROM digests WHERE updated_at < ?", (before,)))
        conn.execute("DELETE FROM digests WHERE updated_at < ?", (before,))
    for (path,) in rows:
        Path(path).unlink(missing_ok=True)
    return len(rows)
