"""The processes ``bench/service.py`` runs (a bridge and workers sharing one data dir) and
what the benchmark reads off them: job states over HTTPS, the bridge's CPU time and how its
client connections are spread over ``--processes`` bridge processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import requests

REPO = Path(__file__).resolve().parent.parent


class Cluster:
    """Bridge and worker processes sharing one data dir."""

    def __init__(self, home: Path, model: Path | None, extra_env: dict[str, str]) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
        self.env.update(
            {
                "DESKDRAFT_HOME": str(home),
                "PYTHONPATH": str(REPO),
                "HF_HUB_OFFLINE": "1",
                "DESKDRAFT_ENGINE_THREADS": "1",
                "DESKDRAFT_PROBE_LOG": str(home / "probe.log"),
                **extra_env,
            }
        )
        if model is not None:
            self.env["DESKDRAFT_ENGINE_MODEL"] = str(model)
        self.workers: list[subprocess.Popen[str]] = []
        self.bridge: subprocess.Popen[str] | None = None

    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "plugin", *args]

    def start_bridge(self, port: int, processes: int = 1) -> str:
        args = self.cli("bridge", "--port", str(port), "--processes", str(processes))
        self.bridge = subprocess.Popen(
            args, env=self.env, cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        assert self.bridge.stdout is not None
        line = self.bridge.stdout.readline()
        if "deskdraft bridge:" not in line:
            raise RuntimeError(f"bridge did not start: {line!r}")
        return f"https://localhost:{port}"

    def start_worker(self, *, preload: bool = False, concurrency: int = 1) -> None:
        args = ["worker", "--concurrency", str(concurrency), "--import", "tests.jobs.kinds"]
        if preload:
            args.append("--preload")
        process = subprocess.Popen(
            self.cli(*args),
            env=self.env,
            cwd=REPO,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert process.stderr is not None
        for line in process.stderr:  # wait until it is ready (model loaded with --preload)
            if "ready with" in line:
                break
        else:
            raise RuntimeError("worker exited before it was ready")
        threading.Thread(
            target=lambda: process.stderr and process.stderr.read(), daemon=True
        ).start()
        self.workers.append(process)

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.terminate()
        for process in self.workers:
            process.wait(120)
        self.workers = []

    def stop(self) -> None:
        self.stop_workers()
        if self.bridge is not None:
            self.bridge.terminate()
            self.bridge.wait(30)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_done(
    url: str, ids: list[str], headers: dict[str, str], ca: str, timeout: float
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    with requests.Session() as session:
        while True:
            states = [
                session.get(f"{url}/api/v1/jobs/{i}", headers=headers, verify=ca, timeout=30).json()
                for i in ids
            ]
            if all(s["status"] in {"done", "failed", "cancelled"} for s in states):
                return states
            if time.monotonic() > deadline:
                raise TimeoutError("jobs did not finish")
            time.sleep(0.2)


def connections_per_process(process: psutil.Process | None, port: int) -> list[int]:
    """Established client connections each bridge process holds (how the parent spread
    them over its ``--processes`` children)."""
    if process is None:
        return []
    counts = []
    for proc in [process, *process.children(recursive=True)]:
        try:
            conns = proc.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        held = sum(
            1
            for c in conns
            if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
        )
        if held or proc is not process:
            counts.append(held)
    return sorted(counts, reverse=True)


def tree_cpu_s(process: psutil.Process | None) -> float:
    """CPU seconds (user + system) of a process and its children (bridge --processes)."""
    if process is None:
        return 0.0
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total
