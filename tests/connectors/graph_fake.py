"""Recorded-shape Microsoft Graph and identity-platform responses for the GraphConnector
tests: the mailbox's URLs, the client credentials, the mocked transport and its token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import responses

from connectors.graph import GraphConnector

DATA = Path(__file__).parent / "data" / "graph"
LOGIN = "https://login.microsoftonline.com/contoso.onmicrosoft.com"
GRAPH = "https://graph.microsoft.com/v1.0"
USER = f"{GRAPH}/users/alice%40contoso.onmicrosoft.com"
URI = "graph://alice@contoso.onmicrosoft.com/Inbox"
CLIENT_SECRET = "Qx8Q~graph-Client-Secret-42"
INBOX_ID = json.loads((DATA / "mailfolder-inbox.json").read_text())["id"]


def fixture(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def graph_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("TEST_GRAPH_SECRET", CLIENT_SECRET)
    return {
        "client_id": "00000000-1111-2222-3333-444444444444",
        "client_secret_env": "TEST_GRAPH_SECRET",
    }


@pytest.fixture
def mocked() -> Any:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(
            f"{LOGIN}/v2.0/.well-known/openid-configuration",
            json=fixture("openid-configuration.json"),
        )
        yield rsps


def add_token(rsps: Any) -> None:
    rsps.post(f"{LOGIN}/oauth2/v2.0/token", json=fixture("token-client-credentials.json"))


def bearer(call: Any) -> str:
    return call.request.headers["Authorization"]


def connector(options: dict[str, Any], **kwargs: Any) -> GraphConnector:
    return GraphConnector(URI, options, **kwargs)
