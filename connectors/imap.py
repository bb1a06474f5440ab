"""IMAP mailboxes: ``imap://user@host[:port]/FOLDER`` (STARTTLS) and ``imaps://`` (implicit TLS).

Incremental sync follows RFC 4549: the cursor is ``{"uidvalidity": N, "last_uid": U}``.
With the same UIDVALIDITY only UIDs above ``last_uid`` are fetched; a changed UIDVALIDITY
means the server renumbered the folder, so everything is read again. ``connector.cursor``
covers each message as it is yielded, so a caller that saves it after handling the message
and stops early (or hits a timeout part-way) resumes right after it.

Options (``[sources."imap://me@host"]``): ``password`` / ``password_env`` /
``password_keyring`` (see :mod:`connectors.credentials`), ``starttls`` (``"auto"``, the
default, upgrades when offered and insists on it for hosts other than loopback; ``true``
requires it; ``false`` never), ``ca_file`` (trust a private CA), ``verify_tls`` (default
true), ``timeout_s`` (30), ``batch_size`` (50).
"""

from __future__ import annotations

import ast
import contextlib
import ipaddress
import ssl
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from connectors.base import Connector, Cursor, ItemError
from connectors.credentials import require_secret, safe_text
from connectors.document import Document
from connectors.errors import (
    AuthError,
    ConfigError,
    DeskdraftError,
    TransientError,
    UsageError,
)
from connectors.remote_mail import document_from_mime, max_message_bytes
from connectors.secrets import Secret

