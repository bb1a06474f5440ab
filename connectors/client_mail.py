"""A mail as the Outlook add-in reads it: its internet headers and its body as plain text.

office.js cannot hand out the raw message, but it gives the headers
(``getAllInternetHeadersAsync``) and the body as the reader sees it
(``body.getAsync(Text)``). The two are put back together as one plain-text RFC 822 message
and go through the one mail parser (``remote_mail.document_from_mime``), so mail read in
the pane is cleaned as mail read over IMAP, EWS or Graph: quoted history, signature and
disclaimers set apart, typographic quotes plain, and the category signals of its headers.
A draft being written has no headers: what the add-in knows of it (subject, sender,
recipients, time) fills in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connectors.base import ItemError
from connectors.document import Document
from connectors.errors import BadInputError
from connectors.remote_mail import document_from_mime

#: The headers that describe the original MIME body, which the text no longer is.
_BODY_HEADER = re.compile(r"(?:content-[\w-]+|mime-version)\s*:", re.IGNORECASE)
_PLAIN_TEXT = (
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
)


def _kept_headers(headers: str) -> list[str]:
    """The header lines (folded lines kept with their field) up to the first blank line,
    without the fields of the original body."""
    kept: list[str] = []
    dropping = False
    for line in headers.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if kept or dropping:
                break
            continue
        if line[0] in " \t":
            if not dropping and kept:
                kept.append(line)
            continue
        dropping = bool(_BODY_HEADER.match(line)) or ":" not in line
        if not dropping:
            kept.append(line)
    return kept


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def client_mail(record: Mapping[str, Any], options: Mapping[str, Any] | None = None) -> Document:
    """The cleaned ``email`` document of one mail the add-in read (``record``: the job
    input's ``document`` with ``body`` and, for a received mail, ``headers``)."""
    source = str(record.get("source") or "outlook:item")
    body = record.get("body")
    headers = record.get("headers") or ""
    if not isinstance(body, str) or not isinstance(headers, str):
        raise BadInputError("'body' and 'headers' must be strings", item=source)
    lines = [*_kept_headers(headers), *_PLAIN_TEXT, "", body.replace("\r\n", "\n")]
    metadata = record.get("metadata")
    thread_key = record.get("thread_key")
    parsed = document_from_mime(
        "\n".join(lines).encode("utf-8"),
        source,
        options or {},
        received=_when(record.get("date")),
        conversation_id=thread_key if isinstance(thread_key, str) and thread_key else None,
        metadata=metadata if isinstance(metadata, Mapping) else None,
    )
    if isinstance(parsed, ItemError):
        raise BadInputError(parsed.error, item=source)
    # a draft being written has no headers: the add-in's own fields stand in for them
    parsed.title = parsed.title or str(record.get("title") or "")
    parsed.author = parsed.author or str(record.get("from") or "")
    parsed.to = parsed.to or [str(a) for a in record.get("to") or []]
    parsed.cc = parsed.cc or [str(a) for a in record.get("cc") or []]
    return parsed


__all__ = ["client_mail"]
