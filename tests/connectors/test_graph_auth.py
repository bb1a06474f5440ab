"""GraphConnector authentication: client credentials, a refused token and the device-code
flow, against recorded-shape identity-platform responses; secrets never reach errors or logs."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from connectors.errors import AuthError, ConfigError
from tests.connectors.graph_fake import (
    CLIENT_SECRET,
    INBOX_ID,
    LOGIN,
    USER,
    add_token,
    bearer,
    connector,
    fixture,
    graph_env,
    mocked,
)

__all__ = ["graph_env", "mocked"]  # fixtures used by name


def test_wrong_client_secret_is_auth_error_and_never_shows_the_secret(
    mocked: Any, graph_env: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mocked.post(f"{LOGIN}/oauth2/v2.0/token", status=401, json=fixture("token-invalid-client.json"))
    source = connector(graph_env)
    with pytest.raises(AuthError, match="AADSTS7000215") as err:
        list(source.iter_documents())
    assert "invalid_client" in str(err.value)
    assert CLIENT_SECRET not in str(err.value) and CLIENT_SECRET not in repr(err.value)
    assert CLIENT_SECRET not in caplog.text
    assert not err.value.retryable


def test_refused_access_token_is_auth_error(
    mocked: Any, graph_env: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    add_token(mocked)
    mocked.get(f"{USER}/mailFolders/inbox", status=401, json=fixture("error-401.json"))
    with pytest.raises(AuthError, match="InvalidAuthenticationToken"):
        connector(graph_env).resolve_folder()
    # One retry with a freshly acquired token before giving up.
    assert len([c for c in mocked.calls if "/mailFolders/inbox" in c.request.url]) == 2
    token = fixture("token-client-credentials.json")["access_token"]
    assert token not in caplog.text and CLIENT_SECRET not in caplog.text


def test_device_code_flow_prompts_once_and_caches(
    mocked: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda _s: None)
    mocked.post(f"{LOGIN}/oauth2/v2.0/devicecode", json=fixture("devicecode.json"))
    mocked.post(f"{LOGIN}/oauth2/v2.0/token", json=fixture("token-device.json"))
    mocked.get(f"{USER}/mailFolders/inbox", json=fixture("mailfolder-inbox.json"))
    prompts: list[str] = []
    options = {
        "client_id": "11111111-2222-3333-4444-555555555555",
        "auth": "device_code",
        "token_cache": str(tmp_path / "cache.json"),
        "device_code_prompt": prompts.append,
    }
    assert connector(options).resolve_folder() == INBOX_ID
    assert len(prompts) == 1 and "FGH7QWERT" in prompts[0]
    cache_file = tmp_path / "cache.json"
    assert stat.S_IMODE(os.stat(cache_file).st_mode) == 0o600
    device_token = fixture("token-device.json")["access_token"]
    assert bearer(mocked.calls[-1]) == f"Bearer {device_token}"

    # A new process: the cached token is used silently, no second prompt.
    assert connector(options).resolve_folder() == INBOX_ID
    assert len(prompts) == 1
    assert len([c for c in mocked.calls if c.request.url.endswith("/devicecode")]) == 1


def test_missing_client_id_and_secret_are_config_errors(mocked: Any) -> None:
    with pytest.raises(ConfigError, match="client_id"):
        connector({"auth": "client_credentials", "client_secret": "x" * 12}).resolve_folder()
    with pytest.raises(ConfigError, match="no client_secret configured") as err:
        connector({"auth": "client_credentials", "client_id": "abc"}).resolve_folder()
    assert "keyring" in str(err.value)


def test_device_code_without_a_terminal_fails_fast(
    mocked: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    options = {
        "client_id": "11111111-2222-3333-4444-555555555555",
        "auth": "device_code",
        "token_cache": str(tmp_path / "cache.json"),
    }
    with pytest.raises(AuthError, match="no terminal is attached") as err:
        connector(options).resolve_folder()
    assert "deskdraft ingest" in str(err.value)
    assert not [c for c in mocked.calls if c.request.url.endswith("/devicecode")]
