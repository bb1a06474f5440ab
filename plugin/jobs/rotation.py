"""Resealing everything under the current data key: ``deskdraft keys rotate``.

Rotation is three steps, each safe to interrupt: (1) a new key is stored in front of the
old one (both open data); (2) every sealed value and file not yet under the new key is
resealed, one conditional UPDATE at a time; (3) the old key is dropped. Killed during (2),
the next run finds two keys, makes no new one, and carries on where the last one stopped
(each value's key id says whether it is done). Plain values from before encryption was on
are sealed the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from plugin.jobs.sealing import TEXT_PREFIX, Sealer
from plugin.jobs.store import KEY_CHECK, KEY_CHECK_TEXT, JobStore

#: (table, primary key, sealed column) of the job store.
SEALED_COLUMNS = (
    ("jobs", "id", "input"),
    ("jobs", "id", "result"),
    ("result_cache", "key", "result"),
    ("feedback", "id", "edited_text"),
    ("feedback", "id", "comment"),
)
BATCH = 200


@dataclass
class Budget:
    """How many values one run may reseal (None: all); lets tests stop a run halfway."""

    left: int | None = None
    done: int = 0

    def take(self) -> bool:
        if self.left is not None and self.done >= self.left:
            return False
        self.done += 1
        return True


class Interrupted(Exception):
    """The budget ran out before everything was resealed."""


def reseal_store(
    store: JobStore,
    sealer: Sealer,
    budget: Budget,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    current = f"{TEXT_PREFIX}{sealer.current_id}:%"
    for table, key, column in SEALED_COLUMNS:
        while True:
            with store._tx(write=False) as cur:
                cur.execute(
                    f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL"
                    f" AND {column} NOT LIKE ? LIMIT {BATCH}",
                    (current,),
                )
                rows = cur.fetchall()
            if not rows:
                break
            for row_key, value in rows:
                if not budget.take():
                    raise Interrupted
                # Conditional: a value a worker changed meanwhile is left for the next pass.
                store._update(
                    f"UPDATE {table} SET {column}=? WHERE {key}=? AND {column}=?",
                    (sealer.seal(sealer.unseal(value)), row_key, value),
                )
            progress(f"{table}.{column}: {budget.done} value(s) resealed so far")
    store.meta_set(KEY_CHECK, sealer.seal(KEY_CHECK_TEXT))


def reseal_files(paths: Iterable[Path], sealer: Sealer, budget: Budget) -> None:
    for path in paths:
        if not path.is_file() or path.name.endswith((".sealing", ".tmp")):
            continue
        raw = path.read_bytes()
        if sealer.bytes_are_current(raw):
            continue
        if not budget.take():
            raise Interrupted
        if raw:
            sealed = sealer.seal_bytes(sealer.unseal_bytes(raw, f"file {path.name}"))
            tmp = path.with_name(path.name + ".sealing")
            tmp.write_bytes(sealed)
            tmp.replace(path)
