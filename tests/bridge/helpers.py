"""Helpers for bridge tests."""

from __future__ import annotations

from typing import Any

from plugin.jobs.queue import JobQueue
from plugin.jobs.runner import Runner


def run_all(queue: JobQueue, runner: Runner) -> int:
    """Run every queued message in this process, as a worker would."""
    queue.set_handler(runner.run)
    count = 0
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)
        count += 1
    return count


def problem(response: Any) -> dict[str, Any]:
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == response.status_code
    assert body["type"].startswith("urn:deskdraft:problem:") and body["title"]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    return body  # type: ignore[no-any-return]
