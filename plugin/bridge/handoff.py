"""Connections handed from ``deskdraft bridge --processes N``'s parent to its children.

The parent listens and accepts. Each new connection goes to the child that holds the
fewest open connections, as a descriptor sent over a Unix ``SOCK_SEQPACKET`` pair
(``SCM_RIGHTS``); the child tells the parent, one message per connection, when one of
them closes.

Why not ``SO_REUSEPORT``, where each child listens on the port itself: the kernel hashes
each new connection to a listener without regard to load. The add-in and the load
generators keep their connections alive, so an unlucky spread (20 / 12 of 32 clients)
lasts as long as the connections do, the busier process's clients wait longer, and the
p99 follows the busier process (docs/deploy.md). Counting open connections spreads them
evenly.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import selectors
import signal
import socket
import threading
import time
from typing import Any

from cheroot.makefile import MakeFile

from plugin.bridge.connection import OneWriteConnection

log = logging.getLogger(__name__)

#: Parent → child: one new connection, its descriptor attached.
HANDED = b"c"
#: Child → parent: one handed connection has closed.
CLOSED = b"x"


def handoff_supported() -> bool:
    """Whether descriptors can be passed between processes here over Unix sequenced-packet
    sockets (Linux, the BSDs; not macOS or Windows)."""
    if not (hasattr(socket, "send_fds") and hasattr(socket, "SOCK_SEQPACKET")):
        return False
    try:
        first, second = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    except OSError:
        return False
    first.close()
    second.close()
    return True


def channel_pair() -> tuple[socket.socket, socket.socket]:
    """(the parent's end, the child's end); the child's end is inherited by the child."""
    parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    child_end.set_inheritable(True)
    return parent_end, child_end


