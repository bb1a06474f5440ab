from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.document import Document, content_id
from connectors.errors import TransientError, UsageError
from plugin.digest import store
from plugin.digest.compose import DigestDraft
from plugin.digest.inbox import parse_since
from tests.servers.smtp import SmtpSink, smtp_sink

READER = "me@deskdraft.test"


def _doc(n: int, subject: str, text: str, to: str = READER) -> Document:
    return Document(
        id=content_id(str(n), text),
        kind="email",
        source=f"test:{n}",
        title=subject,
        author=f"Sender {n} <s{n}@example.com>",
        to=[to],
        date=datetime(2026, 3, 2, 9, n, tzinfo=UTC),
        text=text,
        message_id=f"m{n}@example.com",
    )


DOCS = [
    _doc(1, "Lunch menu", "The canteen serves pasta this week.", to="all@example.com"),
    _doc(2, "Contract", "Please sign the contract and return it by Friday."),
    _doc(3, "Newsletter", "Our product news for March.", to="news@example.com"),
]


@pytest.fixture()
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as server:
        yield server


def test_since_accepts_durations_all_and_cursor() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert parse_since("24h", now) == (now - timedelta(hours=24), False)
    assert parse_since("7d", now) == (now - timedelta(days=7), False)
    assert parse_since("all", now) == (None, False)
    assert parse_since("cursor", now) == (None, True)
    with pytest.raises(UsageError, match="invalid --since"):
        parse_since("yesterday", now)


def test_ranking_puts_direct_requests_first_and_counts_what_the_cap_left_out(
    tiny_engine: object,
) -> None:
    [draft] = DigestDraft(tiny_engine).draft(DOCS, {"to": READER, "max_messages": 2})
    data = draft.data
    assert data["messages"] == 3 and data["included"] == 2 and data["left_out"] == 1
    assert data["threads"][0]["subject"] == "Contract"
    assert "addressed to you" in data["threads"][0]["reasons"]
    assert any("sign the contract" in a["text"] for a in data["action_items"])


def test_failed_delivery_keeps_the_digest_and_a_retry_sends_it_once(
    tiny_engine: object, sink: SmtpSink
) -> None:
    options = {"to": READER, "deliver": sink.url, "schedule_id": "s", "period": "p1"}
    sink.refuse_with = "451 4.3.0 mailbox busy"
    with pytest.raises(TransientError):
        DigestDraft(tiny_engine).draft(DOCS, options)
    record = store.lookup("s", "p1")
    assert record is not None and record.status == "failed" and record.path.is_file()

    sink.refuse_with = None
    [retried] = DigestDraft(tiny_engine).draft([], options)  # no documents: from the ledger
    assert len(sink.messages) == 1
    assert retried.data["threads"][0]["subject"] == "Contract"
    [again] = DigestDraft(tiny_engine).draft(DOCS, options)
    assert "already delivered" in again.data["delivery"]
    assert len(sink.messages) == 1


def test_folder_source_and_empty_period(tiny_engine: object, tmp_path: Path) -> None:
    empty = tmp_path / "inbox"
    empty.mkdir()
    [draft] = DigestDraft(tiny_engine).draft(
        [], {"source": str(empty), "since": "all", "deliver": f"dir:{tmp_path / 'out'}"}
    )
    assert draft.data["empty"] and "not sent" in draft.data["delivery"]
    assert not (tmp_path / "out").exists()
    assert draft.text == "No new mail in this period."
