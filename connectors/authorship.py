"""Measure how well mail cleaning keeps the author's words, on hand-labelled corpus mail.

The labelled set (``tests/data/mail_authorship.json``, convention in docs/connectors.md)
marks, for each message, the 1-based line ranges of the author's new text over the
decoded body exactly as the cleaner sees it (:func:`connectors.mailparse.message_body`,
:func:`connectors.msg.msg_body`). A splitter maps that body to the ``text`` it keeps; this
module counts words:

* **author-word recall**: the share of the author's words that ``text`` keeps;
* **quoted-word precision**: the share of ``text`` words that are the author's;
* **lost**: messages with author words of which ``text`` keeps none.

Words are compared as multisets (so a word the author repeats counts each time). Lines of
``text`` that start with ``"> "`` are quoted context kept beside an inline answer and are
left out of both counts. CJK characters count one word each.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from connectors.mailparse import message_body
from connectors.msg import msg_body
from connectors.quotes import CONTEXT_PREFIX, split_quoted

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")

Splitter = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class LabelledMail:
    path: str  # relative to the shared folder
    split: str  # "dev" or "test"
    group: str  # messages sharing a sender, thread or fixture source share a group
    sha256: str  # of the decoded body: catches a reader change that moves lines
    author: tuple[tuple[int, int], ...]
    signature: tuple[tuple[int, int], ...]
    styles: tuple[str, ...]


@dataclass(slots=True)
class Scores:
    messages: int = 0
    author_words: int = 0
    text_words: int = 0
    kept_words: int = 0
    lost: list[str] = field(default_factory=list)
    mostly_lost: list[str] = field(default_factory=list)  # under a third kept
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.kept_words / self.author_words if self.author_words else 1.0

    @property
    def precision(self) -> float:
        return self.kept_words / self.text_words if self.text_words else 1.0

    def as_dict(self) -> dict[str, float | int | list[str]]:
        return {
            "messages": self.messages,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "lost": len(self.lost),
            "under_a_third": len(self.mostly_lost),
            "lost_paths": self.lost,
            "mails_per_s": round(self.messages / self.seconds, 1) if self.seconds else 0.0,
        }


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


def load_labels(path: Path) -> list[LabelledMail]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [
        LabelledMail(
            path=r["path"],
            split=r["split"],
            group=r["group"],
            sha256=r["sha256"],
            author=tuple(tuple(x) for x in r["author"]),
            signature=tuple(tuple(x) for x in r["signature"]),
            styles=tuple(r["styles"]),
        )
        for r in records
    ]


def read_body(label: LabelledMail, shared: Path) -> str:
    """The decoded body the label's line numbers count; refuses a body that changed."""
    data = (shared / label.path).read_bytes()
    body = msg_body(data) if label.path.endswith(".msg") else message_body(data)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if digest != label.sha256:
        raise ValueError(
            f"{label.path}: decoded body differs from the labelled one "
            f"(sha256 {digest[:12]} != {label.sha256[:12]}); relabel it"
        )
    return body


def lines_of(body: str, ranges: Iterable[tuple[int, int]]) -> str:
    lines = body.split("\n")
    return "\n".join(line for start, end in ranges for line in lines[start - 1 : end])


def without_context(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith(CONTEXT_PREFIX))


def evaluate(splitter: Splitter, items: Sequence[tuple[LabelledMail, str]]) -> Scores:
    scores = Scores(messages=len(items))
    started = time.process_time()
    outputs = [splitter(body) for _, body in items]
    scores.seconds = time.process_time() - started
    for (label, body), text in zip(items, outputs, strict=True):
        expected = words(lines_of(body, label.author))
        got = words(without_context(text))
        kept = sum((expected & got).values())
        total = sum(expected.values())
        scores.author_words += total
        scores.text_words += sum(got.values())
        scores.kept_words += kept
        if total and kept == 0:
            scores.lost.append(label.path)
        elif total and kept * 3 < total:
            scores.mostly_lost.append(label.path)
    return scores


def _quotes_text(body: str) -> str:
    return split_quoted(body).text


def _quotequail_text(body: str) -> str:
    import quotequail  # measurement only: a dev dependency

    return "\n".join(part for shown, part in quotequail.quote(body) if shown)


def _mail_parser_reply_text(body: str) -> str:
    from mailparser_reply import EmailReplyParser  # measurement only: a dev dependency

    parser = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl", "ja", "zh"])
    return parser.parse_reply(text=body) or ""


SPLITTERS: dict[str, Splitter] = {
    "quotes.py": _quotes_text,
    "quotequail": _quotequail_text,
    "mail-parser-reply": _mail_parser_reply_text,
}
