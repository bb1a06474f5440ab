"""One raw RFC 822 message to a clean :class:`Document`. Shared by every mail connector.

Stable API (the file, IMAP, EWS and Graph connectors all call these):

``parse_message(raw: bytes, source: str, options: Mapping[str, Any] | None = None) -> Document``
    Parses the bytes of one message. ``options`` (all optional):

    * ``"limits"``: ``settings().limits`` (or a dict / ``ziplimits.Limits``); messages larger
      than ``file_max_mb`` are refused, attachments are parsed within the same limits;
    * ``"conversation_id"``: Exchange ConversationId, used for ``thread_key``;
    * ``"metadata"``: a dict merged into ``Document.metadata`` (folder, uid, item id...);
    * ``"parse_attachments"``: False lists attachments without parsing them (default True);
    * ``"max_text_chars"``: cap on the cleaned body text (default 1,000,000).

    Raises ``BadInputError`` (naming ``source``) for messages that cannot be read at all.
    Nothing is written to disk.

``clean_body(plain: str | None, html: str | None) -> SplitBody``
    The cleaning step alone (for Graph/EWS bodies that arrive as HTML or text):
    HTML to text, quoted/forwarded history split off, signature and disclaimer stripped.

Header, charset, address and date decoding live in :mod:`connectors.mailheaders`.
"""

from __future__ import annotations

import email
import hashlib
import re
from collections.abc import Mapping
from email.feedparser import BytesFeedParser
from email.message import EmailMessage, Message
from typing import Any

from connectors.attachments import AttachmentContext, describe_part_attachment
from connectors.document import Attachment, Document, content_id
from connectors.errors import BadInputError
from connectors.htmltext import html_to_text
from connectors.mailcategory import header_category, header_signals

# decode_bytes, decode_text_part, format_addresses and parse_date are re-exported: msg.py
# and files.py import them from here.
from connectors.mailheaders import (
    POLICY,
    decode_bytes,
    decode_text_part,
    first_header,
    format_addresses,
    header_text,
    parse_date,
    raw_headers,
)
from connectors.quotes import SplitBody, normalize_body, split_quoted
from connectors.threads import clean_message_id, parse_references, thread_key_for
from connectors.ziplimits import resolve_limits

__all__ = [
    "SplitBody",
    "body_text",
    "clean_body",
    "decode_bytes",
    "decode_text_part",
    "format_addresses",
    "message_body",
    "parse_date",
    "parse_message",
]

_DEFAULT_MAX_TEXT = 1_000_000


_FEED_CHUNK = 1 << 20


def _parse_bytes(raw: bytes) -> EmailMessage:
    """Parse in 1 MB chunks: ``message_from_bytes`` first decodes the whole message into
    one string, which for a 50 MB message costs several times its size at the peak."""
    if len(raw) <= _FEED_CHUNK:
        return email.message_from_bytes(raw, policy=POLICY)  # type: ignore[return-value]
    parser = BytesFeedParser(policy=POLICY)
    view = memoryview(raw)
    for start in range(0, len(raw), _FEED_CHUNK):
        parser.feed(bytes(view[start : start + _FEED_CHUNK]))
    return parser.close()  # type: ignore[return-value]


#: A "text/plain" part that is really an HTML page (some mailers send their HTML twice,
#: both parts labelled by what they should have been): read as HTML, not as its tags.
_HTML_PAGE = re.compile(r"^\s*<(?:!doctype\s+html|html|head|title)\b", re.IGNORECASE)


def body_text(plain: str | None, html: str | None) -> str:
    """The body that gets split: plain text (preferred) or HTML converted to text."""
    text = plain if plain and plain.strip() else ""
    if _HTML_PAGE.match(text):
        text, html = "", html or text
    if not text and html:
        text = html_to_text(html)
    return normalize_body(text.replace("\x00", ""))


def clean_body(plain: str | None, html: str | None) -> SplitBody:
    """Plain text (preferred) or HTML → new text, quoted history and stripped signature."""
    return split_quoted(body_text(plain, html))


