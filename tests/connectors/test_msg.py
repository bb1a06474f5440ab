"""Outlook .msg items through extract-msg: mail, embedded items, other item classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.errors import BadInputError
from connectors.msg import read_msg


def test_plain_mail_item(corpus_dir: Path) -> None:
    doc = read_msg(corpus_dir / "msg/poi-quick.msg", "quick.msg")
    assert doc.kind == "email"
    assert doc.title == "Test the content transformer"
    assert doc.text == "The quick brown fox jumps over the lazy dog"
    assert doc.to == ["Kevin Roast <kevin.roast@alfresco.org>"]
    assert doc.date is not None and doc.date.tzinfo is not None


def test_display_names_with_commas_stay_whole(corpus_dir: Path) -> None:
    doc = read_msg(corpus_dir / "msg/poi-outlook_30_msg.msg", "o.msg")
    assert doc.author.startswith("Cramer, Nick")
    # extract-msg hands names over as '"Bohn; Shawn J" <shawn.bohn@pnl.gov>;\t"Calapristi; …'
    assert doc.to[0] == "Bohn; Shawn J <shawn.bohn@pnl.gov>"
    assert len(doc.to) == len([a for a in doc.to if "@pnl.gov>" in a]) > 5


def test_embedded_items_and_attachments_are_parsed_in_memory(corpus_dir: Path) -> None:
    doc = read_msg(corpus_dir / "msg/poi-attachment_msg_pdf.msg", "outer.msg")
    inner = next(a for a in doc.attachments if a.document is not None)
    assert inner.kind == "application/vnd.ms-outlook"
    assert inner.document.source.startswith("outer.msg#attachment/")
    pdf = next(a for a in doc.attachments if a.name.endswith(".pdf"))
    assert pdf.size == 13539 and pdf.document is None


def test_html_only_and_rtf_bodies(corpus_dir: Path) -> None:
    assert "HTML öäü" in read_msg(corpus_dir / "msg/poi-HTMLBodyBinary_UTF-8.msg", "h").text
    rtf = read_msg(corpus_dir / "msg/msgreader-RtfSampleEmail.msg", "r")
    assert rtf.text.startswith("BOOK ONE: 1805")


def test_other_item_classes_are_kept_with_their_class(corpus_dir: Path) -> None:
    doc = read_msg(corpus_dir / "msg/poi-msgClassAppointment.msg", "a")
    assert doc.metadata["message_class"].startswith("IPM.Appointment")
    assert "meeting to discuss jumping" in doc.text


def test_smime_blob_is_not_shown_as_text(corpus_dir: Path) -> None:
    doc = read_msg(corpus_dir / "msg/simple-java-mail-S_MIME_test_message_encrypted.msg", "s")
    assert doc.metadata.get("smime") is True
    assert "\x06" not in doc.text


def test_broken_and_wrong_files() -> None:
    with pytest.raises(BadInputError, match="no OLE signature"):
        read_msg(b"From: a@b\r\n\r\nhi", "plain.msg")
    with pytest.raises(BadInputError, match=r"broken Outlook \.msg file"):
        read_msg(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "trunc.msg")