class Dispatcher:
    """The parent's accept loop: each connection to the child with the fewest open ones.

    Child slots are fixed (one per ``--processes``); a slot's channel is swapped when
    its child is replaced. Runs in its own thread, so starting a replacement child (which
    waits for it to be ready) never holds up connections for the others.
    """

    def __init__(self, listener: socket.socket, slots: int) -> None:
        self.listener = listener
        self.listener.setblocking(False)
        self._channels: list[socket.socket | None] = [None] * slots
        self._open = [0] * slots
        self._lock = threading.Lock()
        self._changed = True
        self._next = 0  # where the search for the least-loaded child starts: ties rotate

    def set_channel(self, slot: int, channel: socket.socket | None) -> None:
        """Give ``slot`` a (new) child's channel; its count of open connections restarts."""
        with self._lock:
            old = self._channels[slot]
            self._channels[slot] = channel
            self._open[slot] = 0
            self._changed = True
        if old is not None:
            old.close()

    def open_connections(self) -> list[int]:
        with self._lock:
            return list(self._open)

    def run(self, stop: threading.Event) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, None)
        registered: dict[int, socket.socket] = {}
        try:
            while not stop.is_set():
                if self._changed:
                    self._sync(selector, registered)
                for key, _ in selector.select(timeout=0.2):
                    if key.data is None:
                        self._accept_all()
                    else:
                        self._read_closed(key.data, registered[key.data])
        finally:
            selector.close()
            for slot in range(len(self._channels)):
                self.set_channel(slot, None)

    def _sync(self, selector: selectors.BaseSelector, registered: dict[int, socket.socket]) -> None:
        with self._lock:
            self._changed = False
            wanted = {slot: ch for slot, ch in enumerate(self._channels) if ch is not None}
        for slot, channel in list(registered.items()):
            if wanted.get(slot) is not channel:
                selector.unregister(channel)
                del registered[slot]
        for slot, channel in wanted.items():
            if slot not in registered:
                # The slot number rides along as the key's data: 0 is a slot, None the listener.
                selector.register(channel, selectors.EVENT_READ, slot)
                registered[slot] = channel

    def _accept_all(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of descriptors and the like: the rest wait
                log.warning("bridge: accepting a connection failed: %s", exc.strerror)
                time.sleep(0.05)
                return
            with connection:
                self._hand(connection)

    def _hand(self, connection: socket.socket) -> None:
        while True:
            with self._lock:
                live = [slot for slot, ch in enumerate(self._channels) if ch is not None]
                if not live:
                    return  # no child to serve it: closing it lets the client retry
                count = len(self._open)
                order = [(self._next + step) % count for step in range(count)]
                slot = min((s for s in order if s in live), key=lambda s: self._open[s])
                channel = self._channels[slot]
                self._open[slot] += 1
                self._next = (slot + 1) % count
            assert channel is not None
            try:
                socket.send_fds(channel, [HANDED], [connection.fileno()])
                return
            except OSError:  # that child is gone: its slot waits for a replacement
                with self._lock:
                    if self._channels[slot] is channel:
                        self._channels[slot] = None
                        self._changed = True
                channel.close()

    def _read_closed(self, slot: int, channel: socket.socket) -> None:
        try:
            message = channel.recv(16)
        except OSError:
            message = b""
        if not message:  # the child exited; ``BridgeGroup`` starts another in its place
            with self._lock:
                if self._channels[slot] is channel:
                    self._channels[slot] = None
                    self._changed = True
            channel.close()
            return
        with self._lock:
            if self._channels[slot] is channel:
                self._open[slot] = max(0, self._open[slot] - message.count(CLOSED))


class HandedListener:
    """What a child's cheroot takes for its listening socket: ``accept`` takes the next
    connection the parent handed over, and closed connections are reported back."""

    def __init__(self, channel: socket.socket) -> None:
        self._channel = channel
        self._report_lock = threading.Lock()

    @classmethod
    def from_fd(cls, fd: int) -> HandedListener:
        return cls(socket.socket(fileno=fd))

    def fileno(self) -> int:
        return self._channel.fileno()

    def settimeout(self, timeout: float | None) -> None:
        self._channel.settimeout(timeout)

    def listen(self, backlog: int = 0) -> None:
        """The parent listens; nothing to do here."""

    def getsockname(self) -> Any:
        # cheroot's stop() connects to its own listening address to wake accept(); a child
        # has none (and must not open a connection to the parent's port), so it is told the
        # way it ignores: not a socket.
        raise OSError(errno.ENOTSOCK, "connections are handed over by the parent")

    def accept(self) -> tuple[socket.socket, Any]:
        message, fds, _, _ = socket.recv_fds(self._channel, 16, 4)
        if not message:
            # The parent is gone, and with it every new connection: stop like on SIGTERM.
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the channel stays readable until the server stops
            raise OSError(errno.EBADF, "the parent bridge process exited")
        for extra in fds[1:]:  # never sent, but a descriptor must not leak
            os.close(extra)
        if not fds:
            raise OSError(errno.EAGAIN, "a message without a connection")
        sock = socket.socket(fileno=fds[0])
        try:
            address = sock.getpeername()
        except OSError:
            self.connection_closed()
            sock.close()
            raise
        return sock, address

    def connection_closed(self) -> None:
        """Tell the parent one handed connection is gone (so it counts one fewer here)."""
        # An OSError: the parent is gone, and accept() stops this process.
        with self._report_lock, contextlib.suppress(OSError):
            self._channel.send(CLOSED)

    def close(self) -> None:
        self._channel.close()


class HandedConnection(OneWriteConnection):
    """A connection the parent handed over: its end is reported back to the parent, once."""

    def __init__(self, server: Any, sock: Any, makefile: Any = MakeFile) -> None:
        super().__init__(server, sock, makefile)
        self._end_reported = False

    def close(self) -> None:
        try:
            super().close()
        finally:
            if not self._end_reported:
                self._end_reported = True
                self.server.handed_listener.connection_closed()


def adopt(server: Any, listener: HandedListener) -> None:
    """Make the cheroot ``server`` serve the connections ``listener`` receives instead of
    listening on its address itself."""
    server.handed_listener = listener
    # cheroot's prepare() binds through self.bind(); here the "bound socket" is the channel.
    server.bind = lambda *_args: setattr(server, "socket", listener)
    server.ConnectionClass = HandedConnection
    adapter = server.ssl_adapter
    if adapter is not None:
        # A failed TLS handshake ends the connection before a connection object exists.
        handshake = adapter.wrap

        def wrap(sock: Any) -> Any:
            try:
                return handshake(sock)
            except BaseException:
                listener.connection_closed()
                raise

        adapter.wrap = wrap
