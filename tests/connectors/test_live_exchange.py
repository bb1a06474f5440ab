"""Opt-in live tests against a real Exchange (EWS) server and a Microsoft 365 tenant (Graph).

Enable with a settings file: ``tests/live.toml`` or the path in ``DESKDRAFT_LIVE_SETTINGS``
(format in docs/connectors.md). Without one they skip, saying so. Reads only, unless the
section sets ``allow_writes = true`` (then one tentative draft event is created).
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ItemError, open_source
from connectors.calendar import CalendarSource, NewEvent
from connectors.document import Document

# Read at import: the suite's autouse fixture clears DESKDRAFT_* variables per test.
_PATH = Path(
    os.environ.get("DESKDRAFT_LIVE_SETTINGS") or Path(__file__).resolve().parents[1] / "live.toml"
)


def _section(name: str) -> dict[str, Any]:
    if not _PATH.is_file():
        pytest.skip(
            f"live {name} test not configured: no settings file at {_PATH} "
            "(set DESKDRAFT_LIVE_SETTINGS; see docs/connectors.md)"
        )
    section = tomllib.loads(_PATH.read_text(encoding="utf-8")).get(name)
    if not section or not section.get("uri"):
        pytest.skip(f"live {name} test not configured: no [{name}] uri in {_PATH}")
    return dict(section)


def _exercise(section: dict[str, Any]) -> None:
    uri = section.pop("uri")
    allow_writes = bool(section.pop("allow_writes", False))
    limit = int(section.pop("max_messages", 5))
    with open_source(uri, section) as source:
        items = []
        for item in source.iter_documents():
            items.append(item)
            if len(items) >= limit:
                break
        assert all(isinstance(i, Document | ItemError) for i in items)
        for doc in (i for i in items if isinstance(i, Document)):
            assert doc.kind == "email" and doc.date is not None and doc.date.tzinfo
        assert source.cursor, "a sync must leave a cursor to resume from"
        assert isinstance(source, CalendarSource)
        now = datetime.now(UTC)
        busy = source.busy_intervals(now, now + timedelta(days=7))
        assert busy == sorted(busy)
        assert all(s.tzinfo and e > s for s, e in busy)
        if allow_writes:
            start = (now + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
            event_id = source.create_event(
                NewEvent("deskdraft live test (draft)", start, start + timedelta(minutes=30))
            )
            assert event_id


@pytest.mark.live
def test_live_ews() -> None:
    _exercise(_section("ews"))


@pytest.mark.live
def test_live_graph() -> None:
    _exercise(_section("graph"))
