"""Keep credentials out of logs, errors and output.

``Secret`` wraps a credential so that ``str``/``repr``/f-strings never reveal it;
``redact`` scrubs known secrets and credential-shaped substrings from free text
(for example an exception message from a third-party library).
"""

from __future__ import annotations

import re
import threading

_MASK = "***"
_known: set[str] = set()
_lock = threading.Lock()

_CREDENTIAL_KEYS = "password|passwd|secret|token|client_secret|access_token|refresh_token"
_PATTERNS = [
    # user:password@host in URLs
    (
        re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)[^@\s/]+(?P<tail>@)"),
        r"\g<head>***\g<tail>",
    ),
    (re.compile(r"(?i)(?P<head>\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\g<head>***"),
    (
        re.compile(rf"(?i)(?P<head>\b(?:{_CREDENTIAL_KEYS})\b[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&]+"),
        r"\g<head>***",
    ),
]


class Secret:
    """A credential that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        if value and len(value) >= 4:
            with _lock:
                _known.add(value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def register_secret(value: str) -> None:
    """Remember a value so that ``redact`` removes it wherever it shows up."""
    if value and len(value) >= 4:
        with _lock:
            _known.add(value)


def redact(text: str) -> str:
    """Return ``text`` with every known secret and credential-shaped substring masked."""
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        text = text.replace(value, _MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text
