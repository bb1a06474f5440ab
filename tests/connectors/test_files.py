"""File sources: paths, recursive directories, mbox:, maildir:, cursors, errors, and the
guarantee that attachments are never written to disk outside the data dir."""

from __future__ import annotations

import io
import mailbox
import os
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from connectors.base import ItemError, open_source
from connectors.document import Document
from connectors.files import FileConnector, MaildirConnector, MboxConnector
from plugin.config import data_dir


def _mail(subject: str, body: str = "Body text") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg["To"] = "b@example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{subject.replace(' ', '')}@example.com>"
    msg.set_content(body)
    return msg


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "mail" / "2025").mkdir(parents=True)
    (root / "mail" / "2025" / "hello.eml").write_bytes(_mail("Hello").as_bytes())
    document = docx.Document()
    document.add_paragraph("Word text")
    document.save(root / "plan.docx")
    wb = openpyxl.Workbook()
    wb.active.append(["k", "v"])
    wb.active.append(["a", 1])
    wb.save(root / "mail" / "sheet.xlsx")
    (root / "notes.txt").write_text("Plain note\nsecond line")
    (root / "broken.docx").write_bytes(b"not a zip")
    (root / "picture.png").write_bytes(b"\x89PNG")  # unsupported: skipped in directories
    (root / ".hidden.eml").write_bytes(_mail("Hidden").as_bytes())
    return root


def test_directory_is_read_recursively_with_errors_as_records(tree: Path) -> None:
    items = list(open_source(str(tree)).iter_documents())
    docs = {Path(i.source).name: i for i in items if isinstance(i, Document)}
    errors = [i for i in items if isinstance(i, ItemError)]
    assert set(docs) == {"hello.eml", "plan.docx", "sheet.xlsx", "notes.txt"}
    assert docs["notes.txt"].kind == "text" and docs["notes.txt"].title == "Plain note"
    assert [Path(e.source).name for e in errors] == ["broken.docx"]
    assert "not a valid Word file" in errors[0].error


def test_cursor_skips_unchanged_files(tree: Path) -> None:
    connector = FileConnector(str(tree))
    first = list(connector.iter_documents())
    assert len(first) == 5
    cursor = connector.cursor
    again = FileConnector(str(tree))
    assert list(again.iter_documents(since=cursor)) == []
    (tree / "new.eml").write_bytes(_mail("New one").as_bytes())
    (new,) = FileConnector(str(tree)).iter_documents(since=cursor)
    assert isinstance(new, Document) and new.title == "New one"


def test_single_unsupported_file_and_missing_path(tree: Path) -> None:
    (item,) = FileConnector(str(tree / "picture.png")).iter_documents()
    assert isinstance(item, ItemError) and "unsupported file type '.png'" in item.error
    from connectors.errors import UsageError

    with pytest.raises(UsageError):
        list(FileConnector(str(tree / "missing.eml")).iter_documents())


def test_mbox_and_maildir(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    for i in range(3):
        box.add(_mail(f"Mbox {i}"))
    box.close()
    connector = MboxConnector(f"mbox:{tmp_path / 'inbox.mbox'}")
    docs = list(connector.iter_documents())
    assert [d.title for d in docs] == ["Mbox 0", "Mbox 1", "Mbox 2"]
    assert docs[0].source.endswith("inbox.mbox#0")
    assert (
        list(
            MboxConnector(f"mbox:{tmp_path / 'inbox.mbox'}").iter_documents(since=connector.cursor)
        )
        == []
    )
    # a .mbox file inside a directory is read as a mailbox
    assert len(list(FileConnector(str(tmp_path)).iter_documents())) == 3

    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(_mail("Md one"))
    maildir.add(_mail("Md two"))
    maildir.close()
    docs = list(open_source(f"maildir:{tmp_path / 'Maildir'}").iter_documents())
    assert sorted(d.title for d in docs) == ["Md one", "Md two"]
    assert all(d.source.startswith("maildir:") for d in docs)
    md = MaildirConnector(f"maildir:{tmp_path / 'Maildir'}")
    list(md.iter_documents())
    assert (
        list(MaildirConnector(f"maildir:{tmp_path / 'Maildir'}").iter_documents(since=md.cursor))
        == []
    )


class _WriteWatch:
    """Records every file opened for writing (through Python's audit hooks)."""

    active = False
    writes: list[str] = []  # noqa: RUF012 - shared by the one hook installed per process

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.active or event != "open":
            return
        path, mode, flags = [*args, None, None, None][:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writing and isinstance(path, str | bytes | os.PathLike):
            cls.writes.append(os.fsdecode(path))


_installed = False


@pytest.fixture
def write_watch() -> Iterator[type[_WriteWatch]]:
    global _installed
    if not _installed:
        sys.addaudithook(_WriteWatch.hook)
        _installed = True
    _WriteWatch.writes = []
    _WriteWatch.active = True
    yield _WriteWatch
    _WriteWatch.active = False


def test_attachments_are_never_written_outside_the_data_dir(
    tmp_path: Path, write_watch: Any
) -> None:
    document = docx.Document()
    document.add_paragraph("Attached words")
    docx_buffer = io.BytesIO()
    document.save(docx_buffer)
    wb = openpyxl.Workbook()
    wb.active.append(["x", 1])
    xlsx_buffer = io.BytesIO()
    wb.save(xlsx_buffer)
    msg = _mail("With attachments")
    msg.add_attachment(
        docx_buffer.getvalue(), maintype="application", subtype="octet-stream", filename="a.docx"
    )
    msg.add_attachment(
        xlsx_buffer.getvalue(),
        maintype="application",
        subtype="octet-stream",
        filename="../../escape.xlsx",
    )
    msg.add_attachment(_mail("Inner"))
    msg.add_attachment(
        b"\0" * 1000, maintype="application", subtype="octet-stream", filename="/etc/evil.bin"
    )
    path = tmp_path / "in.eml"
    path.write_bytes(msg.as_bytes())
    assert str(path) in write_watch.writes  # the watch sees writes
    before = set(os.listdir(tmp_path))
    write_watch.writes = []
    (doc,) = FileConnector(str(path)).iter_documents()
    assert isinstance(doc, Document)
    assert [a.document is not None for a in doc.attachments] == [True, True, True, False]
    allowed = str(data_dir())
    outside = [w for w in write_watch.writes if not w.startswith(allowed)]
    assert outside == []
    assert set(os.listdir(tmp_path)) == before
    assert not (tmp_path.parent / "escape.xlsx").exists()


def test_corpus_attachments_write_nothing(corpus_dir: Path, write_watch: Any) -> None:
    for path in [
        corpus_dir / "msg/poi-attachment_msg_pdf.msg",
        corpus_dir / "msg/simple-java-mail-n298_Email_with_nested_msg.msg",
        corpus_dir / "mail/fixtures/mikel-mail/attachment_pdf.eml",
        corpus_dir / "mail/fixtures/mikel-mail/raw_email_with_nested_attachment.eml",
    ]:
        (doc,) = FileConnector(str(path)).iter_documents()
        assert isinstance(doc, Document) and doc.attachments
    assert [w for w in write_watch.writes if not w.startswith(str(data_dir()))] == []


def test_a_text_file_is_read_with_plain_quotes_and_line_ends(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes("Don\u2019t forget the \u201cQ3\u201d deck.\r\nThanks\u00a0all\r\n".encode())
    (doc,) = FileConnector(str(note)).iter_documents()
    assert isinstance(doc, Document)
    assert doc.text == 'Don\'t forget the "Q3" deck.\nThanks all'
