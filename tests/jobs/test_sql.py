"""plugin.jobs.sql: the schema each table module declares, placeholders, transactions."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from connectors.errors import ConfigError
from plugin.jobs.sql import Cursor, SqlDatabase, dumps
from plugin.jobs.store import JobStore


def test_the_combined_store_creates_every_table_once(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    tables = {row[0] for row in _all(store, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"jobs", "result_cache", "meta", "feedback"} <= tables
    assert len(JobStore._schema()) == len(set(JobStore._schema()))
    JobStore(store.url).close()  # a second open finds the tables and changes nothing
    store.close()


def test_a_subclass_adds_only_its_own_tables(tmp_path: Path) -> None:
    class Notes(SqlDatabase):
        TABLES: ClassVar[tuple[str, ...]] = ("CREATE TABLE IF NOT EXISTS notes (n TEXT)",)

    db = Notes(f"sqlite:///{tmp_path / 'n.sqlite'}")
    assert [r[0] for r in _all(db, "SELECT name FROM sqlite_master WHERE type='table'")] == [
        "notes"
    ]
    db.close()


def test_a_failed_write_rolls_back(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    with pytest.raises(RuntimeError), store._tx() as cur:
        cur.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("k", "v"))
        raise RuntimeError("abort")
    assert store.meta_get("k") is None
    store.close()


def test_unknown_urls_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unsupported job store URL"):
        JobStore("mysql://x")


def test_postgres_placeholders_are_translated() -> None:
    seen: list[tuple[str, tuple[object, ...]]] = []

    class Recorder:
        rowcount = 1

        def execute(self, sql: str, params: tuple[object, ...]) -> None:
            seen.append((sql, params))

    Cursor(Recorder(), "postgres").execute("SELECT ? + ?", [1, 2])
    Cursor(Recorder(), "sqlite").execute("SELECT ?", [3])
    assert seen == [("SELECT %s + %s", (1, 2)), ("SELECT ?", (3,))]


def test_dumps_is_canonical() -> None:
    assert dumps({"b": 1, "a": "é"}) == '{"a":1,"b":1}'.replace('"a":1', '"a":"é"')


def _all(db: SqlDatabase, sql: str) -> list[tuple[object, ...]]:
    with db._tx(write=False) as cur:
        cur.execute(sql)
        return cur.fetchall()
