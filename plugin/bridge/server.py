"""Run the bridge on cheroot (pure Python, cross-platform TLS)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from plugin.bridge.handoff import HandedListener

log = logging.getLogger(__name__)


@dataclass
class BridgeServer:
    """A started-or-startable cheroot server around a Flask app."""

    server: Any
    scheme: str
    host: str
    #: Run after the server stopped answering (the app's buffered audit entries).
    on_stop: list[Callable[[], None]] = field(default_factory=list)
    #: The app's open event streams, told to end when the server stops.
    streams: StreamThreads | None = None

    def serve_forever(self) -> None:
        self.server.safe_start()

    def start_in_thread(self) -> threading.Thread:
        self.server.prepare()  # binds now, so the port is known and errors surface here
        thread = threading.Thread(target=self.server.serve, name="deskdraft-bridge", daemon=True)
        thread.start()
        return thread

    @property
    def port(self) -> int:
        return int(self.server.bind_addr[1])

    @property
    def url(self) -> str:
        """The base URL; after ``start_in_thread`` it carries the real port (also for 0)."""
        return f"{self.scheme}://{self.host}:{self.port}"

    def stop(self) -> None:
        if self.streams is not None:
            # An open stream would hold its thread (and the stop) for up to EVENTS_MAX_S:
            # cheroot's forced close after shutdown_timeout only shuts the read side.
            self.streams.stopping.set()
        self.server.stop()
        for callback in self.on_stop:
            callback()


#: ``app.extensions`` key of the callables a server runs once it stopped answering.
ON_STOP = "deskdraft.on_stop"
#: ``app.extensions`` key of the server's ``StreamThreads``.
STREAM_THREADS = "deskdraft.stream_threads"


class StreamThreads:
    """A thread of its own for each open stream, so streams never use up the threads that
    answer ordinary requests.

    A server runs few threads for ordinary requests (``bridge.threads``): under load a
    thread that finishes an answer then finds the next request already queued instead of
    sleeping until one is handed over, which costs measurably less CPU per request than
    many threads taking turns (docs/deploy.md). An event stream holds its thread for
    minutes, so while one is open the pool has one thread more.
    """

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self._lock = threading.Lock()
        #: Set when the server stops: each open stream ends within one poll.
        self.stopping = threading.Event()

    def hold(self, stream: Iterable[Any]) -> Iterator[Any]:
        """``stream``, with one more pool thread from its first item until it ends."""
        self.pool.grow(1)  # waits until the new thread takes requests
        try:
            yield from stream
        finally:
            with self._lock:
                # cheroot's shrink(n) means "n shutdowns pending in all", so one more is
                # pending + 1; the thread that takes it from the queue ends.
                self.pool.shrink(len(self.pool._pending_shutdowns) + 1)


#: Idle keep-alive connections kept open: no cap (idle ones close after ``timeout``).
#: cheroot's default (10) closes the connection of every client beyond the tenth after each
#: answer; each then pays a new TLS handshake, and with cheroot's listen backlog of 5 its
#: SYN can be dropped: a one-second retransmit. No cap also spares every answer a look at
#: the connection count under a lock the selector thread holds often.
KEEP_ALIVE_CONNECTIONS: int | None = None
LISTEN_BACKLOG = 512


def make_server(
    app: Flask,
    host: str,
    port: int,
    *,
    cert: str | None = None,
    key: str | None = None,
    threads: int = 8,
    handed: HandedListener | None = None,
) -> BridgeServer:
    """``handed``: take connections from a ``--processes`` parent instead of listening."""
    from cheroot import wsgi

    from plugin.bridge.connection import OneWriteConnection

    # ``threads`` answer ordinary requests; each open event stream adds one (StreamThreads).
    server = wsgi.Server(
        (host, port),
        app,
        numthreads=threads,
        server_name="deskdraft",
        timeout=30,
        shutdown_timeout=5,
        request_queue_size=LISTEN_BACKLOG,
    )
    server.keep_alive_conn_limit = KEEP_ALIVE_CONNECTIONS
    server.ConnectionClass = OneWriteConnection  # less Python per request, one write per answer
    streams = app.extensions[STREAM_THREADS] = StreamThreads(server.requests)
    scheme = "http"
    if cert and key:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
        scheme = "https"
    if handed is not None:
        from plugin.bridge.handoff import adopt

        adopt(server, handed)
    shown = "localhost" if host in {"127.0.0.1", "::1", "localhost"} else host
    return BridgeServer(server, scheme, shown, list(app.extensions.get(ON_STOP, [])), streams)
