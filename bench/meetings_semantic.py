"""Do MiniLM sentence embeddings help the calendar decision? Cross-validation by mailbox.

    python bench/meetings_semantic.py [SHARED_DIR] [--folds 5] [--seed N] [--model-dir DIR]
        [--embedding-cache FILE] [--only NAME,...] [--speed]

Reads only the **train** and **dev** splits of ``tests/data/meetings_labels.json`` (the
test split is dropped before anything is computed) and compares, in a grouped k-fold by
mailbox over train+dev, logistic regressions over:

* ``rules``: the shipped features (``features.FEATURES``);
* ``+emb``: those plus the 384-d MiniLM embedding of the candidate's context;
* ``+pcaK``: plus a K-dimensional PCA of it, fitted on the training folds only;
* ``+stack``: plus one feature, the score of a separate logistic model on the embedding
  (its training-fold scores are themselves out-of-fold, by an inner split by mailbox).
* ``+knnK``: plus one feature, the mean similarity to the K nearest positive candidates
  minus that to the K nearest negative ones (out-of-fold the same way).

Contexts (``meetings_contexts.CONTEXTS``): the sentence, the sentence before and its own,
subject and sentence, 100 characters either side, the mail's opening, the sentence with its
date replaced by "then", the sentence up to the mention. Every row also gets a 95 % interval
of its AUC gain over the rule features (bootstrap over whole mailboxes).

Each is reported as candidate-level ROC AUC (out-of-fold scores pooled), and message-level
precision/recall through the shipped ``decide`` (merging, alternatives) and ``evaluate``
(the label matching of ``bench/meetings.py``): the best F1 over thresholds, and the best
recall of a threshold whose precision reaches 0.9. The embedding is the one the product
ships (``Engine.embed``'s ONNX MiniLM in the built model directory; candidates, contexts
and embeddings: ``bench/meetings_contexts.py``); ``--embedding-cache`` keeps them per text.
``--speed`` instead times, in one run, today's decision per e-mail against the same plus
embedding each mail's candidate sentences. The last stdout line is JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
from meetings_contexts import (  # noqa: E402
    CONTEXTS,
    Table,
    context_texts,
    cv_messages,
    default_model_dir,
    embed_contexts,
    embedder,
)

from plugin.drafts.calendar.cues import Suggestion  # noqa: E402
from plugin.drafts.calendar.decision import decide  # noqa: E402
from plugin.drafts.calendar.evaluation import LabelledMessage, evaluate, f1  # noqa: E402
from plugin.drafts.calendar.training import FixedScores  # noqa: E402

C_GRID = (0.01, 0.03, 0.1)
THRESHOLDS = tuple(round(0.05 + 0.025 * step, 3) for step in range(37))


def _standardise(train: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = train.mean(axis=0)
    scale = train.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return (train - mean) / scale, (other - mean) / scale


def _logistic(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, solver="lbfgs", max_iter=5000)


def _knn_margin(fit_emb: np.ndarray, fit_y: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """Mean cosine similarity to the ``k`` nearest positive rows minus that to the ``k``
    nearest negative rows (the vectors are L2-normalised)."""
    sims = query @ fit_emb.T
    positive = np.sort(sims[:, fit_y == 1], axis=1)[:, -k:].mean(axis=1)
    negative = np.sort(sims[:, fit_y == 0], axis=1)[:, -k:].mean(axis=1)
    return positive - negative


def _stack_feature(
    emb_train: np.ndarray,
    y_train: np.ndarray,
    groups: np.ndarray,
    emb_test: np.ndarray,
    c: float,
    knn: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """An embedding-only model's score (a logistic regression's log-odds, or with ``knn``
    the nearest-neighbour margin): out-of-fold (inner split by mailbox) on the training
    folds, and from all of them for the held-out fold."""
    from sklearn.model_selection import GroupKFold

    def fit_score(fit_idx: np.ndarray | slice, query: np.ndarray) -> np.ndarray:
        if knn:
            return _knn_margin(emb_train[fit_idx], y_train[fit_idx], query, knn)
        return _logistic(c).fit(emb_train[fit_idx], y_train[fit_idx]).decision_function(query)

    inner = np.zeros(len(y_train))
    splits = min(4, len(set(groups)))
    for fit_idx, held_idx in GroupKFold(n_splits=splits).split(emb_train, y_train, groups):
        inner[held_idx] = fit_score(fit_idx, emb_train[held_idx])
    return inner.reshape(-1, 1), fit_score(slice(None), emb_test).reshape(-1, 1)


def _extra(
    kind: str,
    e_train: np.ndarray,
    e_test: np.ndarray,
    y_train: np.ndarray,
    g_train: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One block of extra columns from an embedding, fitted on the training folds only."""
    from sklearn.decomposition import PCA

    if kind == "emb":
        return _standardise(e_train, e_test)
    if kind.startswith("pca"):
        pca = PCA(n_components=int(kind[3:]), random_state=0).fit(e_train)
        return _standardise(pca.transform(e_train), pca.transform(e_test))
    if kind.startswith("knn"):
        return _standardise(
            *_stack_feature(e_train, y_train, g_train, e_test, 1.0, knn=int(kind[3:]))
        )
    if kind.startswith("stack"):
        emb_c = float(kind[5:] or 1.0)
        return _standardise(*_stack_feature(e_train, y_train, g_train, e_test, emb_c))
    raise ValueError(kind)


