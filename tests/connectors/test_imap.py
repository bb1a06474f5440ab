"""The IMAP connector against a real Dovecot on loopback, loaded with SpamAssassin ham."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.base import ItemError, open_source
from connectors.cursors import CursorStore
from connectors.document import Document
from connectors.errors import AuthError, ConfigError, TransientError
from connectors.imap import ImapConnector
from connectors.mailparse import parse_message
from tests.servers.dovecot import DovecotServer, dovecot_server, free_port

PASSWORD = "alice-Imap-S3cret!"
WRONG = "not-the-Right-pw-771"


@pytest.fixture(scope="module")
def server() -> Iterator[DovecotServer]:
    with dovecot_server({"alice": PASSWORD}) as srv:
        # On loopback "starttls = auto" upgrades whenever offered, so trust the test CA.
        _DEFAULTS["ca_file"] = str(srv.ca_file)
        yield srv


@pytest.fixture(scope="module")
def ham(corpus_dir: Path) -> list[bytes]:
    """30 real messages, without the mbox ``From `` line a mailbox would not have."""
    files = sorted((corpus_dir / "mail" / "spamassassin").glob("easy-ham-*.eml"))[:30]
    messages = []
    for path in files:
        raw = path.read_bytes()
        if raw.startswith(b"From "):
            raw = raw.split(b"\n", 1)[1]
        messages.append(raw)
    return messages


def _subject(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return " ".join(str(msg.get("Subject", "")).split())


_DEFAULTS: dict[str, object] = {"password_env": "TEST_IMAP_PASSWORD"}


def _options(**extra: object) -> dict[str, object]:
    return {**_DEFAULTS, **extra}


@pytest.fixture(autouse=True)
def _password_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)


def _sync(uri: str, since: dict | None = None, **options: object):
    connector = open_source(uri, _options(**options))
    assert isinstance(connector, ImapConnector)
    items = list(connector.iter_documents(since))
    return items, connector.cursor


def test_full_sync_reads_every_message(server: DovecotServer, ham: list[bytes]) -> None:
    server.append("alice", "Full", *ham)
    items, cursor = _sync(server.uri("alice", "Full"))
    docs = [i for i in items if isinstance(i, Document)]
    assert len(docs) == 30, [i for i in items if isinstance(i, ItemError)]
    assert {" ".join(d.title.split()) for d in docs} == {_subject(raw) for raw in ham}
    assert all(d.kind == "email" and d.date is not None and d.date.tzinfo for d in docs)
    assert all(d.text.strip() or d.quoted.strip() for d in docs)
    # The bytes come back from the server unchanged: the same document as parsing the file.
    direct = {d.message_id: d for d in (parse_message(raw, "direct", {}) for raw in ham)}
    for doc in docs:
        assert (doc.text, doc.quoted, doc.title) == (
            direct[doc.message_id].text,
            direct[doc.message_id].quoted,
            direct[doc.message_id].title,
        )
    uids = [d.metadata["imap_uid"] for d in docs]
    assert uids == sorted(uids) and len(set(uids)) == 30
    assert cursor == {"uidvalidity": cursor["uidvalidity"], "last_uid": max(uids)}
    assert docs[0].source.startswith(f"imap://alice@127.0.0.1:{server.port}/Full;UIDVALIDITY=")
    assert docs[0].source.endswith(f"/;UID={uids[0]}")


def test_incremental_sync_returns_only_new_messages(
    server: DovecotServer, ham: list[bytes]
) -> None:
    server.append("alice", "Incr", *ham[:10])
    first, cursor = _sync(server.uri("alice", "Incr"))
    assert len(first) == 10

    server.append("alice", "Incr", *ham[20:23])
    second, cursor2 = _sync(server.uri("alice", "Incr"), since=cursor)
    assert [" ".join(d.title.split()) for d in second] == [_subject(r) for r in ham[20:23]]
    assert cursor2["uidvalidity"] == cursor["uidvalidity"]
    assert cursor2["last_uid"] == cursor["last_uid"] + 3

    third, cursor3 = _sync(server.uri("alice", "Incr"), since=cursor2)
    assert third == [] and cursor3 == cursor2


def test_uidvalidity_change_forces_full_resync(server: DovecotServer, ham: list[bytes]) -> None:
    server.append("alice", "Renumbered", *ham[:8])
    _, cursor = _sync(server.uri("alice", "Renumbered"))
    assert cursor["last_uid"] == 8

    server.recreate_folder("alice", "Renumbered")
    server.append("alice", "Renumbered", *ham[10:15])
    items, new_cursor = _sync(server.uri("alice", "Renumbered"), since=cursor)
    # UIDs restart at 1 (below the old last_uid 8): only the UIDVALIDITY says "read it all".
    assert new_cursor["uidvalidity"] != cursor["uidvalidity"]
    assert [" ".join(d.title.split()) for d in items] == [_subject(r) for r in ham[10:15]]
    assert new_cursor["last_uid"] == 5


def test_stopping_early_keeps_progress_and_resumes(
    server: DovecotServer, ham: list[bytes], tmp_path: Path
) -> None:
    server.append("alice", "Resume", *ham[:6])
    uri = server.uri("alice", "Resume")
    store = CursorStore(tmp_path / "cursors.json")
    connector = open_source(uri, _options())
    seen = []
    for item in connector.iter_documents(store.load(uri)):
        seen.append(item)
        store.save(uri, connector.cursor)
        if len(seen) == 2:
            break  # a worker stopped part-way (shutdown, crash after saving)
    rest, _ = _sync(uri, since=store.load(uri))
    titles = [" ".join(d.title.split()) for d in [*seen, *rest]]
    assert titles == [_subject(r) for r in ham[:6]]


def test_reading_does_not_mark_messages_seen(server: DovecotServer, ham: list[bytes]) -> None:
    server.append("alice", "Unread", *ham[:3])
    items, _ = _sync(server.uri("alice", "Unread"))
    assert all("\\Seen" not in d.metadata["flags"] for d in items)
    client = server.client("alice")
    try:
        client.select_folder("Unread", readonly=True)
        assert client.search(["UNSEEN"]) == [1, 2, 3]
    finally:
        client.logout()


def test_implicit_tls_with_trusted_ca(server: DovecotServer, ham: list[bytes]) -> None:
    server.append("alice", "Tls", *ham[:2])
    items, _ = _sync(server.uri("alice", "Tls", tls=True), ca_file=str(server.ca_file))
    assert len(items) == 2 and all(isinstance(i, Document) for i in items)


def test_implicit_tls_rejects_untrusted_certificate(server: DovecotServer) -> None:
    with pytest.raises(ConfigError, match="certificate not trusted") as err:
        _sync(server.uri("alice", "INBOX", tls=True), ca_file="")
    assert "ca_file" in str(err.value)


def test_starttls_upgrades_the_plain_port(server: DovecotServer, ham: list[bytes]) -> None:
    server.append("alice", "StartTls", *ham[:1])
    before = server.log().count("TLS, session=")
    items, _ = _sync(server.uri("alice", "StartTls"), starttls=True)
    assert len(items) == 1
    # Dovecot logs each login; "TLS" marks a session that ran over TLS.
    assert server.log().count("TLS, session=") == before + 1

    items, _ = _sync(server.uri("alice", "StartTls"), starttls=False)
    assert len(items) == 1
    assert server.log().count("TLS, session=") == before + 1


def test_wrong_password_is_auth_error_without_the_secret(
    server: DovecotServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", WRONG)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as err:
        _sync(server.uri("alice", "INBOX"))
    message = str(err.value)
    assert "login refused for user 'alice'" in message
    assert "127.0.0.1" in message
    assert WRONG not in message and WRONG not in repr(err.value)
    assert WRONG not in caplog.text
    assert not err.value.retryable


def test_dead_port_is_transient(server: DovecotServer) -> None:
    port = free_port()
    with pytest.raises(TransientError, match=f"cannot connect to 127.0.0.1:{port}") as err:
        _sync(f"imap://alice@127.0.0.1:{port}/INBOX")
    assert err.value.retryable


def test_silent_server_times_out_as_transient() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        with pytest.raises(TransientError) as err:
            _sync(f"imap://alice@127.0.0.1:{port}/INBOX", timeout_s=0.5)
        assert err.value.retryable
    finally:
        for sock in accepted:
            sock.close()
        listener.close()


def test_missing_folder_names_it_and_lists_folders(server: DovecotServer) -> None:
    server.append("alice", "Existing", b"Subject: x\r\n\r\nbody\r\n")
    with pytest.raises(ConfigError, match="folder 'Nope' does not exist") as err:
        _sync(server.uri("alice", "Nope"))
    assert "Existing" in str(err.value)


def test_oversized_message_is_an_item_error_and_sync_goes_on(
    server: DovecotServer, ham: list[bytes]
) -> None:
    big = b"Subject: big\r\nFrom: a@example.com\r\n\r\n" + b"x" * 300_000 + b"\r\n"
    server.append("alice", "Big", ham[0], big, ham[1])
    items, cursor = _sync(server.uri("alice", "Big"), file_max_mb=0.2)
    assert [type(i).__name__ for i in items] == ["Document", "ItemError", "Document"]
    assert isinstance(items[1], ItemError) and "limit" in items[1].error
    assert items[1].source.endswith(";UID=2")
    assert cursor["last_uid"] == 3


def test_password_in_uri_is_refused() -> None:
    with pytest.raises(Exception, match="passwords do not belong") as err:
        ImapConnector("imap://alice:hunter2-xyz@127.0.0.1/INBOX")
    assert "hunter2-xyz" not in str(err.value)


def test_ingest_command_reads_imap_with_configured_credentials(
    server: DovecotServer,
    ham: list[bytes],
    deskdraft_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """End to end: config file → settings().source_options → connector → `ingest --json`."""
    import json

    from plugin.cli import main
    from plugin.config import settings

    server.append("alice", "Cli", *ham[:3])
    (deskdraft_home / "config.toml").write_text(
        f'[sources."imap://alice@127.0.0.1"]\n'
        f'password_env = "TEST_IMAP_PASSWORD"\n'
        f'ca_file = "{server.ca_file}"\n'
    )
    settings.cache_clear()
    caplog.set_level(logging.DEBUG)
    assert main(["ingest", "--json", server.uri("alice", "Cli")]) == 0
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]
    assert [" ".join(r["title"].split()) for r in records] == [_subject(r) for r in ham[:3]]
    assert PASSWORD not in out

    monkeypatch.setenv("TEST_IMAP_PASSWORD", WRONG)
    assert main(["ingest", "--json", server.uri("alice", "Cli")]) == 3
    captured = capsys.readouterr()
    error = json.loads(captured.out.strip())
    assert "login refused" in error["error"] and error["source"] == server.uri("alice", "Cli")
    assert WRONG not in captured.out + captured.err + caplog.text
