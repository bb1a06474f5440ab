"""Retrain the mail-category weights from the dev half of the hand labels.

    .venv/bin/python -m plugin.drafts.triage.training [--check | --cv]

Reads ``tests/data/digest_labels.json`` and the labelled mails under ``../shared``
(``DESKDRAFT_SHARED`` overrides), embeds them with the default engine's MiniLM, fits a
multinomial logistic regression (scikit-learn, fixed solver and regularisation, so the
result is reproducible) on the ``dev`` split only, and writes ``categories_weights.json``.
``--check`` writes nothing and exits 1 when the retrained weights differ from the
shipped ones. ``--cv`` writes nothing and prints 5-fold cross-validation on dev, grouped
by sender domain or mailbox, of the header rules alone, of a plain baseline (the same
regression on the embedding alone, no signals, no rules), of the previous pipeline
(embedding and signals, no author features, no person bar) and of the shipped one, with
the precision and recall of ``person`` (the category that can ask).
The test split is never read here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from connectors.mailcategory import CATEGORIES, PERSON, SIGNALS, header_category
from plugin.drafts.triage import labels as mail_labels
from plugin.drafts.triage.authorship import AUTHOR_FEATURES
from plugin.drafts.triage.categories import (
    BULK_SIGNALS,
    WEIGHTS,
    CategoryModel,
    choose,
    features,
    settled_by_headers,
)

#: Inverse regularisation strength, chosen on dev by 5-fold cross-validation grouped by
#: sender domain or mailbox (``--cv``; C from 4 to 64, with or without balanced class
#: weights, all within 0.75-0.78 on 380 dev mails: docs/digest.md).
C = 16.0
TOLERANCE = 1e-4
FOLDS = 5


def shared_dir() -> Path:
    return Path(os.environ.get("DESKDRAFT_SHARED", mail_labels.REPO.parent / "shared"))


def fit(
    rows: np.ndarray,
    labels: Sequence[str],
    signals: Sequence[str] = SIGNALS,
    author: Sequence[str] = AUTHOR_FEATURES,
) -> CategoryModel:
    """The regression over ``rows`` laid out as embedding, ``signals``, ``author``."""
    from sklearn.linear_model import LogisticRegression

    classes = [c for c in CATEGORIES if c in set(labels)]
    classifier = LogisticRegression(C=C, max_iter=5000, tol=1e-8)
    classifier.fit(rows, list(labels))
    order = [list(classifier.classes_).index(c) for c in classes]
    return CategoryModel(
        tuple(classes),
        classifier.coef_[order],
        classifier.intercept_[order],
        tuple(signals),
        rows.shape[1] - len(signals) - len(author),
        tuple(author),
    )


def train(engine: Any, shared: Path) -> CategoryModel:
    pairs = mail_labels.load(shared, split="dev")
    rows = features([doc for _, doc in pairs], engine)
    return fit(rows, [label.category for label, _ in pairs])


def cross_validate(engine: Any, shared: Path) -> dict[str, Any]:
    """Grouped ``FOLDS``-fold scores on dev: header rules, plain baseline, the previous
    pipeline and the shipped one (accuracy, and precision/recall of ``person``)."""
    from sklearn.model_selection import GroupKFold

    pairs = mail_labels.load(shared, split="dev")
    documents = [doc for _, doc in pairs]
    truth = np.array([label.category for label, _ in pairs])
    rows = features(documents, engine)
    embed_dim = rows.shape[1] - len(SIGNALS) - len(AUTHOR_FEATURES)
    without_author = embed_dim + len(SIGNALS)
    headers = [header_category(d.metadata.get("signals") or [])[0] for d in documents]
    plain = np.array(headers, dtype=object)
    previous = np.array(headers, dtype=object)
    shipped = np.array(headers, dtype=object)
    folds = GroupKFold(FOLDS).split(rows, truth, [label.group for label, _ in pairs])
    for train_rows, test_rows in folds:
        model = fit(rows[train_rows], truth[train_rows])
        old = fit(rows[train_rows][:, :without_author], truth[train_rows], author=())
        embedding_only = fit(rows[train_rows][:, :embed_dim], truth[train_rows], (), ())
        probs = model.probabilities(rows[test_rows])
        old_probs = old.probabilities(rows[test_rows][:, :without_author])
        plain_probs = embedding_only.probabilities(rows[test_rows][:, :embed_dim])
        for index, p, o, q in zip(test_rows, probs, old_probs, plain_probs, strict=True):
            plain[index] = embedding_only.classes[int(np.argmax(q))]
            if not settled_by_headers(documents[index]):
                shipped[index] = choose(model.classes, p, documents[index])[0]
                previous[index] = _previous_choice(old.classes, o, documents[index])
    return {
        "mails": len(pairs),
        "header_rules": _scores(np.array(headers), truth),
        "plain_baseline": _scores(plain, truth),
        "previous_pipeline": _scores(previous, truth),
        "pipeline": _scores(shipped, truth),
    }


def _previous_choice(classes: Sequence[str], probs: np.ndarray, document: Any) -> str:
    """The choice before issue #18 round 3: the bulk-signal rule only, no person bar."""
    if PERSON in classes and BULK_SIGNALS & set(document.metadata.get("signals") or []):
        probs = probs.copy()
        probs[list(classes).index(PERSON)] = 0.0
    return classes[int(np.argmax(probs))]


def _scores(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    said = predicted == PERSON
    actual = truth == PERSON
    hits = float(np.sum(said & actual))
    return {
        "accuracy": float(np.mean(predicted == truth)),
        "person_precision": hits / max(1.0, float(np.sum(said))),
        "person_recall": hits / max(1.0, float(np.sum(actual))),
    }


def same_weights(a: CategoryModel, b: CategoryModel, tolerance: float = TOLERANCE) -> bool:
    return (
        a.classes == b.classes
        and a.signals == b.signals
        and a.author_features == b.author_features
        and np.allclose(a.coef, b.coef, atol=tolerance)
        and np.allclose(a.intercept, b.intercept, atol=tolerance)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the shipped weights instead of writing them",
    )
    parser.add_argument(
        "--cv", action="store_true", help="print grouped cross-validation on dev, write nothing"
    )
    args = parser.parse_args(argv)
    from plugin.engine.runtime import get_engine

    if args.cv:
        scores = cross_validate(get_engine(), shared_dir())
        print(f"{FOLDS}-fold grouped CV on dev ({scores['mails']} mails):")
        for name in ("header_rules", "plain_baseline", "previous_pipeline", "pipeline"):
            row = scores[name]
            print(
                f"  {name:18s} accuracy {row['accuracy']:.3f}, person precision "
                f"{row['person_precision']:.3f}, recall {row['person_recall']:.3f}"
            )
        return 0
    model = train(get_engine(), shared_dir())
    if args.check:
        shipped = CategoryModel.from_json(json.loads(WEIGHTS.read_text(encoding="utf-8")))
        ok = same_weights(model, shipped)
        print(
            "retrained weights match the shipped ones"
            if ok
            else "retrained weights DIFFER from the shipped ones"
        )
        return 0 if ok else 1
    WEIGHTS.write_text(json.dumps(model.to_json()) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS} ({len(model.classes)} classes, {model.coef.shape[1]} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
