"""Find the exchangelib folder for a URI path such as ``Inbox`` or ``Inbox/Projects``.

The first part may be a well-known (distinguished) folder; every further part is one
shallow FindFolder restricted to that display name, instead of exchangelib's ``/``
operator, which first maps the whole mailbox hierarchy.
"""

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


def child_folder(parent: Any, name: str) -> Any:
    from exchangelib import Q
    from exchangelib.errors import ErrorFolderNotFound
    from exchangelib.folders import SHALLOW, FolderCollection

    matches = list(
        FolderCollection(account=parent.account, folders=[parent]).find_folders(
            q=Q(name=name), depth=SHALLOW
        )
    )
    for folder in matches:
        if not isinstance(folder, Exception):
            return folder
    raise ErrorFolderNotFound(f"no folder {name!r} in {parent.name!r}")


def resolve_folder(account: Any, path: str) -> Any:
    parts = [part for part in path.split("/") if part]
    first = parts[0] if parts else "Inbox"
    attribute = WELL_KNOWN.get(first.lower())
    folder = (
        getattr(account, attribute) if attribute else child_folder(account.msg_folder_root, first)
    )
    for name in parts[1:]:
        folder = child_folder(folder, name)
    return folder
