"""What a raw message declares, decoded: its headers (RFC 2047 words, raw 8-bit bytes),
charsets, addresses and dates. :mod:`connectors.mailparse` builds documents from these;
the ``.msg`` and plain-file readers use the charset and address helpers alone.
"""

from __future__ import annotations

import contextlib
import email.policy
import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any


@functools.lru_cache(maxsize=8192)
def _parsed_header(name: str, value: str) -> Any:
    return email.policy.default.header_factory(name, "".join(value.splitlines()))


class _CachingPolicy(EmailPolicy):
    """``email.policy.default`` with parsed headers memoised.

    The parser and ``get_content_type`` re-parse the same Content-Type header several
    times per part; header objects are immutable strings, so sharing them is safe and
    doubles throughput.
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        if len(value) > 2000:  # keep the cache small; long headers are rare
            return super().header_fetch_parse(name, value)
        try:
            return _parsed_header(name, value)
        except TypeError:  # unhashable value (never seen, but stay on the safe side)
            return super().header_fetch_parse(name, value)


POLICY = _CachingPolicy()
_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "x-sjis": "shift_jis",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "default": "",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "iso-8859-8-i": "iso-8859-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "windows-874": "cp874",
    "x-gbk": "gb18030",
}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset, falling back for wrong or missing ones."""
    name = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if name:
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if name and name not in {"utf-8", "utf8"}:
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    # undeclared or wrongly declared as UTF-8: Windows-1252 is by far the likeliest
    return data.decode("cp1252", "replace")


def decode_text_part(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    if not isinstance(payload, bytes):
        return str(payload)
    return decode_bytes(payload, part.get_content_charset())


def header_text(value: str) -> str:
    """Decode RFC 2047 words; raw 8-bit headers are tried as UTF-8, then Latin-1."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        raw = value.encode("utf-8", "surrogateescape")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("cp1252", "replace")
    if "=?" in value:
        with contextlib.suppress(ValueError, LookupError, UnicodeDecodeError, AssertionError):
            value = str(make_header(decode_header(value)))
    return " ".join(value.split())


def raw_headers(msg: Message) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(name.lower(), []).append(str(value))
    return headers


def first_header(headers: Mapping[str, list[str]], name: str) -> str:
    values = headers.get(name)
    return header_text(values[0]) if values else ""


def format_addresses(values: list[str]) -> list[str]:
    out = []
    for name, addr in getaddresses([header_text(v) for v in values]):
        name, addr = name.strip(), addr.strip()
        if not (name or addr):
            continue
        out.append(f"{name} <{addr}>" if name and addr and name != addr else (addr or name))
    return out


def address_name(address: str) -> str:
    """The display-name part of one formatted address, unquoted: ``"Lee, Ann" <a@x>``
    gives ``Lee, Ann``; a bare address gives itself, ``<a@x>`` alone an empty string.
    A regex, not ``getaddresses``: that splits an unquoted ``Lee, Ann <a@x>`` in two."""
    return re.sub(r"<[^>]*>", "", address).strip().strip('"').strip()


def parse_date(value: str) -> tuple[datetime | None, bool]:
    """A timezone-aware date and whether the zone had to be assumed (UTC)."""
    if not value:
        return None, False
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, False
    if date is None:
        return None, False
    if date.tzinfo is None:
        return date.replace(tzinfo=UTC), True
    return date, False
