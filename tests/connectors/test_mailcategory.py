"""Mail categories from headers (``connectors.mailcategory``), on real corpus mail."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from connectors.mailcategory import header_category, text_signals
from connectors.mailparse import parse_message
from plugin.cli import main

BOUNCES = [
    "flanker/delayed.eml",
    "flanker/mailbox-full.eml",
    "flanker/office365.eml",
    "flanker/gmail-invalid-address.eml",
]


def _corpus(corpus_dir: Path, relative: str):
    path = corpus_dir / "mail" / relative
    return parse_message(path.read_bytes(), str(path))


@pytest.mark.parametrize("relative", BOUNCES)
def test_bounces_are_settled_notifications(corpus_dir: Path, relative: str) -> None:
    doc = _corpus(corpus_dir, "fixtures/" + relative)
    assert doc.metadata["category"] == "notification"
    assert doc.metadata["category_source"] == "headers"
    assert header_category(doc.metadata["signals"]) == ("notification", True)
    assert {"report", "daemon_sender", "auto_submitted", "null_return_path"} & set(
        doc.metadata["signals"]
    )


def test_read_receipt_is_a_notification(corpus_dir: Path) -> None:
    doc = _corpus(corpus_dir, "fixtures/flanker/disposition-notification.eml")
    assert "report" in doc.metadata["signals"]
    assert doc.metadata["category"] == "notification"


@pytest.mark.parametrize(
    "name",
    [
        "easy-ham-1_00083.d6bec4788401bc0df20b740557680768.eml",  # FoRK (Mailman List-Id)
        "easy-ham-2_00093.ae2f7bf4ac265b89b75fc14747d84c1d.eml",  # ILUG
        "hard-ham-1_00210.79fd0e04bf1db9acf7fcfa18898b2fe3.eml",  # pgsql-sql: only a list Sender
    ],
)
def test_discussion_lists_are_lists(corpus_dir: Path, name: str) -> None:
    doc = _corpus(corpus_dir, "spamassassin/" + name)
    assert "list_id" in doc.metadata["signals"]
    assert doc.metadata["category"] == "list"


def test_newsletters_carry_bulk_signals_but_stay_open_for_the_model(corpus_dir: Path) -> None:
    # CNET Shopper: a mass mailer and a VERP return path, no list headers
    doc = _corpus(corpus_dir, "spamassassin/hard-ham-1_00044.b2f03a4d512deb2c4702a3bd60a4fd88.eml")
    assert {"bulk_sender", "bulk_mailer"} <= set(doc.metadata["signals"])
    assert header_category(doc.metadata["signals"]) == ("list", False)


def test_a_persons_mail_is_person(corpus_dir: Path) -> None:
    doc = _corpus(corpus_dir, "fixtures/flanker/iphone.eml")
    assert doc.metadata["category"] == "person"
    assert not header_category(doc.metadata["signals"])[1]


def _mail(**headers: str) -> bytes:
    body = headers.pop("body", "Hi Bob,\n\nsee you soon.\n")
    msg = EmailMessage()
    msg["From"] = headers.pop("from_", "Ann <ann@example.com>")
    msg["To"] = "bob@example.com"
    msg["Subject"] = headers.pop("subject", "Hello")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def test_receipt_phrases_settle_a_receipt() -> None:
    raw = _mail(from_="Shop <orders@shop.example>", subject="Your order confirmation #4411")
    doc = parse_message(raw, "t")
    assert doc.metadata["category"] == "receipt"
    assert header_category(doc.metadata["signals"]) == ("receipt", True)


def test_auto_reply_and_precedence() -> None:
    ooo = parse_message(
        _mail(subject="Out of office: back Monday", Auto_Submitted="auto-replied"), "t"
    )
    assert ooo.metadata["category"] == "notification"
    bulk = parse_message(_mail(Precedence="bulk", List_Unsubscribe="<mailto:u@x>"), "t")
    assert {"bulk", "list_unsubscribe"} <= set(bulk.metadata["signals"])
    # "summer vacation" in a subject is not an auto-reply
    sale = parse_message(_mail(subject="Cameras for your summer vacation"), "t")
    assert "auto_submitted" not in sale.metadata["signals"]


def test_ingest_json_shows_the_category(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus_dir / "mail" / "fixtures" / "flanker" / "mailbox-full.eml"
    assert main(["ingest", str(path), "--json"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    assert record["category"] == "notification"


def test_text_shape_signals_for_mail_without_bulk_headers() -> None:
    # Enron-era newsletters and spam carry no list headers: their text gives them away.
    spam = text_signals(
        "Don't pass this up",
        "Dear Friend, We at Hot Deals value you as one of our opt-in subscribers. We hope "
        "you enjoy our offers and we will send you more.",
        400,
        "To be removed from our list, reply with REMOVE ME.",
    )
    assert {"opt_out", "customer_greeting", "we_voice"} <= spam
    notice = text_signals(
        "Out of Office AutoReply: Moran", "I am out of the office until Monday.", 60
    )
    assert "auto_submitted" in notice and header_category(notice) == ("notification", True)
    assert "notice_subject" in text_signals("ACG September Luncheon - REMINDER", "", 0)
    assert "customer_greeting" in text_signals("x", "Dear Power Outage Database Customer,", 40)
    assert "group_greeting" in text_signals("x", "Hi everyone - dinner is at 6:30 pm.", 40)
    assert "html_residue" in text_signals("x", "Join us=20 =09 on the 5th=20 today=20", 40)
    # a person's note: none of them ("Geoff unsubscribed from our group" is not an opt-out)
    person = text_signals(
        "Lunch",
        "Jim: I unsubscribed Geoff from the list. Could you call me about lunch? I'm free.",
        90,
    )
    assert not person & {
        "opt_out",
        "customer_greeting",
        "group_greeting",
        "we_voice",
        "notice_subject",
        "html_residue",
    }
