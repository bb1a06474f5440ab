"""The ``digest_sources`` job kind: the source picker of the pane's digest view lists what
the same user's ``digest`` job may read, through the real queue and runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connectors.errors import UsageError
from plugin.config import settings
from plugin.jobs.ownership import check_job_access, shared_sources
from plugin.jobs.queue import JobQueue
from plugin.jobs.store import User
from plugin.jobs.worker import make_runner

SOURCES = {
    "imap://ann@mail.example.com/INBOX": {"owners": ["ann"], "label": "Ann's inbox"},
    "maildir:/srv/mail/team": {"owners": ["*"]},
    "imap://bob@mail.example.com/INBOX": {"owners": ["bob"]},
    "/srv/mail/archive": {},  # shared with nobody: admins only
}


def _run(queue: JobQueue, user: User, options: dict[str, Any] | None = None) -> Any:
    job_id = queue.submit(
        "digest_sources", {"text": "digest sources"}, options or {}, owner=user.id
    )
    make_runner(queue).run(job_id)
    job = queue.status(job_id)
    assert job.status == "done", job.error
    return job.result


def test_each_user_sees_the_sources_shared_with_them(deskdraft_home: Path) -> None:
    s = settings()
    s.sources.update(SOURCES)
    queue = JobQueue(s)
    ann, _ = queue.store.add_user("ann")
    bob, _ = queue.store.add_user("bob")
    boss, _ = queue.store.add_user("boss", admin=True)
    try:
        first = _run(queue, ann)
        assert first["sources"] == [
            {"source": "imap://ann@mail.example.com/INBOX", "label": "Ann's inbox"},
            {"source": "maildir:/srv/mail/team", "label": ""},
        ]
        assert first["model"] == "none"
        # The same job from another user is not answered from the result cache.
        assert [x["source"] for x in _run(queue, bob)["sources"]] == [
            "maildir:/srv/mail/team",
            "imap://bob@mail.example.com/INBOX",
        ]
        assert [x["source"] for x in _run(queue, boss)["sources"]] == list(SOURCES)
        # What is listed is exactly what the user's digest job may read.
        for user in (ann, bob):
            for prefix in SOURCES:
                listed = prefix in shared_sources(s, user.name)
                try:
                    check_job_access(s, {"source": prefix}, {}, user)
                    allowed = True
                except UsageError:
                    allowed = False
                assert listed == allowed, (user.name, prefix)
    finally:
        queue.close()


def test_a_caller_cannot_claim_to_be_an_admin_or_someone_else(deskdraft_home: Path) -> None:
    s = settings()
    s.sources.update(SOURCES)
    queue = JobQueue(s)
    ann, _ = queue.store.add_user("ann")
    try:
        for options in ({"owner_admin": True}, {"owner": "bob"}):
            with pytest.raises(UsageError, match="only admins"):
                check_job_access(s, {"text": "x"}, options, ann)
        # A job that skipped the bridge's check: the runner sets who it runs as.
        result = _run(queue, ann, {"owner_admin": True})
        assert "/srv/mail/archive" not in [x["source"] for x in result["sources"]]
    finally:
        queue.close()


def test_a_source_with_a_credential_in_its_name_is_not_listed(deskdraft_home: Path) -> None:
    s = settings()
    s.sources["imap://ann:hunter2-secret@mail.example.com/INBOX"] = {"owners": ["ann"]}
    s.sources["maildir:/srv/mail/ann"] = {"owners": ["ann"]}
    queue = JobQueue(s)
    ann, _ = queue.store.add_user("ann")
    try:
        result = _run(queue, ann)
        assert [x["source"] for x in result["sources"]] == ["maildir:/srv/mail/ann"]
        assert "hunter2" not in str(result)
    finally:
        queue.close()
