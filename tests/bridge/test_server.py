"""The cheroot server settings: many keep-alive TLS clients at once."""

from __future__ import annotations

import argparse
import http.client
import json
import ssl
import threading
import time
from pathlib import Path

import pytest
from flask import Flask

from connectors.errors import UsageError
from plugin.bridge.server import make_server
from plugin.bridge.tls import create_certs
from plugin.commands.bridge import build_server
from plugin.config import settings
from plugin.jobs.audit import AuditEntry
from plugin.jobs.queue import JobQueue


def test_forty_keep_alive_clients_keep_their_connections(deskdraft_home: Path) -> None:
    """cheroot's default closes all but 10 idle keep-alive connections after each answer;
    every other client then pays a new TLS handshake (and risks a dropped SYN)."""
    app = Flask("keep-alive")

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    paths = create_certs(deskdraft_home)
    server = make_server(app, "127.0.0.1", 0, cert=str(paths.cert), key=str(paths.key), threads=8)
    server.start_in_thread()
    context = ssl.create_default_context(cafile=str(paths.ca_cert))
    clients = [
        http.client.HTTPSConnection("localhost", server.port, context=context, timeout=10)
        for _ in range(40)
    ]
    try:
        for client in clients:
            client.connect()
        sockets = [client.sock for client in clients]
        failures: list[str] = []

        def use(client: http.client.HTTPSConnection) -> None:
            for _ in range(3):
                client.request("GET", "/ping")
                response = client.getresponse()
                body = json.loads(response.read())
                if response.status != 200 or body != {"pong": "yes"} or response.will_close:
                    failures.append(f"{response.status} {response.getheader('Connection')}")

        threads = [threading.Thread(target=use, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        # Nobody had to reconnect: each client still holds the socket it opened.
        assert [client.sock for client in clients] == sockets
        assert all(sock is not None for sock in sockets)
    finally:
        for client in clients:
            client.close()
        server.stop()


def test_stopping_the_server_writes_the_buffered_audit_entries(queue: JobQueue, token: str) -> None:
    """Audit entries are written in batches off the request path; a clean shutdown must
    not lose the last batch (the chain then still verifies)."""
    from plugin.bridge.app import create_app

    app = create_app(queue=queue, s=settings())
    app.extensions["deskdraft.gate"].audit_log.interval_s = 3600.0  # no background flush
    server = make_server(app, "127.0.0.1", 0, threads=4)
    server.start_in_thread()
    missing = "0" * 32
    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        client.request(
            "GET", f"/api/v1/jobs/{missing}", headers={"Authorization": f"Bearer {token}"}
        )
        response = client.getresponse()
        response.read()
        assert response.status == 404
        assert polls(queue) == []  # still in the buffer
    finally:
        client.close()
        server.stop()
    assert [(e.user, e.action, e.outcome) for e in polls(queue)] == [
        ("admin", "GET /api/v1/jobs/<job_id>", "404")
    ]
    assert queue.store.verify_audit().ok


def polls(queue: JobQueue) -> list[AuditEntry]:
    return [e for e in queue.store.audit_entries() if e.action.startswith("GET /api/v1/jobs")]


def test_the_bridge_runs_the_configured_number_of_threads(
    deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = argparse.Namespace(host=None, port=0, no_tls=True, handoff_fd=None)
    monkeypatch.setenv("DESKDRAFT_BRIDGE_THREADS", "6")
    settings.cache_clear()
    assert build_server(args).server.numthreads == 6
    monkeypatch.setenv("DESKDRAFT_BRIDGE_THREADS", "0")
    settings.cache_clear()
    with pytest.raises(UsageError, match=r"bridge\.threads"):
        build_server(args)


def test_event_streams_get_threads_of_their_own(queue: JobQueue, token: str) -> None:
    """A stream holds its thread for minutes: three of them on a pool of two threads must
    neither wait for each other nor keep ordinary requests waiting."""
    from plugin.bridge.app import create_app

    server = make_server(create_app(queue=queue, s=settings()), "127.0.0.1", 0, threads=2)
    server.start_in_thread()
    auth = {"Authorization": f"Bearer {token}"}
    job_id = queue.submit("probe", {"text": "no worker runs this"})
    streams: list[tuple[http.client.HTTPConnection, http.client.HTTPResponse]] = []
    try:
        first = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        first.request("GET", f"/api/v1/jobs/{job_id}", headers=auth)  # starts the audit thread
        assert first.getresponse().status == 200
        first.close()
        before = threading.active_count()
        for _ in range(3):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("GET", f"/api/v1/jobs/{job_id}/events", headers=auth)
            response = conn.getresponse()
            assert response.status == 200 and response.fp is not None
            size = int(response.fp.readline(), 16)  # the first chunk arrived: it is open
            assert response.fp.read(size + 2) == b"retry: 2000\n\n\r\n"
            streams.append((conn, response))
        health = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        health.request("GET", "/api/v1/health")
        assert health.getresponse().status == 200
        health.close()
        assert threading.active_count() == before + 3
        queue.cancel(job_id)  # each stream sends the final state and ends
        for conn, response in streams:
            assert b'"status": "cancelled"' in response.read()
            conn.close()
        deadline = time.monotonic() + 10
        while threading.active_count() > before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert threading.active_count() == before  # the pool is back to its two threads
    finally:
        queue.cancel(job_id)  # ends the streams (they would run for minutes)
        for conn, _ in streams:
            conn.close()
        server.stop()


def test_an_open_event_stream_does_not_keep_a_stopping_bridge_waiting(
    deskdraft_home: Path,
) -> None:
    """`deskdraft bridge` with a client's event stream open on a job no worker runs: SIGTERM
    ends the stream and the process within seconds (it waited for the stream's 5-minute
    limit: cheroot's forced close after its shutdown timeout only shuts the read side)."""
    import os
    import re
    import signal
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update({"DESKDRAFT_HOME": str(deskdraft_home), "PYTHONPATH": str(repo)})
    process = subprocess.Popen(
        [sys.executable, "-m", "plugin", "bridge", "--port", "0"],
        env=env,
        cwd=repo,
        stdout=subprocess.PIPE,
        text=True,
    )
    conn: http.client.HTTPSConnection | None = None
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.match(r"deskdraft bridge: https://localhost:(\d+)/api/v1", line)
        assert match, line
        context = ssl.create_default_context(cafile=str(deskdraft_home / "certs" / "ca.pem"))
        conn = http.client.HTTPSConnection("localhost", int(match.group(1)), context=context)
        token = (deskdraft_home / "bridge-token").read_text().strip()
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        job = json.dumps({"kind": "ingest", "input": {"text": "no worker runs this"}})
        conn.request("POST", "/api/v1/jobs", job, auth)
        created = conn.getresponse()
        assert created.status == 202
        job_id = json.loads(created.read())["id"]
        conn.request("GET", f"/api/v1/jobs/{job_id}/events", headers=auth)
        stream = conn.getresponse()
        assert stream.status == 200 and stream.fp is not None
        for expected in (b"retry: 2000", b'"status": "queued"'):  # open, and streaming
            size = int(stream.fp.readline(), 16)
            assert expected in stream.fp.read(size + 2)

        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        took = time.monotonic() - stopped_at
        assert took < 5, f"the bridge took {took:.1f} s to stop"
        assert "stopped" in process.stdout.read()
        assert stream.fp.readline().strip() == b"0"  # the stream's last chunk: it ended
    finally:
        if conn is not None:
            conn.close()
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
