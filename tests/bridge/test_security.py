"""Auth on every endpoint but health, CORS by configured origin, Office SSO JWTs."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from plugin.bridge.validation import openapi_spec
from tests.bridge.helpers import problem
from tests.bridge.sso import AUDIENCE, mint

ALLOWED = "https://addin.example.com"


def _operations() -> list[tuple[str, str]]:
    ops = []
    for path, item in openapi_spec()["paths"].items():
        concrete = re.sub(r"\{id\}", "0" * 32, path).replace("{name}", "docx")
        ops.extend(
            (method.upper(), "/api/v1" + concrete)
            for method in item
            if method in {"get", "post", "delete"}
        )
    return ops


@pytest.mark.parametrize(("method", "path"), _operations())
@pytest.mark.parametrize(
    "credentials", [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_every_endpoint_but_health_needs_the_token(
    client: FlaskClient, method: str, path: str, credentials: str | None
) -> None:
    headers = {"Authorization": credentials} if credentials else {}
    response = client.open(path, method=method, headers=headers, json={})
    if path.endswith("/health"):
        assert response.status_code == 200
        return
    details = problem(response)
    assert details["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_token_is_per_install_and_stable(token: str, deskdraft_home: Path) -> None:
    from plugin.bridge.auth import install_token, token_path

    assert len(token) >= 40
    assert install_token(deskdraft_home) == token
    assert token_path(deskdraft_home).stat().st_mode & 0o077 == 0  # owner only
    rotated = install_token(deskdraft_home, rotate=True)
    assert rotated != token and install_token(deskdraft_home) == rotated


def test_cors_allows_only_configured_origins(client: FlaskClient, auth: dict[str, str]) -> None:
    preflight = client.options(
        "/api/v1/jobs",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]

    allowed = client.get("/api/v1/health", headers={"Origin": ALLOWED})
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in allowed.headers["Vary"]

    for origin in ("https://evil.example.com", "https://addin.example.com.evil.net", "null"):
        refused = client.options(
            "/api/v1/jobs", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
        )
        assert problem(refused)["status"] == 403
        assert "Access-Control-Allow-Origin" not in refused.headers
        simple = client.get("/api/v1/health", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in simple.headers
        call = client.post(
            "/api/v1/jobs",
            headers={**auth, "Origin": origin},
            json={"kind": "probe", "input": {"text": "x"}},
        )
        assert problem(call)["status"] == 403


def test_same_origin_pages_need_no_cors_entry(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/jobs",
        headers={**auth, "Origin": "http://localhost"},
        json={"kind": "probe", "input": {"text": "x"}},
    )
    assert response.status_code == 202
    assert "Access-Control-Allow-Origin" not in response.headers


# -- Office SSO (Entra ID nested app auth) ---------------------------------------------


def test_sso_tokens_signed_by_the_configured_key_are_accepted(
    sso_env: dict[str, str],
    bridge_env: dict[str, str],
    client_factory: Any,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    client = client_factory(sso_env)
    ok = client.get(
        "/api/v1/openapi.json", headers={"Authorization": f"Bearer {mint(signing_key)}"}
    )
    assert ok.status_code == 200
    from plugin.jobs.queue import open_store

    user = open_store().user_by_sso("oid-1")  # created on first use, keyed by oid
    assert user is not None and user.name == "ann@contoso.example" and not user.admin

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    bad_tokens = {
        "foreign key": mint(other_key),
        "expired": mint(signing_key, exp=int(time.time()) - 60, iat=int(time.time()) - 700),
        "other audience": mint(signing_key, aud="api://someone-else"),
        "other issuer": mint(signing_key, iss="https://login.microsoftonline.com/x/v2.0"),
        "other tenant": mint(signing_key, tid="00000000-0000-0000-0000-000000000000"),
        "no expiry": mint(signing_key, exp=None),
        "HS256": jwt.encode(
            {"aud": AUDIENCE}, "a-shared-secret-long-enough-for-hs256", algorithm="HS256"
        ),
    }
    for why, token in bad_tokens.items():
        response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, why


def test_unknown_sso_users_need_an_admin_when_creation_is_off(
    sso_env: dict[str, str], client_factory: Any, signing_key: rsa.RSAPrivateKey
) -> None:
    from plugin.jobs.queue import open_store

    client = client_factory({**sso_env, "DESKDRAFT_BRIDGE_SSO_CREATE_USERS": "false"})
    headers = {"Authorization": f"Bearer {mint(signing_key)}"}
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 401
    assert open_store().user_by_sso("oid-1") is None
    open_store().add_user("ann", with_token=False, sso_subject="oid-1")
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200
    open_store().revoke("ann")
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 401


def test_sso_tokens_are_refused_when_sso_is_off(
    client: FlaskClient, signing_key: rsa.RSAPrivateKey
) -> None:
    response = client.get(
        "/api/v1/openapi.json", headers={"Authorization": f"Bearer {mint(signing_key)}"}
    )
    assert response.status_code == 401