def out_of_fold(
    table: Table,
    extras: list[tuple[str, str]],
    embeddings: dict[str, np.ndarray],
    c: float,
    folds: int,
    seed: int | None = None,
) -> np.ndarray:
    """Out-of-fold probabilities of every candidate for the rule features plus ``extras``
    (``(kind, context)``: "pca8", "stack0.1", "emb" of an embedding). ``seed`` shuffles
    which mailboxes share a fold (None: scikit-learn's fixed assignment)."""
    from sklearn.model_selection import GroupKFold

    rules = np.array(table.rows, dtype=np.float64)
    y = np.array(table.targets)
    groups = np.array(table.groups)
    probs = np.zeros(len(y))
    splitter = GroupKFold(n_splits=folds, shuffle=seed is not None, random_state=seed)
    for train_idx, test_idx in splitter.split(rules, y, groups):
        blocks_train, blocks_test = [], []
        x_train, x_test = _standardise(rules[train_idx], rules[test_idx])
        blocks_train.append(x_train)
        blocks_test.append(x_test)
        for kind, context in extras:
            emb = embeddings[context]
            extra_train, extra_test = _extra(
                kind, emb[train_idx], emb[test_idx], y[train_idx], groups[train_idx]
            )
            blocks_train.append(extra_train)
            blocks_test.append(extra_test)
        learner = _logistic(c).fit(np.hstack(blocks_train), y[train_idx])
        probs[test_idx] = learner.predict_proba(np.hstack(blocks_test))[:, 1]
    return probs


def message_scores(
    table: Table, probs: np.ndarray, thresholds: tuple[float, ...] = THRESHOLDS
) -> dict[str, Any]:
    """Best F1 over ``thresholds``, and the best recall at precision 0.9 or more (with at
    least 20 suggestions, so that a handful of sure ones does not count)."""
    scored = FixedScores(
        {
            id(candidate): float(p)
            for candidate, p in zip(
                (c for _clean, found in table.found for c in found), probs, strict=True
            )
        }
    )
    found_of = {
        (m.text, m.reference, m.subject): table.found[i] for i, m in enumerate(table.messages)
    }

    best = {"f1": 0.0, "threshold": 0.0, "precision": 0.0, "recall": 0.0}
    at_p90 = {"recall_at_p90": 0.0, "threshold_p90": None}
    for threshold in thresholds:

        def detector(
            text: str, reference: Any, zone: Any, subject: str = "", cut: float = threshold
        ) -> list[Suggestion]:
            clean, found = found_of[(text, reference, subject)]
            return decide(clean, found, scored, cut)  # type: ignore[arg-type]

        result = evaluate(Path("."), detector, messages=table.messages)
        score = f1(result)
        if score > best["f1"]:
            best = {
                "f1": score,
                "threshold": threshold,
                "precision": result["precision"],
                "recall": result["recall"],
            }
        if (
            result["precision"] >= 0.9
            and result["suggestions"] >= 20
            and result["recall"] > at_p90["recall_at_p90"]
        ):
            at_p90 = {"recall_at_p90": result["recall"], "threshold_p90": threshold}
    return {**{k: round(v, 4) for k, v in best.items()}, **at_p90}


