"""Two readers' asks of the same mails, the second scored against the first.

The reply labels of the ``fresh-test`` round were read a second time, blind (``second_asks``
in ``tests/data/reply_labels.json``: fragments copied from the mail, as the first reader's).
Two readers rarely cut the same fragment, so asks are compared by the sentence they stand
in: a first reader's ask counts as found when a second reader's ask shares a sentence with
it. That is how ``bench/reply.py`` credits a plan's ask (its sentence holds the labelled
fragment), so ``found`` here is the readers' ceiling on "asks covered".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+|\n+")
_WORD = re.compile(r"[a-z0-9']+")


def norm(text: str) -> str:
    """Lower case, one space between words: how labels and drafts are compared."""
    return " ".join(text.lower().split())


def _sentences(body: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for found in _SENTENCE_BREAK.finditer(body):
        spans.append((start, found.start()))
        start = found.end()
    spans.append((start, len(body)))
    return [(a, b) for a, b in spans if b > a]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2}


def sentences_of(fragment: str, body: str) -> set[int]:
    """Indexes of the sentences of ``body`` (already normalised) that ``fragment`` covers;
    a fragment not copied exactly falls back to the sentence holding most of its words."""
    spans = _sentences(body)
    wanted = norm(fragment)
    at = body.find(wanted)
    if at >= 0:
        end = at + len(wanted)
        return {i for i, (a, b) in enumerate(spans) if a < end and at < b}
    words = _words(fragment)
    if not words or not spans:
        return set()
    best = max(range(len(spans)), key=lambda i: len(words & _words(body[slice(*spans[i])])))
    shared = words & _words(body[slice(*spans[best])])
    return {best} if len(shared) >= 0.6 * len(words) else set()


def readers_agree(labels: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The second reading against the first over ``labels`` that carry ``second_asks``
    (each with its mail text in ``body``, as ``bench/reply.load`` gives them)."""
    mails = first_asks = second_asks = found = confirmed = same_verdict = 0
    for label in labels:
        if "second_asks" not in label:
            continue
        body = norm(label["body"])
        first = [sentences_of(ask["text"], body) for ask in label["asks"]]
        second = [sentences_of(ask, body) for ask in label["second_asks"]]
        mails += 1
        first_asks += len(first)
        second_asks += len(second)
        found += sum(any(a & b for b in second) for a in first)
        confirmed += sum(any(a & b for a in first) for b in second)
        same_verdict += bool(first) == bool(second)
    return {
        "mails": mails,
        "first_asks": first_asks,
        "second_asks": second_asks,
        # the share of the first reader's asks the second also found (the ceiling of
        # "asks covered"), and of the second reader's asks the first also had
        "found": round(found / first_asks, 4) if first_asks else None,
        "confirmed": round(confirmed / second_asks, 4) if second_asks else None,
        "mails_agreeing_on_asking": round(same_verdict / mails, 4) if mails else None,
    }
