"""The hand-labelled digest mails (``tests/data/digest_labels.json``) as documents.

Used by the category classifier's training script, the tests and ``bench/digest.py``.
Paths in the label file are relative to ``../shared``; nothing is copied into the repo.
A ``.eml`` is parsed by the mail connector exactly as ``ingest`` would; an AESLC
``.subject`` file (an Enron body without headers) becomes a mail whose title is the
subject its sender wrote and whose headers are unknown (no signals, direct to the reader).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from connectors.document import Document, content_id
from connectors.mailcategory import (
    SIGNALS,
    TEXT_HEAD,
    TEXT_TAIL,
    header_category,
    text_signals,
)
from connectors.mailparse import parse_message

REPO = Path(__file__).resolve().parents[3]
LABELS = REPO / "tests" / "data" / "digest_labels.json"
#: The salt of the dev/test split, chosen once (issue #15) and never changed: a new label
#: lands in the split its group already has, so dev and test never share a group.
SPLIT_SALT = "146"
_ADDRESS_DOMAIN = re.compile(r"[\w.+=-]+@([\w-]+(?:\.[\w-]+)+)")
#: The anonymised owners of the SpamAssassin mailboxes (their own addresses, not the
#: ``yyyy-use-perl@`` style aliases they gave to newsletters).
SPAMASSASSIN_READERS = frozenset({"yyyy", "zzzz", "jm"})


@dataclass(frozen=True, slots=True)
class Labelled:
    path: str
    category: str
    asks: bool
    group: str
    split: str


def read_labels(path: Path = LABELS) -> list[Labelled]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Labelled(m["path"], m["category"], bool(m["asks"]), m["group"], m["split"])
        for m in data["messages"]
    ]


def label_group(relative: str, author: str) -> str:
    """The group a labelled mail is split by: its sender's domain (the last two labels,
    "sender:ac.uk") for SpamAssassin mail, its mailbox ("enron:shackleton-s") for an
    Enron mail, its project ("fixture:flanker") for a parser fixture."""
    parts = relative.split("/")
    if parts[0] == "data":  # data/aeslc-*/MAILBOX_FOLDER_N.subject
        return "enron:" + parts[-1].rsplit("_", 2)[0]
    if parts[:3] == ["corpus", "mail", "fixtures"]:
        return "fixture:" + parts[3]
    found = _ADDRESS_DOMAIN.search(author)
    domain = found.group(1).lower() if found else "unknown"
    return "sender:" + ".".join(domain.split(".")[-2:])


def split_of(group: str, salt: str = SPLIT_SALT) -> str:
    """``dev`` or ``test``, from the group alone (SHA-1 of "salt:group", odd is test)."""
    digest = hashlib.sha1(f"{salt}:{group}".encode()).hexdigest()
    return "test" if int(digest, 16) % 2 else "dev"


def load_document(shared: Path, relative: str) -> Document:
    path = shared / relative
    if path.suffix == ".subject":
        return _aeslc_document(path, relative)
    return parse_message(path.read_bytes(), relative)


def _aeslc_document(path: Path, relative: str) -> Document:
    raw = path.read_text(encoding="utf-8", errors="replace")
    body, _, rest = raw.partition("\n@subject")
    subject = rest.strip().splitlines()[0].strip() if rest.strip() else ""
    text = "\n".join(line.strip() for line in body.splitlines()).strip()
    fired = text_signals(subject, text[:TEXT_HEAD], len(text), text[-TEXT_TAIL:])
    signals = [s for s in SIGNALS if s in fired]
    return Document(
        id=content_id("aeslc", relative),
        kind="email",
        source=relative,
        title=subject,
        author="",
        text=text,
        metadata={
            "category": header_category(signals)[0],
            "category_source": "headers",
            "signals": signals,
            "headers_known": False,
        },
    )


def reader_addressed(document: Document) -> bool:
    """Whether the labelled mail's reader is personally a recipient (To or Cc, not a list).

    Unknown for the Enron mails (no headers): a person's mail asks whoever reads it, and
    a broadcast is not addressed to anyone personally, so they count as not addressed.
    """
    if document.metadata.get("headers_known") is False:
        return False
    recipients = [*document.to, *document.cc]
    return any(
        addr.split("<")[-1].split("@")[0].strip().lower() in SPAMASSASSIN_READERS
        for addr in recipients
    )


def load(shared: Path, split: str | None = None) -> list[tuple[Labelled, Document]]:
    return [
        (label, load_document(shared, label.path))
        for label in read_labels()
        if split is None or label.split == split
    ]


__all__ = [
    "LABELS",
    "SPLIT_SALT",
    "Labelled",
    "label_group",
    "load",
    "load_document",
    "read_labels",
    "reader_addressed",
    "split_of",
]
