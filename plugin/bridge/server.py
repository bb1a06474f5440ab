"""Run the bridge on cheroot (pure Python, cross-platform TLS)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)


@dataclass
class BridgeServer:
    """A started-or-startable cheroot server around a Flask app."""

    server: Any
    scheme: str
    host: str

    def serve_forever(self) -> None:
        self.server.safe_start()

    def start_in_thread(self) -> threading.Thread:
        self.server.prepare()  # binds now, so the port is known and errors surface here
        thread = threading.Thread(target=self.server.serve, name="deskdraft-bridge",
                                  daemon=True)
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
        self.server.stop()


def make_server(app: Flask, host: str, port: int, *, cert: str | None = None,
                key: str | None = None, threads: int = 48) -> BridgeServer:
    from cheroot import wsgi

    # Enough threads for event streams (each holds one) next to ordinary requests.
    server = wsgi.Server((host, port), app, numthreads=threads, server_name="deskdraft",
                         timeout=30, shutdown_timeout=5)
    scheme = "http"
    if cert and key:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
        scheme = "https"
    shown = "localhost" if host in {"127.0.0.1", "::1", "localhost"} else host
    return BridgeServer(server, scheme, shown)
