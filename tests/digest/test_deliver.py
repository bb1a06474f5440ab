from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.errors import AuthError, TransientError, UsageError
from plugin.digest import store
from plugin.digest.deliver import deliver
from plugin.digest.render import DigestContent, ThreadDigest, build_message
from tests.servers.smtp import SmtpSink, smtp_sink


@pytest.fixture()
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as server:
        yield server


def _content(threads: int = 1) -> DigestContent:
    return DigestContent(
        title="Your inbox digest",
        period_label="Monday 2 March 2026",
        threads=[
            ThreadDigest(
                subject=f"Budget review {i}",
                participants=["Ann Lee"],
                count=2,
                latest="Mon 02 Mar 09:00",
                summary=f"Ann asks for the Q{i} numbers.",
                verified=True,
                importance=2.0,
                reasons=["addressed to you"],
            )
            for i in range(threads)
        ],
        actions=[{"text": "Send the Q3 numbers", "due": "2026-03-04", "subject": "Budget"}],
        meetings=[],
        ics=b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n",
        total_messages=3 * threads,
        included_messages=2 * threads,
        cap=2 * threads,
    )


def test_rendered_digest_is_self_contained_html_with_text_and_ics() -> None:
    message = build_message(_content(), sender="deskdraft@localhost", to="me@example.com")
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Budget review 0" in html and "Budget review 0" in text
    assert "Send the Q3 numbers" in html and "[ ] Send the Q3 numbers" in text
    assert "1 more not included" in html
    # Mobile-friendly, and no external resources a mail client would fetch.
    assert 'name="viewport"' in html
    for external in ('src="http', 'href="http', "url(http", "<link", "<script"):
        assert external not in html
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["suggestions.ics"]


def test_empty_period_says_so_plainly() -> None:
    empty = _content(0)
    empty.actions = []
    empty.ics = None
    message = build_message(empty, sender="d@localhost", to="me@example.com")
    assert "No new mail arrived" in message.get_body(preferencelist=("plain",)).get_content()


def test_smtp_delivery_reaches_a_real_receiver(sink: SmtpSink) -> None:
    message = build_message(_content(), sender="deskdraft@localhost", to="me@example.com")
    outcome = deliver(sink.url, message)
    assert f"{sink.host}:{sink.port}" in outcome
    assert len(sink.messages) == 1
    got = sink.messages[0]
    assert got.recipients == ["me@example.com"]
    assert got.message["Subject"] == "Your inbox digest"


def test_smtp_temporary_refusal_is_retryable(sink: SmtpSink) -> None:
    sink.refuse_with = "451 4.3.0 try again later"
    with pytest.raises(TransientError, match="451"):
        deliver(sink.url, build_message(_content(), sender="d@localhost", to="me@example.com"))


def test_dead_smtp_server_is_a_clear_transient_error() -> None:
    with pytest.raises(TransientError, match="cannot reach the SMTP server"):
        deliver("smtp://127.0.0.1:1", build_message(_content(), sender="d@l", to="m@e.com"))


def test_directory_delivery_and_unknown_targets(tmp_path: Path) -> None:
    message = build_message(_content(), sender="d@localhost", to="me@example.com")
    outcome = deliver(f"dir:{tmp_path / 'out'}", message)
    written = list((tmp_path / "out").glob("*.eml"))
    assert len(written) == 1 and str(written[0]) in outcome
    assert list((tmp_path / "out").glob("*.html"))
    with pytest.raises(UsageError, match="unknown delivery"):
        deliver("fax:123", message)


def test_store_keeps_the_first_render_for_a_period() -> None:
    first = store.store(
        "s1", "2026-03-02T08:00", build_message(_content(1), sender="a@b", to="c@d")
    )
    second = store.store(
        "s1", "2026-03-02T08:00", build_message(_content(2), sender="a@b", to="c@d")
    )
    assert first.path == second.path
    assert (
        "Budget review 1"
        not in store.load_message(second).get_body(preferencelist=("plain",)).get_content()
    )
    store.mark("s1", "2026-03-02T08:00", "delivered")
    again = store.lookup("s1", "2026-03-02T08:00")
    assert again is not None and again.status == "delivered" and again.attempts == 1


def test_smtp_delivery_with_starttls_and_login(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    deskdraft_home: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from plugin.config import settings
    from tests.servers.dovecot import make_self_signed_cert

    cert = make_self_signed_cert(tmp_path)
    password = "Smtp-Pa55word-xyz"
    with smtp_sink(tls_cert=cert, logins={"digest": password}) as server:
        (deskdraft_home / "config.toml").write_text(
            f'[delivery.smtp]\nuser = "digest"\npassword_env = "SMTP_TEST_PW"\n'
            f'cafile = "{cert[0]}"\n'
        )
        monkeypatch.setenv("SMTP_TEST_PW", password)
        settings.cache_clear()
        message = build_message(_content(), sender="deskdraft@localhost", to="me@example.com")
        deliver(server.url, message)
        assert len(server.messages) == 1

        monkeypatch.setenv("SMTP_TEST_PW", "wrong-" + password)
        settings.cache_clear()
        with caplog.at_level("DEBUG"), pytest.raises(AuthError) as refused:
            deliver(server.url, message)
        assert "refused the login" in str(refused.value)
        assert password not in str(refused.value) and password not in caplog.text
        assert len(server.messages) == 1
