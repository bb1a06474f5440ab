"""Digest delivery through Exchange (EWS) and Microsoft Graph, configured the way a user
would (``[delivery.ews]`` / ``[delivery.graph]`` in config.toml), against servers mocked
with the recorded-shape responses of the connector tests."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import logging
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import responses

from connectors.errors import AuthError, ConfigError, TransientError
from plugin.config import settings
from plugin.digest.deliver import deliver
from plugin.digest.render import DigestContent, ThreadDigest, build_message
from tests.connectors.ews_fake import ENDPOINT, NS, FakeEws
from tests.connectors.remote_fixtures import refuse_basic_auth

CONNECTOR_DATA = Path(__file__).resolve().parents[1] / "connectors" / "data"
EWS_DATA = CONNECTOR_DATA / "ews"
GRAPH_DATA = CONNECTOR_DATA / "graph"
EWS_ACCOUNT = "ews://alice@mail.corp.example/Inbox"
EWS_PASSWORD = "Ews-Digest-Pa55-7731"
GRAPH_ACCOUNT = "graph://alice@contoso.onmicrosoft.com/Inbox"
LOGIN = "https://login.microsoftonline.com/contoso.onmicrosoft.com"
SEND_MAIL = "https://graph.microsoft.com/v1.0/users/alice%40contoso.onmicrosoft.com/sendMail"
GRAPH_SECRET = "Qx8Q~digest-Graph-Secret-77"


def _configure(home: Path, toml: str) -> None:
    (home / "config.toml").write_text(toml, encoding="utf-8")
    settings.cache_clear()


@pytest.fixture
def ews_config(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_EWS_PASSWORD", EWS_PASSWORD)
    _configure(
        deskdraft_home,
        f"""
[delivery.ews]
account = "{EWS_ACCOUNT}"
auth = "basic"
password_env = "DIGEST_EWS_PASSWORD"
exchange_version = "2016"
mailbox = "alice@corp.example"
max_retries = 0
""",
    )


@pytest.fixture
def graph_config(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_GRAPH_SECRET", GRAPH_SECRET)
    # Connection options may live with the source, as for reading mail; delivery only
    # names the account (and its own retry policy).
    _configure(
        deskdraft_home,
        f"""
[sources."graph://alice@contoso.onmicrosoft.com"]
client_id = "00000000-1111-2222-3333-444444444444"
client_secret_env = "DIGEST_GRAPH_SECRET"

