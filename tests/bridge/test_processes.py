"""`deskdraft bridge --processes N`: several bridges behind one port, each new connection
handed to the one holding the fewest, replaced when they die, all stopped by one SIGTERM."""

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
from plugin.bridge import handoff, processes

REPO = Path(__file__).resolve().parents[2]
# Only the tests that start a real process group need descriptor passing; the rest run anywhere.
needs_handoff = pytest.mark.skipif(
    not handoff.handoff_supported(),
    reason="no Unix sequenced-packet sockets here (bridge --processes needs Linux or a BSD)",
)


def served(parent: psutil.Process, port: int) -> dict[int, set[int]]:
    """pid → the client ports of the connections on ``port`` it holds, for each child."""
    found = {}
    for child in parent.children():
        found[child.pid] = {
            c.raddr.port
            for c in child.net_connections(kind="tcp")
            if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
        }
    return found


def counts(parent: psutil.Process, port: int) -> list[int]:
    return sorted(len(ports) for ports in served(parent, port).values())


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


@needs_handoff
def test_two_processes_share_the_port_and_stop_on_sigterm(
    group: tuple[subprocess.Popen[str], int], deskdraft_home: Path
) -> None:
    process, port = group
    parent = psutil.Process(process.pid)
    assert len(parent.children()) == 2
    ca = str(deskdraft_home / "certs" / "ca.pem")
    token = (deskdraft_home / "bridge-token").read_text().strip()
    url = f"https://localhost:{port}/api/v1"
    auth = {"Authorization": f"Bearer {token}"}

    # Connections are spread evenly: each goes to the process holding the fewest.
    context = ssl.create_default_context(cafile=ca)

    def connect() -> ssl.SSLSocket:
        sock = socket.create_connection(("localhost", port))
        return context.wrap_socket(sock, server_hostname="localhost")

    held = [connect() for _ in range(24)]
    try:
        wait_until(lambda: sum(counts(parent, port)) == 24)
        assert counts(parent, port) == [12, 12]
        # Eight of one process's clients leave; the next eight connections all go there.
        first, ports = next(iter(served(parent, port).items()))
        leaving = [sock for sock in held if sock.getsockname()[1] in ports][:8]
        for sock in leaving:
            held.remove(sock)
            sock.close()
        wait_until(lambda: counts(parent, port) == [4, 12])
        held += [connect() for _ in range(8)]
        wait_until(lambda: sum(counts(parent, port)) == 24)
        assert len(served(parent, port)[first]) == 12
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


@needs_handoff
def test_a_dead_bridge_process_is_replaced(
    group: tuple[subprocess.Popen[str], int], deskdraft_home: Path
) -> None:
    process, port = group
    parent = psutil.Process(process.pid)
    victim = parent.children()[0].pid
    os.kill(victim, signal.SIGKILL)

    def replaced() -> bool:
        pids = [child.pid for child in parent.children() if child.status() != psutil.STATUS_ZOMBIE]
        return len(pids) == 2 and victim not in pids

    wait_until(replaced)
    ca = str(deskdraft_home / "certs" / "ca.pem")
    for _ in range(6):  # new connections are served (none is handed to the dead process)
        health = requests.get(f"https://localhost:{port}/api/v1/health", verify=ca, timeout=10)
        assert health.json()["status"] == "ok"
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0


def test_without_socket_passing_processes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "handoff_supported", lambda: False)
    with pytest.raises(UsageError, match="passes sockets between processes"):
        processes.run_group(2, "127.0.0.1", 0, lambda port, fd: [], lambda port: "")


def test_a_bridge_that_cannot_start_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from connectors.errors import ConfigError

    group = processes.BridgeGroup(1, lambda fd: [sys.executable, "-c", "print('boom')"])
    with pytest.raises(ConfigError, match="did not start: boom"):
        group.start()
    assert group.children == []


def test_a_taken_port_is_a_clear_error() -> None:
    from connectors.errors import ConfigError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ConfigError, match=r"cannot listen on 127\.0\.0\.1"):
            processes.listen_on("127.0.0.1", taken.getsockname()[1], 5)


def test_the_processes_option_is_checked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.cli import main
    from plugin.config import settings

    assert main(["bridge", "--processes", "0"]) != 0
    assert "--processes must be at least 1" in capsys.readouterr().err
    # bridge.processes is the default; without socket passing it is refused clearly.
    monkeypatch.setenv("DESKDRAFT_BRIDGE_PROCESSES", "3")
    settings.cache_clear()
    monkeypatch.setattr(processes, "handoff_supported", lambda: False)
    assert main(["bridge", "--port", "0"]) != 0
    assert "passes sockets between processes" in capsys.readouterr().err


@needs_handoff
def test_children_stop_when_the_parent_is_killed(
    group: tuple[subprocess.Popen[str], int],
) -> None:
    process, _port = group
    children = psutil.Process(process.pid).children()
    assert len(children) == 2
    process.kill()  # no SIGTERM to pass on: the children see their channel close
    process.wait()
    _, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []
