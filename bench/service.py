"""Service benchmark: HTTPS latency of cached results, worker scaling, kills during a batch.

    python bench/service.py [--seconds 30] [--clients 32] [--bridge-processes 2]
                            [--client-processes 4] [--jobs 24] [--kill-jobs 500]
                            [--kills 20] [--model-dir DIR] [--skip-throughput]

1. Latency: ``deskdraft bridge --processes N`` (HTTPS, cheroot) and one worker; summaries
   of 8 real mails are made once, then ``--clients`` concurrent keep-alive HTTPS clients
   (``bench/https_load.py``, spread over ``--client-processes`` processes) submit those
   same requests (answered from the result cache) and poll them, without pause, for
   ``--seconds``: p50/p99 of one submit + poll round trip, errors (any answer that is not
   202 + done with exactly the warm-up result), reconnects, and the CPU the bridge and the
   load generator used.
2. Throughput: ``--jobs`` summarize jobs on distinct mails (../shared/data/aeslc-dev) with
   1 and then 2 worker processes (one ORT thread each, model preloaded): jobs/s and the
   scaling ratio.
3. Kills: ``--kill-jobs`` jobs on 2 workers while one worker at a time is killed with
   SIGKILL and restarted, ``--kills`` times. Lost = jobs never done; duplicated = jobs whose
   reported state changed after it was first seen done (a second report). Jobs a kill
   interrupted and that ran again (at-least-once) are counted separately. These jobs use
   the no-model probe kind from tests/jobs/kinds.py so the kills land on the queue, not the
   model.

The latency part runs twice in one run, as a normal user (ownership, audit and anomaly rules
on; the rate limit off): encryption at rest off, then on; ``encryption_p50_ratio`` is the
p50 with encryption over the p50 without. ``submit_p99_ms`` is the run with encryption.

The last stdout line is JSON: submit_p99_ms, errors, jobs_lost, jobs_duplicated,
scaling_2_workers, encryption_p50_ratio (and the details).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import requests
from https_load import LoadPlan, run_load
from service_cluster import (
    REPO,
    Cluster,
    connections_per_process,
    free_port,
    tree_cpu_s,
    wait_done,
)

SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def mails(count: int) -> list[str]:
    folder = SHARED / "data" / "aeslc-dev"
    if not folder.is_dir():
        sample = (REPO / "plugin" / "samples" / "welcome.eml").read_text()
        body = sample.split("\n\n", 1)[1]
        return [f"{body}\n(copy {n})" for n in range(count)]
    texts = []
    for path in sorted(folder.glob("*.subject")):
        body = path.read_text(encoding="utf-8").split("@subject")[0].strip()
        if 200 <= len(body) <= 1500:
            texts.append(body)
        if len(texts) == count:
            break
    return texts


def model_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    from plugin.engine.build import DEFAULT_NAME, build

    cache = Path(os.environ.get("DESKDRAFT_MODEL_CACHE", Path.home() / ".cache/deskdraft-bench"))
    log(f"building/finding the default model in {cache} ...")
    folder, _ = build(cache / DEFAULT_NAME, quiet=True)
    return folder


def latency(
    cluster: Cluster,
    url: str,
    headers: dict[str, str],
    ca: str,
    seconds: float,
    clients: int,
    processes: int,
) -> dict[str, Any]:
    requests_ = [{"kind": "summarize", "input": {"text": text}, "options": {}} for text in mails(8)]
    with requests.Session() as session:
        ids = [
            session.post(
                f"{url}/api/v1/jobs", json=r, headers=headers, verify=ca, timeout=30
            ).json()["id"]
            for r in requests_
        ]
    states = wait_done(url, ids, headers, ca, 900)
    failed = [s for s in states if s["status"] != "done"]
    if failed:
        raise RuntimeError(f"warm-up summaries failed: {failed[0]['error']}")
    plan = LoadPlan(
        url,
        headers["Authorization"].removeprefix("Bearer "),
        ca,
        requests_,
        [s["result"] for s in states],
        seconds,
    )
    bridge = psutil.Process(cluster.bridge.pid) if cluster.bridge else None
    cpu_before = tree_cpu_s(bridge)
    port = int(url.rsplit(":", 1)[1])
    samples: list[list[int]] = []
    # Looked at a few times during the load: the clients connect while it starts.
    probes = [
        threading.Timer(
            seconds * share, lambda: samples.append(connections_per_process(bridge, port))
        )
        for share in (0.25, 0.5, 0.75)
    ]
    for probe in probes:
        probe.start()
    out = run_load(plan, clients, processes)
    for probe in probes:
        probe.join()
    out["connections_per_bridge_process"] = max(samples, key=sum, default=[])
    cpu = tree_cpu_s(bridge) - cpu_before
    out["bridge_cpu_s"] = round(cpu, 1)
    if out["requests"]:
        out["bridge_cpu_ms_per_round_trip"] = round(cpu * 1000 / out["requests"], 2)
    return out


def throughput(home: Path, model: Path, jobs: int, workers: int) -> float:
    from plugin.config import settings
    from plugin.jobs.queue import JobQueue

    cluster = Cluster(home, model, {})
    os.environ["DESKDRAFT_HOME"] = str(home)
    settings.cache_clear()
    queue = JobQueue(settings())
    try:
        for _ in range(workers):
            cluster.start_worker(preload=True)
        texts = mails(jobs * 2 + 10)[-jobs:]  # distinct from the latency warm-up mails
        started = time.perf_counter()
        ids = [queue.submit("summarize", {"text": f"{t}"}, {"run": workers}) for t in texts]
        while not all(queue.status(i).finished for i in ids):
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        bad = [queue.status(i).error for i in ids if queue.status(i).status != "done"]
        if bad:
            raise RuntimeError(f"summaries failed: {bad[0]}")
        return jobs / elapsed
    finally:
        cluster.stop()
        queue.close()


def kills(home: Path, total: int, kill_count: int) -> dict[str, Any]:
    import tests.jobs.kinds  # noqa: F401 - registers the probe kind in this process too
    from plugin.config import settings
    from plugin.jobs.queue import JobQueue

    cluster = Cluster(home, None, {"DESKDRAFT_QUEUE_LEASE_S": "2"})
    os.environ.update({"DESKDRAFT_HOME": str(home), "DESKDRAFT_QUEUE_LEASE_S": "2"})
    settings.cache_clear()
    queue = JobQueue(settings())
    rng = random.Random(7)
    first_done: dict[str, Any] = {}
    duplicated: set[str] = set()
    try:
        for _ in range(2):
            cluster.start_worker(concurrency=2)
        ids = [
            queue.submit("probe", {"text": f"kill-batch {n}"}, {"sleep_s": 0.2}, priority="batch")
            for n in range(total)
        ]
        kills_done = 0
        deadline = time.monotonic() + 900
        next_kill = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            done = 0
            for job_id, (status, result) in queue.store.snapshot(ids).items():
                if status == "done":
                    done += 1
                    if job_id not in first_done:
                        first_done[job_id] = result
                    elif first_done[job_id] != result:
                        duplicated.add(job_id)
                elif job_id in first_done:
                    duplicated.add(job_id)  # it was reported done, then changed
            if kills_done < kill_count and time.monotonic() >= next_kill:
                victim = rng.randrange(len(cluster.workers))
                process = cluster.workers.pop(victim)
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills_done += 1
                cluster.start_worker(concurrency=2)
                next_kill = time.monotonic() + rng.uniform(0.2, 1.0)
            elif done == total and kills_done >= kill_count:
                break
            time.sleep(0.05)
    finally:
        cluster.stop()
    states = Counter(queue.status(i).status for i in ids)
    starts = Counter(
        line.split(" ", 2)[2]
        for line in (home / "probe.log").read_text().splitlines()
        if line.startswith("start ")
    )
    queue.close()
    return {
        "jobs": total,
        "kills": kills_done,
        "states": dict(states),
        "jobs_lost": total - states.get("done", 0),
        "jobs_duplicated": len(duplicated),
        # Jobs a kill interrupted that then ran again (at-least-once at work).
        "interrupted_and_rerun": sum(1 for n in starts.values() if n > 1),
    }


def latency_run(home: Path, model: Path, encrypt: bool, args: argparse.Namespace) -> dict[str, Any]:
    cluster = Cluster(
        home,
        model,
        {
            "DESKDRAFT_SECURITY_ENCRYPT_AT_REST": str(encrypt).lower(),
            "DESKDRAFT_SECURITY_RATE_LIMIT": "0",
        },
    )
    try:
        url = cluster.start_bridge(free_port(), args.bridge_processes)
        cluster.start_worker(preload=True)
        added = subprocess.run(
            cluster.cli("user", "add", "bench-user"),
            env=cluster.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        token = added.stdout.strip().splitlines()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        log(
            f"latency (encryption {'on' if encrypt else 'off'}): {args.clients} clients for "
            f"{args.seconds:.0f}s against {url}"
        )
        return latency(
            cluster,
            url,
            headers,
            str(home / "certs" / "ca.pem"),
            args.seconds,
            args.clients,
            args.client_processes,
        )
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--bridge-processes",
        type=int,
        default=2,
        help="deskdraft bridge --processes for the latency part",
    )
    parser.add_argument(
        "--client-processes",
        type=int,
        default=4,
        help="load-generator processes the clients are spread over",
    )
    parser.add_argument("--jobs", type=int, default=24)
    parser.add_argument("--kill-jobs", type=int, default=500)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--model-dir")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()

    model = model_dir(args.model_dir)
    out: dict[str, Any] = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="deskdraft-bench-") as tmp:
        # The same latency run without and then with encryption at rest; both as a normal
        # user (ownership checks, audit trail and anomaly rules on; no rate limit, as one
        # user here sends what a whole team would).
        for encrypt in (False, True):
            key = "latency" if encrypt else "latency_unencrypted"
            out[key] = latency_run(Path(tmp) / key, model, encrypt, args)
            log(f"{key}: {out[key]}")
        out["encryption_p50_ratio"] = round(
            out["latency"]["p50_ms"] / out["latency_unencrypted"]["p50_ms"], 3
        )
        if not args.skip_throughput:
            one = throughput(Path(tmp) / "one", model, args.jobs, 1)
            two = throughput(Path(tmp) / "two", model, args.jobs, 2)
            out["throughput"] = {
                "jobs": args.jobs,
                "one_worker_jobs_per_s": round(one, 3),
                "two_workers_jobs_per_s": round(two, 3),
            }
            out["scaling_2_workers"] = round(two / one, 2)
            log(f"throughput: {out['throughput']}")
        out["kills"] = kills(Path(tmp) / "kills", args.kill_jobs, args.kills)
        log(f"kills: {out['kills']}")
    print(
        json.dumps(
            {
                "submit_p99_ms": out["latency"]["p99_ms"],
                "submit_p50_ms": out["latency"]["p50_ms"],
                "errors": out["latency"]["errors"],
                "jobs_lost": out["kills"]["jobs_lost"],
                "jobs_duplicated": out["kills"]["jobs_duplicated"],
                "scaling_2_workers": out.get("scaling_2_workers"),
                "encryption_p50_ratio": out["encryption_p50_ratio"],
                **out,
            }
        )
    )


if __name__ == "__main__":
    main()
