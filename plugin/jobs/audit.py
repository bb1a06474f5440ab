"""The audit trail: an append-only, hash-chained log of who did what, never content.

Each entry records when, which user (and token prefix), the action, the job id, its kind
and source, the client's IP address and the outcome. ``hash`` is SHA-256 over the previous
entry's hash and this entry's fields, so editing, deleting or reordering any entry breaks
the chain from there on; ``deskdraft audit verify`` walks it. Nothing in deskdraft updates
or deletes entries (retention purges job content, not the trail).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from plugin.jobs.sql import SqlDatabase

GENESIS = "0" * 64
_FIELDS = ("seq", "at", "user", "credential", "action", "job_id", "kind", "source", "ip", "outcome")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: float
    user: str | None
    credential: str | None
    action: str
    job_id: str | None
    kind: str | None
    source: str | None
    ip: str | None
    outcome: str
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(
        [prev_hash, *(fields[name] for name in _FIELDS)], separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    head: str
    broken_at: int | None  # seq of the first entry that does not chain
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


class AuditTable(SqlDatabase):
    TABLES: ClassVar[tuple[str, ...]] = (
        """CREATE TABLE IF NOT EXISTS audit (
            seq BIGINT PRIMARY KEY, at DOUBLE PRECISION NOT NULL, "user" TEXT,
            credential TEXT, action TEXT NOT NULL, job_id TEXT, kind TEXT, source TEXT,
            ip TEXT, outcome TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
        'CREATE INDEX IF NOT EXISTS audit_user ON audit ("user", at)',
    )

    def audit(
        self,
        *,
        user: str | None,
        action: str,
        outcome: str,
        credential: str | None = None,
        job_id: str | None = None,
        kind: str | None = None,
        source: str | None = None,
        ip: str | None = None,
        at: float | None = None,
    ) -> AuditEntry:
        """Append one entry, chained to the last one (one writer at a time)."""
        fields = {
            "at": at,
            "user": user,
            "credential": credential,
            "action": action,
            "job_id": job_id,
            "kind": kind,
            "source": source,
            "ip": ip,
            "outcome": outcome,
        }
        return self.audit_many([fields])[0]

    def audit_many(self, entries: list[dict[str, Any]]) -> list[AuditEntry]:
        """Append entries (``audit``'s keywords, as dicts) in one transaction, in order."""
        written: list[AuditEntry] = []
        with self._tx() as cur:
            if self.dialect == "postgres":
                cur.execute("SELECT pg_advisory_xact_lock(741853)")
            cur.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            last = cur.fetchone()
            seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
            for given in entries:
                seq += 1
                fields = {name: given.get(name) for name in _FIELDS}
                fields["seq"] = seq
                fields["at"] = float(round(given.get("at") or time.time(), 6))
                digest = entry_hash(prev, fields)
                cur.execute(
                    'INSERT INTO audit (seq, at, "user", credential, action, job_id, kind,'
                    " source, ip, outcome, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*(fields[name] for name in _FIELDS), prev, digest),
                )
                written.append(AuditEntry(**fields, prev_hash=prev, hash=digest))
                prev = digest
        return written

    def audit_entries(
        self, *, user: str | None = None, since: float | None = None, batch: int = 1000
    ) -> Iterator[AuditEntry]:
        """Entries in order, optionally of one user and from a time on."""
        after = 0
        while True:
            sql = (
                'SELECT seq, at, "user", credential, action, job_id, kind, source, ip,'
                " outcome, prev_hash, hash FROM audit WHERE seq > ?"
            )
            params: list[Any] = [after]
            if user is not None:
                sql += ' AND "user" = ?'
                params.append(user)
            if since is not None:
                sql += " AND at >= ?"
                params.append(since)
            with self._tx(write=False) as cur:
                cur.execute(sql + f" ORDER BY seq LIMIT {batch}", params)
                rows = cur.fetchall()
            if not rows:
                return
            for row in rows:
                yield AuditEntry(int(row[0]), float(row[1]), *row[2:])
            after = int(rows[-1][0])

    def verify_audit(self) -> ChainReport:
        prev, expected_seq, count = GENESIS, 1, 0
        for entry in self.audit_entries():
            fields = {name: getattr(entry, name) for name in _FIELDS}
            if entry.seq != expected_seq:
                return ChainReport(count, prev, entry.seq, f"entry {expected_seq} is missing")
            if entry.prev_hash != prev:
                return ChainReport(count, prev, entry.seq, "it does not follow the entry before it")
            if entry_hash(prev, fields) != entry.hash:
                return ChainReport(count, prev, entry.seq, "it was changed after it was written")
            prev, expected_seq, count = entry.hash, entry.seq + 1, count + 1
        return ChainReport(count, prev, None, None)