def message_body(raw: bytes) -> str:
    """The decoded body of a raw message exactly as :func:`clean_body` splits it (labels
    and evaluations count lines of this text); attachments are not parsed."""
    msg = _parse_bytes(raw)
    ctx = AttachmentContext(source="", options={}, limits=resolve_limits({}), parse=False)
    plains, htmls = _walk_bodies(msg, ctx, [])
    return body_text(
        "\n\n".join(p for p in plains if p.strip()), "\n".join(htmls) if htmls else None
    )


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    return bool(part.get_filename()) and part.get_content_maintype() != "text"


def _walk_bodies(
    msg: Message, ctx: AttachmentContext, attachments: list[Attachment]
) -> tuple[list[str], list[str]]:
    """Collect inline text/plain and text/html bodies; describe the rest as attachments."""
    plains: list[str] = []
    htmls: list[str] = []
    stack: list[Message] = [msg]
    depth_left = 3
    while stack:
        part = stack.pop()
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            attachments.append(describe_part_attachment(part, ctx))
            continue
        if ctype in {"message/delivery-status", "message/disposition-notification"}:
            # bounce and read-receipt reports: their header blocks are the message
            plains.append(_report_text(part))
            continue
        if part.is_multipart():
            children = part.get_payload()
            if isinstance(children, list):
                if ctype == "multipart/alternative":
                    # the richest alternative comes last; plain text is what we prefer
                    children = sorted(children, key=lambda p: p.get_content_type() != "text/plain")
                stack.extend(reversed(children))
            continue
        if part is not msg and _is_attachment(part):
            attachments.append(describe_part_attachment(part, ctx))
            continue
        if ctype == "text/plain":
            plains.append(decode_text_part(part))
        elif ctype == "text/html":
            htmls.append(decode_text_part(part))
        elif part.get_content_maintype() == "multipart":
            salvaged = _salvage_multipart(part)
            if salvaged is not None and depth_left > 0:
                depth_left -= 1
                stack.append(salvaged)
            elif isinstance(part.get_payload(), str):
                plains.append(decode_text_part(part))
        else:
            attachments.append(describe_part_attachment(part, ctx))
    return plains, htmls


def _part_types(msg: Message) -> list[str]:
    """The MIME types of the message's own parts (not those inside attached messages)."""
    types: list[str] = []
    stack: list[Message] = [msg]
    while stack and len(types) < 200:
        part = stack.pop()
        types.append(part.get_content_type())
        children = part.get_payload() if part.is_multipart() else None
        if isinstance(children, list) and part.get_content_type() != "message/rfc822":
            stack.extend(c for c in children if isinstance(c, Message))
    return types


def _forwarded_text(attachments: list[Attachment]) -> str:
    blocks = []
    for attachment in attachments:
        doc = attachment.document
        if attachment.kind != "message/rfc822" or doc is None:
            continue
        head = "\n".join(
            f"{label}: {value}"
            for label, value in (("From", doc.author), ("Subject", doc.title))
            if value
        )
        body = "\n\n".join(part for part in (doc.text, doc.quoted) if part)
        if body:
            blocks.append(f"{head}\n\n{body}" if head else body)
    return "\n\n".join(blocks)


def _report_text(part: Message) -> str:
    blocks = part.get_payload()
    if not isinstance(blocks, list):
        return decode_text_part(part)
    lines = []
    for block in blocks:
        if isinstance(block, Message):
            lines.extend(f"{name}: {header_text(str(value))}" for name, value in block.raw_items())
            lines.append("")
    return "\n".join(lines).strip()


_BOUNDARY_LINE = re.compile(rb"^--([^\s]{1,200}?)\s*$", re.MULTILINE)


def _salvage_multipart(part: Message) -> Message | None:
    """Re-parse a multipart whose declared boundary never occurs, using the one that does.

    Mailers that mangle the boundary parameter are common in the wild; the stdlib then
    leaves the whole body as one unparsed string.
    """
    body = part.get_payload()
    if not isinstance(body, str):
        return None
    data = body.encode("utf-8", "surrogateescape")
    match = _BOUNDARY_LINE.search(data)
    if not match:
        return None
    boundary = match.group(1)
    if boundary.endswith(b"--"):
        boundary = boundary[:-2]
    header = b'Content-Type: multipart/mixed; boundary="' + boundary.replace(b'"', b"") + b'"\n\n'
    salvaged = email.message_from_bytes(header + data, policy=POLICY)
    return salvaged if salvaged.is_multipart() else None


