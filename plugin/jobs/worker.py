"""A worker process: runs jobs from the queue with N threads sharing one model.

Besides running jobs, every worker keeps the queue honest:

* it renews the lease of each job it runs (so others know it is alive);
* it puts back jobs whose worker died (lease expired), so ``kill -9`` loses nothing;
* when the transport holds no messages but the store still has due queued jobs (a
  submitter crashed between writing the record and enqueuing), it enqueues them again.

Duplicate messages are harmless: only one delivery can claim a job.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

from plugin.config import settings
from plugin.jobs.queue import JobQueue, open_queue
from plugin.jobs.runner import Runner

log = logging.getLogger(__name__)

#: A queued job this old with no message anywhere is considered orphaned.
ORPHAN_AFTER_S = 5.0


class Maintenance(threading.Thread):
    """Lease renewal, dead-worker recovery and orphan re-enqueueing, on one timer."""

    def __init__(
        self, queue: JobQueue, runner: Runner, interval_s: float, max_deliveries: int
    ) -> None:
        super().__init__(name="deskdraft-maintenance", daemon=True)
        self.queue = queue
        self.runner = runner
        self.interval_s = interval_s
        self.max_deliveries = max_deliveries
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.interval_s):
            try:
                self.tick()
            except Exception:  # a store hiccup must not end maintenance for good
                log.exception("queue maintenance failed; retrying")

    def tick(self) -> None:
        store = self.queue.store
        store.heartbeat(list(self.runner.in_flight), self.runner.worker_id, self.runner.lease_s)
        for job_id, priority in store.requeue_expired(self.max_deliveries):
            log.warning("job %s: its worker stopped; running it again", job_id)
            self.queue.enqueue(job_id, priority)
        if self.queue.pending_messages() == 0:
            for job_id, priority, _ in store.due_queued(ORPHAN_AFTER_S):
                if store.touch_queued(job_id):
                    log.info("job %s: queued without a message; enqueuing it again", job_id)
                    self.queue.enqueue(job_id, priority)


def make_runner(queue: JobQueue, engine_factory: Callable[[], Any] | None = None) -> Runner:
    q = queue.settings.queue
    return Runner(
        store=queue.store,
        worker_id=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}",
        lease_s=q.lease_s,
        retries=max(1, q.retries),
        retry_delay_s=q.retry_delay_s,
        requeue=queue.enqueue,
        engine_factory=engine_factory,
    )


def run_worker(
    concurrency: int = 1, *, preload: bool = False, engine_factory: Callable[[], Any] | None = None
) -> int:
    """Run until stopped. The graceful signal (SIGTERM; Ctrl+C on Windows) lets running jobs
    finish; Ctrl+C elsewhere stops at once and the interrupted jobs run again later."""
    queue = open_queue()
    runner = make_runner(queue, engine_factory)
    queue.set_handler(runner.run)
    if preload:
        runner.engine()
    lease_s = queue.settings.queue.lease_s
    maintenance = Maintenance(
        queue,
        runner,
        interval_s=max(0.2, lease_s / 4),
        max_deliveries=settings().queue.max_deliveries,
    )
    maintenance.tick()  # recover what a previous crash left behind before taking new work
    maintenance.start()
    log.info("worker %s: ready with %d thread(s)", runner.worker_id, concurrency)
    try:
        queue.run_consumer(concurrency)
    finally:
        maintenance.stop.set()
    return 0
