"""The real ``summarize`` kind through a real worker process, on the tiny test model."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.jobs.queue import JobQueue
from tests.jobs.helpers import start_worker, wait_for
from tests.servers.process import stop_process

pytestmark = pytest.mark.integration

SAMPLE = Path(__file__).resolve().parents[2] / "plugin" / "samples" / "welcome.eml"


def test_summaries_run_in_a_worker_and_repeat_from_the_cache(
    tiny_worker_queue: JobQueue, tiny_worker_env: dict[str, str], deskdraft_home: Path
) -> None:
    queue, env = tiny_worker_queue, tiny_worker_env
    worker = start_worker(env, 1, deskdraft_home / "worker.log")
    try:
        from_source = queue.submit("summarize", {"source": str(SAMPLE)}, {})
        text = SAMPLE.read_text(encoding="utf-8").split("\n\n", 1)[1]
        from_text = queue.submit("summarize", {"text": text}, {"style": "brief"})
        wait_for(
            lambda: queue.status(from_source).finished and queue.status(from_text).finished,
            300,
            "two summaries",
            interval=0.25,
        )
        for job_id in (from_source, from_text):
            job = queue.status(job_id)
            assert job.status == "done", (deskdraft_home / "worker.log").read_text()
            assert isinstance(job.result, dict)  # one document: one object, as --json prints
            assert job.result["model"] != "none" and job.result["model"].count(":") == 1
        model_id = queue.store.meta_get("model_id")
        assert model_id == queue.status(from_text).result["model"]

        again = queue.submit_job("summarize", {"text": text}, {"style": "brief"})
        assert again.status == "done" and again.cached
        assert again.result == queue.status(from_text).result
    finally:
        assert stop_process(worker) == 0
