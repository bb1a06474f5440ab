"""The sentence-level ask data of ``bench/asks_cv.py``, from the DEV labels only.

Reads ``tests/data/reply_labels.json`` (asks as fragments of sentences; split by mailbox
with ``bench/reply.py:split_of``, a label's "split" overrides),
``tests/data/ask_labels.json`` (session 8: random dev mails, asking or not, their asks as
fragments; source "asks") and ``tests/data/digest_labels.json`` (message-level ``asks``;
a mail of the ask labels is taken from those, not from the digest labels). A mail whose
file is labelled ``test`` in any file is left out of all, so no test mail is read or
trained on.

* Candidates (high recall): every author-text sentence with a request cue, a soft ask, a
  question mark, or a courtesy formula (``candidates``), each with the rule features of
  ``RULE_FEATURES``; the category features are those known at run time (out-of-fold
  predicted categories), never the label's.
* Sentence labels: a reply or ask label's candidate is an ask when it holds one of the
  label's ask fragments, else not (``holds``); a digest ``asks: false`` mail's candidates
  are not asks; a digest ``asks: true`` mail gives a positive only when it has exactly one candidate
  (a multiple-instance bag with several candidates does not say which one asks, so it is
  left out of training and scored at the message level only).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
ASK_LABELS = REPO / "tests" / "data" / "ask_labels.json"
#: The sources whose labels name the asking sentences (fragments), not only the message.
SENTENCE_SOURCES = ("reply", "asks")
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from reply import norm  # noqa: E402  (the reply bench matches ask fragments the same way)

from connectors.document import Document  # noqa: E402
from connectors.mailcategory import LIST, OUTREACH, PERSON  # noqa: E402
from plugin.drafts.summary import asks as digest_asks  # noqa: E402
from plugin.drafts.summary.actions import IMPERATIVE_VERBS, request_cue  # noqa: E402
from plugin.drafts.text.sentences import split_sentences  # noqa: E402

_FORWARD = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded|original\s+message)|>|from:\s|sent:\s|to:\s)", re.I | re.M
)
#: Wishes and suggestions that ask without a request cue or a question mark ("I would like
#: him to manage …", "Lets discuss.", "You may want to think about …", "I wonder if …"):
#: the session-8 ask labels hold many (a quarter of their fragments had no candidate).
_WISH = re.compile(
    r"\b(?:i|we)(?:\s+would|\s+will|'d|\s+really|\s+definitely|\s+also)*\s+"
    r"(?:like|want|need|hope|wonder|suggest|recommend|expect)\b"
    r"|\blet'?s\b|\byou\s+(?:may|might|should|could|will|need|must)\b"
    r"|\b(?:perhaps|maybe)\b|\bneeds?\s+to\b|\bwe\s+(?:should|must|need)\b"
    r"|\b(?:any|your)\s+(?:help|thoughts|input|comments|feedback)\b",
    re.I,
)
_YOU = re.compile(r"\b(?:you|your|yours|u)\b", re.I)
_WORD = re.compile(r"[A-Za-z']+")
RULE_FEATURES = (
    "request_cue",
    "soft_ask",
    "manners",
    "bulk_call",
    "question_mark",
    "second_person",
    "imperative_first",
    "please",
    "position",
    "first_sentence",
    "last_sentence",
    "forwarded",
    "long",
    "category_person",
    "category_list",
    "category_outreach",
    "bulk_signal",
    "wish",
)


@dataclass(slots=True)
class Candidate:
    text: str
    start: int
    end: int
    features: list[float]


@dataclass(slots=True)
class Mail:
    key: str
    group: str
    source: str  # "reply" | "asks" | "digest"
    document: Document
    candidates: list[Candidate] = field(default_factory=list)
    truth: list[int | None] = field(default_factory=list)  # per candidate; None: unknown
    asks: bool = False
    category: str = PERSON  # the label's category (digest) or person (reply)
    addressed: bool = False
    fragments: list[str] = field(default_factory=list)
    label: dict[str, Any] | None = None


def relative(path: str) -> str:
    """A labelled file's path under ``../shared``, the same in both label files (the reply
    labels write "../shared/data/…", the digest labels "data/…")."""
    return path.removeprefix("../shared/")


def holds(candidate_text: str, fragment: str) -> bool:
    """Whether a candidate sentence is the one an ask fragment (``norm``-ed) comes from."""
    text = norm(candidate_text)
    return fragment in text or text in fragment


def rule_features(
    text: str, index: int, count: int, start: int, full: str, category: str, signals: Sequence[str]
) -> list[float]:
    words = _WORD.findall(text)
    first = words[0].lower() if words else ""
    forward = _FORWARD.search(full)
    return [
        float(request_cue(text) is not None),
        float(digest_asks._soft_ask(text)),
        float(digest_asks.is_manners(text)),
        float(bool(digest_asks._BULK_CALL.search(text))),
        float(text.rstrip().endswith("?") or "?" in text),
        float(bool(_YOU.search(text))),
        float(first in IMPERATIVE_VERBS),
        float(bool(re.search(r"\b(?:please|pls|kindly)\b", text, re.I))),
        index / max(1, count - 1),
        float(index == 0),
        float(index == count - 1),
        float(bool(forward) and start > forward.start()),
        min(1.0, len(words) / 40),
        float(category == PERSON),
        float(category == LIST),
        float(category == OUTREACH),
        float(bool(digest_asks.BULK_SIGNALS & set(signals))),
        float(bool(_WISH.search(text))),
    ]


def candidates(text: str, category: str, signals: Sequence[str]) -> list[Candidate]:
    """Sentences that could be asks: a request cue, a soft ask, a question mark, manners,
    a wish or suggestion (``_WISH``)."""
    sentences = split_sentences(text)
    out = []
    for index, sentence in enumerate(sentences):
        body = sentence.text.strip()
        if not body:
            continue
        if (
            request_cue(body)
            or digest_asks._soft_ask(body)
            or "?" in body
            or digest_asks._is_courtesy(body)
            or _WISH.search(body)
        ):
            features = rule_features(
                body, index, len(sentences), sentence.start, text, category, signals
            )
            out.append(Candidate(body, sentence.start, sentence.end, features))
    return out


def _reply_mails(shared: Path) -> tuple[list[Mail], set[str]]:
    import reply as reply_bench

    from plugin.drafts.inputs import text_document

    data = json.loads(reply_bench.LABELS.read_text(encoding="utf-8"))["messages"]
    test_paths = {
        relative(m["path"])
        for m in data
        if (m.get("split") or reply_bench.split_of(m["path"])) == "test"
    }
    mails = []
    for label in reply_bench.load(shared, "dev"):
        document = text_document(label["body"], source=label["path"])
        name = relative(label["path"])
        mail = Mail(
            key=name,
            group="enron:" + reply_bench.owner(label["path"]),
            source="reply",
            document=document,
            asks=True,
            fragments=[norm(a["text"]) for a in label["asks"]],
            label=label,
        )
        mails.append(mail)
    return mails, test_paths


def _ask_label_mails(shared: Path, excluded: set[str]) -> list[Mail]:
    """The session-8 ask labels (dev mailboxes only; ``excluded``: test files of the other
    label files, never loaded)."""
    import reply as reply_bench

    from plugin.drafts.inputs import text_document

    mails = []
    for label in json.loads(ASK_LABELS.read_text(encoding="utf-8"))["messages"]:
        name = relative(label["path"])
        if reply_bench.split_of(label["path"]) != "dev" or name in excluded:
            continue
        body = (shared / name).read_text(encoding="utf-8").split("\n@subject")[0].strip()
        mails.append(
            Mail(
                key=name,
                group="enron:" + reply_bench.owner(label["path"]),
                source="asks",
                document=text_document(body, source=label["path"]),
                asks=bool(label["asks"]),
                fragments=[norm(a) for a in label["asks"]],
            )
        )
    return mails


def _digest_mails(shared: Path, excluded: set[str]) -> tuple[list[Mail], set[str]]:
    from plugin.drafts.triage import labels as mail_labels

    every = mail_labels.read_labels()
    test_paths = {relative(label.path) for label in every if label.split == "test"}
    mails = []
    for label in every:
        if label.split != "dev" or relative(label.path) in excluded:
            continue
        document = mail_labels.load_document(shared, label.path)
        mails.append(
            Mail(
                key=relative(label.path),
                group=label.group,
                source="digest",
                document=document,
                asks=label.asks,
                category=label.category,
                addressed=mail_labels.reader_addressed(document),
            )
        )
    return mails, test_paths


def load_mails(shared: Path, with_ask_labels: bool = True) -> list[Mail]:
    reply_mails, reply_test = _reply_mails(shared)
    digest_mails, digest_test = _digest_mails(shared, reply_test)
    reply_mails = [m for m in reply_mails if m.key not in digest_test]
    if not with_ask_labels:
        return reply_mails + digest_mails
    taken = {m.key for m in reply_mails}
    ask_mails = [
        m for m in _ask_label_mails(shared, reply_test | digest_test) if m.key not in taken
    ]
    taken |= {m.key for m in ask_mails}
    return reply_mails + ask_mails + [m for m in digest_mails if m.key not in taken]


def fragments_without_candidate(mails: list[Mail], source: str) -> tuple[int, int]:
    """(fragments no candidate holds, all fragments) of ``source``'s labels: the recall
    limit of ``candidates``, a miss of every decision alike."""
    fragments = [(m, f) for m in mails if m.source == source for f in m.fragments]
    missed = sum(1 for m, f in fragments if not any(holds(c.text, f) for c in m.candidates))
    return missed, len(fragments)


def add_candidates(mails: list[Mail], categories: list[str], with_category: bool) -> None:
    """Candidates and their sentence labels; the category features are those of
    ``categories`` (the ones known at run time: out-of-fold predictions), never the label's."""
    for mail, category in zip(mails, categories, strict=True):
        signals = mail.document.metadata.get("signals") or []
        mail.candidates = candidates(mail.document.text, category, signals)
        if not with_category:
            for candidate in mail.candidates:
                candidate.features = [
                    value
                    for name, value in zip(RULE_FEATURES, candidate.features, strict=True)
                    if not name.startswith("category_")
                ]
        if mail.source in SENTENCE_SOURCES:
            mail.truth = [
                int(any(holds(c.text, f) for f in mail.fragments)) for c in mail.candidates
            ]
        elif not mail.asks:
            mail.truth = [0] * len(mail.candidates)
        elif len(mail.candidates) == 1:
            mail.truth = [1]
        else:
            mail.truth = [None] * len(mail.candidates)


def embed_all(mails: list[Mail], cache: Path) -> dict[str, np.ndarray]:
    texts = sorted({c.text for m in mails for c in m.candidates})
    known: dict[str, np.ndarray] = {}
    if cache.is_file():
        stored = np.load(cache, allow_pickle=False)
        known = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    missing = [t for t in texts if t not in known]
    if missing:
        from plugin.engine.runtime import get_engine

        engine = get_engine()
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            for text, vector in zip(batch, engine.embed(batch), strict=True):
                known[text] = vector
            print(f"\rembedded {start + len(batch)}/{len(missing)}", end="", file=sys.stderr)
        print(file=sys.stderr)
        keys = sorted(known)
        np.savez(cache, texts=np.array(keys), vectors=np.vstack([known[k] for k in keys]))
    return known
