"""Mail categories, refined: header signals first, then a classifier over TF-IDF and MiniLM.

The connector already set ``metadata["category"]`` from headers
(``connectors.mailcategory``). Where headers settle the category (bounces, auto-replies,
calendar notices, mailing-list traffic) it stays. For the rest, a multinomial logistic
regression (scikit-learn, trained by ``python -m plugin.drafts.triage.training``)
scores the TF-IDF words and character n-grams of the subject, sender, signals and head
of the text (``text.tfidf``, since issue #18 round 5), the MiniLM embedding of the same, the
header signals and the features of who writes (``authorship``); the winner replaces
the header guess and ``metadata["category_source"]`` becomes ``"model"``. Mail with a
bulk-mail signal (``BULK_SIGNALS``) is never ``person``, and mail the model gives less
than ``PERSON_BAR`` for ``person`` is not ``person`` either: person mail is the mail
that can ask, so a doubtful one goes to its next-best category.

The weights ship as plain JSON (``categories_weights.json`` next to this module): classes,
feature layout, TF-IDF vocabulary and idf, coefficients and intercepts. Loading them needs
numpy only; no pickle, no scikit-learn at run time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import numpy as np

from connectors.document import Document
from connectors.mailcategory import CATEGORIES, PERSON, SIGNALS, header_category
from plugin.drafts.text.tfidf import SparseRow, TextFeatures
from plugin.drafts.triage.authorship import AUTHOR_FEATURES, author_vector

WEIGHTS = Path(__file__).with_name("categories_weights.json")
#: Characters of the body that go into the embedding: the head carries the kind of mail.
HEAD_CHARS = 1200
#: Signals of mail sent in bulk: with any of them, the category is never ``person``.
#: ``promo_words`` is only a feature, not in this set: in the 2,945 dev labels of round 8
#: it fires on 142 person mails ("sale of the plant", "discount rate"), and as a veto it
#: cost 4.6 points of grouped-CV accuracy (0.758 against 0.804) and 4.8 of ask recall for
#: 0.7 of ask precision (docs/digest.md, round 9).
BULK_SIGNALS = frozenset(
    {
        "list_unsubscribe",
        "bulk_sender",
        "bulk_mailer",
        "noreply_sender",
        "many_links",
        "opt_out",
        "customer_greeting",
    }
)
#: Signals are 0/1 next to a unit-length embedding; 1.0 scored best in grouped CV on dev.
SIGNAL_SCALE = 1.0
#: The least probability of ``person`` that makes a mail ``person``. Chosen by grouped CV on
#: the 380 dev mails (issue #18, round 3): 0.5 kept accuracy and cut the false asks that
#: come from notices taken for person mail (docs/digest.md).
PERSON_BAR = 0.5


@dataclass(frozen=True, slots=True)
class CategoryModel:
    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    signals: tuple[str, ...]
    embed_dim: int
    author_features: tuple[str, ...] = ()
    #: TF-IDF of words and character n-grams (issue #18, round 5); their coefficients come
    #: first in ``coef``, before the embedding, the signals and the author features.
    text: TextFeatures | None = None

    @property
    def text_width(self) -> int:
        return self.text.width if self.text is not None else 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CategoryModel:
        classes = tuple(data["classes"])
        unknown = set(classes) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"{WEIGHTS.name}: unknown categories {sorted(unknown)}")
        coef = np.asarray(data["coef"], dtype=np.float64)
        intercept = np.asarray(data["intercept"], dtype=np.float64)
        signals = tuple(data["signals"])
        embed_dim = int(data["embed_dim"])
        author = tuple(data.get("author_features", ()))
        unknown_features = set(author) - set(AUTHOR_FEATURES)
        if author and (unknown_features or author != AUTHOR_FEATURES):
            raise ValueError(
                f"{WEIGHTS.name}: author features {list(author)} are not the ones this "
                f"version computes ({list(AUTHOR_FEATURES)}); retrain the weights"
            )
        text = TextFeatures.from_json(data["text_features"]) if "text_features" in data else None
        width = (text.width if text else 0) + embed_dim + len(signals) + len(author)
        if coef.shape != (len(classes), width) or intercept.shape != (len(classes),):
            raise ValueError(f"{WEIGHTS.name}: weights do not match the declared layout")
        return cls(classes, coef, intercept, signals, embed_dim, author, text)

    def to_json(self) -> dict[str, Any]:
        text = {"text_features": self.text.to_json()} if self.text is not None else {}
        return {
            "classes": list(self.classes),
            "signals": list(self.signals),
            "author_features": list(self.author_features),
            "embed_dim": self.embed_dim,
            "signal_scale": SIGNAL_SCALE,
            "person_bar": PERSON_BAR,
            "head_chars": HEAD_CHARS,
            "intercept": [round(float(v), 8) for v in self.intercept],
            "coef": [[round(float(v), 8) for v in row] for row in self.coef],
            **text,
        }

    def probabilities(
        self, features: np.ndarray, text_rows: Sequence[SparseRow] = ()
    ) -> np.ndarray:
        """Class probabilities from the dense ``features`` (embedding, signals, author) and,
        when the model has TF-IDF features, the sparse ``text_rows`` of the same mails."""
        width = self.text_width
        scores = features @ self.coef[:, width:].T + self.intercept
        if width:
            if len(text_rows) != len(features):
                raise ValueError("the model needs the TF-IDF rows of every mail")
            for row, (index, values) in zip(scores, text_rows, strict=True):
                row += self.coef[:, index] @ values
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


@functools.cache
def load_model(path: Path = WEIGHTS) -> CategoryModel:
    return CategoryModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def embedding_text(document: Document) -> str:
    name, address = parseaddr(document.author)
    sender = " ".join(part for part in (name, address) if part)
    return f"{document.title}\n{sender}\n{document.text[:HEAD_CHARS]}"


def mail_text(document: Document) -> str:
    """What the TF-IDF features read: subject, sender, header signals, head of the text."""
    name, address = parseaddr(document.author)
    signals = " ".join(f"sig_{s}" for s in document.metadata.get("signals") or [])
    return f"{document.title}\n{name} {address}\n{signals}\n{document.text[:HEAD_CHARS]}"


def signal_vector(document: Document, signals: Sequence[str] = SIGNALS) -> np.ndarray:
    fired = set(document.metadata.get("signals") or [])
    return np.array([SIGNAL_SCALE if name in fired else 0.0 for name in signals])


def features(
    documents: Sequence[Document],
    engine: Any,
    signals: Sequence[str] = SIGNALS,
    author: bool = True,
) -> np.ndarray:
    """One row per document: its MiniLM embedding, its scaled header signals, then (with
    ``author``) the features of who writes."""
    if not documents:
        return np.zeros((0, 0))
    vectors = np.asarray(engine.embed([embedding_text(d) for d in documents]), dtype=np.float64)
    parts = [vectors, np.vstack([signal_vector(d, signals) for d in documents])]
    if author:
        parts.append(np.vstack([author_vector(d) for d in documents]))
    return np.hstack(parts)


def settled_by_headers(document: Document) -> bool:
    return header_category(document.metadata.get("signals") or [])[1]


def refine_categories(
    documents: Sequence[Document], engine: Any | None, model: CategoryModel | None = None
) -> list[str]:
    """Set each mail's final category in its metadata and return them, in order.

    Without an engine (``model = false`` runs) the header category stands.
    """
    pending = [d for d in documents if d.kind == "email" and not settled_by_headers(d)]
    if engine is not None and pending:
        model = model or load_model()
        rows = features(pending, engine, model.signals, author=bool(model.author_features))
        if rows.shape[1] != model.coef.shape[1] - model.text_width:
            given = rows.shape[1] - len(model.signals) - len(model.author_features)
            raise ValueError(
                f"{WEIGHTS.name} expects {model.embed_dim}-dimensional "
                f"embeddings; the engine gives {given}"
            )
        text_rows = model.text.rows([mail_text(d) for d in pending]) if model.text else ()
        probs_all = model.probabilities(rows, text_rows)
        for document, probs in zip(pending, probs_all, strict=True):
            category, confidence = choose(model.classes, probs, document)
            document.metadata["category"] = category
            document.metadata["category_source"] = "model"
            document.metadata["category_confidence"] = round(confidence, 3)
    return [str(d.metadata.get("category") or "person") for d in documents]


def choose(classes: Sequence[str], probs: np.ndarray, document: Document) -> tuple[str, float]:
    """The model's category for one mail and its probability: never ``person`` when a
    bulk-mail signal fired or the model gives ``person`` less than ``PERSON_BAR``."""
    if PERSON in classes:
        person = list(classes).index(PERSON)
        bulk = BULK_SIGNALS & set(document.metadata.get("signals") or [])
        if bulk or (probs[person] < PERSON_BAR and len(classes) > 1):
            probs = probs.copy()
            probs[person] = 0.0
    best = int(np.argmax(probs))
    return classes[best], float(probs[best])


__all__ = [
    "BULK_SIGNALS",
    "PERSON_BAR",
    "WEIGHTS",
    "CategoryModel",
    "choose",
    "features",
    "load_model",
    "refine_categories",
]
