"""File sources: a path or a directory (recursive), ``mbox:PATH`` and ``maildir:PATH``.

Each file goes to the reader for its type (.eml, .msg, .docx/.docm, .xlsx/.xlsm, .mbox,
.txt). A file that cannot be read becomes an ``ItemError`` naming it, and iteration goes
on. The cursor remembers what was read (size and mtime per file, message keys per
mailbox) so ``since=cursor`` yields only new or changed items.
"""

from __future__ import annotations

import logging
import mailbox
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from connectors.base import Connector, Cursor, ItemError
from connectors.document import Document, content_id
from connectors.errors import BadInputError, DeskdraftError, UsageError
from connectors.secrets import redact
from connectors.ziplimits import resolve_limits

_log = logging.getLogger(__name__)

Reader = Callable[[Path, str, Mapping[str, Any]], Document]


def _read_docx(path: Path, source: str, options: Mapping[str, Any]) -> Document:
    from connectors.docx import read_docx

    return read_docx(path, source, options)


def _read_xlsx(path: Path, source: str, options: Mapping[str, Any]) -> Document:
    from connectors.xlsx import read_xlsx

    return read_xlsx(path, source, options)


def _read_eml(path: Path, source: str, options: Mapping[str, Any]) -> Document:
    from connectors.eml import read_eml

    return read_eml(path, source, options)


def _read_msg(path: Path, source: str, options: Mapping[str, Any]) -> Document:
    from connectors.msg import read_msg

    return read_msg(path, source, options)


def plain_text_document(text: str, source: str, title: str = "") -> Document:
    """A plain-text document of ``text``, titled by its first line unless ``title`` is given."""
    from connectors.quotes import normalize_body

    # Text pasted from Outlook or Word has ’ “ ” and no-break spaces, which no rule reads:
    # made plain (with the line ends) as mail cleaning makes them for parsed mail.
    text = normalize_body(text).replace("\x00", "").strip()
    title = title or next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Document(
        id=content_id("text", text), kind="text", source=source, title=title[:120], text=text
    )


def read_text(data: bytes, source: str, options: Mapping[str, Any] | None = None) -> Document:
    """A plain-text document (``.txt`` files and ``-`` for standard input)."""
    from connectors.mailparse import decode_bytes

    limits = resolve_limits(options)
    if len(data) > limits.file_max_bytes:
        raise BadInputError(f"text is over the {limits.file_max_mb:g} MB limit", item=source)
    return plain_text_document(decode_bytes(data.removeprefix(b"\xef\xbb\xbf"), "utf-8"), source)


def _read_txt(path: Path, source: str, options: Mapping[str, Any]) -> Document:
    return read_text(path.read_bytes(), source, options)


READERS: dict[str, Reader] = {
    ".eml": _read_eml,
    ".msg": _read_msg,
    ".docx": _read_docx,
    ".docm": _read_docx,
    ".xlsx": _read_xlsx,
    ".xlsm": _read_xlsx,
    ".txt": _read_txt,
}
MAILBOX_SUFFIXES = {".mbox", ".mbx"}


def _strip_scheme(uri: str, scheme: str) -> Path:
    rest = uri[len(scheme) + 1 :] if uri.lower().startswith(scheme + ":") else uri
    if rest.startswith("//"):
        rest = rest[2:]
    return Path(rest).expanduser()


def _error(source: str, exc: BaseException) -> ItemError:
    if isinstance(exc, DeskdraftError):
        message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    elif isinstance(exc, PermissionError):
        message = "permission denied"
    elif isinstance(exc, FileNotFoundError):
        message = "file not found"
    elif isinstance(exc, OSError):
        message = f"cannot read the file: {exc.strerror or exc}"
    else:
        message = f"cannot read ({type(exc).__name__}: {str(exc)[:200]})"
    return ItemError(source=source, error=redact(message))


