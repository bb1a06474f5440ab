"""plugin.jobs.ownership: a user's job reads only the sources shared with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.errors import UsageError
from plugin.config import settings
from plugin.jobs.ownership import check_job_access
from plugin.jobs.queue import JobQueue
from plugin.jobs.worker import make_runner


def test_sources_must_be_shared_and_deliveries_are_for_admins(tmp_path: Path) -> None:
    s = settings()
    s.sources["imap://ann@mail.example.com"] = {"owners": ["ann"]}
    s.sources["/srv/shared"] = {"owners": ["*"]}
    queue = JobQueue(s)
    ann, _ = queue.store.add_user("ann")
    bob, _ = queue.store.add_user("bob")
    boss, _ = queue.store.add_user("boss", admin=True)
    check_job_access(s, {"source": "imap://ann@mail.example.com/INBOX"}, {}, ann)
    check_job_access(s, {"source": "/srv/shared/notes.txt"}, {}, bob)
    check_job_access(s, {"source": "/etc/passwd"}, {"deliver": "dir:/"}, boss)
    check_job_access(s, {"source": "/etc/passwd"}, {}, None)  # the system (CLI)
    with pytest.raises(UsageError, match="not shared with user 'bob'"):
        check_job_access(s, {"source": "imap://ann@mail.example.com/INBOX"}, {}, bob)
    with pytest.raises(UsageError, match="not shared"):
        check_job_access(s, {"source": "/srv/shared/../secret"}, {}, bob)
    with pytest.raises(UsageError, match="only admins"):
        check_job_access(s, {"text": "x"}, {"deliver": "dir:/tmp"}, ann)
    check_job_access(s, {"text": "x"}, {"deliver": "dir:/tmp"}, ann, at_submit=False)
    # A stored digest is found by its schedule and period: naming them is not for users.
    for named in ({"schedule_id": "digest-1a2b3c4d5e6f"}, {"period": "2026-03-02"}):
        with pytest.raises(UsageError, match="name a digest schedule or period"):
            check_job_access(s, {"source": "/srv/shared/inbox"}, named, ann)
        check_job_access(s, {"source": "/srv/shared/inbox"}, named, boss)
        check_job_access(s, {"source": "/srv/shared/inbox"}, named, ann, at_submit=False)

    # A job that reaches a worker (a schedule, an older bridge) is checked again there.
    job_id = queue.submit("ingest", {"source": "/etc/hostname"}, {}, owner=ann.id)
    make_runner(queue).run(job_id)
    failed = queue.status(job_id)
    assert failed.status == "failed" and "not shared" in (failed.error or {})["detail"]
    queue.close()
