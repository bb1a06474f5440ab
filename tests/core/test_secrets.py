from __future__ import annotations

from connectors.errors import AuthError
from connectors.secrets import Secret, redact, register_secret


def test_secret_never_prints_itself() -> None:
    s = Secret("hunter2-very-secret")
    assert "hunter2" not in str(s)
    assert "hunter2" not in repr(s)
    assert "hunter2" not in f"{s} {s!r}"
    assert s.reveal() == "hunter2-very-secret"


def test_redact_known_values_and_credential_shapes() -> None:
    register_secret("p@ss-w0rd-123")
    text = (
        "login failed for imap://bob:p@ss-w0rd-123@mail.example.com/INBOX; "
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def password=topsecret42 "
        "client_secret: 'zzz-123-yyy'"
    )
    out = redact(text)
    for leaked in ("p@ss-w0rd-123", "eyJhbGciOiJIUzI1NiJ9", "topsecret42", "zzz-123-yyy"):
        assert leaked not in out
    assert "mail.example.com" in out


def test_error_messages_name_the_item_and_hint() -> None:
    err = AuthError("the server refused the password", item="imap://bob@mail", hint="check it")
    assert str(err) == "imap://bob@mail: the server refused the password (check it)"
    assert err.retryable is False