def auc_gain_interval(
    y: np.ndarray, groups: list[str], base: np.ndarray, probs: np.ndarray, rounds: int = 1000
) -> tuple[float, float]:
    """95 % interval of the AUC gain over ``base``, resampling whole mailboxes (seeded)."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    names = sorted(set(groups))
    rows_of = {name: np.flatnonzero(np.array(groups) == name) for name in names}
    gains = []
    for _ in range(rounds):
        picked = rng.choice(len(names), size=len(names), replace=True)
        rows = np.concatenate([rows_of[names[i]] for i in picked])
        if len(set(y[rows])) < 2:
            continue
        gains.append(roc_auc_score(y[rows], probs[rows]) - roc_auc_score(y[rows], base[rows]))
    low, high = np.percentile(gains, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def speed(messages: list[LabelledMessage], model_dir: Path) -> dict[str, float]:
    """Milliseconds per e-mail in the same run: today's learned decision, and the same plus
    embedding each mail's candidate sentences (once per distinct sentence, one batch per
    mail, as a cached per-sentence embedding would on first sight)."""
    from plugin.drafts.calendar.decision import detect_learned
    from plugin.drafts.calendar.evaluation import run_detector
    from plugin.drafts.calendar.features import candidates

    embed = embedder(model_dir)
    embed(["warm-up sentence"])
    started = time.perf_counter()
    for message in messages:
        run_detector(detect_learned, message)
    decision_ms = 1000 * (time.perf_counter() - started) / len(messages)
    started = time.perf_counter()
    sentences = 0
    for message in messages:
        run_detector(detect_learned, message)
        clean, found = candidates(message.text, message.reference, message.zone, message.subject)
        texts = sorted(set(context_texts(clean, found, message.subject)["sentence"]))
        sentences += len(texts)
        embed(texts)
    with_embedding_ms = 1000 * (time.perf_counter() - started) / len(messages)
    return {
        "decision_ms_per_mail": round(decision_ms, 2),
        "with_embedding_ms_per_mail": round(with_embedding_ms, 2),
        "sentences_per_mail": round(sentences / len(messages), 2),
        "embedding_vs_decision_time_ratio": round(with_embedding_ms / decision_ms, 1),
    }


def main(argv: list[str]) -> int:
    from sklearn.metrics import roc_auc_score

    folds = int(argv[argv.index("--folds") + 1]) if "--folds" in argv else 5
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else None
    model_dir = default_model_dir(argv)
    valued = {"--folds", "--seed", "--model-dir", "--embedding-cache", "--only"}
    args = [
        a
        for i, a in enumerate(argv)
        if not a.startswith("--") and (i == 0 or argv[i - 1] not in valued)
    ]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    messages = cv_messages(shared)
    started = time.perf_counter()
    table = Table(messages)
    print(
        f"{len(messages)} messages, {len(table.targets)} candidates, "
        f"{sum(table.targets)} positive, {len(set(table.groups))} mailboxes "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    if "--speed" in argv:
        figures = speed(messages, model_dir)
        print(json.dumps(figures))
        return 0
    embeddings = embed_contexts(table, model_dir, argv)
    y = np.array(table.targets)
    plans: list[tuple[str, list[tuple[str, str]]]] = [("rules", [])]
    for context in CONTEXTS:
        for kind in ("pca8", "pca16", "stack", "stack0.1"):
            plans.append((f"{kind}[{context}]", [(kind, context)]))
    plans.append(("pca8[sentence]+stack[message]", [("pca8", "sentence"), ("stack", "message")]))
    plans.append(("stack[sentence]+stack[message]", [("stack", "sentence"), ("stack", "message")]))
    plans.append(("pca8[window]+pca8[message]", [("pca8", "window"), ("pca8", "message")]))
    for context in ("sentence", "previous", "message"):
        for kind in ("knn5", "knn15"):
            plans.append((f"{kind}[{context}]", [(kind, context)]))
    plans.append(
        ("stack0.1[previous]+stack[message]", [("stack0.1", "previous"), ("stack", "message")])
    )
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else None
    plans = [p for p in plans if only is None or p[0] in only or p[0] == "rules"]
    results: list[dict[str, Any]] = []
    print(
        f"{'features':32} {'C':>5} {'AUC':>6} {'bestF1':>7} {'P':>6} {'R':>6} {'R@P.9':>6}",
        flush=True,
    )
    base_of: dict[float, np.ndarray] = {}
    for label, extras in plans:
        for c in C_GRID:
            probs = out_of_fold(table, extras, embeddings, c, folds, seed)
            if c not in base_of:
                base_of[c] = probs if not extras else out_of_fold(table, [], {}, c, folds, seed)
            base = base_of[c]
            auc = roc_auc_score(y, probs)
            scores = message_scores(table, probs)
            row = {"features": label, "C": c, "auc": round(float(auc), 4), **scores}
            if extras:
                row["auc_gain_95"] = auc_gain_interval(y, table.groups, base, probs)
            results.append(row)
            print(
                f"{label:32} {c:5.2f} {auc:6.3f} {scores['f1']:7.3f} "
                f"{scores['precision']:6.3f} {scores['recall']:6.3f} "
                f"{scores['recall_at_p90']:6.3f} {row.get('auc_gain_95', '')}",
                flush=True,
            )
    print(
        json.dumps(
            {
                "folds": folds,
                "seed": seed,
                "candidates": len(y),
                "positives": int(y.sum()),
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
