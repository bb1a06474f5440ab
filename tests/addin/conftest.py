"""A real bridge and worker (subprocesses on free ports, own data dir) and a headless
Chromium for the pane tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser

from tests.addin.browser import chromium
from tests.servers.process import stop_process

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Service:
    url: str
    token: str
    home: Path
    log: Path

    def settings(self) -> dict[str, str]:
        return {"server": self.url, "token": self.token}

    def api(self, path: str) -> requests.Response:
        return requests.get(
            f"{self.url}/api/v1{path}",
            timeout=10,
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian chromium is not installed: apt-get install chromium (see .ci/run)")
    with chromium() as instance:
        yield instance


def service_env(home: Path, model_dir: Path) -> dict[str, str]:
    """The environment of the service's processes (and of CLI calls against its data)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update(
        {
            "DESKDRAFT_HOME": str(home),
            "DESKDRAFT_ENGINE_MODEL": str(model_dir),
            "HF_HUB_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def deskdraft(env: dict[str, str], *args: str) -> str:
    """Run ``deskdraft ARGS`` with ``env``; its output's last line."""
    out = subprocess.run(
        [sys.executable, "-m", "plugin", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1].strip()


@contextmanager
def running_service(home: Path, model_dir: Path, config: str = "") -> Iterator[Service]:
    """``deskdraft bridge --no-tls`` plus ``deskdraft worker`` on ``model_dir``, with
    ``config`` as the data dir's config.toml; the install (admin) token."""
    log = home / "service.log"
    if config:
        (home / "config.toml").write_text(config, encoding="utf-8")
    env = service_env(home, model_dir)
    token = deskdraft(env, "token")
    port = free_port()
    processes: list[subprocess.Popen[bytes]] = []
    with log.open("ab") as sink:
        for args in (
            ["bridge", "--no-tls", "--host", "127.0.0.1", "--port", str(port)],
            ["worker", "--preload"],
        ):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "plugin", *args],
                    env=env,
                    cwd=REPO,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                )
            )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/api/v1/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                pytest.fail(f"the bridge did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield Service(url=url, token=token, home=home, log=log)
    finally:
        for process in processes:  # both at once: the worker's graceful stop takes longest
            if process.poll() is None:
                process.terminate()
        for process in processes:
            stop_process(process, 15)


@pytest.fixture(scope="module")
def service(real_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The bridge and a worker on the real default model. "Likely" starts at 0.95 here, so
    that the pane's "maybe" badge shows on the corpus mail of the meeting test whatever
    confidence the shipped weights give it (the threshold itself is tested beside the
    decision, ``test_suggestions_below_likely_confidence_are_marked_maybe``)."""
    with running_service(
        tmp_path_factory.mktemp("addin-service"),
        real_model_dir,
        "[calendar]\nlikely_confidence = 0.95\n",
    ) as running:
        yield running
