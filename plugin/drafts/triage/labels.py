"""The hand-labelled digest mails (``tests/data/digest_labels.json``) as documents.

Used by the category classifier's training script, the tests and ``bench/digest.py``.
Paths in the label file are relative to ``../shared``; nothing is copied into the repo.
A ``.eml`` is parsed by the mail connector exactly as ``ingest`` would; an AESLC
``.subject`` file (an Enron body without headers) becomes a mail whose title is the
subject its sender wrote and whose headers are unknown (no signals, direct to the reader).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from connectors.document import Document, content_id
from connectors.mailcategory import SIGNALS, header_category, text_signals
from connectors.mailparse import parse_message

REPO = Path(__file__).resolve().parents[3]
LABELS = REPO / "tests" / "data" / "digest_labels.json"
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
    signals = [s for s in SIGNALS if s in text_signals(subject, text[:1500], len(text))]
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


__all__ = ["LABELS", "Labelled", "load", "load_document", "read_labels", "reader_addressed"]
