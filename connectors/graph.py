"""Exchange Online through Microsoft Graph: ``graph://USER@TENANT/FOLDER``.

``graph://alice@contoso.onmicrosoft.com/Inbox`` reads the mailbox
``alice@contoso.onmicrosoft.com`` in tenant ``contoso.onmicrosoft.com`` (options
``mailbox`` and ``tenant_id`` override either). FOLDER is a well-known name (Inbox,
SentItems, Archive …) or a display-name path such as ``Inbox/Projects``.

Mail sync uses the message delta query; the cursor is ``{"folder_id", "delta_link"}``
(or ``"next_link"`` part-way through a first sync). An expired delta token (HTTP 410)
means a full resync. Each message is downloaded as MIME (``/$value``) and read by the
same parser as every other mail source. The connector also implements
:class:`~connectors.calendar.CalendarSource` and :class:`~connectors.calendar.MailSender`.
Auth options: see :mod:`connectors.graph_auth`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from connectors import graph_calendar
from connectors.base import Connector, Cursor, ItemError
from connectors.calendar import BusyInterval, NewEvent
from connectors.credentials import install_log_redaction
from connectors.document import Document
from connectors.errors import ConfigError, UsageError
from connectors.graph_auth import MsalTokens
from connectors.graph_http import DeltaExpired, GraphHttp
from connectors.remote_mail import document_from_mime, max_message_bytes

WELL_KNOWN_FOLDERS = {
    name.lower(): name
    for name in (
        "inbox",
        "archive",
        "clutter",
        "conflicts",
        "conversationhistory",
        "deleteditems",
        "drafts",
        "junkemail",
        "localfailures",
        "msgfolderroot",
        "outbox",
        "recoverableitemsdeletions",
        "scheduled",
        "searchfolders",
        "sentitems",
        "serverfailures",
        "syncissues",
    )
}


class GraphConnector(Connector):
    label = "Microsoft Graph"

    def __init__(self, uri: str, options: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(uri, options)
        parts = urlsplit(uri)
        if parts.scheme.lower() != "graph" or not parts.hostname or not parts.username:
            raise UsageError(f"not a Graph source: {uri!r}", hint="use graph://USER@TENANT/FOLDER")
        if parts.password:
            raise UsageError(
                "secrets do not belong in the source URI",
                item=f"graph://{parts.username}@{parts.hostname}",
            )
        self.tenant = parts.hostname
        user = unquote(parts.username)
        self.mailbox = str(self.options.get("mailbox") or f"{user}@{self.tenant}")
        self.folder = unquote(parts.path.strip("/")) or "Inbox"
        self.account = f"graph://{unquote(parts.username)}@{self.tenant}"
        self.item = f"{self.account}/{self.folder}"
        install_log_redaction("msal", "urllib3", "requests")
        self.tokens = MsalTokens(
            self.options, tenant=self.tenant, account=self.account, item=self.item
        )
        self.http = GraphHttp(self.tokens, self.options, item=self.item, **kwargs)

    @property
    def _user_path(self) -> str:
        return f"users/{quote(self.mailbox)}"

    # -- folders ----------------------------------------------------------------------
    def resolve_folder(self) -> str:
        """The folder id for ``self.folder``, walking display names below the first part."""
        parts = [p for p in self.folder.split("/") if p]
        first = parts[0]
        if first.lower() in WELL_KNOWN_FOLDERS:
            current = self.http.get_json(
                f"{self._user_path}/mailFolders/{WELL_KNOWN_FOLDERS[first.lower()]}",
                params={"$select": "id,displayName"},
                what=f"folder {first!r}",
            )["id"]
        else:
            current = self._child(f"{self._user_path}/mailFolders", first, self.folder)
        for name in parts[1:]:
            current = self._child(
                f"{self._user_path}/mailFolders/{current}/childFolders", name, self.folder
            )
        return str(current)

    def _child(self, path: str, name: str, full: str) -> str:
        escaped = name.replace("'", "''")
        page = self.http.get_json(
            path,
            params={"$filter": f"displayName eq '{escaped}'", "$select": "id,displayName"},
            what=f"folder {full!r}",
        )
        found = page.get("value") or []
        if not found:
            raise ConfigError(f"folder {full!r} does not exist (no {name!r})", item=self.item)
        return str(found[0]["id"])

    # -- mail -------------------------------------------------------------------------
    def iter_documents(self, since: Cursor | None = None) -> Iterator[Document | ItemError]:
        since = since or {}
        folder_id = since.get("folder_id") or self.resolve_folder()
        start = since.get("delta_link") or since.get("next_link")
        if since.get("folder_id") != folder_id:
            start = None
        try:
            yield from self._delta(folder_id, start)
        except DeltaExpired:
            # The server forgot our sync state: read the folder again from scratch.
            yield from self._delta(folder_id, None)

    def _delta(self, folder_id: str, start: str | None) -> Iterator[Document | ItemError]:
        page_size = int(self.options.get("page_size", 50))
        url = start or f"{self._user_path}/mailFolders/{folder_id}/messages/delta"
        params = (
            None
            if start
            else {"$select": "id,subject,receivedDateTime,conversationId,internetMessageId"}
        )
        headers = {"Prefer": f"odata.maxpagesize={page_size}"}
        while url:
            page = self.http.get_json(url, params=params, headers=headers, what="message delta")
            params = None
            for message in page.get("value", []):
                if "@removed" in message:
                    continue
                yield self._message(message)
            if page.get("@odata.nextLink"):
                url = page["@odata.nextLink"]
                self.cursor = {"folder_id": folder_id, "next_link": url}
            else:
                url = None
                self.cursor = {"folder_id": folder_id, "delta_link": page.get("@odata.deltaLink")}

    def _message(self, message: Mapping[str, Any]) -> Document | ItemError:
        message_id = str(message["id"])
        source = f"{self.account}/{quote(self.folder)}/messages/{quote(message_id, safe='')}"
        limit = max_message_bytes(self.options)
        response = self.http.request(
            "GET",
            f"{self._user_path}/messages/{quote(message_id, safe='')}/$value",
            stream=True,
            what="message content",
        )
        with response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
                if size > limit:
                    return ItemError(
                        source,
                        f"message is over the {limit / 1048576:.0f} MB limit (limits.file_max_mb)",
                    )
                chunks.append(chunk)
        received = message.get("receivedDateTime")
        return document_from_mime(
            b"".join(chunks),
            source,
            self.options,
            received=datetime.fromisoformat(received.replace("Z", "+00:00")) if received else None,
            conversation_id=message.get("conversationId"),
            metadata={"graph_id": message_id, "folder": self.folder},
        )

    # -- calendar and sending ----------------------------------------------------------
    def busy_intervals(self, start: datetime, end: datetime) -> list[BusyInterval]:
        return graph_calendar.busy_intervals(self.http, self.mailbox, start, end)

    def create_event(self, event: NewEvent) -> str:
        return graph_calendar.create_event(self.http, self.mailbox, event)

    def send_mail(self, msg: EmailMessage) -> None:
        graph_calendar.send_mail(self.http, self.mailbox, msg)

    def close(self) -> None:
        self.http.session.close()
