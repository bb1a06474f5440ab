"""A scheduled-style digest job through a real worker process (tiny model)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from plugin.jobs.queue import JobQueue
from tests.jobs.helpers import start_worker, wait_for
from tests.servers.process import stop_process

pytestmark = pytest.mark.integration


def _mail(folder: Path, name: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, "ann@example.com", "me@example.com"
    msg["Date"] = "Mon, 02 Mar 2026 09:15:00 +0100"
    msg["Message-ID"] = f"<{name}@example.com>"
    msg.set_content(body)
    (folder / f"{name}.eml").write_bytes(msg.as_bytes())


def test_digest_job_reads_its_source_with_a_cursor_and_delivers_once(
    tiny_worker_queue: JobQueue,
    tiny_worker_env: dict[str, str],
    deskdraft_home: Path,
    tmp_path: Path,
) -> None:
    queue, env = tiny_worker_queue, tiny_worker_env
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    _mail(inbox, "a", "Contract", "Please sign the contract by Friday.")
    worker = start_worker(env, 1, deskdraft_home / "worker.log")
    try:
        options = {
            "schedule_id": "s1",
            "deliver": f"dir:{out}",
            "to": "me@example.com",
            "since": "cursor",
        }
        first = queue.submit(
            "digest", {"source": str(inbox)}, {**options, "period": "p1"}, priority="batch"
        )
        wait_for(lambda: queue.status(first).finished, 300, "first digest", interval=0.25)
        job = queue.status(first)
        assert job.status == "done", (deskdraft_home / "worker.log").read_text()
        assert job.result["messages"] == 1 and job.result["threads"][0]["subject"] == "Contract"
        assert len(list(out.glob("*.eml"))) == 1

        # The next period sees only what arrived since: the file connector's cursor.
        _mail(inbox, "b", "Lunch", "Pasta today.")
        second = queue.submit(
            "digest", {"source": str(inbox)}, {**options, "period": "p2"}, priority="batch"
        )
        wait_for(lambda: queue.status(second).finished, 300, "second digest", interval=0.25)
        result = queue.status(second).result
        assert result["messages"] == 1 and result["threads"][0]["subject"] == "Lunch"
        assert len(list(out.glob("*.eml"))) == 2

        # The same period again (a retried or duplicated job) sends nothing new.
        again = queue.submit(
            "digest", {"source": str(inbox)}, {**options, "period": "p2"}, priority="batch"
        )
        wait_for(lambda: queue.status(again).finished, 300, "repeat digest", interval=0.25)
        assert "already delivered" in queue.status(again).result["delivery"]
        assert len(list(out.glob("*.eml"))) == 2
    finally:
        assert stop_process(worker) == 0


def test_a_users_digest_is_theirs_and_since_the_last_digest_is_per_user(
    deskdraft_home: Path, tiny_engine: object, tmp_path: Path
) -> None:
    """What the Outlook pane submits: a digest job run as its owner, without a schedule."""
    from plugin.config import settings
    from plugin.digest import store
    from plugin.jobs.worker import make_runner

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _mail(inbox, "a", "Contract", "Please sign the contract by Friday.")
    s = settings()
    s.sources[str(inbox)] = {"owners": ["*"]}
    queue = JobQueue(s)
    ann, _ = queue.store.add_user("ann")
    bob, _ = queue.store.add_user("bob")
    runner = make_runner(queue, engine_factory=lambda: tiny_engine)

    def digest(user: object) -> dict:
        job_id = queue.submit("digest", {"source": str(inbox)}, {"since": "cursor"}, owner=user.id)  # type: ignore[attr-defined]
        runner.run(job_id)
        job = queue.status(job_id)
        assert job.status == "done", job.error
        return job.result  # type: ignore[no-any-return]

    try:
        first = digest(ann)
        assert [t["subject"] for t in first["threads"]] == ["Contract"]
        record = store.lookup("adhoc", first["period"])
        assert record is not None and record.owner == "ann"
        # Ann's next digest starts where her last one ended; Bob has not had one yet.
        assert digest(ann)["empty"] is True
        assert [t["subject"] for t in digest(bob)["threads"]] == ["Contract"]
    finally:
        queue.close()
