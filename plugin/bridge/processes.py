"""``deskdraft bridge --processes N``: N bridge processes behind one port.

A bridge process answers from one core at a time (Python's GIL), so a busy bridge with
cores to spare runs several. Bridges keep no state of their own (jobs live in the queue's
store), so any of them can answer any request.

The parent listens on the port and hands each new connection to the child holding the
fewest open connections (``handoff.py`` says how and why). It starts the children,
replaces one that dies, and stops all of them on SIGTERM or SIGINT.
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
from plugin.bridge.handoff import Dispatcher, channel_pair, handoff_supported
from plugin.bridge.server import LISTEN_BACKLOG

READY_MARK = "deskdraft bridge:"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def listen_on(host: str, port: int, backlog: int) -> socket.socket:
    """The port every child's connections arrive on; ``port`` 0 picks a free one."""
    try:  # the address cheroot would bind too: the first getaddrinfo answer
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from None
    # Accepted connections inherit it, so their TIME_WAIT never keeps a restart off the port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Inherited too: answers leave at once, as with one process.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(address)
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="pick another --port or stop what uses it",
        ) from None
    return sock


class BridgeGroup:
    """The child bridge processes of one ``deskdraft bridge --processes N``.

    ``child_args(fd)`` is a child's command line, given the descriptor number of its end
    of the channel its connections arrive on. With a ``dispatcher``, each child's channel
    is registered in its slot; without one (tests of starting alone), none is made.
    """

    def __init__(
        self,
        count: int,
        child_args: Callable[[int | None], list[str]],
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.count = count
        self.child_args = child_args
        self.dispatcher = dispatcher
        self.children: list[subprocess.Popen[str]] = []

    def start(self) -> None:
        for slot in range(self.count):
            self.children.append(self._spawn(slot))

    def _spawn(self, slot: int) -> subprocess.Popen[str]:
        parent_end = child_end = None
        if self.dispatcher is not None:
            parent_end, child_end = channel_pair()
        try:
            child = subprocess.Popen(
                self.child_args(None if child_end is None else child_end.fileno()),
                stdout=subprocess.PIPE,
                text=True,
                env=os.environ.copy(),
                pass_fds=() if child_end is None else (child_end.fileno(),),
            )
        finally:
            if child_end is not None:
                child_end.close()
        assert child.stdout is not None
        line = _first_line(child.stdout, START_TIMEOUT_S)
        if READY_MARK not in line:
            _stop([child])
            child.stdout.close()
            if parent_end is not None:
                parent_end.close()
            raise ConfigError(
                f"a bridge process did not start: {line.strip() or 'no output'}",
                hint="run `deskdraft bridge` without --processes to see why",
            )
        # Keep reading so the child never blocks on a full pipe (it prints when it stops).
        threading.Thread(target=_drain, args=(child.stdout,), daemon=True).start()
        if self.dispatcher is not None:
            self.dispatcher.set_channel(slot, parent_end)
        return child

    def replace_dead(self) -> list[int]:
        """Start a new child for each one that exited; the exit codes of those."""
        codes = []
        for slot, child in enumerate(self.children):
            code = child.poll()
            if code is not None:
                codes.append(code)
                print(
                    f"deskdraft bridge: process {child.pid} exited ({code}); restarting",
                    file=sys.stderr,
                    flush=True,
                )
                if self.dispatcher is not None:
                    self.dispatcher.set_channel(slot, None)
                self.children[slot] = self._spawn(slot)
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
    child_args: Callable[[int, int | None], list[str]],
    url: Callable[[int], str],
) -> int:
    """Run ``count`` bridges behind one port until SIGTERM/SIGINT. ``child_args(port, fd)``
    is the command line of one child, ``fd`` its end of the channel its connections arrive
    on; ``url(port)`` is what to print once all of them are ready."""
    if not handoff_supported():
        raise UsageError(
            "--processes needs a system that passes sockets between processes (Linux, the BSDs)",
            hint="run one bridge per port behind a proxy (see docs/deploy.md)",
        )
    listener = listen_on(host, port, LISTEN_BACKLOG)
    port = int(listener.getsockname()[1])
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    dispatcher = Dispatcher(listener, count)
    group = BridgeGroup(count, lambda fd: child_args(port, fd), dispatcher)
    dispatching = threading.Thread(
        target=dispatcher.run, args=(stop,), name="deskdraft-bridge-dispatch", daemon=True
    )
    try:
        group.start()
        dispatching.start()
        print(f"{READY_MARK} {url(port)} ({count} processes; token: `deskdraft token`)", flush=True)
        while not stop.wait(0.5):
            group.replace_dead()
    finally:
        stop.set()
        if dispatching.is_alive():
            dispatching.join(5)
        listener.close()  # new connections are refused from here on
        group.stop()
    print(f"{READY_MARK} stopped", flush=True)
    return 0
