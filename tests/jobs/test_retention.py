"""plugin.jobs.retention and `deskdraft purge`: old content goes, recent and open jobs stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from plugin.cli import main
from plugin.jobs.queue import open_store
from plugin.jobs.retention import DAY_S, cutoff_for, purge


def _age(store, job_id: str, days: float) -> None:  # type: ignore[no-untyped-def]
    then = time.time() - days * DAY_S
    store._update("UPDATE jobs SET finished_at=?, created_at=? WHERE id=?", (then, then, job_id))


def test_old_finished_jobs_feedback_cache_and_files_are_purged(
    deskdraft_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store()
    old = store.create("probe", {"text": "old"}, {}, 10, result={"echo": "OLD"})
    recent = store.create("probe", {"text": "new"}, {}, 10, result={"echo": "NEW"})
    waiting = store.create("probe", {"text": "queued long ago"}, {}, 10)
    store.add_feedback(old.id, 1, "old edit", None, 0)
    store.add_feedback(recent.id, 1, "new edit", None, 0)
    store.cache_put("k-old", {"echo": "OLD"})
    store._update(
        "UPDATE result_cache SET created_at=? WHERE key='k-old'", (time.time() - 40 * DAY_S,)
    )
    store.cache_put("k-new", {"echo": "NEW"})
    _age(store, old.id, 40)
    store._update("UPDATE jobs SET created_at=? WHERE id=?", (time.time() - 40 * DAY_S, waiting.id))
    folder = deskdraft_home / "outputs" / "old"
    folder.mkdir(parents=True)
    (folder / "report.docx").write_bytes(b"old report")
    os.utime(folder / "report.docx", (time.time() - 40 * DAY_S,) * 2)
    (deskdraft_home / "outputs" / "fresh.ics").write_bytes(b"new")

    purged = purge(store, deskdraft_home, cutoff_for(30))
    assert (purged.jobs, purged.feedback, purged.cached, purged.files) == (1, 1, 1, 1)
    assert store.get(old.id) is None and store.feedback(old.id) == []
    assert store.get(recent.id) is not None and len(store.feedback(recent.id)) == 1
    assert store.get(waiting.id) is not None  # never purged while it waits
    assert store.cache_get("k-old") is None and store.cache_get("k-new") is not None
    assert not folder.exists() and (deskdraft_home / "outputs" / "fresh.ics").exists()

    _age(store, recent.id, 3)
    assert main(["purge", "--days", "2"]) == 0
    assert "purged 1 job(s)" in capsys.readouterr().out
    assert store.get(recent.id) is None
    actions = [(e.action, e.outcome) for e in store.audit_entries()]
    assert actions[-1][0] == "purge" and "1 job(s)" in actions[-1][1]
    assert main(["purge", "--days", "0"]) == 0
    assert "retention is off" in capsys.readouterr().out
    store.close()
