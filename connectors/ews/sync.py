"""Incremental mail sync through SyncFolderItems, one page per request, then GetItem (MIME).

The cursor is ``{"folder": PATH, "sync_state": STATE}``. Each page is one SyncFolderItems
call retried on ErrorServerBusy; the state advances once the page's messages are yielded,
so an interrupted sync repeats at most one page. Only new items (``Create``) become
documents; read-flag changes and deletions are not content. An expired or corrupt state
(``ErrorInvalidSyncStateData``) restarts from the beginning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from connectors.base import Cursor, ItemError
from connectors.document import Document
from connectors.ews.errors import Backoff
from connectors.remote_mail import document_from_mime, max_message_bytes

FETCH_FIELDS = ["mime_content", "conversation_id", "datetime_received", "size"]


def sync_messages(
    account: Any,
    folder: Any,
    folder_path: str,
    since: Cursor | None,
    options: Mapping[str, Any],
    backoff: Backoff,
    source_for: Callable[[str], str],
    set_cursor: Callable[[Cursor], None],
) -> Iterator[Document | ItemError]:
    from exchangelib.errors import ErrorInvalidSyncStateData

    state = (since or {}).get("sync_state") if (since or {}).get("folder") == folder_path else None
    try:
        yield from _pages(
            account, folder, folder_path, state, options, backoff, source_for, set_cursor
        )
    except ErrorInvalidSyncStateData:
        yield from _pages(
            account, folder, folder_path, None, options, backoff, source_for, set_cursor
        )


def _pages(
    account: Any,
    folder: Any,
    folder_path: str,
    state: str | None,
    options: Mapping[str, Any],
    backoff: Backoff,
    source_for: Callable[[str], str],
    set_cursor: Callable[[Cursor], None],
) -> Iterator[Document | ItemError]:
    from exchangelib.errors import ErrorInvalidSyncStateData
    from exchangelib.items import ID_ONLY

    page_size = int(options.get("page_size", 100))
    fields = folder.normalize_fields(fields=["datetime_received"])
    while True:
        svc = _sync_service()(account=account)

        def one_page(svc: Any = svc, state: str | None = state) -> list[Any]:
            return list(
                svc.call(
                    folder=folder,
                    shape=ID_ONLY,
                    additional_fields=fields,
                    sync_state=state,
                    ignore=None,
                    max_changes_returned=page_size,
                    sync_scope=None,
                )
            )

        changes = backoff.call(
            "SyncFolderItems", one_page, passthrough=(ErrorInvalidSyncStateData,) if state else ()
        )
        created = [item for change, item in changes if change == "create"]
        yield from _fetch(account, created, options, backoff, source_for, folder_path)
        previous, state = state, svc.sync_state
        set_cursor({"folder": folder_path, "sync_state": state})
        if svc.includes_last_item_in_range or state == previous:
            return


def _sync_service() -> type:
    """exchangelib's SyncFolderItems reads ``SyncState`` before looking at the response
    class, so an error answer (which has none) surfaces as AttributeError instead of, say,
    ErrorInvalidSyncStateData. Check the error first."""
    from exchangelib.services import SyncFolderItems
    from exchangelib.services.common import EWSAccountService
    from exchangelib.util import MNS

    class CheckedSyncFolderItems(SyncFolderItems):  # type: ignore[misc]
        def _get_element_container(self, message: Any, name: Any = None) -> Any:
            if message.find(f"{{{MNS}}}SyncState") is None:
                return EWSAccountService._get_element_container(self, message=message, name=name)
            return super()._get_element_container(message=message, name=name)

    return CheckedSyncFolderItems


def _fetch(
    account: Any,
    items: list[Any],
    options: Mapping[str, Any],
    backoff: Backoff,
    source_for: Callable[[str], str],
    folder_path: str,
) -> Iterator[Document | ItemError]:
    from exchangelib.errors import ResponseMessageError

    if not items:
        return
    limit = max_message_bytes(options)
    fetched = backoff.call(
        "GetItem", lambda: list(account.fetch(ids=items, only_fields=FETCH_FIELDS))
    )
    for requested, item in zip(items, fetched, strict=False):
        source = source_for(requested.id)
        if isinstance(item, ResponseMessageError | Exception):
            yield ItemError(source, f"cannot read the item: {type(item).__name__}")
            continue
        raw = item.mime_content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if not raw:
            yield ItemError(source, "item has no MIME content (not a mail message?)")
            continue
        if len(raw) > limit or (item.size or 0) > limit:
            yield ItemError(
                source, f"message is over the {limit / 1048576:.0f} MB limit (limits.file_max_mb)"
            )
            continue
        conversation = getattr(item.conversation_id, "id", None)
        yield document_from_mime(
            raw,
            source,
            options,
            received=item.datetime_received,
            conversation_id=conversation,
            metadata={"ews_id": requested.id, "folder": folder_path},
        )
