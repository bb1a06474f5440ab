"""A learned sentence-level ask decision against the ask rules: grouped CV on dev only.

    nice -n 10 .venv/bin/python bench/asks_cv.py [--shared DIR] [--cache FILE]
        [--learner logistic|boosting] [--c C ...] [--threshold T ...] [--no-category]
        [--witness]

Issues #17/#18 (docs/digest.md and docs/replies.md, "A learned ask decision"). The data
(candidate sentences, rule features, sentence labels from the DEV labels only; no test
mail is read) comes from ``bench/asks_data.py``.

* Learner: scikit-learn logistic regression (``--c``) or gradient boosting over the MiniLM
  embedding of the sentence and the rule features, and over the rule features alone;
  class-balanced; 5-fold CV grouped by mailbox or sender domain (one fold assignment over
  both label files). The digest mails' categories are out-of-fold predictions of the
  category pipeline (``plugin.drafts.triage.training``) on the same folds.
  ``--witness``: multiple-instance learning for the asking digest mails with several
  candidates (each training fold's first model picks one witness sentence per such mail,
  then the model is fitted again with those positives).
* Compared on the same folds with the rules alone: sentence P/R on the reply labels, the
  digest's message-level ask P/R (the learner alone over the candidates, and the learner
  as a veto over the digest rules' asks) with the true and the out-of-fold categories, and
  for the configuration with the best veto, the reply bench's dev figures on the template
  path (``bench/reply.py``'s judge) with the learner as a veto over the reply rules' asks.

Prints each configuration on stderr and one JSON object as the last stdout line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asks_data import (
    REPO,
    Mail,
    add_candidates,
    embed_all,
    load_mails,
    norm,
)

from connectors.document import Document
from connectors.mailcategory import PERSON
from plugin.drafts.summary import asks as digest_asks

FOLDS = 5


def fold_of(mails: list[Mail]) -> dict[str, int]:
    """One fold per group, the same for both label files (GroupKFold over mails)."""
    from sklearn.model_selection import GroupKFold

    groups = [m.group for m in mails]
    out: dict[str, int] = {}
    for fold, (_, held) in enumerate(GroupKFold(FOLDS).split(groups, groups, groups)):
        for index in held:
            out[groups[index]] = fold
    return out


def matrix(mails: list[Mail], vectors: dict[str, np.ndarray], embed: bool) -> np.ndarray:
    rows = [
        np.concatenate([vectors[c.text] if embed else [], c.features])
        for m in mails
        for c in m.candidates
    ]
    return np.vstack(rows) if rows else np.zeros((0, 0))


def learner(kind: str, c: float) -> Any:
    """Logistic regression (``C`` = ``c``) or gradient boosting, both class-balanced."""
    if kind == "boosting":
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(class_weight="balanced", random_state=0)
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")


def out_of_fold(
    mails: list[Mail],
    vectors: dict[str, np.ndarray],
    folds: dict[str, int],
    c: float,
    embed: bool,
    kind: str = "logistic",
    witness: bool = False,
) -> list[list[float]]:
    """Per mail, per candidate: P(ask) from a model trained on the other folds.

    ``witness``: multiple-instance learning for the asking digest mails with several
    candidates: after a first fit, each such training mail's most likely candidate becomes
    its positive (its others stay unlabelled) and the model is fitted again."""
    rows = matrix(mails, vectors, embed)
    owner = [i for i, m in enumerate(mails) for _ in m.candidates]
    truth = [t for m in mails for t in m.truth]
    fold = np.array([folds[mails[i].group] for i in owner])
    known = np.array([t is not None for t in truth])
    y = np.array([t or 0 for t in truth])
    probs = np.zeros(len(truth))
    for k in range(FOLDS):
        train = (fold != k) & known
        model = learner(kind, c)
        model.fit(rows[train], y[train])
        if witness:
            bags = [i for i, m in enumerate(mails) if m.asks and None in m.truth]
            chosen = np.zeros(len(truth), dtype=bool)
            for bag in bags:
                spots = np.flatnonzero(np.array(owner) == bag)
                if spots.size and fold[spots[0]] != k:
                    best = spots[int(np.argmax(model.predict_proba(rows[spots])[:, 1]))]
                    chosen[best] = True
            train = train | chosen
            model = learner(kind, c)
            model.fit(rows[train], np.where(chosen, 1, y)[train])
        held = fold == k
        probs[held] = model.predict_proba(rows[held])[:, 1]
    out: list[list[float]] = [[] for _ in mails]
    for index, p in zip(owner, probs, strict=True):
        out[index].append(float(p))
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    return {
        "precision": round(tp / max(1, tp + fp), 3),
        "recall": round(tp / max(1, tp + fn), 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def sentence_scores(mails: list[Mail], decided: list[list[bool]]) -> dict[str, Any]:
    tp = fp = fn = 0
    for mail, said in zip(mails, decided, strict=True):
        if mail.source != "reply":
            continue
        for truth, yes in zip(mail.truth, said, strict=True):
            tp += bool(truth and yes)
            fp += bool(yes and not truth)
            fn += bool(truth and not yes)
    # fragments no candidate holds are misses of every decision alike
    missed = sum(
        1
        for m in mails
        if m.source == "reply"
        for f in m.fragments
        if not any(f in norm(c.text) or norm(c.text) in f for c in m.candidates)
    )
    return {**prf(tp, fp, fn), "fragments_without_candidate": missed}


def rule_decisions(mails: list[Mail]) -> tuple[list[list[bool]], list[list[bool]]]:
    """Per candidate: accepted by the digest rules (``real_asks``), and by the reply rules
    (``find_asks``)."""
    from plugin.drafts.reply.asks import find_asks

    digest, reply = [], []
    for mail in mails:
        text = mail.document.text
        starts = {item.sources[0].start for item in digest_asks.real_asks(text) if item.sources}
        spans = [(a.start, a.end) for a in find_asks(mail.document, set(), [])]
        digest.append([c.start in starts for c in mail.candidates])
        reply.append([any(s < c.end and c.start < e for s, e in spans) for c in mail.candidates])
    return digest, reply


def message_scores(mails: list[Mail], said: list[bool], categories: list[str]) -> dict[str, Any]:
    tp = fp = fn = 0
    for mail, yes, category in zip(mails, said, categories, strict=True):
        if mail.source != "digest":
            continue
        signals = mail.document.metadata.get("signals") or []
        yes = yes and digest_asks.may_ask(category, signals, mail.addressed)
        tp += yes and mail.asks
        fp += yes and not mail.asks
        fn += (not yes) and mail.asks
    return prf(tp, fp, fn)


def oof_categories(mails: list[Mail], folds: dict[str, int]) -> list[str]:
    """Out-of-fold categories of the digest mails on the same folds (the category
    pipeline of ``plugin.drafts.triage.training``); reply mails stay ``person``."""
    from plugin.drafts.triage.categories import choose, features, settled_by_headers
    from plugin.drafts.triage.training import fit
    from plugin.engine.runtime import get_engine

    digest = [i for i, m in enumerate(mails) if m.source == "digest"]
    documents = [mails[i].document for i in digest]
    rows = features(documents, get_engine())
    truth = np.array([mails[i].category for i in digest])
    fold = np.array([folds[mails[i].group] for i in digest])
    out = [PERSON] * len(mails)
    for k in range(FOLDS):
        model = fit(rows[fold != k], truth[fold != k])
        held = np.flatnonzero(fold == k)
        for j, p in zip(held, model.probabilities(rows[held]), strict=True):
            document = documents[j]
            header = str(document.metadata.get("category") or PERSON)
            out[digest[j]] = (
                header if settled_by_headers(document) else choose(model.classes, p, document)[0]
            )
    return out


def reply_figures(mails: list[Mail], keep: list[list[bool]] | None) -> dict[str, Any]:
    """``bench/reply.py`` dev figures on the template path; with ``keep``, the reply
    rules' asks are vetoed where no kept candidate overlaps them."""
    import reply as reply_bench

    from plugin.drafts.reply import plan as reply_plan
    from plugin.drafts.reply.asks import find_asks

    chosen = [m for m in mails if m.source == "reply"]
    spans = (
        {
            m.document.id: [(c.start, c.end) for c, k in zip(m.candidates, kept, strict=True) if k]
            for m, kept in zip(mails, keep, strict=True)
            if m.source == "reply"
        }
        if keep is not None
        else {}
    )

    def vetoed(document: Document, names: set[str], notes: list[str]) -> list[Any]:
        asks = find_asks(document, names, notes)
        if keep is None:
            return asks
        allowed = spans.get(document.id, [])
        return [a for a in asks if any(s < a.end and a.start < e for s, e in allowed)]

    original = reply_plan.find_asks
    reply_plan.find_asks = vetoed
    try:
        results = reply_bench.run_labelled([m.label for m in chosen], None)
    finally:
        reply_plan.find_asks = original
    return reply_bench.figures(results)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/deskdraft-asks-cv.npz"))
    parser.add_argument("--c", type=float, nargs="+", default=[0.25, 1.0, 4.0])
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    parser.add_argument("--learner", choices=("logistic", "boosting"), default="logistic")
    parser.add_argument(
        "--witness", action="store_true", help="multiple-instance: one witness per asking mail"
    )
    parser.add_argument("--no-category", action="store_true", help="no category features")
    args = parser.parse_args(argv)
    mails = load_mails(args.shared)
    folds = fold_of(mails)
    true_categories = [m.category for m in mails]
    predicted = oof_categories(mails, folds)
    add_candidates(mails, predicted, not args.no_category)
    vectors = embed_all(mails, args.cache)
    digest_rules, reply_rules = rule_decisions(mails)
    labelled = [t for m in mails for t in m.truth if t is not None]
    report: dict[str, Any] = {
        "mails": {
            "reply": sum(m.source == "reply" for m in mails),
            "digest": sum(m.source == "digest" for m in mails),
        },
        "candidates": sum(len(m.candidates) for m in mails),
        "training_sentences": {
            "positive": sum(labelled),
            "negative": len(labelled) - sum(labelled),
        },
        "rules": {
            "sentence_reply_rules": sentence_scores(mails, reply_rules),
            "sentence_digest_rules": sentence_scores(mails, digest_rules),
            "digest_true_categories": message_scores(
                mails, [any(d) for d in digest_rules], true_categories
            ),
            "digest_oof_categories": message_scores(
                mails, [any(d) for d in digest_rules], predicted
            ),
            "reply_dev": reply_figures(mails, None),
        },
        "learned": [],
    }
    for embed in (True, False):
        for c in args.c:
            probs = out_of_fold(mails, vectors, folds, c, embed, args.learner, args.witness)
            for threshold in args.threshold:
                said = [[p >= threshold for p in ps] for ps in probs]
                veto_digest = [
                    [s and r for s, r in zip(a, b, strict=True)]
                    for a, b in zip(said, digest_rules, strict=True)
                ]
                row = {
                    "embedding": embed,
                    "C": c,
                    "threshold": threshold,
                    "sentence": sentence_scores(mails, said),
                    "digest_true_categories": message_scores(
                        mails, [any(d) for d in said], true_categories
                    ),
                    "digest_oof_categories": message_scores(
                        mails, [any(d) for d in said], predicted
                    ),
                    "digest_veto_true_categories": message_scores(
                        mails, [any(d) for d in veto_digest], true_categories
                    ),
                    "digest_veto_oof_categories": message_scores(
                        mails, [any(d) for d in veto_digest], predicted
                    ),
                }
                report["learned"].append(row)
                print(json.dumps(row), file=sys.stderr)
    best = max(
        report["learned"],
        key=lambda r: (
            r["digest_veto_oof_categories"]["precision"] + r["digest_veto_oof_categories"]["recall"]
        ),
    )
    probs = out_of_fold(
        mails, vectors, folds, best["C"], best["embedding"], args.learner, args.witness
    )
    keep = [
        [p >= best["threshold"] and r for p, r in zip(ps, rs, strict=True)]
        for ps, rs in zip(probs, reply_rules, strict=True)
    ]
    report["learned_reply_dev"] = {
        "C": best["C"],
        "threshold": best["threshold"],
        "embedding": best["embedding"],
        "figures": reply_figures(mails, keep),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
