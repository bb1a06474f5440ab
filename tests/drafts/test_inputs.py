from __future__ import annotations

from pathlib import Path

import pytest

from connectors.errors import BadInputError, UsageError
from plugin.drafts.inputs import documents_from_input
from plugin.drafts.summary.actions import extract_actions

SAMPLE = Path(__file__).resolve().parents[2] / "plugin" / "samples" / "welcome.eml"


def test_text_document_and_source_inputs() -> None:
    (text,) = documents_from_input({"text": "  Please send the report.\n"})
    assert text.kind == "text" and text.text == "Please send the report."
    (mail,) = documents_from_input({"source": str(SAMPLE)})
    assert mail.kind == "email" and "headcount estimate" in mail.text
    assert mail.title == "Welcome to the Q3 planning group"
    (again,) = documents_from_input({"document": mail.to_json(full=True)})
    assert again.text == mail.text and again.date == mail.date and again.id == mail.id


def test_bad_inputs_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="empty"):
        documents_from_input({"text": "   "})
    with pytest.raises(UsageError, match="'text', 'source' or 'document'"):
        documents_from_input({"url": "x"})
    with pytest.raises(UsageError, match="unknown source type"):
        documents_from_input({"source": "gopher://host/x"})
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip at all")
    with pytest.raises(BadInputError, match=r"broken\.docx"):
        documents_from_input({"source": str(broken)})


def test_what_the_panes_send_is_read_with_plain_quotes_at_the_same_offsets() -> None:
    # Outlook and Word type ’ “ ” and no-break spaces; the rules read ' " and spaces, and
    # the pane highlights a draft's sources by offsets into the text it sent.
    sent = (
        "Hi Ann,\r\nI\u2019d appreciate it if you could send the \u201cQ3\u201d file.\u00a0Thanks"
    )
    pane_mail = {"kind": "email", "source": "outlook:1", "title": "Q3\u2019s file", "text": sent}
    (mail,) = documents_from_input({"document": pane_mail})
    assert mail.text == 'Hi Ann,\r\nI\'d appreciate it if you could send the "Q3" file. Thanks'
    assert len(mail.text) == len(sent) and mail.title == "Q3's file"
    assert [a.text for a in extract_actions(mail.text)] == [
        'I\'d appreciate it if you could send the "Q3" file.'
    ]
    word = {
        "kind": "docx",
        "source": "word:document",
        "sections": [
            {"heading": "Bo\u2019s notes", "blocks": [{"kind": "paragraph", "text": "Don\u2019t"}]}
        ],
    }
    (doc,) = documents_from_input({"document": word})
    assert doc.sections[0].heading == "Bo's notes" and doc.full_text() == "Bo's notes\nDon't"
    (text,) = documents_from_input({"text": "We\u2019ll need the \u2018final\u2019 deck.\r\n"})
    assert text.text == "We'll need the 'final' deck."


def test_a_workbooks_cells_are_data_and_stay_as_sent() -> None:
    cells = [["Owner\u2019s", 3], ["\u201cA\u201d", None]]
    sheet = {"kind": "xlsx", "source": "excel:A1:B2", "sheets": [{"name": "S", "cells": cells}]}
    (book,) = documents_from_input({"document": sheet})
    assert (
        book.sheets[0].cells[0][0] == "Owner\u2019s"
        and book.sheets[0].cells[1][0] == "\u201cA\u201d"
    )