DEFAULT_PORTS = {"imap": 143, "imaps": 993}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ImapConnector(Connector):
    label = "IMAP"

    def __init__(self, uri: str, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(uri, options)
        parts = urlsplit(uri)
        self.scheme = parts.scheme.lower()
        if self.scheme not in DEFAULT_PORTS or not parts.hostname or not parts.username:
            raise UsageError(
                f"not an IMAP source: {uri!r}",
                hint="use imap://USER@HOST[:PORT]/FOLDER or imaps://USER@HOST[:PORT]/FOLDER",
            )
        if parts.password:
            raise UsageError(
                "passwords do not belong in the source URI",
                item=f"{self.scheme}://{parts.username}@{parts.hostname}",
                hint="use password_env or the OS keyring (docs/connectors.md)",
            )
        self.user = unquote(parts.username)
        self.host = parts.hostname
        try:
            self.port = parts.port or DEFAULT_PORTS[self.scheme]
        except ValueError:
            raise UsageError(f"bad port in {uri!r}") from None
        # RFC 5092 parameters such as ";AUTH=*" or ";UIDVALIDITY=" are not part of the name.
        self.folder = unquote(parts.path.lstrip("/").split(";", 1)[0]) or "INBOX"
        self.account = f"{self.scheme}://{quote(self.user, safe='@')}@{self.host}"
        self.item = f"{self.account}:{self.port}/{self.folder}"
        self._client: Any = None
        self._password: Secret | None = None

    # -- connection -------------------------------------------------------------------
    def _ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.options.get("ca_file") or None)
        if not self.options.get("verify_tls", True):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _want_starttls(self) -> bool | None:
        """True: required; False: never; None: when offered."""
        setting = self.options.get("starttls", "auto")
        if isinstance(setting, str) and setting.lower() == "auto":
            return None if _is_loopback(self.host) else True
        return bool(setting)

    def _connect(self) -> Any:
        from imapclient import IMAPClient
        from imapclient.exceptions import IMAPClientError, LoginError

        self._password = require_secret(
            self.options, "password", account=self.account, item=self.item
        )
        timeout = float(self.options.get("timeout_s", 30))
        try:
            client = IMAPClient(
                self.host,
                port=self.port,
                ssl=self.scheme == "imaps",
                ssl_context=self._ssl_context() if self.scheme == "imaps" else None,
                timeout=timeout,
            )
        except ssl.SSLCertVerificationError as exc:
            raise ConfigError(
                f"TLS certificate not trusted: {exc.verify_message}",
                item=self.item,
                hint="set ca_file to the server's CA certificate",
            ) from None
        except (TimeoutError, ConnectionError, ssl.SSLError, OSError) as exc:
            raise TransientError(
                f"cannot connect to {self.host}:{self.port}: {safe_text(exc)}",
                item=self.item,
                hint="check host and port; the job retries later",
            ) from None
        try:
            want = self._want_starttls()
            if want is not False and self.scheme == "imap":
                if client.has_capability("STARTTLS"):
                    client.starttls(self._ssl_context())
                elif want:
                    raise ConfigError(
                        "server does not offer STARTTLS; refusing to send the password in clear",
                        item=self.item,
                        hint="use imaps:// or set starttls = false for a trusted network",
                    )
            client.login(self.user, self._password.reveal())
        except LoginError as exc:
            _shutdown(client)
            raise AuthError(
                f"login refused for user {self.user!r}: {safe_text(_decode(exc), self._password)}",
                item=self.item,
                hint="check the user name and the configured password",
            ) from None
        except ssl.SSLCertVerificationError as exc:
            _shutdown(client)
            raise ConfigError(
                f"TLS certificate not trusted: {exc.verify_message}",
                item=self.item,
                hint="set ca_file to the server's CA certificate",
            ) from None
        except (TimeoutError, ConnectionError, ssl.SSLError, OSError) as exc:
            _shutdown(client)
            raise TransientError(
                f"connection failed during login: {safe_text(exc, self._password)}",
                item=self.item,
            ) from None
        except IMAPClientError as exc:
            _shutdown(client)
            raise TransientError(
                f"server error during login: {safe_text(_decode(exc), self._password)}",
                item=self.item,
            ) from None
        except DeskdraftError:
            _shutdown(client)
            raise
        return client

    def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            try:
                client.logout()
            except Exception:
                _shutdown(client)

    # -- sync -------------------------------------------------------------------------
    def _select(self, client: Any) -> int:
        from imapclient.exceptions import IMAPClientError

        try:
            info = client.select_folder(self.folder, readonly=True)
        except IMAPClientError as exc:
            try:
                names = sorted(name for _flags, _sep, name in client.list_folders())
            except IMAPClientError:
                names = []
            if self.folder not in names:
                shown = ", ".join(names[:15]) + (" …" if len(names) > 15 else "")
                raise ConfigError(
                    f"folder {self.folder!r} does not exist",
                    item=self.item,
                    hint=f"folders: {shown or 'none'}",
                ) from None
            raise TransientError(
                f"cannot open folder: {safe_text(_decode(exc))}", item=self.item
            ) from None
        return int(info[b"UIDVALIDITY"])

    def iter_documents(self, since: Cursor | None = None) -> Iterator[Document | ItemError]:
        from imapclient.exceptions import IMAPClientError

        self.close()
        self._client = client = self._connect()
        try:
            uidvalidity = self._select(client)
            last_uid = 0
            if since and since.get("uidvalidity") == uidvalidity:
                last_uid = int(since.get("last_uid", 0))
            self.cursor = {"uidvalidity": uidvalidity, "last_uid": last_uid}
            # "N:*" always matches the highest UID, even one below N, hence the filter.
            uids = sorted(u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
            batch = max(1, int(self.options.get("batch_size", 50)))
            for offset in range(0, len(uids), batch):
                yield from self._fetch_batch(client, uidvalidity, uids[offset : offset + batch])
        except (TimeoutError, ConnectionError, ssl.SSLError, OSError, IMAPClientError) as exc:
            raise TransientError(
                f"connection lost while reading: {safe_text(_decode(exc), self._password)}",
                item=self.item,
                hint="the sync resumes from the last message read",
            ) from None
        finally:
            self.close()

    def _fetch_batch(
        self, client: Any, uidvalidity: int, uids: list[int]
    ) -> Iterator[Document | ItemError]:
        limit = max_message_bytes(self.options)
        sizes = client.fetch(uids, [b"RFC822.SIZE"])
        wanted = [u for u in uids if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= limit]
        bodies = client.fetch(wanted, [b"BODY.PEEK[]", b"INTERNALDATE", b"FLAGS"]) if wanted else {}
        for uid in uids:
            source = self.message_uri(uidvalidity, uid)
            data = bodies.get(uid)
            if uid not in wanted:
                size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
                item: Document | ItemError = ItemError(
                    source,
                    f"message is {size / 1048576:.1f} MB, over the {limit / 1048576:.0f} MB "
                    "limit (limits.file_max_mb)",
                )
            elif data is None or data.get(b"BODY[]") is None:
                item = ItemError(source, "server returned no body (deleted while reading?)")
            else:
                item = self._document(source, uid, data)
            # The cursor covers the item being handed out: a caller that saves it after
            # handling the item resumes right after it.
            self.cursor = {"uidvalidity": uidvalidity, "last_uid": uid}
            yield item

    def _document(self, source: str, uid: int, data: dict[bytes, Any]) -> Document | ItemError:
        internal = data.get(b"INTERNALDATE")
        if isinstance(internal, datetime) and internal.tzinfo is None:
            internal = internal.astimezone(UTC)  # imapclient gives naive local time
        flags = [f.decode() if isinstance(f, bytes) else str(f) for f in data.get(b"FLAGS", ())]
        return document_from_mime(
            bytes(data[b"BODY[]"]),
            source,
            self.options,
            received=internal if isinstance(internal, datetime) else None,
            metadata={"imap_uid": uid, "folder": self.folder, "flags": flags},
        )

    def message_uri(self, uidvalidity: int, uid: int) -> str:
        """The RFC 5092 IMAP URL of one message."""
        port = "" if self.port == DEFAULT_PORTS[self.scheme] else f":{self.port}"
        folder = quote(self.folder, safe="/")
        return f"{self.account}{port}/{folder};UIDVALIDITY={uidvalidity}/;UID={uid}"


def _decode(exc: BaseException) -> str:
    """imaplib puts the server's bytes reply into the message as ``b'...'``; unwrap it."""
    text = str(exc)
    if text[:2] in ("b'", 'b"'):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        if isinstance(value, bytes):
            return value.decode(errors="replace")
    return text


def _shutdown(client: Any) -> None:
    """Drop the connection without a LOGOUT; the socket may already be gone."""
    with contextlib.suppress(Exception):
        client.shutdown()
