"""The bridge: a Flask app serving ``/api/v1`` (jobs, events, files, feedback) and ``/addin/``.

It knows only the queue's interface. Every answer is JSON; every error is an RFC 9457
problem document without stack traces or secrets. Requests are validated against
``openapi.json``, the same document the API serves (``plugin.bridge.validation``).
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, redirect, request, send_file, send_from_directory
from werkzeug.exceptions import HTTPException

from connectors.errors import ConfigError, DeskdraftError, TransientError, UsageError
from connectors.secrets import redact
from plugin import __version__
from plugin.bridge.auth import Caller, install_token
from plugin.bridge.gate import Gate, note_job
from plugin.bridge.hardening import SecurityHeaders
from plugin.bridge.problems import Problem, problem_response
from plugin.bridge.server import ON_STOP, STREAM_THREADS
from plugin.bridge.validation import body_validators, json_body, served_spec
from plugin.config import Settings, settings
from plugin.jobs.memo import Lru
from plugin.jobs.ownership import check_job_access
from plugin.jobs.queue import JobQueue, open_queue
from plugin.jobs.runner import available_job_kinds
from plugin.jobs.store import TERMINAL, Job

log = logging.getLogger(__name__)

API = "/api/v1"
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
JOB_ID = re.compile(r"^[0-9a-f]{32}$")
FILE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
#: How long one event stream stays open; clients (EventSource) reconnect by themselves.
EVENTS_MAX_S = 300.0
EVENTS_POLL_S = 0.25
EVENTS_KEEPALIVE_S = 15.0
#: Digests of request bodies that passed schema validation (the same bytes always pass).
VALID_BODY_MEMO = 4096
#: Serialized GET /jobs/{id} answers of finished jobs kept per bridge process.
FINISHED_ANSWERS = 4096
FINISHED_ANSWERS_BYTES = 32 * 1024 * 1024


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else None


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "cached": job.cached,
        "attempts": job.attempts,
        "created_at": _iso(job.created_at),
        "updated_at": _iso(job.updated_at),
        "finished_at": _iso(job.finished_at),
        "links": _links(job.id),
    }


def _links(job_id: str) -> dict[str, str]:
    return {"self": f"{API}/jobs/{job_id}", "events": f"{API}/jobs/{job_id}/events"}


def _job_or_404(queue: JobQueue, job_id: str) -> Job:
    """The caller's job. Someone else's is answered exactly like one that does not exist,
    so job ids cannot be confirmed by guessing; admins see every job."""
    job = queue.job(job_id) if JOB_ID.match(job_id) else None
    if job is None or not _caller().may_see(job.owner):
        raise _no_such_job(job_id)
    note_job(job)
    return job


def _no_such_job(job_id: str) -> Problem:
    return Problem(404, "not-found", "No such job", f"there is no job {job_id!r}")


def _caller() -> Caller:
    return g.caller  # type: ignore[no-any-return]


def _error_problem(exc: DeskdraftError) -> Problem:
    if isinstance(exc, TransientError):
        return Problem(503, "unavailable", "Service unavailable", str(exc), {"Retry-After": "5"})
    if isinstance(exc, UsageError | ConfigError):
        return Problem(422, "unprocessable", "Cannot run this request", str(exc))
    return Problem(400, "bad-request", "Bad request", str(exc))


def create_app(queue: JobQueue | None = None, s: Settings | None = None) -> Flask:
    s = s or settings()
    app = Flask("deskdraft.bridge", static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = int(s.bridge.max_body_mb * 1024 * 1024)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    origins = set(s.bridge.cors_origins)
    get_queue: Callable[[], JobQueue] = (lambda: queue) if queue else (lambda: open_queue(s))
    store = get_queue().store
    # The install token keeps working after an upgrade: it is the first admin user.
    store.ensure_install_admin(install_token(s.data_dir))
    gate = Gate(store, s)
    app.extensions["deskdraft.gate"] = gate  # tests set the anomaly clock through it
    app.extensions[ON_STOP] = [gate.close]  # buffered audit entries are written at shutdown
    spec = served_spec(available_job_kinds())
    validators = body_validators(spec)
    valid_job_requests: Lru[bytes, bool] = Lru(VALID_BODY_MEMO)
    #: job id → (job, answer); the job's owner is checked on every read.
    finished_answers: Lru[str, tuple[Job, bytes]] = Lru(FINISHED_ANSWERS, FINISHED_ANSWERS_BYTES)

    def same_origin(origin: str) -> bool:
        return origin.rstrip("/") == request.host_url.rstrip("/")

    @app.before_request
    def guard() -> Response | None:
        origin = request.headers.get("Origin")
        if origin and origin not in origins and not same_origin(origin):
            raise Problem(
                403,
                "origin-not-allowed",
                "Origin not allowed",
                f"{origin} is not in bridge.cors_origins",
            )
        if request.method == "OPTIONS" and origin:
            return Response(status=204)
        api_call = request.path.startswith(API + "/") or request.path == API
        needs_auth = api_call and request.path != f"{API}/health"
        if needs_auth:
            g.audited = True
            gate.admit()
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
            response.headers["Access-Control-Max-Age"] = "600"
            response.vary.add("Origin")
        if g.get("audited"):
            gate.record(response)
        return response  # the security headers: SecurityHeaders, below

    @app.errorhandler(Problem)
    def on_problem(exc: Problem) -> Response:
        return exc.response(request.path)

    @app.errorhandler(DeskdraftError)
    def on_deskdraft_error(exc: DeskdraftError) -> Response:
        return _error_problem(exc).response(request.path)

    @app.errorhandler(HTTPException)
    def on_http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        detail = {
            413: f"the body is larger than {s.bridge.max_body_mb:g} MB (bridge.max_body_mb)"
        }.get(code, exc.description)
        slug = (exc.name or "error").lower().replace(" ", "-")
        response = problem_response(code, slug, exc.name or "Error", detail, request.path)
        if code == 405 and exc.response is None:
            response.headers["Allow"] = ", ".join(exc.valid_methods or [])  # type: ignore[attr-defined]
        return response

    @app.errorhandler(Exception)
    def on_unexpected(exc: Exception) -> Response:
        log.error(
            "bridge: unexpected %s on %s %s: %s",
            type(exc).__name__,
            request.method,
            request.path,
            redact(str(exc)),
            exc_info=exc,
        )
        return problem_response(
            500,
            "internal",
            "Internal error",
            "the bridge hit an unexpected error; see its log",
            request.path,
        )

    @app.post(f"{API}/jobs")
    def submit() -> tuple[Response, int, dict[str, str]]:
        body = json_body(validators["JobRequest"], valid_job_requests, s.bridge.max_json_depth)
        caller = _caller()
        check_job_access(s, body["input"], body.get("options") or {}, caller)
        job = get_queue().submit_job(
            body["kind"],
            body["input"],
            body.get("options") or {},
            body.get("priority", "interactive"),
            owner=caller.user_id,
        )
        note_job(job)
        payload = {"id": job.id, "status": job.status, "links": _links(job.id)}
        return jsonify(payload), 202, {"Location": f"{API}/jobs/{job.id}"}

    @app.get(f"{API}/jobs/<job_id>")
    def job_status(job_id: str) -> Response:
        known = finished_answers.get(job_id)
        if known is not None:
            known_job, body = known
            if not _caller().may_see(known_job.owner):
                raise _no_such_job(job_id)
            note_job(known_job)
        else:
            job = _job_or_404(get_queue(), job_id)
            body = f"{app.json.dumps(job_json(job))}\n".encode()  # as jsonify writes it
            if job.status in TERMINAL:  # a finished job's answer never changes
                finished_answers.put(job_id, (job, body), len(body))
        return Response(body, mimetype="application/json")

    @app.delete(f"{API}/jobs/<job_id>")
    def job_cancel(job_id: str) -> Response:
        _job_or_404(get_queue(), job_id)
        return jsonify(job_json(get_queue().cancel(job_id)))

    @app.get(f"{API}/jobs/<job_id>/events")
    def job_events(job_id: str) -> Response:
        queue = get_queue()
        _job_or_404(queue, job_id)
        threads = app.extensions.get(STREAM_THREADS)
        stream: Iterable[str] = _event_stream(queue, job_id, threads and threads.stopping)
        if threads is not None:
            stream = threads.hold(stream)  # a thread of its own, not one of the pool's
        return Response(stream, mimetype="text/event-stream", headers={"X-Accel-Buffering": "no"})

    @app.get(f"{API}/jobs/<job_id>/files/<name>")
    def job_file(job_id: str, name: str) -> Response:
        job = _job_or_404(get_queue(), job_id)
        if not FILE_NAME.match(name):  # a key of the result's files, never a path
            raise Problem(404, "not-found", "No such file", f"job {job_id} has no such file")
        path = _job_file(job, name, s.data_dir)
        sealer = get_queue().store.sealer
        raw = path.read_bytes()
        data = sealer.unseal_bytes(raw, f"file {name!r} of job {job_id}") if sealer else raw
        return send_file(
            io.BytesIO(data),
            as_attachment=True,
            download_name=path.name,
            mimetype="application/octet-stream",
        )

    @app.post(f"{API}/feedback")
    def feedback() -> tuple[Response, int]:
        body = json_body(validators["Feedback"], max_depth=s.bridge.max_json_depth)
        queue = get_queue()
        _job_or_404(queue, body["job_id"])
        feedback_id = queue.store.add_feedback(
            body["job_id"],
            int(body["rating"]),
            body.get("edited_text"),
            body.get("comment"),
            int(body.get("draft_index", 0)),
            owner=_caller().user_id,
        )
        return jsonify({"id": feedback_id}), 201

    @app.get(f"{API}/health")
    def health() -> Response:
        return jsonify({"status": "ok", "version": __version__})

    @app.get(f"{API}/openapi.json")
    def openapi() -> Response:
        return jsonify(spec)

    @app.get("/")
    def root() -> Response:
        return redirect("/addin/", code=302)  # type: ignore[return-value]

    @app.get("/addin/")
    @app.get("/addin/<path:name>")
    def addin(name: str = "index.html") -> Response:
        # Only the pane's static files: the package's Python modules stay private.
        if Path(name).suffix.lower() not in WEB_SUFFIXES:
            raise Problem(404, "not-found", "No such file", f"/addin/{name} does not exist")
        return send_from_directory(WEB_DIR, name)

    app.wsgi_app = SecurityHeaders(app.wsgi_app, API)  # type: ignore[method-assign]
    return app


WEB_SUFFIXES = frozenset({".html", ".js", ".css", ".png", ".svg", ".ico", ".json"})


def _job_file(job: Job, name: str, data_dir: Path) -> Path:
    results = job.result if isinstance(job.result, list) else [job.result]
    outputs = (data_dir / "outputs").resolve()
    for result in results:
        files = result.get("files") if isinstance(result, dict) else None
        if isinstance(files, dict) and isinstance(files.get(name), str):
            path = Path(files[name]).resolve()
            # Only files the drafts wrote under outputs/ leave the machine this way.
            if path.is_relative_to(outputs) and path.is_file():
                return path
    raise Problem(404, "not-found", "No such file", f"job {job.id} has no file {name!r}")


def _event_stream(
    queue: JobQueue, job_id: str, stopping: threading.Event | None = None
) -> Iterator[str]:
    """One ``status`` event per change of status/progress; ends at the final state, or
    when ``stopping`` is set (the server stops; EventSource clients reconnect)."""
    stopping = stopping or threading.Event()
    yield "retry: 2000\n\n"
    last: tuple[str, float, str | None] | None = None
    started = last_sent = time.monotonic()
    while time.monotonic() - started < EVENTS_MAX_S and not stopping.is_set():
        job = queue.store.get(job_id)
        if job is None:
            return
        state = (job.status, job.progress, job.message)
        if state != last:
            last, last_sent = state, time.monotonic()
            yield f"event: status\ndata: {json.dumps(job_json(job))}\n\n"
            if job.status in TERMINAL:
                return
        elif time.monotonic() - last_sent > EVENTS_KEEPALIVE_S:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        stopping.wait(EVENTS_POLL_S)
