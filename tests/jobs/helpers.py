"""Start real ``deskdraft worker`` processes for queue tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def worker_env(home: Path, queue_url: str = "", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update(
        {
            "DESKDRAFT_HOME": str(home),
            "DESKDRAFT_QUEUE_URL": queue_url,
            "DESKDRAFT_QUEUE_LEASE_S": "1.5",
            "DESKDRAFT_QUEUE_RETRY_DELAY_S": "0.2",
            "DESKDRAFT_PROBE_LOG": str(home / "probe.log"),
            "PYTHONPATH": str(REPO),
            "HF_HUB_OFFLINE": "1",
        }
    )
    env.update(extra)
    return env


def use_worker_env(
    home: Path, monkeypatch: Any, queue_url: str = "", **extra: str
) -> dict[str, str]:
    """``worker_env``, with its DESKDRAFT_* settings also applied to this test process."""
    from plugin.config import settings

    env = worker_env(home, queue_url, **extra)
    for name, value in env.items():
        if name.startswith("DESKDRAFT_"):
            monkeypatch.setenv(name, value)
    settings.cache_clear()
    return env


def start_worker(
    env: Mapping[str, str], concurrency: int = 1, log: Path | None = None
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "plugin",
        "worker",
        "--import",
        "tests.jobs.kinds",
        "--concurrency",
        str(concurrency),
    ]
    if log is None:
        return subprocess.Popen(
            command, env=dict(env), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
    with open(log, "ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            command, env=dict(env), cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )


def wait_for(
    condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
