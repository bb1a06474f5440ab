"""Find the exchangelib folder for a URI path such as ``Inbox`` or ``Inbox/Projects``."""

from __future__ import annotations

from typing import Any

#: Well-known (distinguished) folder names → exchangelib Account attribute.
WELL_KNOWN = {
    "inbox": "inbox",
    "sentitems": "sent",
    "sent items": "sent",
    "sent": "sent",
    "drafts": "drafts",
    "deleteditems": "trash",
    "deleted items": "trash",
    "junkemail": "junk",
    "junk email": "junk",
    "outbox": "outbox",
    "archive": "archive_inbox",
    "calendar": "calendar",
}


def resolve_folder(account: Any, path: str) -> Any:
    parts = [part for part in path.split("/") if part]
    first = parts[0] if parts else "Inbox"
    attribute = WELL_KNOWN.get(first.lower())
    # Each "/" below is a FindFolder on the server; a missing name raises ErrorFolderNotFound.
    folder = getattr(account, attribute) if attribute else account.msg_folder_root / first
    for name in parts[1:]:
        folder = folder / name
    return folder
