from __future__ import annotations

from pathlib import Path

import pytest

from connectors.errors import BadInputError, UsageError
from plugin.drafts.inputs import documents_from_input

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
