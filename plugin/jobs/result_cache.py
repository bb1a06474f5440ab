"""The ``result_cache`` table (drafts by cache key) and ``meta`` (the model id the key uses).

A cache key covers kind, input, options and model id (``plugin.jobs.runner.cache_key``),
so a cached result is only ever served for exactly the request and model that made it.
"""

from __future__ import annotations

import json
import time
from typing import Any, ClassVar

from plugin.jobs.sql import SqlDatabase, dumps


class ResultCache(SqlDatabase):
    TABLES: ClassVar[tuple[str, ...]] = (
        """CREATE TABLE IF NOT EXISTS result_cache (
            key TEXT PRIMARY KEY, result TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)""",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )

    def cache_get(self, key: str) -> Any:
        row = self._one("SELECT result FROM result_cache WHERE key=?", (key,))
        return json.loads(self.unseal(row[0])) if row else None

    def cache_put(self, key: str, result: Any) -> None:
        self._update(
            "INSERT INTO result_cache (key, result, created_at) VALUES (?,?,?)"
            " ON CONFLICT (key) DO NOTHING",
            (key, self.seal(dumps(result)), time.time()),
        )

    def meta_get(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return row[0] if row else None

    def meta_set(self, key: str, value: str) -> None:
        self._update(
            "INSERT INTO meta (key, value) VALUES (?,?)"
            " ON CONFLICT (key) DO UPDATE SET value=excluded.value",
            (key, value),
        )
