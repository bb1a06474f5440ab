"""Exchange on premises through EWS (exchangelib): ``ews://USER@HOST/FOLDER``.

One small module per remote operation: :mod:`.account` (credentials, impersonation),
:mod:`.folders`, :mod:`.sync` (SyncFolderItems + GetItem), :mod:`.calendar_view`
(free/busy), :mod:`.create_event`, :mod:`.send_mail`, and :mod:`.errors` (ErrorServerBusy
backoff, error translation). The connector implements
:class:`~connectors.calendar.CalendarSource` and :class:`~connectors.calendar.MailSender`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from connectors.base import Connector, Cursor, ItemError
from connectors.calendar import BusyInterval, NewEvent
from connectors.credentials import install_log_redaction
from connectors.document import Document
from connectors.errors import UsageError
from connectors.ews.account import EwsTarget, build_account
from connectors.ews.errors import Backoff


class EwsConnector(Connector):
    label = "Exchange (EWS)"

    def __init__(
        self,
        uri: str,
        options: Mapping[str, Any] | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(uri, options)
        parts = urlsplit(uri)
        if parts.scheme.lower() != "ews" or not parts.hostname or not parts.username:
            raise UsageError(f"not an EWS source: {uri!r}", hint="use ews://USER@HOST/FOLDER")
        if parts.password:
            raise UsageError(
                "passwords do not belong in the source URI",
                item=f"ews://{parts.username}@{parts.hostname}",
                hint="use password_env or the OS keyring (docs/connectors.md)",
            )
        user = unquote(parts.username)
        self.folder = unquote(parts.path.strip("/")) or "Inbox"
        account = f"ews://{user}@{parts.hostname}"
        self.target = EwsTarget(
            user=user, host=parts.hostname, account=account, item=f"{account}/{self.folder}"
        )
        self.item = self.target.item
        self._sleep = sleep
        self._account: Any = None
        self._backoff: Backoff | None = None
        install_log_redaction("exchangelib", "requests_ntlm", "requests_oauthlib", "urllib3")

    def _session(self) -> tuple[Any, Backoff]:
        if self._account is None or self._backoff is None:
            account, secrets = build_account(self.options, self.target)
            self._backoff = Backoff(
                item=self.item,
                max_retries=int(self.options.get("max_retries", 5)),
                max_wait_s=float(self.options.get("max_wait_s", 120)),
                sleep=self._sleep,
                secrets=secrets,
            )
            self._account = account
        return self._account, self._backoff

    @property
    def backoff(self) -> Backoff:
        return self._session()[1]

    def iter_documents(self, since: Cursor | None = None) -> Iterator[Document | ItemError]:
        from connectors.ews.folders import resolve_folder
        from connectors.ews.sync import sync_messages

        account, backoff = self._session()
        folder = backoff.call(
            f"open folder {self.folder!r}", lambda: resolve_folder(account, self.folder)
        )

        def source_for(item_id: str) -> str:
            return f"{self.target.account}/{quote(self.folder)}/items/{quote(item_id, safe='')}"

        def set_cursor(cursor: Cursor) -> None:
            self.cursor = cursor

        yield from sync_messages(
            account, folder, self.folder, since, self.options, backoff, source_for, set_cursor
        )

    def busy_intervals(self, start: datetime, end: datetime) -> list[BusyInterval]:
        from connectors.ews.calendar_view import busy_intervals

        account, backoff = self._session()
        return busy_intervals(account, backoff, start, end)

    def create_event(self, event: NewEvent) -> str:
        from connectors.ews.create_event import create_event

        account, backoff = self._session()
        return create_event(account, backoff, event)

    def send_mail(self, msg: EmailMessage) -> None:
        from connectors.ews.send_mail import send_mail

        account, backoff = self._session()
        send_mail(account, backoff, msg)

    def close(self) -> None:
        if self._account is not None:
            account, self._account = self._account, None
            account.protocol.close()
