"""``deskdraft serve``: bridge, workers and scheduler in one command (the laptop default)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from plugin.commands.bridge import add_server_options, build_server, wait_for_signal

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
#: Which job kinds each sample type is queued for (only kinds that are installed).
SAMPLE_KINDS = {
    ".eml": ["summarize", "action_items", "suggest_meetings"],
    ".msg": ["summarize"],
    ".docx": ["summarize"],
    ".xlsx": ["report"],
    ".txt": ["summarize"],
}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "serve",
        help="run everything on this machine: HTTPS bridge, worker(s), scheduler",
        description="Start the bridge, queue.workers worker processes and the digest "
        "scheduler on the embedded queue. Prints the URL, token and manifest locations.",
    )
    add_server_options(parser)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default queue.workers)",
    )
    parser.add_argument(
        "--with-samples",
        action="store_true",
        help="queue the sample documents and print the drafts as they arrive",
    )
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not run scheduled digests in this process"
    )
    parser.set_defaults(func=run)


def _start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "plugin", "worker"]
    return [subprocess.Popen(command) for _ in range(count)]


def _stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()  # graceful: running jobs finish first
    for worker in workers:
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _start_scheduler(stop: threading.Event) -> threading.Thread | None:
    """The digest scheduler, when the digest package provides one."""
    if importlib.util.find_spec("plugin.digest.scheduler_process") is None:
        return None
    from plugin.digest.scheduler_process import run_scheduler

    thread = threading.Thread(
        target=run_scheduler, args=(stop,), name="deskdraft-scheduler", daemon=True
    )
    thread.start()
    return thread


def _manifest_lines(url: str) -> str:
    """Write the add-in manifests for this URL into the data dir; say where they are."""
    from connectors.errors import DeskdraftError
    from plugin.config import settings

    if importlib.util.find_spec("plugin.manifests") is None:
        return f"manifests:     run `deskdraft manifest --url {url}`"
    from plugin.manifests import write_manifests

    try:
        paths = write_manifests(url, settings().data_dir / "manifests")
    except DeskdraftError as exc:
        return f"manifests:     not written ({exc}); run `deskdraft manifest --url {url}`"
    return "\n".join(f"manifest:      {path}" for path in paths)


def _queue_samples(out: Any) -> list[tuple[str, str, str]]:
    from plugin.drafts.base import draft_kinds
    from plugin.jobs.queue import open_queue

    queue = open_queue()
    jobs: list[tuple[str, str, str]] = []
    for path in sorted(SAMPLES_DIR.glob("*")):
        for kind in SAMPLE_KINDS.get(path.suffix.lower(), []):
            if kind not in draft_kinds:
                continue
            try:
                draft_kinds.get(kind)
            except ImportError:
                continue  # declared but not built yet
            job_id = queue.submit(kind, {"source": str(path)}, {}, priority="batch")
            jobs.append((job_id, kind, path.name))
    print(f"queued {len(jobs)} sample job(s) from {SAMPLES_DIR}", file=out, flush=True)
    return jobs


def _headline(result: Any) -> str:
    """A few readable lines of a draft: its summary, then the first items of its lists."""
    first = result[0] if isinstance(result, list) and result else result
    if not isinstance(first, dict):
        return json.dumps(result, ensure_ascii=False)[:2000]
    lines = [
        first[key].strip()
        for key in ("summary", "text")
        if isinstance(first.get(key), str) and first[key].strip()
    ]
    for key, value in first.items():
        # Model drafts the checker refused are kept in results for inspection, not shown.
        if key == "rejected":
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value[:5]:
                parts = [
                    str(item[key])
                    for key in ("kind", "start", "text", "title", "owner", "due", "location")
                    if item.get(key)
                ]
                lines.append("- " + " · ".join(parts))
    return "\n".join(lines) or json.dumps(first, ensure_ascii=False)[:2000]


def _print_drafts(jobs: list[tuple[str, str, str]], stop: threading.Event, out: Any) -> None:
    from plugin.jobs.queue import open_queue

    queue = open_queue()
    pending = dict((job_id, (kind, name)) for job_id, kind, name in jobs)
    while pending and not stop.is_set():
        for job_id, (kind, name) in list(pending.items()):
            job = queue.status(job_id)
            if not job.finished:
                continue
            del pending[job_id]
            if job.status == "done":
                print(
                    f"\n== {kind} · {name} (job {job_id})\n{_headline(job.result)}\n",
                    file=out,
                    flush=True,
                )
            else:
                detail = (job.error or {}).get("detail", job.status)
                print(f"\n== {kind} · {name}: {job.status}: {detail}\n", file=out, flush=True)
        stop.wait(0.5)


def _bridge_note(processes: int) -> str:
    """serve runs its bridge in-process; say so when the settings ask for more."""
    if processes <= 1:
        return ""
    return (
        f"bridge:        1 process here (bridge.processes = {processes} applies to "
        "`deskdraft bridge`, which runs them)\n"
    )


def run(args: argparse.Namespace) -> int:
    from plugin.bridge.auth import install_token
    from plugin.config import settings

    s = settings()
    server = build_server(args)
    server.start_in_thread()
    workers = _start_workers(s.queue.workers if args.workers is None else args.workers)
    stop = threading.Event()
    scheduler = None if args.no_scheduler else _start_scheduler(stop)
    out = sys.stdout
    print(
        f"deskdraft serve: {server.url}\n"
        f"API:           {server.url}/api/v1  (OpenAPI: {server.url}/api/v1/openapi.json)\n"
        f"add-in files:  {server.url}/addin/\n"
        f"token:         {install_token(s.data_dir)}\n"
        f"{_manifest_lines(server.url)}\n"
        f"data dir:      {s.data_dir}\n"
        f"workers:       {len(workers)} process(es); scheduler: "
        f"{'on' if scheduler else 'off'}\n{_bridge_note(s.bridge.processes)}"
        "Ctrl+C to stop.",
        file=out,
        flush=True,
    )
    printer = None
    if args.with_samples:
        jobs = _queue_samples(out)
        printer = threading.Thread(target=_print_drafts, args=(jobs, stop, out), daemon=True)
        printer.start()
    try:
        wait_for_signal()
    finally:
        stop.set()
        server.stop()
        _stop_workers(workers)
        if scheduler is not None:
            scheduler.join(10)
    print("deskdraft serve: stopped", file=out, flush=True)
    return 0
