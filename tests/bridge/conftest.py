"""Fixtures for bridge tests: an app on the SQLite queue, its token and a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import tests.jobs.kinds
from plugin.config import settings
from plugin.jobs.queue import JobQueue
from plugin.jobs.runner import Runner
from plugin.jobs.worker import make_runner
from tests.bridge.sso import client_factory, signing_key, sso_env  # noqa: F401 (fixtures)


@pytest.fixture
def probe_log(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = deskdraft_home / "probe.log"
    monkeypatch.setenv("DESKDRAFT_PROBE_LOG", str(path))
    return path


@pytest.fixture
def bridge_env(request: pytest.FixtureRequest, probe_log: Path) -> dict[str, str]:
    """DESKDRAFT_* settings for the app; parametrize indirectly to add more."""
    values: dict[str, str] = {"DESKDRAFT_BRIDGE_CORS_ORIGINS": "https://addin.example.com"}
    values.update(getattr(request, "param", {}))
    return values


@pytest.fixture
def queue(bridge_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[JobQueue]:
    for name, value in bridge_env.items():
        monkeypatch.setenv(name, value)
    settings.cache_clear()
    tests.jobs.kinds.register()
    q = JobQueue(settings())
    yield q
    q.close()


@pytest.fixture
def app(queue: JobQueue) -> Flask:
    from plugin.bridge.app import create_app

    return create_app(queue=queue, s=settings())


@pytest.fixture
def token(app: Flask) -> str:
    from plugin.bridge.auth import install_token

    return install_token(settings().data_dir)


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(queue: JobQueue) -> Runner:
    return make_runner(queue)


@pytest.fixture
def people(app: Flask, token: str) -> dict[str, dict[str, str]]:
    """Auth headers of two users and an admin (the install token), by name."""
    store = settings_store()
    headers = {"admin": {"Authorization": f"Bearer {token}"}}
    for name in ("ann", "bob"):
        _, user_token = store.add_user(name)
        headers[name] = {"Authorization": f"Bearer {user_token}"}
    return headers


def settings_store():  # -> plugin.jobs.store.JobStore
    from plugin.jobs.queue import open_store

    return open_store(settings())
