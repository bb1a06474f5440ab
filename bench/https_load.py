"""A closed-loop HTTPS load generator for ``bench/service.py``.

``clients`` keep-alive connections, spread over several processes so that the client's own
GIL is not what is measured. Each client loops without pause: ``POST /api/v1/jobs`` with
one of a few requests whose result is cached, then ``GET /api/v1/jobs/{id}``; a round trip
counts only when the POST answered 202 with a job id, the GET answered 200 with that id,
status ``done`` and exactly the result the warm-up produced for that request. TLS is
verified against the bench CA (hostname included). Every connection is opened before the
measured window starts, as a running add-in has its connection open already; a connection
the server closes is reopened inside the window and that time counts.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import random
import resource
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LoadPlan:
    url: str
    token: str
    ca_file: str
    bodies: list[dict[str, Any]]
    #: The result each body must come back with, in the same order.
    expected: list[Any]
    seconds: float


@dataclass
class ClientTally:
    samples: list[float]
    errors: Counter[str]
    reconnects: int = 0


class Connection:
    """A minimal HTTP/1.1 keep-alive client over verified TLS.

    ``http.client`` parses every response head with the ``email`` package, which costs
    the load generator about as much CPU as the bridge spends answering; on a machine
    that the client shares with the server that would be measured as server latency.
    This speaks just what the bench needs: requests with a body and Content-Length
    responses (anything else counts as an error).
    """

    def __init__(self, host: str, port: int, context: ssl.SSLContext) -> None:
        self.host, self.port, self.context = host, port, context
        self.sock: ssl.SSLSocket | None = None
        self.buffer = b""
        self.opens = 0

    def open(self) -> None:
        self.opens += 1
        raw = socket.create_connection((self.host, self.port), timeout=30)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.context.wrap_socket(raw, server_hostname=self.host)
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(
        self, method: str, path: str, headers: bytes, body: bytes = b""
    ) -> tuple[int, bool, bytes]:
        """Send one request; (status, whether the server closes, body)."""
        if self.sock is None:
            self.open()
        assert self.sock is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n".encode()
        length = f"Content-Length: {len(body)}\r\n\r\n".encode() if body else b"\r\n"
        self.sock.sendall(head + headers + length + body)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._receive()
        lines = self.buffer[:end].split(b"\r\n")
        self.buffer = self.buffer[end + 4 :]
        status = int(lines[0].split(b" ", 2)[1])
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip()
        if b"content-length" not in fields:
            raise http.client.HTTPException("response without Content-Length")
        size = int(fields[b"content-length"])
        while len(self.buffer) < size:
            self._receive()
        payload, self.buffer = self.buffer[:size], self.buffer[size:]
        return status, fields.get(b"connection", b"").lower() == b"close", payload

    def _receive(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk


def _round_trip(
    conn: Connection, headers: bytes, body: bytes, expected: Any
) -> tuple[str | None, bool]:
    """One submit + poll. Returns (error kind or None, whether the server closed)."""
    status, closed, created = conn.request("POST", "/api/v1/jobs", headers, body)
    if status != 202:
        return f"submit {status}", closed
    if closed:
        conn.close()  # the GET opens (and verifies) a new connection
    job_id = json.loads(created)["id"]
    status, closed, polled = conn.request("GET", f"/api/v1/jobs/{job_id}", headers)
    job = json.loads(polled)
    if status != 200 or job.get("id") != job_id:
        return f"poll {status}", closed
    if job.get("status") != "done":
        return f"status {job.get('status')}", closed
    if job.get("result") != expected:
        return "wrong result", closed
    return None, closed


def _client(
    plan: LoadPlan, seed: int, conn: Connection, go: Any, stop_at: Any, tally: ClientTally
) -> None:
    rng = random.Random(seed)
    headers = (f"Authorization: Bearer {plan.token}\r\nContent-Type: application/json\r\n").encode()
    bodies = [json.dumps(body).encode() for body in plan.bodies]
    go.wait()
    deadline = stop_at.value
    while time.monotonic() < deadline:
        pick = rng.randrange(len(bodies))
        started = time.perf_counter()
        try:
            error, closed = _round_trip(conn, headers, bodies[pick], plan.expected[pick])
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            error, closed = type(exc).__name__, True
        elapsed = (time.perf_counter() - started) * 1000
        if error is None:
            tally.samples.append(elapsed)
        else:
            tally.errors[error] += 1
        if closed:
            conn.close()  # the next request opens (and verifies) a new connection


def _process(
    plan: LoadPlan, seeds: list[int], ready: Any, go: Any, stop_at: Any, results: Any
) -> None:
    parts = urlsplit(plan.url)
    context = ssl.create_default_context(cafile=plan.ca_file)
    tallies = [ClientTally([], Counter()) for _ in seeds]
    conns = []
    try:
        for _ in seeds:
            conn = Connection(parts.hostname or "localhost", parts.port or 443, context)
            conn.open()
            conns.append(conn)
    except OSError as exc:  # refused, or a certificate that does not verify
        results.put(f"a client could not connect: {exc}")
        ready.release()
        return
    threads = [
        threading.Thread(target=_client, args=(plan, seed, conn, go, stop_at, tally))
        for seed, conn, tally in zip(seeds, conns, tallies, strict=True)
    ]
    for thread in threads:
        thread.start()
    ready.release()
    for thread in threads:
        thread.join()
    for conn, tally in zip(conns, tallies, strict=True):
        tally.reconnects = conn.opens - 1
        conn.close()
    errors: Counter[str] = Counter()
    for tally in tallies:
        errors.update(tally.errors)
    results.put(
        ([s for t in tallies for s in t.samples], dict(errors), sum(t.reconnects for t in tallies))
    )


def run_load(plan: LoadPlan, clients: int, processes: int) -> dict[str, Any]:
    """Run the closed loop; p50/p99 of the round trips, errors, reconnects and the
    load generator's own CPU time."""
    cpu_before = _children_cpu_s()
    processes = max(1, min(processes, clients))
    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Semaphore(0), ctx.Event()
    stop_at = ctx.Value("d", 0.0)
    results = ctx.Queue()
    seeds = list(range(clients))
    workers = [
        ctx.Process(
            target=_process,
            args=(plan, seeds[n::processes], ready, go, stop_at, results),
            daemon=True,
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        if not ready.acquire(timeout=120):
            raise RuntimeError("load-generator processes did not connect")
    stop_at.value = time.monotonic() + plan.seconds  # CLOCK_MONOTONIC is system-wide
    go.set()
    samples: list[float] = []
    errors: Counter[str] = Counter()
    reconnects = 0
    for _ in workers:
        answer = results.get(timeout=plan.seconds + 120)
        if isinstance(answer, str):
            go.set()  # let the others finish; their results are not used
            raise RuntimeError(answer)
        got, errs, again = answer
        samples.extend(got)
        errors.update(errs)
        reconnects += again
    for worker in workers:
        worker.join(30)
    client_cpu = _children_cpu_s() - cpu_before  # the joined load-generator processes
    samples.sort()

    def pct(p: float) -> float:
        return round(samples[min(len(samples) - 1, int(p * len(samples)))], 1) if samples else 0

    return {
        "requests": len(samples),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(samples[-1], 1) if samples else 0,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "reconnects": reconnects,
        "per_s": round(len(samples) / plan.seconds, 1),
        "clients": clients,
        "client_processes": processes,
        "client_cpu_s": round(client_cpu, 1),
    }


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
