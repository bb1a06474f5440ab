"""`deskdraft bridge --processes N`: several bridges on one port, replaced when they die,
all stopped by one SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

from connectors.errors import UsageError
from plugin.bridge import processes

REPO = Path(__file__).resolve().parents[2]
# Only the tests that start a real process group need the kernel feature; the rest run anywhere.
needs_balancing = pytest.mark.skipif(
    not processes.reuse_port_balances(), reason="the kernel does not balance SO_REUSEPORT listeners"
)


def listeners(parent: psutil.Process, port: int) -> dict[int, int]:
    """pid → established connections on ``port``, for each child listening on it."""
    found = {}
    for child in parent.children():
        conns = child.net_connections(kind="tcp")
        if any(c.laddr.port == port and c.status == psutil.CONN_LISTEN for c in conns):
            found[child.pid] = sum(
                1 for c in conns if c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
            )
    return found


def wait_until(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def group(deskdraft_home: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update({"DESKDRAFT_HOME": str(deskdraft_home), "PYTHONPATH": str(REPO)})
    process = subprocess.Popen(
        [sys.executable, "-m", "plugin", "bridge", "--port", "0", "--processes", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.match(r"deskdraft bridge: https://localhost:(\d+)/api/v1 \(2 processes", line)
    assert match, line
    yield process, int(match.group(1))
    if process.poll() is None:
        process.kill()
        process.wait()
    process.stdout.close()


@needs_balancing
def test_two_processes_share_the_port_and_stop_on_sigterm(
    group: tuple[subprocess.Popen[str], int], deskdraft_home: Path
) -> None:
    process, port = group
    parent = psutil.Process(process.pid)
    assert len(listeners(parent, port)) == 2
    ca = str(deskdraft_home / "certs" / "ca.pem")
    token = (deskdraft_home / "bridge-token").read_text().strip()
    url = f"https://localhost:{port}/api/v1"
    auth = {"Authorization": f"Bearer {token}"}

    # Connections are spread over both (24 that all hash to one: odds of 1 in 8 million).
    context = ssl.create_default_context(cafile=ca)
    held = [
        context.wrap_socket(
            socket.create_connection(("localhost", port)), server_hostname="localhost"
        )
        for _ in range(24)
    ]
    try:
        wait_until(lambda: sum(listeners(parent, port).values()) == 24)
        assert all(count > 0 for count in listeners(parent, port).values())
    finally:
        for sock in held:
            sock.close()
    # Either one answers the whole API, with the same token and certificate.
    for _ in range(6):
        assert requests.get(f"{url}/health", verify=ca, timeout=10).json()["status"] == "ok"
        created = requests.post(
            f"{url}/jobs",
            headers=auth,
            verify=ca,
            timeout=10,
            json={"kind": "ingest", "input": {"text": "two bridges"}},
        )
        assert created.status_code == 202
        state = requests.get(
            f"{url}/jobs/{created.json()['id']}", headers=auth, verify=ca, timeout=10
        )
        assert state.status_code == 200 and state.json()["status"] == "queued"

    children = parent.children()
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0
    assert process.stdout is not None and "stopped" in process.stdout.read()
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    with socket.socket() as sock:  # nobody listens there any more
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT
        sock.bind(("127.0.0.1", port))
        sock.listen()


@needs_balancing
def test_a_dead_bridge_process_is_replaced(
    group: tuple[subprocess.Popen[str], int], deskdraft_home: Path
) -> None:
    process, port = group
    parent = psutil.Process(process.pid)
    victim = next(iter(listeners(parent, port)))
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: len(listeners(parent, port)) == 2 and victim not in listeners(parent, port))
    ca = str(deskdraft_home / "certs" / "ca.pem")
    for _ in range(6):  # new connections are served (none lands on a dead listener)
        health = requests.get(f"https://localhost:{port}/api/v1/health", verify=ca, timeout=10)
        assert health.json()["status"] == "ok"
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0


def test_without_a_balancing_kernel_processes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "reuse_port_balances", lambda: False)
    with pytest.raises(UsageError, match="SO_REUSEPORT"):
        processes.run_group(2, "127.0.0.1", 0, lambda port: [], lambda port: "")


def test_a_bridge_that_cannot_start_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from connectors.errors import ConfigError

    group = processes.BridgeGroup(1, lambda: [sys.executable, "-c", "print('boom')"])
    with pytest.raises(ConfigError, match="did not start: boom"):
        group.start()
    assert group.children == []


def test_a_taken_port_is_a_clear_error() -> None:
    from connectors.errors import ConfigError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ConfigError, match=r"cannot listen on 127\.0\.0\.1"):
            processes.reserve_port("127.0.0.1", taken.getsockname()[1])


def test_the_processes_option_is_checked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.cli import main
    from plugin.config import settings

    assert main(["bridge", "--processes", "0"]) != 0
    assert "--processes must be at least 1" in capsys.readouterr().err
    # bridge.processes is the default; without a balancing kernel it is refused clearly.
    monkeypatch.setenv("DESKDRAFT_BRIDGE_PROCESSES", "3")
    settings.cache_clear()
    monkeypatch.setattr(processes, "reuse_port_balances", lambda: False)
    assert main(["bridge", "--port", "0"]) != 0
    assert "SO_REUSEPORT" in capsys.readouterr().err
