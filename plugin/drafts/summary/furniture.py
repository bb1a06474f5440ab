"""A bulk mail's furniture: the lines around its content that a summary must not quote.

Newsletters, list mail and mailings wrap what they say in mastheads, tables of contents,
sponsors' ads, "Read Full Story" links, plain-text fallback notices and subscription
footers. Ranked like a person's mail, those lines won the brief of most such mails (the
fifty-eighth judged sample, docs/quality.md). Skipping them by phrase rules only brought
the next piece of furniture, so the decision is learned: a logistic regression over the
line's MiniLM embedding and a few shape features, fitted on hand labels of the lines of
bulk mail (``tests/data/furniture_labels.json``) by ``furniture_training``, shipped as
plain weights (``furniture_weights.json``).

It applies to bulk mail only (``is_bulk``: a header category other than ``person``, or a
bulk-mail signal): a person's mail has no furniture of this kind, and its ranking stays as
it was.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from connectors.mailcategory import PERSON
from plugin.drafts.text.sentences import LETTER_WORDS, Sentence
from plugin.drafts.triage.categories import BULK_SIGNALS

log = logging.getLogger(__name__)
WEIGHTS = Path(__file__).with_name("furniture_weights.json")
#: The features next to the embedding, in the order of the weights.
SHAPE_FEATURES = ("position", "log_words", "link", "capitals", "digits", "bracketed", "penalty")
_LINK = re.compile(r"https?://|www\.|\b[\w.-]+@[\w-]+\.[\w.]+", re.IGNORECASE)


def is_bulk(metadata: Mapping[str, Any]) -> bool:
    """Whether a mail was sent in bulk, by its headers: a category other than ``person``
    or a bulk-mail signal. A document without mail headers is not."""
    category = metadata.get("category")
    if category is None:
        return False
    return category != PERSON or bool(BULK_SIGNALS & set(metadata.get("signals") or []))


def feature_rows(
    sentences: Sequence[Sentence],
    picks: Sequence[int],
    embeddings: np.ndarray,
    penalties: Sequence[float],
) -> np.ndarray:
    """One row per line of ``picks`` (positions in ``sentences``, embedded as the rows of
    ``embeddings``): its embedding and its shape features. (The mean embedding of its
    neighbours as well scored no better in grouped cross-validation: docs/quality.md.)"""
    shapes = np.asarray(
        [shape_row(sentences[k], len(sentences), penalties[k]) for k in picks], dtype=np.float64
    ).reshape(len(picks), len(SHAPE_FEATURES))
    return np.hstack([np.asarray(embeddings, dtype=np.float64), shapes])


def shape_row(sentence: Sentence, n_sentences: int, penalty: float) -> list[float]:
    """The shape features of one line (``SHAPE_FEATURES``), each about 0 to 1."""
    text = sentence.text
    letters = [c for c in text if c.isalpha()]
    words = LETTER_WORDS.findall(text)
    return [
        sentence.index / max(n_sentences - 1, 1),
        math.log1p(len(words)) / 4.0,
        float(bool(_LINK.search(text))),
        sum(c.isupper() for c in letters) / max(len(letters), 1),
        sum(c.isdigit() for c in text) / max(len(text), 1),
        float(text.lstrip().startswith(("[", "<", "*", "-", "•"))),
        min(penalty, 1.0),
    ]


@dataclass(frozen=True, slots=True)
class FurnitureModel:
    coef: np.ndarray  # (embed_dim + len(SHAPE_FEATURES),)
    intercept: float
    embed_dim: int
    #: The least probability of "story" that keeps a line in a bulk mail's ranking.
    bar: float

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FurnitureModel:
        if tuple(data["shape_features"]) != SHAPE_FEATURES:
            raise ValueError(
                f"{WEIGHTS.name}: shape features {data['shape_features']} are not the ones "
                f"this version computes ({list(SHAPE_FEATURES)}); retrain the weights"
            )
        coef = np.asarray(data["coef"], dtype=np.float64)
        embed_dim = int(data["embed_dim"])
        if coef.shape != (embed_dim + len(SHAPE_FEATURES),):
            raise ValueError(f"{WEIGHTS.name}: weights do not match the declared layout")
        return cls(coef, float(data["intercept"]), embed_dim, float(data["bar"]))

    def to_json(self) -> dict[str, Any]:
        return {
            "shape_features": list(SHAPE_FEATURES),
            "embed_dim": self.embed_dim,
            "bar": self.bar,
            "intercept": round(self.intercept, 8),
            "coef": [round(float(v), 8) for v in self.coef],
        }

    def story_probability(self, rows: np.ndarray) -> np.ndarray:
        """The probability that each line (a row of ``feature_rows``) carries the mail's
        content, not its furniture."""
        if rows.shape[1] != self.coef.shape[0]:
            raise ValueError(
                f"{WEIGHTS.name} expects {self.embed_dim}-dimensional embeddings, got "
                f"{rows.shape[1] - len(SHAPE_FEATURES)}: retrain it for this embedding model"
            )
        return 1.0 / (1.0 + np.exp(-(rows @ self.coef + self.intercept)))


@functools.cache
def _warn_other_embeddings(got: int, expected: int) -> None:
    log.warning(
        "%s was fitted on %d-dimensional MiniLM embeddings, this engine gives %d: bulk mail "
        "is ranked without it (retrain it with plugin.drafts.summary.furniture_training)",
        WEIGHTS.name,
        expected,
        got,
    )


@functools.cache
def load_model(path: Path = WEIGHTS) -> FurnitureModel:
    return FurnitureModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def story_lines(
    sentences: Sequence[Sentence],
    picks: Sequence[int],
    embeddings: np.ndarray,
    penalties: Sequence[float],
    model: FurnitureModel | None = None,
) -> set[int]:
    """The positions among ``picks`` (positions in ``sentences``, embedded as the rows of
    ``embeddings``) whose lines carry the mail's content; ``penalties``: the ranking's
    penalty of every sentence. None are found when the embeddings are not the ones the
    weights were fitted on (an alternative embedding model): the ranking then stays as
    it is, with a warning once."""
    if not picks:
        return set()
    model = model or load_model()
    if np.shape(embeddings)[1] != model.embed_dim:
        _warn_other_embeddings(np.shape(embeddings)[1], model.embed_dim)
        return set()
    rows = feature_rows(sentences, picks, embeddings, penalties)
    keep = model.story_probability(rows) >= model.bar
    return {k for k, kept in zip(picks, keep, strict=True) if kept}


__all__ = [
    "SHAPE_FEATURES",
    "WEIGHTS",
    "FurnitureModel",
    "feature_rows",
    "is_bulk",
    "load_model",
    "shape_row",
    "story_lines",
]
