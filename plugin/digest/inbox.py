"""Fetch the mail a digest covers: new mail of one source since a time or a saved cursor.

``--since`` takes ``24h``/``7d``/``2w``, ``all`` or ``cursor`` (``parse_since``); the
newest mail is kept up to the cap and the rest is only counted (``Fetched.total``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import ItemError, open_source
from connectors.document import Document
from connectors.errors import UsageError
from plugin.config import settings
from plugin.digest import store

_DURATION = re.compile(r"^(\d+)\s*([hdw])$")


@dataclass(slots=True)
class Fetched:
    documents: list[Document]
    total: int
    errors: list[ItemError]
    cursor: dict[str, Any] | None


def parse_since(since: str | None, now: datetime) -> tuple[datetime | None, bool]:
    """``24h``/``7d``/``2w`` → a start time; ``all`` → None; ``cursor`` → use the saved cursor."""
    text = (since or "24h").strip().lower()
    if text == "all":
        return None, False
    if text == "cursor":
        return None, True
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"invalid --since {since!r}", hint="use 24h, 7d, 2w, all or cursor")
    amount, unit = int(match.group(1)), match.group(2)
    delta = {
        "h": timedelta(hours=amount),
        "d": timedelta(days=amount),
        "w": timedelta(weeks=amount),
    }[unit]
    return now - delta, False


def fetch(
    source: str, since: str | None, cap: int, cursor_key: str, now: datetime | None = None
) -> Fetched:
    now = now or datetime.now(UTC)
    start, use_cursor = parse_since(since, now)
    saved = store.load_cursor(cursor_key) if use_cursor else None
    mails: list[Document] = []
    errors: list[ItemError] = []
    with open_source(source, settings().source_options(source)) as connector:
        for item in connector.iter_documents(since=saved):
            if isinstance(item, ItemError):
                errors.append(item)
                continue
            if item.kind != "email":
                continue
            if start is not None and (item.date is None or item.date < start):
                continue
            mails.append(item)
        cursor = connector.cursor
    # Newest first, so the cap keeps the most recent mail; the rest is counted.
    mails.sort(key=lambda d: d.date or datetime.min.replace(tzinfo=UTC), reverse=True)
    return Fetched(mails[:cap], len(mails), errors, cursor)


__all__ = ["Fetched", "fetch", "parse_since"]
