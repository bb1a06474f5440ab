"""Outlook ``.msg`` files (OLE compound documents) through extract-msg.

Mail, appointments, contacts, tasks and notes all become ``email`` documents (the item
class is kept in ``metadata["message_class"]``); the body is cleaned by the same code as
RFC 822 mail. Attachments, including embedded ``.msg`` items, are parsed in memory.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.attachments import MAX_DEPTH, AttachmentContext, parse_attachment_bytes
from connectors.document import Attachment, Document, content_id
from connectors.errors import BadInputError
from connectors.mailparse import body_text, clean_body, decode_bytes, format_addresses
from connectors.threads import clean_message_id, parse_references, thread_key_for
from connectors.ziplimits import OLE_MAGIC, resolve_limits

_log = logging.getLogger(__name__)


def _printable(text: str) -> bool:
    """False for bodies that are really binary (the PKCS#7 blob of an S/MIME item)."""
    sample = text[:2000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\r\n\t\f") or ch == "\ufffd")
    return bad / len(sample) < 0.05


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = decode_bytes(value, None)
    return str(value).replace("\x00", "").strip()


def _safe(obj: Any, name: str) -> Any:
    """extract-msg computes properties lazily and raises on odd items; treat as missing."""
    try:
        return getattr(obj, name)
    except Exception as exc:
        _log.debug("msg property %s unavailable: %s", name, type(exc).__name__)
        return None


def _split_recipients(value: Any) -> list[str]:
    """Outlook separates recipients with ';' (outside quotes) and keeps commas in names."""
    chunks: list[str] = []
    current: list[str] = []
    quoted = angle = False
    for ch in _text(value):
        if ch == '"' and not angle:
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        if ch == ";" and not quoted and not angle:
            chunks.append("".join(current))
            current = []
        else:
            current.append(ch)
    chunks.append("".join(current))
    out = []
    for chunk in (c.strip() for c in chunks):
        if not chunk:
            continue
        parsed = format_addresses([chunk])
        out.extend(parsed if len(parsed) == 1 else [" ".join(chunk.split())])
    return out


def read_msg(
    data: bytes | str | Path, source: str, options: Mapping[str, Any] | None = None
) -> Document:
    """Read an Outlook item given as bytes or a path."""
    import extract_msg  # heavy; imported on first use

    options = options or {}
    limits = resolve_limits(options)
    if not isinstance(data, bytes):
        path = Path(data)
        if path.stat().st_size > limits.file_max_bytes:
            raise BadInputError(f"file is over the {limits.file_max_mb:g} MB limit", item=source)
        data = path.read_bytes()
    if not data.startswith(OLE_MAGIC):
        raise BadInputError("not an Outlook .msg file (no OLE signature)", item=source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            item = extract_msg.openMsg(data, delayAttachments=False)
        except Exception as exc:
            raise BadInputError(
                f"broken Outlook .msg file ({type(exc).__name__}: {str(exc)[:160]})", item=source
            ) from None
        try:
            return _build(item, source, options, int(options.get("_depth", 0)))
        except BadInputError:
            raise
        except Exception as exc:
            raise BadInputError(
                f"unreadable Outlook item ({type(exc).__name__}: {str(exc)[:160]})", item=source
            ) from None
        finally:
            try:
                item.close()
            except Exception as exc:  # closing a half-broken OLE file may fail too
                _log.debug("closing %s: %s", source, exc)


def _bodies(item: Any) -> tuple[str, str | None]:
    """The item's plain body, or its HTML body when there is no readable plain one."""
    plain = _text(_safe(item, "body"))
    if plain and not _printable(plain):
        plain = ""
    html = ""
    if not plain:
        html_body = _safe(item, "htmlBody")
        html = _text(html_body) if html_body else ""
        if html and not _printable(html):
            html = ""
    return plain, html or None


def msg_body(data: bytes) -> str:
    """The decoded body of an Outlook item exactly as ``clean_body`` splits it."""
    import extract_msg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        item = extract_msg.openMsg(data, delayAttachments=True)
        try:
            return body_text(*_bodies(item))
        finally:
            item.close()


def _build(item: Any, source: str, options: Mapping[str, Any], depth: int) -> Document:
    subject = _text(_safe(item, "subject"))
    body = clean_body(*_bodies(item))
    author = (_split_recipients(_safe(item, "sender")) or [""])[0]
    date = _safe(item, "date")
    if isinstance(date, datetime) and date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    if not isinstance(date, datetime):
        date = None
    header = _safe(item, "header")
    message_id = clean_message_id(
        _text(_safe(item, "messageId"))
        or (header.get("Message-ID") if header is not None else None)
    )
    in_reply_to = clean_message_id(
        _text(_safe(item, "inReplyTo"))
        or (header.get("In-Reply-To") if header is not None else None)
    )
    references = parse_references(str(header.get("References") or "") if header is not None else "")
    ctx = AttachmentContext(
        source=source,
        options=options,
        limits=resolve_limits(options),
        depth=depth,
        parse=bool(options.get("parse_attachments", True)),
    )
    attachments = [_attachment(a, ctx) for a in (_safe(item, "attachments") or [])]
    metadata: dict[str, Any] = {
        "message_class": _text(_safe(item, "classType")) or "IPM.Note",
        "format": "msg",
    }
    if body.signature:
        metadata["signature"] = body.signature[:2000]
    if type(item).__name__ == "MessageSigned":
        metadata["smime"] = True
    return Document(
        id=content_id(
            "email",
            message_id,
            subject,
            author,
            date.isoformat() if date else None,
            body.text,
            body.quoted,
        ),
        kind="email",
        source=source,
        title=subject,
        author=author,
        to=_split_recipients(_safe(item, "to")),
        cc=_split_recipients(_safe(item, "cc")),
        date=date,
        thread_key=thread_key_for(
            message_id=message_id, in_reply_to=in_reply_to, references=references, subject=subject
        ),
        text=body.text,
        quoted=body.quoted,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        attachments=attachments,
        metadata=metadata,
    )


def _attachment(att: Any, ctx: AttachmentContext) -> Attachment:
    name = (
        _text(_safe(att, "longFilename"))
        or _text(_safe(att, "shortFilename"))
        or _text(_safe(att, "displayName"))
        or "attachment"
    )
    mime = _text(_safe(att, "mimetype")) or "application/octet-stream"
    payload = _safe(att, "data")
    if isinstance(payload, bytes):
        return parse_attachment_bytes(name, mime, payload, ctx)
    if payload is not None and hasattr(payload, "subject"):
        # an embedded Outlook item: already parsed by extract-msg
        inner_name = name if name != "attachment" else (_text(payload.subject) or "item") + ".msg"
        attachment = Attachment(name=inner_name, kind="application/vnd.ms-outlook", size=0)
        if ctx.depth >= MAX_DEPTH:
            attachment.error = f"not parsed: nested more than {MAX_DEPTH} levels deep"
        elif ctx.parse:
            try:
                attachment.document = _build(
                    payload, f"{ctx.source}#attachment/{inner_name}", ctx.options, ctx.depth + 1
                )
                attachment.size = len(attachment.document.text)
            except Exception as exc:
                attachment.error = f"cannot read embedded item ({type(exc).__name__})"
        return attachment
    return Attachment(name=name, kind=mime, size=0, error="attachment has no data")
