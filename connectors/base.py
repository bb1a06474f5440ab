"""The ``Connector`` interface and the registry that maps URI schemes to connectors.

A connector is built from a source string (a path, ``mbox:PATH``, ``imap://user@host/INBOX``)
and yields documents. Sources that can sync incrementally keep a JSON-serialisable
``cursor``; pass it back as ``since`` next time to get only what is new.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from connectors.document import Document
from connectors.registry import Registry

Cursor = dict[str, Any]


@dataclass(slots=True)
class ItemError:
    """One item that could not be read. Iteration goes on after it."""

    source: str
    error: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "error": self.error}


class Connector(ABC):
    """Reads one source. Subclasses are registered by URI scheme in ``pyproject.toml``."""

    #: Incremental sources set this after (and during) iteration.
    cursor: Cursor | None = None
    #: Human name used in messages ("IMAP", "Exchange (EWS)").
    label: ClassVar[str] = "source"

    def __init__(self, uri: str, options: Mapping[str, Any] | None = None) -> None:
        self.uri = uri
        self.options: Mapping[str, Any] = options or {}

    @abstractmethod
    def iter_documents(self, since: Cursor | None = None) -> Iterator[Document | ItemError]:
        """Yield each document (or an ``ItemError``) newer than ``since``."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections. Safe to call more than once."""

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


connectors: Registry[type[Connector]] = Registry("deskdraft.connectors", "source scheme")

_SCHEME = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]+):(?P<rest>.*)$")


def scheme_of(source: str) -> str:
    """The registry key for a source string. Plain paths (also ``C:\\...``) are ``file``."""
    match = _SCHEME.match(source)
    if not match:
        return "file"
    return match.group("scheme").lower()


def open_source(source: str, options: Mapping[str, Any] | None = None) -> Connector:
    """Build the connector for ``source`` from the registry."""
    return connectors.get(scheme_of(source))(source, options)
