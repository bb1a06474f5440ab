"""Office SSO fixtures: a signing key, the settings that trust it, and tokens it signs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
AUDIENCE = "api://localhost:8443/2d5f0a52-1c1b-4a4e-9d1b-0c4a9d7c1f10"


@pytest.fixture
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def sso_env(deskdraft_home: Path, signing_key: rsa.RSAPrivateKey) -> dict[str, str]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    keys = deskdraft_home / "entra-keys.json"
    keys.write_text(json.dumps({"keys": [{**jwk, "kid": "test-key", "use": "sig"}]}))
    return {
        "DESKDRAFT_BRIDGE_SSO_ENABLED": "true",
        "DESKDRAFT_BRIDGE_SSO_TENANT_ID": TENANT,
        "DESKDRAFT_BRIDGE_SSO_AUDIENCE": AUDIENCE,
        "DESKDRAFT_BRIDGE_SSO_KEYS_FILE": str(keys),
        "DESKDRAFT_BRIDGE_SSO_CREATE_USERS": "true",
    }


def mint(key: Any, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "aud": AUDIENCE,
        "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "tid": TENANT,
        "sub": "user-1",
        "oid": "oid-1",
        "preferred_username": "ann@contoso.example",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        **overrides,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key"})


@pytest.fixture
def client_factory(monkeypatch: pytest.MonkeyPatch, bridge_env: dict[str, str]) -> Any:
    from plugin.bridge.app import create_app
    from plugin.config import settings
    from plugin.jobs.queue import JobQueue

    def make(extra: dict[str, str]) -> FlaskClient:
        for name, value in {**bridge_env, **extra}.items():
            monkeypatch.setenv(name, value)
        settings.cache_clear()
        return create_app(queue=JobQueue(settings()), s=settings()).test_client()

    return make
