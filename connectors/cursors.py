"""Persist incremental-sync cursors between runs, one JSON file, keyed by source URI.

Connectors only *report* where they are (``connector.cursor``); whoever runs them (the
``ingest`` command, the digest job) saves it here and passes it back as ``since``::

    store = CursorStore.default()
    with open_source(uri, options) as source:
        for item in source.iter_documents(since=store.load(uri)):
            handle(item)
            store.save(uri, source.cursor)   # after each item: a crash loses nothing

Writes are atomic (temp file + rename) under a file lock, so parallel workers syncing
different sources do not overwrite each other. A damaged file is moved aside and sync
starts from scratch, which repeats work but loses no mail.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from filelock import FileLock

from connectors.base import Cursor

log = logging.getLogger(__name__)


def default_path() -> Path:
    """``$DESKDRAFT_HOME/sync-cursors.json``, else the user's data dir (as plugin.config)."""
    home = os.environ.get("DESKDRAFT_HOME")
    if home:
        return Path(home).expanduser() / "sync-cursors.json"
    import platformdirs

    return Path(platformdirs.user_data_dir("deskdraft")) / "sync-cursors.json"


class CursorStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = FileLock(str(self.path) + ".lock")

    @classmethod
    def default(cls) -> CursorStore:
        return cls(default_path())

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return data
        except (ValueError, UnicodeDecodeError) as exc:
            aside = self.path.with_suffix(".damaged.json")
            self.path.replace(aside)
            log.warning(
                "sync cursor file %s is damaged (%s); moved to %s, syncing from scratch",
                self.path,
                exc,
                aside,
            )
            return {}

    def load(self, source: str) -> Cursor | None:
        with self._lock:
            value = self._read().get(source)
        return dict(value) if isinstance(value, dict) else None

    def save(self, source: str, cursor: Cursor | None) -> None:
        """Remember ``cursor`` for ``source`` (``None`` forgets it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            data = self._read()
            if cursor is None:
                data.pop(source, None)
            else:
                data[source] = cursor
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cursors-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, indent=1, sort_keys=True)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
