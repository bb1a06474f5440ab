"""Turn a message fetched from a mail server (IMAP, EWS, Graph) into a ``Document``.

Every server hands out the raw RFC 822 bytes, so all of them go through the one mail
parser; server-side facts (Exchange ConversationId, received time, folder, ids) are added
on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from connectors.base import ItemError
from connectors.document import Document
from connectors.errors import DeskdraftError


def max_message_bytes(options: Mapping[str, Any]) -> int:
    """``limits.file_max_mb`` (or a ``file_max_mb`` option) in bytes; 100 MB by default."""
    limits = options.get("limits")
    megabytes = float(getattr(limits, "file_max_mb", None) or options.get("file_max_mb") or 100)
    return int(megabytes * 1024 * 1024)


def document_from_mime(
    raw: bytes,
    source: str,
    options: Mapping[str, Any],
    *,
    received: datetime | None = None,
    conversation_id: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Document | ItemError:
    from connectors.mailparse import parse_message
    from connectors.threads import thread_key_for

    try:
        doc = parse_message(raw, source, options)
    except DeskdraftError as exc:
        return ItemError(source, exc.message)
    if doc.date is None and received is not None:
        doc.date = received if received.tzinfo else received.replace(tzinfo=UTC)
    if conversation_id:
        # Exchange groups a thread even when clients drop References headers.
        doc.metadata["conversation_id"] = conversation_id
        doc.thread_key = thread_key_for(
            message_id=doc.message_id,
            in_reply_to=doc.in_reply_to,
            references=doc.references,
            subject=doc.title,
            conversation_id=conversation_id,
        )
    doc.metadata.update(metadata or {})
    return doc
