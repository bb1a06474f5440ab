"""``deskdraft scheduler``: run digest schedules and, when ``[tune] schedule`` is on, the
re-training tick (one leader, any number of standbys)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "scheduler",
        help="run scheduled inbox digests and re-training (several may run: one fires)",
        description="Fire digest schedules, the retention purge and, when [tune] schedule is "
        "on, re-training from feedback. Several processes may run: one holds the leader "
        "lock and fires, the others stand by and take over when it stops.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plugin.digest.scheduler_process import run_scheduler

    logging.getLogger("plugin.digest").setLevel(logging.INFO)
    logging.getLogger("plugin.tune").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("deskdraft scheduler: waiting for leadership (Ctrl+C to stop)", flush=True)
    run_scheduler(stop)
    print("deskdraft scheduler: stopped", flush=True)
    return 0
