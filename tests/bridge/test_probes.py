"""Hostile requests: forged and stale credentials, huge and deep bodies, traversal, foreign
origins, crashes. Each gets a clean problem document (no trace, no data) and the right
status, and every answer carries the security headers."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from plugin.jobs.queue import JobQueue, open_store
from tests.bridge.helpers import problem
from tests.bridge.sso import mint


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_forged_and_stale_jwts_are_refused(
    sso_env: dict[str, str], client_factory: Any, signing_key: rsa.RSAPrivateKey
) -> None:
    client = client_factory(sso_env)
    now = int(time.time())
    good = mint(signing_key)
    header, claims, _ = good.split(".")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    probes = {
        "expired": mint(signing_key, exp=now - 1, iat=now - 600),
        "wrong audience": mint(signing_key, aud="api://another-app"),
        "wrong signature": mint(other),
        "tampered claims": f"{header}.{_b64({'oid': 'oid-admin', 'exp': now + 600})}.{_}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{claims}.",
    }
    for why, token in probes.items():
        response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
        assert problem(response)["status"] == 401, why
    ok = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {good}"})
    assert ok.status_code == 200


def test_a_revoked_users_token_is_refused(
    client: FlaskClient, people: dict[str, dict[str, str]]
) -> None:
    assert client.get("/api/v1/openapi.json", headers=people["ann"]).status_code == 200
    open_store().revoke("ann")
    refused = client.post("/api/v1/jobs", headers=people["ann"],
                          json={"kind": "probe", "input": {"text": "x"}})  # fmt: skip
    assert problem(refused)["status"] == 401


@pytest.mark.parametrize("bridge_env", [{"DESKDRAFT_BRIDGE_MAX_BODY_MB": "0.01"}], indirect=True)
def test_oversized_bodies_are_refused(client: FlaskClient, auth: dict[str, str]) -> None:
    big = {"kind": "probe", "input": {"text": "x" * 20_000}}
    assert problem(client.post("/api/v1/jobs", headers=auth, json=big))["status"] == 413


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_refused(client: FlaskClient, auth: dict[str, str], depth: int
                                       ) -> None:  # fmt: skip
    deep = "[" * depth + "]" * depth
    body = f'{{"kind": "probe", "input": {{"text": "x"}}, "options": {{"a": {deep}}}}}'
    response = client.post("/api/v1/jobs", headers={**auth, "Content-Type": "application/json"},
                           data=body)  # fmt: skip
    details = problem(response)
    assert details["status"] == 400 and "nested" in details["title"]


def test_file_names_cannot_leave_the_outputs_folder(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, deskdraft_home: Path
) -> None:
    outputs = deskdraft_home / "outputs" / "j"
    outputs.mkdir(parents=True)
    (outputs / "link.txt").symlink_to("/etc/hostname")
    files = {"passwd": "/etc/passwd", "up": str(outputs / ".." / ".." / "jobs.sqlite"),
             "link": str(outputs / "link.txt"), "../x": str(outputs / "link.txt")}  # fmt: skip
    job = queue.store.create("probe", {"text": "x"}, {}, 10, result={"files": files})
    for name in ["passwd", "up", "link", "..%2F..%2Fetc%2Fpasswd", "..%2fx", "%2e%2e", "../x"]:
        with client.get(f"/api/v1/jobs/{job.id}/files/{name}", headers=auth) as response:
            assert response.status_code == 404, name
            assert b"root:" not in response.data


def test_foreign_origins_are_refused(client: FlaskClient, auth: dict[str, str]) -> None:
    for method in ("GET", "POST", "OPTIONS"):
        response = client.open("/api/v1/jobs", method=method,
                               headers={**auth, "Origin": "https://attacker.example"})  # fmt: skip
        assert problem(response)["status"] == 403
        assert "Access-Control-Allow-Origin" not in response.headers


def test_a_crash_answers_without_a_trace_or_its_message(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("internal detail /srv/secret/path")

    monkeypatch.setattr(queue, "submit_job", crash)
    response = client.post("/api/v1/jobs", headers=auth,
                           json={"kind": "probe", "input": {"text": "x"}})  # fmt: skip
    body = problem(response)
    assert body["status"] == 500 and "secret" not in response.get_data(as_text=True)


def test_every_answer_carries_the_security_headers(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    answers = {
        "api": client.get("/api/v1/health"),
        "401": client.get("/api/v1/openapi.json"),
        "404": client.get("/api/v1/jobs/" + "0" * 32, headers=auth),
        "pane": client.get("/addin/outlook.html"),
        "missing page": client.get("/addin/nope.py"),
    }
    for what, response in answers.items():
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff", what
        assert headers["Strict-Transport-Security"].startswith("max-age="), what
        assert "frame-ancestors" in headers["Content-Security-Policy"], what
        response.close()
    pane = answers["pane"].headers["Content-Security-Policy"]
    assert "https://*.office.com" in pane and "script-src 'self' https://appsforoffice" in pane
    assert "frame-ancestors 'none'" in answers["api"].headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in answers["pane"].headers  # it cannot allow Office's hosts
