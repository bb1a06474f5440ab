"""Turn what a user or a job names into documents.

* CLI sources: anything ``deskdraft ingest`` accepts (files, directories, ``mbox:``,
  ``maildir:``, ``imap://`` ...) through ``connectors.base.open_source``, plus ``-`` for
  plain text on standard input (``.txt`` files are read by the file connector);
* job inputs: ``{"text": ...}`` | ``{"source": URI}`` | ``{"document": {...}}`` (the
  ``ingest --json --full`` record, or a mail as the Outlook add-in reads it: ``body`` and
  ``headers``, cleaned by ``connectors.client_mail``), see ``documents_from_input``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, BinaryIO

from connectors.base import ItemError, connectors, open_source, scheme_of
from connectors.document import Block, Document
from connectors.errors import BadInputError, UsageError
from connectors.files import plain_text_document, read_text
from connectors.quotes import plain_typing

_log = logging.getLogger(__name__)


def _options(source: str) -> dict[str, Any]:
    from plugin.config import settings

    return settings().source_options(source)


def text_document(text: str, source: str = "text", title: str = "") -> Document:
    """A plain-text document; a blank text is a ``BadInputError`` naming ``source``."""
    document = plain_text_document(text, source, title)
    if not document.text:
        raise BadInputError("the text is empty", item=source)
    return document


def iter_source(source: str, stdin: BinaryIO | None = None) -> Iterator[Document | ItemError]:
    """Documents (and unreadable items) of one CLI source."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield read_text(stream.read(), "stdin", _options(source))
        return
    if scheme_of(source) not in connectors:
        raise UsageError(
            f"unknown source type {scheme_of(source)!r}",
            item=source,
            hint="known: " + ", ".join(connectors.names()),
        )
    with open_source(source, _options(source)) as connector:
        yield from connector.iter_documents(None)


def read_sources(
    sources: list[str], stdin: BinaryIO | None = None, *, require_text: str | None = None
) -> tuple[list[Document], int]:
    """Every document of ``sources``; unreadable items are named on stderr and counted.

    ``require_text``, when given, is the reason printed for documents without text.
    """
    from connectors.secrets import redact

    documents: list[Document] = []
    failed = 0
    for source in sources:
        for entry in iter_source(source, stdin):
            reason = entry.error if isinstance(entry, ItemError) else None
            if reason is None and require_text and not entry.full_text().strip():
                reason = require_text
            if reason is not None:
                failed += 1
                print(f"deskdraft: skipped {entry.source}: {redact(reason)}", file=sys.stderr)
            else:
                documents.append(entry)  # type: ignore[arg-type]
    return documents, failed


def documents_from_input(job_input: Mapping[str, Any]) -> list[Document]:
    """The documents of a job input; raises ``BadInputError`` when none can be read."""
    if not isinstance(job_input, Mapping):
        raise UsageError("a job input must be an object with 'text', 'source' or 'document'")
    if "text" in job_input:
        text = job_input["text"]
        if not isinstance(text, str):
            raise UsageError("'text' must be a string")
        return [
            text_document(
                text, str(job_input.get("source") or "text"), str(job_input.get("title") or "")
            )
        ]
    if "document" in job_input:
        data = job_input["document"]
        if not isinstance(data, Mapping):
            raise UsageError("'document' must be an object (an `ingest --json` record)")
        if "body" in data:  # a mail as the Outlook add-in reads it: cleaned here
            from connectors.client_mail import client_mail

            return [client_mail(data, _options(str(data.get("source") or "outlook:")))]
        try:
            return [_plain_text(Document.from_json(dict(data)))]
        except (TypeError, ValueError, KeyError) as exc:
            raise BadInputError(
                f"not a valid document: {exc}", item=str(data.get("source") or "document")
            ) from None
    if "source" in job_input:
        source = str(job_input["source"])
        if source == "-":
            raise UsageError("'-' (standard input) is for the command line only", item=source)
        documents: list[Document] = []
        errors: list[ItemError] = []
        for entry in iter_source(source):
            (errors if isinstance(entry, ItemError) else documents).append(entry)  # type: ignore[arg-type]
        for error in errors:
            _log.warning("skipped %s: %s", error.source, error.error)
        if not documents:
            reason = errors[0].error if errors else "no documents found"
            raise BadInputError(reason, item=errors[0].source if errors else source)
        return documents
    raise UsageError(
        "a job input needs one of 'text', 'source' or 'document'",
        hint=f"got keys: {', '.join(sorted(job_input)) or 'none'}",
    )


def _plain_text(document: Document) -> Document:
    """A document sent over the API (the Outlook and Word panes) with the quotes and
    no-break spaces of its written text made plain, as the connectors make them; one code
    point for one, so the offsets the pane highlights sources by still hold. A workbook's
    cells are data and stay as sent."""

    def plain(value: Any) -> Any:
        return plain_typing(value) if isinstance(value, str) else value

    def block(b: Block) -> Block:
        rows = [[plain(cell) for cell in row] for row in b.rows] if b.rows else b.rows
        return replace(b, text=plain(b.text), rows=rows)

    return replace(
        document,
        title=plain(document.title),
        text=plain(document.text),
        quoted=plain(document.quoted),
        sections=[
            replace(s, heading=plain(s.heading), blocks=[block(b) for b in s.blocks])
            for s in document.sections
        ],
    )


__all__ = ["documents_from_input", "iter_source", "text_document"]
