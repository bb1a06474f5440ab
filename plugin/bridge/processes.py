"""``deskdraft bridge --processes N``: N bridge processes sharing one port.

A bridge process answers from one core at a time (Python's GIL), so a busy bridge with
cores to spare runs several. Bridges keep no state of their own (jobs live in the queue's
store), so any of them can answer any request. Each child binds the port with
SO_REUSEPORT and the kernel spreads new connections over them; that balancing exists on
Linux (and FreeBSD's SO_REUSEPORT_LB). Elsewhere SO_REUSEPORT hands every connection to
one listener, so there the answer is several bridges behind a proxy.

The parent starts the children, replaces one that dies, and stops all of them on SIGTERM
or SIGINT. It holds a bound, never-listening socket on the port so that ``--port 0`` picks
one port for all children and nothing else takes it between restarts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO

from connectors.errors import ConfigError, UsageError

READY_MARK = "deskdraft bridge:"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def reuse_port_balances() -> bool:
    """Whether the kernel load-balances connections over SO_REUSEPORT listeners."""
    return sys.platform.startswith("linux") or hasattr(socket, "SO_REUSEPORT_LB")


def reserve_port(host: str, port: int) -> socket.socket:
    """Bind (without listening) so the port is ours; children join it with SO_REUSEPORT."""
    try:  # the address cheroot will bind too: the first getaddrinfo answer
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from None
    option = getattr(socket, "SO_REUSEPORT_LB", None) or socket.SO_REUSEPORT
    sock.setsockopt(socket.SOL_SOCKET, option, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="pick another --port or stop what uses it",
        ) from None
    return sock


class BridgeGroup:
    """The child bridge processes of one ``deskdraft bridge --processes N``."""

    def __init__(self, count: int, child_args: Callable[[], list[str]]) -> None:
        self.count = count
        self.child_args = child_args
        self.children: list[subprocess.Popen[str]] = []

    def start(self) -> None:
        for _ in range(self.count):
            self.children.append(self._spawn())

    def _spawn(self) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            self.child_args(), stdout=subprocess.PIPE, text=True, env=os.environ.copy()
        )
        assert child.stdout is not None
        line = _first_line(child.stdout, START_TIMEOUT_S)
        if READY_MARK not in line:
            _stop([child])
            child.stdout.close()
            raise ConfigError(
                f"a bridge process did not start: {line.strip() or 'no output'}",
                hint="run `deskdraft bridge` without --processes to see why",
            )
        # Keep reading so the child never blocks on a full pipe (it prints when it stops).
        threading.Thread(target=_drain, args=(child.stdout,), daemon=True).start()
        return child

    def replace_dead(self) -> list[int]:
        """Start a new child for each one that exited; the exit codes of those."""
        codes = []
        for index, child in enumerate(self.children):
            code = child.poll()
            if code is not None:
                codes.append(code)
                print(
                    f"deskdraft bridge: process {child.pid} exited ({code}); restarting",
                    file=sys.stderr,
                    flush=True,
                )
                self.children[index] = self._spawn()
        return codes

    def stop(self) -> None:
        _stop(self.children)
        self.children = []


def _drain(stream: IO[str]) -> None:
    try:
        stream.read()
    finally:
        stream.close()


def _first_line(stream: IO[str], timeout_s: float) -> str:
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    return found[0] if found else ""


def _stop(children: list[subprocess.Popen[str]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run_group(
    count: int,
    host: str,
    port: int,
    child_args: Callable[[int], list[str]],
    url: Callable[[int], str],
) -> int:
    """Run ``count`` bridges on one port until SIGTERM/SIGINT. ``child_args(port)`` is the
    command line of one child; ``url(port)`` is what to print once all of them listen."""
    if not reuse_port_balances():
        raise UsageError(
            "--processes needs a kernel that balances SO_REUSEPORT (Linux)",
            hint="run one bridge per port behind a proxy (see docs/deploy.md)",
        )
    reservation = reserve_port(host, port)
    port = int(reservation.getsockname()[1])
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    group = BridgeGroup(count, lambda: child_args(port))
    try:
        group.start()
        print(f"{READY_MARK} {url(port)} ({count} processes; token: `deskdraft token`)", flush=True)
        while not stop.wait(0.5):
            group.replace_dead()
    finally:
        group.stop()
        reservation.close()
    print(f"{READY_MARK} stopped", flush=True)
    return 0
