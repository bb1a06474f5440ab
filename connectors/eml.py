"""``.eml`` files (and nested ``message/rfc822`` attachments) through the mail parser."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from connectors.document import Document
from connectors.errors import BadInputError
from connectors.mailparse import parse_message
from connectors.ziplimits import resolve_limits


def read_eml(data: bytes | str | Path, source: str, options: Mapping[str, Any]) -> Document:
    """Parse an .eml given as bytes or a path. An mbox ``From `` first line is tolerated."""
    if not isinstance(data, bytes):
        path = Path(data)
        limits = resolve_limits(options)
        size = path.stat().st_size
        if size > limits.file_max_bytes:
            raise BadInputError(
                f"file is {size / 1e6:.0f} MB, over the {limits.file_max_mb:g} MB limit",
                item=source,
                hint="raise limits.file_max_mb to read it",
            )
        data = path.read_bytes()
    if data.startswith(b"From ") and b"\n" in data[:1000]:
        # a single message saved from an mbox: the envelope line is not a header
        data = data.split(b"\n", 1)[1]
    if not data.strip():
        raise BadInputError("empty file, not an e-mail message", item=source)
    return parse_message(data, source, options)
