"""A mail as the Outlook add-in reads it (body text and internet headers), cleaned on the
server as fetched mail is."""

from __future__ import annotations

from datetime import datetime

import pytest

from connectors.client_mail import client_mail
from connectors.errors import BadInputError

HEADERS = (
    "Received: from mx.example.com by mail.example.com; Tue, 1 Dec 2026 15:00:05 +0000\r\n"
    "From: Ann Lee <ann@example.com>\r\n"
    "To: Bob Stone <bob@example.com>\r\n"
    "Subject: Re: Q3 budget\r\n"
    "Date: Tue, 01 Dec 2026 09:00:00 -0600\r\n"
    "Message-ID: <a1@example.com>\r\n"
    "In-Reply-To: <b0@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/alternative;\r\n\tboundary="_000_part_"\r\n'
    "Content-Transfer-Encoding: base64\r\n"
)
# Outlook's text view of a bottom-posted answer: the history first, then the answer, then
# the signature. The pane's own split used to send only the attribution line.
BODY = (
    "On Mon, Nov 30, 2026 at 5:00 PM Bob Stone <bob@example.com> wrote:\r\n"
    "> Can you send the Q3 figures?\r\n"
    "\r\n"
    "Yes, I\u2019ll send them by Friday.\r\n"
    "Could you confirm the cost center?\r\n"
    "\r\n"
    "--\r\n"
    "Ann Lee\r\n"
    "ACME Corp | 555-0100\r\n"
)


def test_the_answer_below_the_history_is_the_text_and_the_headers_are_read() -> None:
    doc = client_mail(
        {
            "kind": "email",
            "source": "outlook:AAMk1",
            "title": "Re: Q3 budget",
            "body": BODY,
            "headers": HEADERS,
            "thread_key": "conv-1",
            "metadata": {"timezone": "America/Chicago", "attachments": []},
        }
    )
    assert doc.kind == "email" and doc.source == "outlook:AAMk1"
    assert doc.text == "Yes, I'll send them by Friday.\nCould you confirm the cost center?"
    assert doc.quoted.startswith("On Mon, Nov 30, 2026") and "Q3 figures" in doc.quoted
    assert doc.metadata["signature"] == "--\nAnn Lee\nACME Corp | 555-0100"
    assert (doc.author, doc.to, doc.title) == (
        "Ann Lee <ann@example.com>",
        ["Bob Stone <bob@example.com>"],
        "Re: Q3 budget",
    )
    assert doc.date == datetime.fromisoformat("2026-12-01T09:00:00-06:00")
    assert (doc.message_id, doc.in_reply_to) == ("a1@example.com", "b0@example.com")
    # the original body's MIME headers do not describe the text: it is read as plain text
    assert doc.metadata["content_type"] == "text/plain"
    assert doc.metadata["category"] == "person" and "reply" in doc.metadata["signals"]
    assert doc.metadata["conversation_id"] == "conv-1" and doc.thread_key
    assert doc.metadata["timezone"] == "America/Chicago"


def test_a_newsletter_is_categorised_by_its_headers() -> None:
    headers = (
        "From: Deals <news@shop.example>\r\nTo: bob@example.com\r\nSubject: This week\r\n"
        "List-Unsubscribe: <https://shop.example/u?id=1>\r\nPrecedence: bulk\r\n"
        "List-Id: Weekly deals <deals.shop.example>\r\n"
    )
    body = "This week's deals: 20% off all tents.\r\nRead more at shop.example."
    doc = client_mail({"source": "outlook:2", "body": body, "headers": headers})
    assert doc.metadata["category"] != "person"
    assert {"list_id", "list_unsubscribe"} <= set(doc.metadata["signals"])


def test_a_draft_being_written_takes_the_add_ins_own_fields() -> None:
    draft = {
        "source": "outlook:draft",
        "title": "Re: Lunch",
        "from": "",
        "to": ["Ann Lee <ann@example.com>"],
        "date": "2026-12-01T10:30:00-06:00",
        "body": "Thursday is fine.\n\nFrom: Ann Lee\nSent: Monday\nSubject: Lunch\n\nLunch Thu?",
        "headers": "",
    }
    doc = client_mail(draft)
    assert doc.text == "Thursday is fine."
    assert "Lunch Thu?" in doc.quoted
    assert doc.title == "Re: Lunch" and doc.to == ["Ann Lee <ann@example.com>"]
    assert doc.date == datetime.fromisoformat("2026-12-01T10:30:00-06:00")


def test_bad_input_names_the_item() -> None:
    with pytest.raises(BadInputError, match="must be strings") as caught:
        client_mail({"source": "outlook:3", "body": ["not", "text"]})
    assert caught.value.item == "outlook:3"
    huge = "x" * (2 * 1024 * 1024)
    with pytest.raises(BadInputError, match="over the 1 MB limit") as caught:
        client_mail({"source": "outlook:4", "body": huge}, {"limits": {"file_max_mb": 1}})
    assert caught.value.item == "outlook:4"
