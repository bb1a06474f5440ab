"""``deskdraft worker``: run jobs from the queue (start one per machine or core group)."""

from __future__ import annotations

import argparse
import importlib
import logging
from typing import Any

from connectors.errors import UsageError


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "worker",
        help="run queued jobs (summaries, reports, digests); SIGTERM stops it gracefully",
        description="Run jobs from the queue set by queue.url. The model loads once per "
        "process and is shared by its threads. SIGTERM (Ctrl+C on Windows) lets running "
        "jobs finish; an interrupted job runs again on another worker.",
    )
    parser.add_argument(
        "--concurrency",
        "-c",
        type=int,
        default=1,
        metavar="N",
        help="jobs run at the same time in this process (default 1)",
    )
    parser.add_argument(
        "--preload",
        action="store_true",
        help="load the model before taking jobs instead of on first need",
    )
    parser.add_argument(
        "--import",
        dest="imports",
        action="append",
        default=[],
        metavar="MODULE",
        help="import an extension module first (it may register draft kinds)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plugin.jobs.worker import run_worker

    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    for name in args.imports:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise UsageError(f"cannot import {name!r}: {exc}") from None
    logging.getLogger("plugin.jobs").setLevel(logging.INFO)
    logging.getLogger("huey").setLevel(logging.WARNING)
    print(f"deskdraft worker: {args.concurrency} thread(s); SIGTERM to stop", flush=True)
    code = run_worker(args.concurrency, preload=args.preload)
    print("deskdraft worker: stopped", flush=True)
    return code
