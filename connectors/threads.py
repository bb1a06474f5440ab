"""Thread reconstruction: Message-ID / In-Reply-To / References, Exchange ConversationId,
and normalized subjects as the fallback for replies that carry no reference headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from connectors.document import Document, content_id

# "Re:", "AW:", "Fwd:", "TR:", "RV:" ... in EN/DE/FR/ES/NL/Nordic clients, optionally
# numbered ("Re[2]:", "Re^3:") and mailing-list tags such as "[dev]".
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|tr|rv|res|enc|sv|vs|antw|antwort|ref|réf|rif|r)"
    r"\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*|\[[^\]]{1,40}\]\s*)",
    re.IGNORECASE,
)
_REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|sv|vs|antw|rv|res|r)\s*(?:\[\d+\])?\s*:", re.I)
_WS = re.compile(r"\s+")
_ANGLE = re.compile(r"<([^<>\s]+)>")


def strip_subject_prefixes(subject: str | None) -> str:
    """The subject without reply/forward prefixes and list tags; case and spacing kept."""
    text = (subject or "").strip()
    while (stripped := _PREFIX.sub("", text, count=1)) != text:
        text = stripped.strip()
    return text


def normalize_subject(subject: str | None) -> str:
    """The subject without reply/forward prefixes and list tags, case-folded."""
    return strip_subject_prefixes(_WS.sub(" ", subject or "")).casefold()


def is_reply_subject(subject: str | None) -> bool:
    return bool(_REPLY_PREFIX.match(subject or ""))


def clean_message_id(value: str | None) -> str | None:
    """``<abc@host>`` → ``abc@host``; None for empty values."""
    if not value:
        return None
    match = _ANGLE.search(value)
    text = match.group(1) if match else value.strip().strip("<>").strip()
    return text or None


def parse_references(value: str | None) -> list[str]:
    """All message ids in a References header, oldest first, without duplicates."""
    if not value:
        return []
    ids = _ANGLE.findall(value) or [v for v in value.split() if "@" in v]
    seen: dict[str, None] = {}
    for mid in ids:
        seen.setdefault(mid.strip(), None)
    return list(seen)


def _key(kind: str, value: str) -> str:
    return content_id("thread", kind, value)[:20]


def thread_key_for(
    *,
    message_id: str | None,
    in_reply_to: str | None,
    references: Sequence[str],
    subject: str | None,
    conversation_id: str | None = None,
) -> str:
    """The thread key one message can compute on its own.

    The root of the References chain is shared by every message of a thread, and a root
    message's own id is that same root, so both get the same key. Exchange's
    ConversationId wins where present; a reply with no reference headers falls back to
    its normalized subject. ``assign_threads`` merges what single messages cannot.
    """
    if conversation_id:
        return _key("conversation", conversation_id)
    root = (references[0] if references else None) or in_reply_to
    if root:
        return _key("message", root)
    if message_id and not is_reply_subject(subject):
        return _key("message", message_id)
    normalized = normalize_subject(subject)
    if normalized:
        return _key("subject", normalized)
    return _key("message", message_id or "")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _is_orphan_reply(doc: Document) -> bool:
    return not doc.references and not doc.in_reply_to and is_reply_subject(doc.title)


def assign_threads(documents: Iterable[Document]) -> list[list[Document]]:
    """Group mail into threads and give every member the same ``thread_key``.

    Links: a message to its In-Reply-To and References, messages sharing an Exchange
    ConversationId, and a reply without reference headers to the other messages with
    the same normalized subject. Returns threads oldest first, each sorted by date.
    """
    docs = list(documents)
    uf = _UnionFind()
    for index, doc in enumerate(docs):
        node = f"doc:{index}"
        uf.find(node)
        if doc.message_id:
            uf.union(node, f"mid:{doc.message_id}")
        for ref in [*doc.references, doc.in_reply_to]:
            if ref:
                uf.union(node, f"mid:{ref}")
        conversation = doc.metadata.get("conversation_id")
        if conversation:
            uf.union(node, f"conv:{conversation}")
    # subjects: only replies without reference headers are joined by subject, so two
    # unrelated threads that both say "Re: Meeting" but carry references stay apart
    by_subject: dict[str, list[int]] = {}
    for index, doc in enumerate(docs):
        normalized = normalize_subject(doc.title)
        if normalized:
            by_subject.setdefault(normalized, []).append(index)
    for indexes in by_subject.values():
        orphans = [i for i in indexes if _is_orphan_reply(docs[i])]
        if not orphans:
            continue
        others = [i for i in indexes if i not in orphans]
        originals = [i for i in others if not is_reply_subject(docs[i].title)]
        target = (originals or others or orphans)[0]
        for i in orphans:
            uf.union(f"doc:{i}", f"doc:{target}")
    groups: dict[str, list[Document]] = {}
    for index, doc in enumerate(docs):
        groups.setdefault(uf.find(f"doc:{index}"), []).append(doc)
    threads = []
    for members in groups.values():
        members.sort(key=lambda d: d.date or _EPOCH)
        root = members[0]
        key = root.thread_key or thread_key_for(
            message_id=root.message_id,
            in_reply_to=root.in_reply_to,
            references=root.references,
            subject=root.title,
            conversation_id=root.metadata.get("conversation_id"),
        )
        for doc in members:
            doc.thread_key = key
        threads.append(members)
    threads.sort(key=lambda t: t[0].date or _EPOCH)
    return threads