def read_file(path: Path, options: Mapping[str, Any]) -> Document:
    """Read one file with the reader for its type. Raises for unsupported types."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise BadInputError(
            f"unsupported file type {path.suffix or '(none)'!r}",
            item=str(path),
            hint="supported: " + ", ".join(sorted({*READERS, *MAILBOX_SUFFIXES})),
        )
    limits = resolve_limits(options)
    size = path.stat().st_size
    if size > limits.file_max_bytes:
        raise BadInputError(
            f"file is {size / 1e6:.0f} MB, over the {limits.file_max_mb:g} MB limit",
            item=str(path),
            hint="raise limits.file_max_mb to read it",
        )
    return reader(path, str(path), options)


class FileConnector(Connector):
    """A file or a directory tree. Unsupported files inside a directory are skipped."""

    label = "files"

    def __init__(self, uri: str, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(uri, options)
        self.path = _strip_scheme(uri, "file")

    def files(self) -> list[Path]:
        """The files this source would read, in order (for progress totals)."""
        if not self.path.is_dir():
            return [self.path]
        found = []
        for root, dirs, names in os.walk(self.path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(root) / name
                if not name.startswith(".") and (
                    path.suffix.lower() in READERS or path.suffix.lower() in MAILBOX_SUFFIXES
                ):
                    found.append(path)
        return found

    def iter_documents(self, since: Cursor | None = None) -> Iterator[Document | ItemError]:
        if not self.path.exists():
            raise UsageError("no such file or directory", item=str(self.path))
        if self.path.is_dir() and (self.path / "cur").is_dir() and (self.path / "new").is_dir():
            yield from MaildirConnector(f"maildir:{self.path}", self.options).iter_documents(since)
            return
        seen: dict[str, list[int]] = dict((since or {}).get("files", {}))
        self.cursor = {"files": seen}
        for path in self.files():
            key = str(path)
            try:
                stat = path.stat()
            except OSError as exc:
                yield _error(key, exc)
                continue
            stamp = [stat.st_size, stat.st_mtime_ns]
            if seen.get(key) == stamp:
                continue
            if path.suffix.lower() in MAILBOX_SUFFIXES:
                yield from MboxConnector(f"mbox:{path}", self.options).iter_documents(None)
            else:
                try:
                    yield read_file(path, self.options)
                except Exception as exc:
                    _log.debug("reading %s failed", key, exc_info=True)
                    yield _error(key, exc)
            seen[key] = stamp


class _MailboxConnector(Connector):
    scheme = ""

    def __init__(self, uri: str, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(uri, options)
        self.path = _strip_scheme(uri, self.scheme)

    def _open(self) -> mailbox.Mailbox:
        raise NotImplementedError

    def iter_documents(self, since: Cursor | None = None) -> Iterator[Document | ItemError]:
        from connectors.eml import read_eml

        if not self.path.exists():
            raise UsageError(f"no such {self.label}", item=str(self.path))
        try:
            box = self._open()
            keys = list(box.keys())
        except (OSError, mailbox.Error) as exc:
            yield _error(f"{self.scheme}:{self.path}", exc)
            return
        seen = set((since or {}).get("keys", []))
        done: list[str] = list(seen)
        self.cursor = {"keys": done}
        try:
            for index, key in enumerate(keys):
                key_text = str(key)
                if key_text in seen:
                    continue
                source = (
                    f"{self.scheme}:{self.path}#{key_text if self.scheme == 'maildir' else index}"
                )
                try:
                    raw = box.get_bytes(key)
                    yield read_eml(raw, source, self.options)
                except Exception as exc:
                    yield _error(source, exc)
                done.append(key_text)
        finally:
            box.close()


class MboxConnector(_MailboxConnector):
    """``mbox:PATH``: every message of a Unix mbox file."""

    label = "mbox file"
    scheme = "mbox"

    def _open(self) -> mailbox.Mailbox:
        if not self.path.is_file():
            raise BadInputError("not an mbox file", item=str(self.path))
        return mailbox.mbox(self.path, create=False)


class MaildirConnector(_MailboxConnector):
    """``maildir:PATH``: every message in a Maildir's ``new`` and ``cur``."""

    label = "Maildir"
    scheme = "maildir"

    def _open(self) -> mailbox.Mailbox:
        if not (self.path / "cur").is_dir():
            raise BadInputError("not a Maildir (no cur/ folder)", item=str(self.path))
        return mailbox.Maildir(self.path, factory=None, create=False)
