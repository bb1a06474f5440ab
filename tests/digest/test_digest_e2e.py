"""A digest from a real Dovecot mailbox, drafted by the real model, sent to a real SMTP sink."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest

from plugin.config import settings
from plugin.digest.compose import DigestDraft
from tests.servers.dovecot import DovecotServer, dovecot_server
from tests.servers.smtp import SmtpSink, smtp_sink

READER = "me@deskdraft.test"
PASSWORD = "Digest-Pa55word"


def _mail(
    subject: str,
    sender: str,
    body: str,
    date: str,
    message_id: str,
    in_reply_to: str | None = None,
    to: str = READER,
) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = date
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    return msg.as_bytes()


THREAD = [
    _mail(
        "Quarterly budget review",
        "Ann Lee <ann@example.com>",
        "Hi,\n\nCan you send me the Q3 budget figures by Friday? The board meets next "
        "week and I need the totals for marketing and sales.\n\nThanks,\nAnn\n",
        "Mon, 02 Mar 2026 09:15:00 +0100",
        "<budget-1@example.com>",
    ),
    _mail(
        "Re: Quarterly budget review",
        "Ann Lee <ann@example.com>",
        "Also, let's meet on Wednesday, March 4 at 2pm to go through the budget together.\n\nAnn\n",
        "Mon, 02 Mar 2026 11:40:00 +0100",
        "<budget-2@example.com>",
        in_reply_to="<budget-1@example.com>",
    ),
]


@pytest.fixture()
def mailbox(corpus_dir: Path) -> Iterator[DovecotServer]:
    ham = sorted((corpus_dir / "mail" / "spamassassin").glob("easy-ham-*.eml"))[:4]
    with dovecot_server({"me": PASSWORD}) as server:
        server.append("me", "INBOX", *THREAD, *(p.read_bytes() for p in ham))
        yield server


@pytest.fixture()
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as server:
        yield server


@pytest.mark.integration
def test_digest_from_dovecot_delivered_by_smtp(
    mailbox: DovecotServer,
    sink: SmtpSink,
    real_engine: object,
    deskdraft_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = mailbox.uri("me")
    (deskdraft_home / "config.toml").write_text(
        f'[sources."{source.rsplit("/", 1)[0]}"]\npassword_env = "DIGEST_TEST_PW"\n'
        f'ca_file = "{mailbox.ca_file}"\n'
    )
    monkeypatch.setenv("DIGEST_TEST_PW", PASSWORD)
    settings.cache_clear()
    options = {
        "source": source,
        "since": "cursor",
        "to": READER,
        "deliver": sink.url,
        "schedule_id": "test-schedule",
        "period": "2026-03-02T12:00:00+00:00",
    }

    [draft] = DigestDraft(real_engine).draft([], options)

    data = draft.data
    assert data["messages"] == 6 and data["left_out"] == 0
    assert len(sink.messages) == 1
    received = sink.messages[0].message
    assert sink.messages[0].recipients == [READER]
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    # The budget thread is one thread, ranked first: addressed to the reader with a request.
    budget = data["threads"][0]
    assert budget["subject"].endswith("Quarterly budget review")
    assert budget["count"] == 2
    assert "addressed to you" in budget["reasons"] and "asks something of you" in budget["reasons"]
    first_line = budget["summary"].splitlines()[0]
    assert first_line and first_line in text and first_line in html
    assert "Q3 budget" in budget["summary"]
    assert len(data["threads"]) == 5
    # The reader's action items and the meeting suggestion, with a valid .ics.
    assert any("budget" in a["text"].lower() for a in data["action_items"])
    assert "Your action items" in html
    [ics_part] = list(received.iter_attachments())
    calendar = icalendar.Calendar.from_ical(ics_part.get_content())
    events = list(calendar.walk("VEVENT"))
    assert events, "the meeting proposal should become a VEVENT"
    starts = [event.decoded("dtstart") for event in events]
    proposed = datetime(2026, 3, 4, 14, 0, tzinfo=timezone(timedelta(hours=1)))
    assert proposed in starts

    # Same schedule, same period: nothing is sent twice.
    [again] = DigestDraft(real_engine).draft([], options)
    assert len(sink.messages) == 1
    assert "already delivered" in again.data["delivery"]

    # The cursor moved on: the next period has no new mail, and says so without sending.
    quiet = {**options, "period": "2026-03-03T12:00:00+00:00"}
    [empty] = DigestDraft(real_engine).draft([], quiet)
    assert empty.data["messages"] == 0 and empty.data["empty"]
    assert "not sent" in empty.data["delivery"]
    assert len(sink.messages) == 1
