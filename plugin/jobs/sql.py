"""One SQL database (SQLite or PostgreSQL) shared by the job store's tables.

Each table lives in its own module (``records``, ``result_cache``, ``feedback``) as a
subclass of ``SqlDatabase`` that declares its ``TABLES``; ``plugin.jobs.store.JobStore``
combines them. One SQL text (``?`` placeholders) runs on both sqlite3 and psycopg2.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from connectors.errors import ConfigError, TransientError
from connectors.secrets import redact

if TYPE_CHECKING:
    from plugin.jobs.sealing import Sealer


def dumps(value: Any) -> str:
    """Canonical JSON: the same value always gives the same text (cache keys rely on it)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class SqlDatabase:
    """Connections and transactions. One connection per thread; safe to share."""

    #: ``CREATE … IF NOT EXISTS`` statements of the tables a subclass owns.
    TABLES: ClassVar[tuple[str, ...]] = ()
    #: ``(table, column, type)`` added since a table was first released; stores made
    #: before get them on open (``ALTER TABLE … ADD COLUMN``).
    ADDED_COLUMNS: ClassVar[tuple[tuple[str, str, str], ...]] = ()

    def __init__(self, url: str, sealer: Sealer | None = None) -> None:
        self.url = url
        #: Seals content columns at rest (``plugin.jobs.sealing``); None: plain text.
        self.sealer = sealer
        self._local = threading.local()
        self._write_lock = threading.Lock()
        if url.startswith(("postgresql://", "postgres://")):
            self.dialect = "postgres"
        elif url.startswith("sqlite:///"):
            self.dialect = "sqlite"
            self.path = Path(url.removeprefix("sqlite:///"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise ConfigError(
                f"unsupported job store URL {redact(url)!r}",
                hint="use sqlite:///PATH or postgresql://…",
            )
        with self._tx() as cur:
            if self.dialect == "postgres":  # concurrent CREATE IF NOT EXISTS can collide
                cur.execute("SELECT pg_advisory_xact_lock(741852)")
            for statement in self._schema():
                cur.execute(statement)
            for table, column, kind in self._added_columns():
                if column not in self._columns_of(cur, table):
                    cur.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def seal(self, text: str) -> str:
        """What a content column stores for ``text``: sealed when the store has a key."""
        return text if self.sealer is None else self.sealer.seal(text)

    def unseal(self, stored: str) -> str:
        if self.sealer is not None:
            return self.sealer.unseal(stored)
        if stored.startswith("enc1:"):
            raise ConfigError(
                "this job store holds sealed values; open it with its data key",
                hint="use plugin.jobs.queue.open_store (it loads the key)",
            )
        return stored

    def seal_optional(self, text: str | None) -> str | None:
        return None if text is None else self.seal(text)

    def unseal_optional(self, stored: str | None) -> str | None:
        return None if stored is None else self.unseal(stored)

    @classmethod
    def _added_columns(cls) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = []
        for klass in reversed(cls.__mro__):
            for added in vars(klass).get("ADDED_COLUMNS", ()):
                if added not in found:
                    found.append(added)
        return found

    def _columns_of(self, cur: Cursor, table: str) -> set[str]:
        if self.dialect == "sqlite":
            cur.execute(f"PRAGMA table_info({table})")
            return {row[1] for row in cur.fetchall()}
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name=?", (table,)
        )
        return {row[0] for row in cur.fetchall()}

    @classmethod
    def _schema(cls) -> list[str]:
        """Every table of the combined store, base classes first, each once."""
        statements: list[str] = []
        for klass in reversed(cls.__mro__):
            for statement in vars(klass).get("TABLES", ()):
                if statement not in statements:
                    statements.append(statement)
        return statements

    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        import psycopg2

        try:
            conn = psycopg2.connect(self.url, connect_timeout=10)
        except psycopg2.OperationalError as exc:
            raise TransientError(
                f"cannot reach the job store: {redact(str(exc)).strip()}", item=redact(self.url)
            ) from None
        conn.autocommit = False
        return conn

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(conn, "closed", 0):
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[Cursor]:
        conn = self._conn()
        if self.dialect == "sqlite":
            cur = conn.cursor()
            if not write:  # WAL readers need no lock; autocommit reads see committed data
                yield Cursor(cur, self.dialect)
                return
            # Threads of one process queue here instead of in SQLite's busy handler, whose
            # growing sleeps (up to 100 ms) would otherwise make the latency tail.
            with self._write_lock:
                cur.execute("BEGIN IMMEDIATE")
                try:
                    yield Cursor(cur, self.dialect)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
            return
        import psycopg2

        try:
            with conn.cursor() as cur:
                yield Cursor(cur, self.dialect)
            conn.commit()
        except psycopg2.OperationalError:
            self._local.conn = None  # a dropped connection: reconnect next time
            raise
        except BaseException:
            conn.rollback()
            raise

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._tx(write=False) as cur:
            cur.execute(sql, params)
            return cur.fetchone()

    def _update(self, sql: str, params: Sequence[Any]) -> int:
        with self._tx() as cur:
            cur.execute(sql, params)
            return cur.rowcount

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class Cursor:
    """Lets one SQL text (``?`` placeholders) run on both sqlite3 and psycopg2."""

    def __init__(self, cur: Any, dialect: str) -> None:
        self._cur = cur
        self._pg = dialect == "postgres"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self._pg:
            sql = sql.replace("?", "%s")
        self._cur.execute(sql, tuple(params))

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)
