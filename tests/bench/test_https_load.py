"""The bench's HTTPS load generator: it verifies TLS and every answer, and counts
reconnects, so a fast number cannot come from skipped checks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify, request

from plugin.bridge.server import make_server
from plugin.bridge.tls import create_certs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from https_load import LoadPlan, run_load

RESULT = {"text": "the summary", "verified": True}


def fake_bridge(mode: dict[str, Any]) -> Flask:
    """Just the two endpoints the bench uses, with switchable misbehaviour."""
    app = Flask("fake-bridge")

    @app.post("/api/v1/jobs")
    def submit() -> Any:
        if request.headers.get("Authorization") != "Bearer secret":
            return jsonify({"title": "Unauthorized"}), 401
        return jsonify({"id": "a" * 32, "status": "done"}), 202

    @app.get("/api/v1/jobs/<job_id>")
    def poll(job_id: str) -> Any:
        result = {"text": "an invented summary"} if mode.get("wrong") else RESULT
        response = jsonify({"id": job_id, "status": "done", "result": result})
        if mode.get("close"):
            response.headers["Connection"] = "close"
        return response

    return app


@pytest.fixture
def bridge(deskdraft_home: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
    mode: dict[str, Any] = {}
    paths = create_certs(deskdraft_home)
    server = make_server(
        fake_bridge(mode), "127.0.0.1", 0, cert=str(paths.cert), key=str(paths.key), threads=8
    )
    server.start_in_thread()
    yield f"https://localhost:{server.port}", str(paths.ca_cert), mode
    server.stop()


def plan(url: str, ca: str, token: str = "secret") -> LoadPlan:
    body = {"kind": "summarize", "input": {"text": "mail"}, "options": {}}
    return LoadPlan(url, token, ca, [body], [RESULT], seconds=1.0)


def test_correct_answers_are_timed(bridge: tuple[str, str, dict[str, Any]]) -> None:
    url, ca, _ = bridge
    out = run_load(plan(url, ca), clients=4, processes=2)
    assert out["errors"] == 0 and out["requests"] > 20 and out["reconnects"] == 0
    assert 0 < out["p50_ms"] <= out["p99_ms"] <= out["max_ms"]
    assert out["client_processes"] == 2 and out["client_cpu_s"] >= 0


def test_wrong_results_and_refusals_are_errors(bridge: tuple[str, str, dict[str, Any]]) -> None:
    url, ca, mode = bridge
    mode["wrong"] = True
    out = run_load(plan(url, ca), clients=2, processes=1)
    assert out["requests"] == 0 and out["errors"] > 0
    assert set(out["error_kinds"]) == {"wrong result"}
    mode["wrong"] = False
    refused = run_load(plan(url, ca, token="not-the-token"), clients=2, processes=1)
    assert refused["requests"] == 0 and set(refused["error_kinds"]) == {"submit 401"}


def test_closed_connections_are_reopened_and_counted(
    bridge: tuple[str, str, dict[str, Any]],
) -> None:
    url, ca, mode = bridge
    mode["close"] = True
    out = run_load(plan(url, ca), clients=2, processes=1)
    assert out["errors"] == 0 and out["requests"] > 0
    assert out["reconnects"] >= out["requests"] - 2  # about one per round trip


def test_an_untrusted_certificate_is_refused(
    bridge: tuple[str, str, dict[str, Any]], tmp_path: Path
) -> None:
    url, _, _ = bridge
    other_ca = create_certs(tmp_path / "elsewhere").ca_cert
    with pytest.raises(RuntimeError, match=r"could not connect: .*CERTIFICATE_VERIFY_FAILED"):
        run_load(plan(url, str(other_ca)), clients=1, processes=1)