[delivery.graph]
account = "{GRAPH_ACCOUNT}"
max_retries = 0
""",
    )


@pytest.fixture
def ews() -> Iterator[FakeEws]:
    fake = FakeEws()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.POST, ENDPOINT, callback=fake)
        yield fake


@pytest.fixture
def graph() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(
            f"{LOGIN}/v2.0/.well-known/openid-configuration",
            json=json.loads((GRAPH_DATA / "openid-configuration.json").read_text()),
        )
        yield rsps


def _graph_token(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{LOGIN}/oauth2/v2.0/token",
        json=json.loads((GRAPH_DATA / "token-client-credentials.json").read_text()),
    )


def _digest() -> EmailMessage:
    content = DigestContent(
        title="Your inbox digest",
        period_label="Monday 2 March 2026",
        threads=[
            ThreadDigest(
                subject="Budget review on Thursday",
                participants=["Bob Example"],
                count=2,
                latest="Mon 02 Mar 09:00",
                summary="Bob asks to review the Q4 budget on Thursday.",
                verified=True,
                importance=2.0,
                reasons=["addressed to you"],
            )
        ],
        actions=[{"text": "Send the Q4 numbers", "due": "2026-03-04", "subject": "Budget"}],
        meetings=[],
        ics=b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n",
        total_messages=2,
        included_messages=2,
        cap=200,
    )
    return build_message(content, sender="alice@corp.example", to="alice@corp.example")


def _assert_is_the_digest(raw: bytes, original: EmailMessage) -> None:
    sent = email.message_from_bytes(raw, policy=email.policy.default)
    assert sent["Subject"] == "Your inbox digest"
    assert sent["Message-ID"] == original["Message-ID"]
    html = sent.get_body(preferencelist=("html",)).get_content()
    text = sent.get_body(preferencelist=("plain",)).get_content()
    for part in (html, text):
        assert "Budget review on Thursday" in part
        assert "Bob asks to review the Q4 budget on Thursday." in part
        assert "Send the Q4 numbers" in part
    assert [a.get_filename() for a in sent.iter_attachments()] == ["suggestions.ics"]


def _assert_secret_hidden(err: BaseException, secret: str, log_text: str) -> None:
    assert secret not in str(err) and secret not in repr(err)
    hint = getattr(err, "hint", None) or ""
    assert secret not in hint
    assert secret not in log_text


# -- EWS --------------------------------------------------------------------------------


def test_ews_delivery_sends_the_digest_as_mime_and_saves_a_copy(
    ews_config: None, ews: FakeEws
) -> None:
    ews.queue("CreateItem", (EWS_DATA / "CreateItem-sent.xml").read_text())
    message = _digest()
    assert deliver("ews", message) == "sent through ews"
    creates = [root for op, root, _ in ews.requests if op == "CreateItem"]
    assert len(creates) == 1
    create = creates[0]
    assert create.find(".//m:CreateItem", NS).get("MessageDisposition") == "SendAndSaveCopy"
    _assert_is_the_digest(
        base64.b64decode(create.findtext(".//t:MimeContent", namespaces=NS)), message
    )
    # The configured account and secret were used: basic auth from password_env.
    auth = next(headers for op, _, headers in ews.requests if op == "CreateItem")
    user, _, password = base64.b64decode(auth["Authorization"].split()[1]).decode().partition(":")
    assert (user, password) == ("alice", EWS_PASSWORD)


def test_ews_busy_server_is_a_retryable_error_naming_the_account(
    ews_config: None, ews: FakeEws, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ews.queue(
        "CreateItem",
        (EWS_DATA / "fault-ErrorServerBusy.xml").read_text().format(back_off_ms=30_000),
        status=500,
    )
    with pytest.raises(TransientError, match="ErrorServerBusy") as err:
        deliver("ews", _digest())
    assert err.value.retryable and err.value.retry_after == 30.0
    assert "alice@mail.corp.example" in str(err.value)
    _assert_secret_hidden(err.value, EWS_PASSWORD, caplog.text)


def test_ews_refused_password_is_an_auth_error_without_the_secret(
    ews_config: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    refuse_basic_auth(ENDPOINT, lambda: deliver("ews", _digest()), "alice", EWS_PASSWORD, caplog)


def test_exchange_delivery_without_an_account_is_a_config_error(deskdraft_home: Path) -> None:
    _configure(deskdraft_home, '[delivery.ews]\nauth = "basic"\n')
    with pytest.raises(ConfigError, match="no account configured for ews delivery"):
        deliver("ews", _digest())
    with pytest.raises(ConfigError, match="no account configured for graph delivery"):
        deliver("graph", _digest())


# -- Graph ------------------------------------------------------------------------------


def test_graph_delivery_posts_the_digest_as_mime_to_send_mail(
    graph_config: None, graph: responses.RequestsMock
) -> None:
    _graph_token(graph)
    graph.post(SEND_MAIL, status=202)
    message = _digest()
    assert deliver("graph", message) == "sent through graph"
    [call] = [c for c in graph.calls if c.request.url == SEND_MAIL]
    assert call.request.headers["Content-Type"] == "text/plain"
    token = json.loads((GRAPH_DATA / "token-client-credentials.json").read_text())["access_token"]
    assert call.request.headers["Authorization"] == f"Bearer {token}"
    _assert_is_the_digest(base64.b64decode(call.request.body), message)


def test_graph_throttled_send_is_a_retryable_error(
    graph_config: None, graph: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _graph_token(graph)
    graph.post(
        SEND_MAIL,
        status=429,
        headers={"Retry-After": "45"},
        json=json.loads((GRAPH_DATA / "error-429.json").read_text()),
    )
    with pytest.raises(TransientError, match="throttling") as err:
        deliver("graph", _digest())
    assert err.value.retryable and err.value.retry_after == 45.0
    assert "graph://alice@contoso.onmicrosoft.com" in str(err.value)
    token = json.loads((GRAPH_DATA / "token-client-credentials.json").read_text())["access_token"]
    _assert_secret_hidden(err.value, GRAPH_SECRET, caplog.text)
    _assert_secret_hidden(err.value, token, caplog.text)


def test_graph_wrong_client_secret_is_an_auth_error_without_the_secret(
    graph_config: None, graph: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    graph.post(
        f"{LOGIN}/oauth2/v2.0/token",
        status=401,
        json=json.loads((GRAPH_DATA / "token-invalid-client.json").read_text()),
    )
    with pytest.raises(AuthError, match="AADSTS7000215") as err:
        deliver("graph", _digest())
    assert not err.value.retryable
    assert not [c for c in graph.calls if c.request.url == SEND_MAIL]
    _assert_secret_hidden(err.value, GRAPH_SECRET, caplog.text)
