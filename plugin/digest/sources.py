"""The ``digest_sources`` job kind: which mailboxes the caller's digests may read.

The Outlook pane's digest view fills its source picker from this, through the job API
like any draft (no endpoint of its own). What it lists is what ``plugin.jobs.ownership``
lets the same user's ``digest`` job read: the ``[sources."PREFIX"]`` tables shared with
them (``owners = ["NAME"]`` or ``["*"]``), every table for admins. Code only, no model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from connectors.document import Document
from connectors.secrets import redact
from plugin.config import settings
from plugin.drafts.base import Draft, DraftKind
from plugin.jobs.ownership import shared_sources


class DigestSourcesDraft(DraftKind):
    """Options (set by the runner, see ``DraftKind.runs_as_owner``): ``owner``, ``owner_admin``."""

    name = "digest_sources"
    needs_model = False
    runs_as_owner = True

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        owner = options.get("owner")
        everyone = bool(options.get("owner_admin")) or not owner
        s = settings()
        prefixes = shared_sources(s, None if everyone else str(owner))
        sources = [
            {"source": prefix, "label": str(s.sources[prefix].get("label") or "")}
            for prefix in prefixes
            # A prefix with a credential written into it would leak it; masked, it would
            # read nothing. Such a source is typed in by someone who knows it.
            if redact(prefix) == prefix
        ]
        text = "\n".join(item["source"] for item in sources) or "No mailbox is shared with you."
        return [Draft(kind=self.name, text=text, data={"sources": sources}, verified=True)]
