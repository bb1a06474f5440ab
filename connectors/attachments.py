"""Attachments: parsed into documents when they are .docx, .xlsx, .eml or .msg, otherwise
named with their type and size.

Everything happens in memory; nothing is written to disk. Readers are looked up by name
(``module:function``) so that mail parsing and the readers it calls for nested messages
do not import each other.
"""

from __future__ import annotations

import importlib
import io
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePath
from typing import Any

from connectors.document import Attachment, Document
from connectors.errors import DeskdraftError
from connectors.ziplimits import Limits

#: Nested messages (a forwarded .eml inside a .msg inside an .eml) stop here.
MAX_DEPTH = 3

_READERS: dict[str, str] = {
    "docx": "connectors.docx:read_docx",
    "xlsx": "connectors.xlsx:read_xlsx",
    "eml": "connectors.eml:read_eml",
    "msg": "connectors.msg:read_msg",
}
_BY_EXTENSION = {
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".eml": "eml",
    ".msg": "msg",
}
_BY_MIME = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "message/rfc822": "eml",
    "application/vnd.ms-outlook": "msg",
}

Reader = Callable[[Any, str, Mapping[str, Any]], Document]


@dataclass(slots=True)
class AttachmentContext:
    source: str
    options: Mapping[str, Any]
    limits: Limits
    depth: int = 0
    parse: bool = True


def readable_kind(name: str, mime: str | None = None) -> str | None:
    """``docx``/``xlsx``/``eml``/``msg`` when a reader exists for this attachment."""
    ext = PurePath(name.lower()).suffix
    return _BY_EXTENSION.get(ext) or _BY_MIME.get((mime or "").lower())


def reader_for(kind: str) -> Reader:
    module, _, func = _READERS[kind].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def parse_attachment_bytes(name: str, mime: str, data: bytes, ctx: AttachmentContext) -> Attachment:
    """An ``Attachment`` for ``data``, with a parsed document when a reader exists."""
    attachment = Attachment(name=name, kind=mime, size=len(data))
    kind = readable_kind(name, mime)
    if kind is None or not ctx.parse:
        return attachment
    if ctx.depth >= MAX_DEPTH:
        attachment.error = f"not parsed: nested more than {MAX_DEPTH} levels deep"
        return attachment
    options = {**ctx.options, "_depth": ctx.depth + 1}
    options.pop("conversation_id", None)
    options.pop("metadata", None)
    child_source = f"{ctx.source}#attachment/{name}"
    try:
        reader = reader_for(kind)
        payload: Any = data if kind in {"eml", "msg"} else io.BytesIO(data)
        attachment.document = reader(payload, child_source, options)
    except DeskdraftError as exc:
        attachment.error = exc.message
    except Exception as exc:  # a broken attachment must not lose the message around it
        attachment.error = f"cannot read attachment ({type(exc).__name__})"
    return attachment


def _guess_name(part: Message, mime: str) -> str:
    name = part.get_filename()
    if name:
        return str(name)
    ext = ".eml" if mime == "message/rfc822" else (mimetypes.guess_extension(mime) or ".bin")
    return f"attachment{ext}"


def _encoded_size(part: Message) -> int:
    """Decoded size of a part without decoding it (base64 is 3 bytes per 4 characters)."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return 0
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if cte == "base64":
        chars = len(payload) - payload.count("\n") - payload.count("\r") - payload.count(" ")
        return max(chars * 3 // 4 - payload.count("="), 0)
    return len(payload)


def describe_part_attachment(part: Message, ctx: AttachmentContext) -> Attachment:
    """An ``Attachment`` for one MIME part (parsed when a reader exists and it fits)."""
    mime = part.get_content_type()
    try:
        name = _guess_name(part, mime)
    except (ValueError, LookupError, UnicodeError):
        name = "attachment.bin"
    if mime == "message/rfc822":
        inner = part.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) and inner else None
        data = inner_msg.as_bytes() if isinstance(inner_msg, Message) else b""
        return parse_attachment_bytes(name, mime, data, ctx)
    if readable_kind(name, mime) and ctx.parse:
        if _encoded_size(part) > ctx.limits.file_max_bytes:
            return Attachment(
                name=name,
                kind=mime,
                size=_encoded_size(part),
                error=f"not parsed: over the {ctx.limits.file_max_mb:g} MB limit",
            )
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            return parse_attachment_bytes(name, mime, data, ctx)
    return Attachment(name=name, kind=mime, size=_encoded_size(part))
