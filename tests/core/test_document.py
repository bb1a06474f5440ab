from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.document import Block, Document, Section, content_id
from tests.conftest import RECORD_KEYS


def test_content_id_is_stable_and_sensitive() -> None:
    assert content_id("a", "b") == content_id("a", "b")
    assert content_id("a", "b") != content_id("ab", "")
    assert len(content_id(b"raw")) == 32


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Document(id="x", kind="email", source="s", date=datetime(2024, 1, 1))


def test_json_round_trip_keeps_the_contract_keys() -> None:
    doc = Document(
        id=content_id("m1"),
        kind="email",
        source="file:///tmp/m1.eml",
        title="Budget",
        author="Ann <ann@example.com>",
        to=["bob@example.com"],
        date=datetime(2024, 10, 16, 9, 30, tzinfo=UTC),
        text="Please send the Q3 numbers.",
        sections=[Section("Intro", 1, [Block("paragraph", "Hello")])],
    )
    record = doc.to_json()
    assert list(record) == RECORD_KEYS
    again = Document.from_json(doc.to_json(full=True))
    assert again.id == doc.id
    assert again.date == doc.date
    assert again.sections[0].blocks[0].text == "Hello"
    assert again.full_text() == "Intro\nHello"


def test_from_json_makes_an_id_when_missing() -> None:
    doc = Document.from_json({"text": "hi", "date": datetime(2024, 1, 1, tzinfo=UTC).isoformat()})
    assert doc.id and doc.kind == "text"