def parse_message(raw: bytes, source: str, options: Mapping[str, Any] | None = None) -> Document:
    """Parse one raw message into a cleaned e-mail ``Document`` (see the module docstring)."""
    options = options or {}
    limits = resolve_limits(options)
    if len(raw) > limits.file_max_bytes:
        raise BadInputError(
            f"message is {len(raw) / 1e6:.0f} MB, over the {limits.file_max_mb:g} MB limit",
            item=source,
            hint="raise limits.file_max_mb to read it",
        )
    try:
        msg = _parse_bytes(raw)
    except Exception as exc:  # the stdlib parser is lenient; anything here is truly broken
        raise BadInputError(
            f"cannot parse the message: {type(exc).__name__}", item=source
        ) from None
    depth = int(options.get("_depth", 0))
    ctx = AttachmentContext(
        source=source,
        options=options,
        limits=limits,
        depth=depth,
        parse=bool(options.get("parse_attachments", True)),
    )
    try:
        return _build(msg, raw, source, options, ctx)
    except BadInputError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise BadInputError(
            f"message too deeply nested or too large ({type(exc).__name__})", item=source
        ) from None
    except Exception as exc:
        raise BadInputError(
            f"malformed message ({type(exc).__name__}: {exc})", item=source
        ) from None


def _build(
    msg: EmailMessage, raw: bytes, source: str, options: Mapping[str, Any], ctx: AttachmentContext
) -> Document:
    headers = raw_headers(msg)
    subject = first_header(headers, "subject")
    author = (
        format_addresses(headers.get("from", []))
        or format_addresses(headers.get("sender", []))
        or [""]
    )[0]
    date, date_assumed = parse_date(first_header(headers, "date"))
    message_id = clean_message_id(first_header(headers, "message-id"))
    in_reply_to = clean_message_id(first_header(headers, "in-reply-to"))
    references = parse_references(" ".join(headers.get("references", [])))

    attachments: list[Attachment] = []
    plains, htmls = _walk_bodies(msg, ctx, attachments)
    body = clean_body(
        "\n\n".join(p for p in plains if p.strip()), "\n".join(htmls) if htmls else None
    )
    if not body.quoted:
        # messages forwarded as attachments (and digests) are forwarded history too
        body.quoted = _forwarded_text(attachments)
    max_chars = int(options.get("max_text_chars", _DEFAULT_MAX_TEXT))
    metadata: dict[str, Any] = {
        "size": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "content_type": msg.get_content_type(),
    }
    if body.signature:
        metadata["signature"] = body.signature[:2000]
    if date_assumed:
        metadata["date_zone_assumed"] = "UTC"
    if options.get("conversation_id"):
        metadata["conversation_id"] = options["conversation_id"]
    if len(body.text) > max_chars or len(body.quoted) > max_chars:
        metadata["truncated"] = True
    to = format_addresses(headers.get("to", []))
    cc = format_addresses(headers.get("cc", []))
    signals = header_signals(
        headers, subject=subject, author=author, to=to, part_types=_part_types(msg), text=body.text
    )
    metadata["category"], _ = header_category(signals)
    metadata["category_source"] = "headers"
    metadata["signals"] = signals
    metadata.update(options.get("metadata") or {})
    text, quoted = body.text[:max_chars], body.quoted[:max_chars]
    return Document(
        id=content_id(
            "email", message_id, subject, author, date.isoformat() if date else None, text, quoted
        ),
        kind="email",
        source=source,
        title=subject,
        author=author,
        to=to,
        cc=cc,
        date=date,
        thread_key=thread_key_for(
            message_id=message_id,
            in_reply_to=in_reply_to,
            references=references,
            subject=subject,
            conversation_id=options.get("conversation_id"),
        ),
        text=text,
        quoted=quoted,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        attachments=attachments,
        metadata=metadata,
    )
