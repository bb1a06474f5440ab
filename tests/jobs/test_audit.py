"""plugin.jobs.audit: the hash chain catches edited, deleted and reordered entries."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from plugin.cli import main
from plugin.jobs.queue import open_store
from plugin.jobs.store import JobStore


@pytest.fixture
def store(deskdraft_home: Path) -> Iterator[JobStore]:
    s = open_store()
    for n in range(5):
        s.audit(
            user="ann" if n % 2 else "bob",
            action="GET /api/v1/jobs/<job_id>",
            outcome="200",
            job_id=f"{n:032x}",
            kind="summarize",
            ip="10.0.0.1",
            credential="abcd1234",
            at=1_000_000 + n,
        )
    yield s
    s.close()


def test_an_intact_chain_verifies(store: JobStore, capsys: pytest.CaptureFixture[str]) -> None:
    report = store.verify_audit()
    assert report.ok and report.entries == 5
    entries = list(store.audit_entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in pairwise(entries))
    assert main(["audit", "verify"]) == 0
    assert "intact: 5 entries" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("tamper", "broken_at", "reason"),
    [
        ("UPDATE audit SET outcome='404' WHERE seq=3", 3, "changed after it was written"),
        ("UPDATE audit SET \"user\"='eve' WHERE seq=2", 2, "changed after it was written"),
        ("DELETE FROM audit WHERE seq=2", 3, "entry 2 is missing"),
        # Reordering: swap the contents of entries 3 and 4 (their seq stays in place).
        (
            "UPDATE audit SET seq=-1 WHERE seq=3; UPDATE audit SET seq=3 WHERE seq=4;"
            " UPDATE audit SET seq=4 WHERE seq=-1",
            3,
            "does not follow",
        ),
    ],
)
def test_tampering_is_found(
    store: JobStore, capsys: pytest.CaptureFixture[str], tamper: str, broken_at: int, reason: str
) -> None:
    for statement in tamper.split(";"):
        store._update(statement, ())
    report = store.verify_audit()
    intact = 1 if tamper.startswith("DELETE") else broken_at - 1
    assert (report.broken_at, report.entries) == (broken_at, intact)
    assert reason in (report.reason or "")
    assert main(["audit", "verify"]) == 1
    assert f"BROKEN at entry {broken_at}" in capsys.readouterr().out


def test_show_filters_by_user_and_time(store: JobStore, capsys: pytest.CaptureFixture[str]) -> None:
    store.audit(user="ann", action="POST /api/v1/jobs", outcome="202")  # now
    assert main(["audit", "show", "--user", "ann", "--since", "24h", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and '"action": "POST /api/v1/jobs"' in lines[0]
    assert main(["audit", "show", "--user", "ann"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
    assert main(["audit", "show", "--since", "yesterday"]) == 2
