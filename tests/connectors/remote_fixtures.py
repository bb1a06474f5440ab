"""What the recorded-shape EWS and Graph tests share: the MIME of a served message and the
check that a refused password's error and logs never hold the secret."""

from __future__ import annotations

import base64
from email.message import EmailMessage

import pytest
import responses

from connectors.errors import AuthError


def mime(
    subject: str,
    message_id: str,
    body: str,
    in_reply_to: str | None = None,
    *,
    sender: str,
    to: str,
) -> bytes:
    """One plain-text message as the server's MIME content would hold it."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = "Mon, 23 Nov 2026 09:15:02 +0100"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    return msg.as_bytes()


def refuse_basic_auth(
    endpoint: str, call: object, user: str, password: str, logs: pytest.LogCaptureFixture
) -> AuthError:
    """Run ``call()`` against an ``endpoint`` that answers 401; the AuthError it raises,
    after checking that neither it nor the logs hold the password, plain or encoded."""
    with responses.RequestsMock() as rsps:
        rsps.post(endpoint, status=401, headers={"WWW-Authenticate": 'Basic realm="mail"'}, body="")
        with pytest.raises(AuthError, match="refused the credentials") as err:
            call()  # type: ignore[operator]
    assert not err.value.retryable
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    for secret in (password, encoded):
        assert secret not in str(err.value) and secret not in repr(err.value)
        assert secret not in (err.value.hint or "")
        assert secret not in logs.text
    return err.value
