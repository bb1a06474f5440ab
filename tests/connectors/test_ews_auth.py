"""EwsConnector authentication: real NTLM on loopback, OAuth2 bearer and client credentials."""

from __future__ import annotations

import base64
import http.server
import logging
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from connectors.errors import AuthError
from connectors.ews import EwsConnector
from tests.connectors.ews_fake import DATA, PASSWORD, URI, FakeEws, ews, options

__all__ = ["ews", "options"]  # fixtures used by name


class _NtlmExchange(http.server.BaseHTTPRequestHandler):
    """An EWS endpoint doing real NTLM (pyspnego as the acceptor, users from
    ``NTLM_USER_FILE``) on loopback, because NTLM authenticates a TCP connection, which a
    mocked transport does not have. Authenticated requests are answered by ``fake``."""

    protocol_version = "HTTP/1.1"
    fake: ClassVar[FakeEws]
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        import spnego

        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        header = self.headers.get("Authorization", "")
        self.seen.append(header)
        context = getattr(self, "ntlm", None)
        if context is not None and context.complete:
            status, headers, text = self.fake(
                types.SimpleNamespace(body=body, headers=self.headers)
            )
            return self._answer(status, text.encode(), headers)
        if header.startswith("NTLM "):
            token = base64.b64decode(header[5:])
            try:
                if context is None:
                    self.ntlm = spnego.server(protocol="ntlm")
                    challenge = self.ntlm.step(token)
                    return self._answer(
                        401,
                        b"",
                        {"WWW-Authenticate": f"NTLM {base64.b64encode(challenge).decode()}"},
                    )
                context.step(token)
                if context.complete:
                    status, headers, text = self.fake(
                        types.SimpleNamespace(body=body, headers=self.headers)
                    )
                    return self._answer(status, text.encode(), headers)
            except Exception:
                self.ntlm = None  # wrong password: the handshake fails
                return self._answer(401, b"", {})
        self._answer(401, b"", {"WWW-Authenticate": "NTLM"})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ntlm_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    users = tmp_path / "ntlm-users"
    users.write_text(f"CORP:alice:{PASSWORD}\n")
    monkeypatch.setenv("NTLM_USER_FILE", str(users))
    _NtlmExchange.fake = FakeEws()
    _NtlmExchange.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NtlmExchange)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/EWS/Exchange.asmx"
    finally:
        server.shutdown()
        server.server_close()


def test_ntlm_handshake_with_the_right_password_reads_mail(
    ntlm_server: str, options: dict[str, Any]
) -> None:
    _NtlmExchange.fake.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {**options, "auth": "ntlm", "username": "CORP\\alice", "service_endpoint": ntlm_server}
    docs = list(EwsConnector(URI, opts).iter_documents())
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert any(h.startswith("NTLM TlRMTVNTUAAB") for h in _NtlmExchange.seen)  # type 1
    assert any(h.startswith("NTLM TlRMTVNTUAAD") for h in _NtlmExchange.seen)  # type 3


def test_ntlm_wrong_password_is_auth_error_without_the_secret(
    ntlm_server: str,
    options: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TEST_EWS_PASSWORD", "Wrong-Ntlm-Pass-123")
    opts = {**options, "auth": "ntlm", "username": "CORP\\alice", "service_endpoint": ntlm_server}
    with pytest.raises(AuthError, match="refused the credentials") as err:
        list(EwsConnector(URI, opts).iter_documents())
    assert "Wrong-Ntlm-Pass-123" not in str(err.value)
    assert "Wrong-Ntlm-Pass-123" not in caplog.text
    assert _NtlmExchange.fake.requests == []  # nothing was served without authentication


def test_oauth2_access_token_is_sent_as_bearer(
    ews: FakeEws, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_EWS_TOKEN", "eyJ0eXAiOiJKV1QifQ.ews-access-token.c2ln")
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {
        "auth": "oauth2",
        "access_token_env": "TEST_EWS_TOKEN",
        "exchange_version": "2016",
        "mailbox": "alice@corp.example",
    }
    docs = list(EwsConnector(URI, opts).iter_documents())
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert {h["Authorization"] for _, _, h in ews.requests} == {
        "Bearer eyJ0eXAiOiJKV1QifQ.ews-access-token.c2ln"
    }


def test_oauth2_client_credentials_fetch_an_exchange_token(
    ews: FakeEws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_EWS_CLIENT_SECRET", "ews-App-Secret-5521")
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {
        "auth": "oauth2",
        "client_id": "app-1",
        "tenant_id": "tenant-1",
        "client_secret_env": "TEST_EWS_CLIENT_SECRET",
        "exchange_version": "2016",
        "impersonate": "alice@corp.example",
    }
    ews.rsps.post(
        "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token",
        json={
            "token_type": "Bearer",
            "expires_in": 3599,
            "access_token": "eyJ0eXAiOiJKV1QifQ.client-cred.c2ln",
        },
    )
    docs = list(EwsConnector(URI, opts).iter_documents())
    form = next(c.request.body for c in ews.rsps.calls if "/oauth2/" in c.request.url)
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert "scope=https%3A%2F%2Foutlook.office365.com%2F.default" in form
    assert "grant_type=client_credentials" in form
    assert {h["Authorization"] for _, _, h in ews.requests} == {
        "Bearer eyJ0eXAiOiJKV1QifQ.client-cred.c2ln"
    }
