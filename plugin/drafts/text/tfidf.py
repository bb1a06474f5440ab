"""TF-IDF features of a text's words and character n-grams, in numpy alone (issue #18, round 5).

Two learned decisions read them beside their other features: the mail category classifier
(``triage.categories``: words and character n-grams of a mail's subject, sender, signals and
head) and the calendar decision (``calendar.decision``: the words around a candidate time).
On their labels both beat the same model without them in grouped cross-validation
(docs/digest.md, docs/calendar.md).

The computation is scikit-learn's ``TfidfVectorizer`` (``lowercase``, token pattern
``\\b\\w\\w+\\b``, ``analyzer="char_wb"``, ``sublinear_tf``, smooth idf, l2 norm per block),
written out so that the shipped vocabulary and idf load from plain JSON without
scikit-learn or pickle; ``tests/drafts/text/test_tfidf.py`` checks it against
scikit-learn term for term.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
#: A term must occur in this many training texts: one-off names and numbers teach nothing.
MIN_DF = 2

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")

#: One sparse row: column indices and their values.
SparseRow = tuple[np.ndarray, np.ndarray]


def word_terms(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    low, high = WORD_NGRAMS
    terms: list[str] = []
    for n in range(low, high + 1):
        terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return terms


def char_terms(text: str) -> list[str]:
    """Character n-grams inside words padded with one space (scikit-learn's ``char_wb``)."""
    low, high = CHAR_NGRAMS
    terms: list[str] = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            terms.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:  # a short word counts once, whole, as in scikit-learn
                break
    return terms


ANALYZERS: dict[str, Callable[[str], list[str]]] = {"word": word_terms, "char": char_terms}


@dataclass(frozen=True, slots=True)
class TfidfBlock:
    analyzer: str
    vocabulary: dict[str, int]
    idf: np.ndarray

    def row(self, text: str) -> SparseRow:
        counts = Counter(t for t in ANALYZERS[self.analyzer](text) if t in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index = np.array([self.vocabulary[t] for t in counts], dtype=np.int64)
        tf = np.array([1.0 + math.log(c) for c in counts.values()])
        values = tf * self.idf[index]
        return index, values / np.linalg.norm(values)


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """The word block then the character block, each l2-normalised, side by side."""

    blocks: tuple[TfidfBlock, ...]

    @property
    def width(self) -> int:
        return sum(len(b.idf) for b in self.blocks)

    def rows(self, texts: Sequence[str]) -> list[SparseRow]:
        out = []
        for text in texts:
            indices, values, offset = [], [], 0
            for block in self.blocks:
                index, value = block.row(text)
                indices.append(index + offset)
                values.append(value)
                offset += len(block.idf)
            out.append((np.concatenate(indices), np.concatenate(values)))
        return out

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {
                "analyzer": b.analyzer,
                "terms": sorted(b.vocabulary, key=b.vocabulary.__getitem__),
                "idf": [round(float(v), 8) for v in b.idf],
            }
            for b in self.blocks
        ]

    @classmethod
    def from_json(cls, data: list[dict[str, Any]]) -> TextFeatures:
        blocks = []
        for block in data:
            if block["analyzer"] not in ANALYZERS or len(block["terms"]) != len(block["idf"]):
                raise ValueError(f"bad TF-IDF block {block.get('analyzer')!r}")
            vocabulary = {term: i for i, term in enumerate(block["terms"])}
            blocks.append(TfidfBlock(block["analyzer"], vocabulary, np.asarray(block["idf"])))
        return cls(tuple(blocks))


def fit_text_features(
    texts: Sequence[str], max_terms: dict[str, int], min_df: int = MIN_DF
) -> TextFeatures:
    """Vocabulary and smooth idf per analyzer: terms in at least ``min_df`` texts, the
    ``max_terms[analyzer]`` most frequent overall (ties by term), in term order."""
    blocks = []
    for analyzer, limit in max_terms.items():
        analyse = ANALYZERS[analyzer]
        frequency: Counter[str] = Counter()
        documents: Counter[str] = Counter()
        for text in texts:
            counts = Counter(analyse(text))
            frequency.update(counts)
            documents.update(counts.keys())
        kept = [t for t in frequency if documents[t] >= min_df]
        kept = sorted(sorted(kept), key=lambda t: -frequency[t])[:limit]
        vocabulary = {term: i for i, term in enumerate(sorted(kept))}
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + documents[t])) + 1.0 for t in vocabulary])
        blocks.append(TfidfBlock(analyzer, vocabulary, idf))
    return TextFeatures(tuple(blocks))


def sparse_rows(text_rows: Sequence[SparseRow], width: int) -> Any:
    """The rows as one scipy CSR matrix, for training (scipy is a training dependency)."""
    from scipy import sparse

    data = np.concatenate([v for _, v in text_rows]) if text_rows else np.zeros(0)
    columns = np.concatenate([i for i, _ in text_rows]) if text_rows else np.zeros(0, int)
    pointers = np.cumsum([0] + [len(i) for i, _ in text_rows])
    return sparse.csr_matrix((data, columns, pointers), shape=(len(text_rows), width))


__all__ = [
    "TextFeatures",
    "TfidfBlock",
    "char_terms",
    "fit_text_features",
    "sparse_rows",
    "word_terms",
]
