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
  all label files). The digest mails' categories are out-of-fold predictions of the
  category pipeline (``plugin.drafts.triage.training``) on the same folds.
  ``--witness``: multiple-instance learning for the asking digest mails with several
  candidates (each training fold's first model picks one witness sentence per such mail,
  then the model is fitted again with those positives).
* Compared on the same folds with the reply rules (``find_asks``): sentence P/R on the
  ask labels (session 8) and on the reply labels, out of fold, of the learner alone, as a
  **veto** (a rule ask stays if the learner scores it >= t), as an **adder** (the rules'
  asks plus the candidates they missed that it scores >= t: the recall side), and both;
  the candidate generator's recall (fragments no candidate holds); the digest rules'
  message-level P/R. For the configuration with the best adder (F1 on the ask labels),
  the reply bench's dev figures on the template path (``bench/reply.py``'s judge,
  ``bench/asks_reply.py``) for rules / veto / adder (each threshold) / both.
  ``--no-category`` skips the category CV (category features off, true categories).

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
    fragments_without_candidate,
    load_mails,
)
from asks_reply import ask_label_coverage, reply_figures

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


def sentence_scores(
    mails: list[Mail], decided: list[list[bool]], source: str = "reply"
) -> dict[str, Any]:
    """Sentence P/R of ``decided`` on ``source``'s labels; a fragment no candidate holds
    is a miss of every decision alike (counted apart, not in ``fn``)."""
    tp = fp = fn = 0
    for mail, said in zip(mails, decided, strict=True):
        if mail.source != source:
            continue
        for truth, yes in zip(mail.truth, said, strict=True):
            tp += bool(truth and yes)
            fp += bool(yes and not truth)
            fn += bool(truth and not yes)
    missed, fragments = fragments_without_candidate(mails, source)
    return {**prf(tp, fp, fn), "fragments_without_candidate": missed, "fragments": fragments}


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


def f1(scores: dict[str, Any]) -> float:
    p, r = scores["precision"], scores["recall"]
    return 2 * p * r / max(p + r, 1e-9)


def decisions(
    probs: list[list[float]], rules: list[list[bool]], veto: float | None, add: float | None
) -> list[list[bool]]:
    """Per candidate: a rule ask the learner scores >= ``veto`` (every rule ask when
    ``veto`` is None), or a candidate the rules missed that it scores >= ``add``."""
    return [
        [
            (r and (veto is None or p >= veto)) or (not r and add is not None and p >= add)
            for p, r in zip(ps, rs, strict=True)
        ]
        for ps, rs in zip(probs, rules, strict=True)
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/deskdraft-asks-cv.npz"))
    parser.add_argument("--c", type=float, nargs="+", default=[0.25, 1.0, 4.0])
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.3, 0.5, 0.7, 0.85])
    parser.add_argument("--learner", choices=("logistic", "boosting"), default="logistic")
    parser.add_argument(
        "--witness", action="store_true", help="multiple-instance: one witness per asking mail"
    )
    parser.add_argument(
        "--no-category", action="store_true", help="no category features (nor their CV)"
    )
    args = parser.parse_args(argv)
    mails = load_mails(args.shared)
    folds = fold_of(mails)
    true_categories = [m.category for m in mails]
    predicted = true_categories if args.no_category else oof_categories(mails, folds)
    add_candidates(mails, predicted, not args.no_category)
    vectors = embed_all(mails, args.cache)
    digest_rules, reply_rules = rule_decisions(mails)
    labelled = [t for m in mails for t in m.truth if t is not None]
    sources = ("asks", "reply")
    report: dict[str, Any] = {
        "mails": {s: sum(m.source == s for m in mails) for s in (*sources, "digest")},
        "asking_ask_label_mails": sum(m.asks for m in mails if m.source == "asks"),
        "candidates": sum(len(m.candidates) for m in mails),
        "training_sentences": {
            "positive": sum(labelled),
            "negative": len(labelled) - sum(labelled),
        },
        "rules": {
            **{f"sentence_{s}": sentence_scores(mails, reply_rules, s) for s in sources},
            "sentence_asks_digest_rules": sentence_scores(mails, digest_rules, "asks"),
            "digest_message": message_scores(mails, [any(d) for d in digest_rules], predicted),
            "ask_labels": ask_label_coverage(mails),
        },
        "learned": [],
    }
    print(json.dumps(report), file=sys.stderr)
    best: dict[str, Any] = {}
    for embed in (True, False):
        for c in args.c:
            probs = out_of_fold(mails, vectors, folds, c, embed, args.learner, args.witness)
            for t in args.threshold:
                row: dict[str, Any] = {"embedding": embed, "C": c, "threshold": t}
                for name, veto, add in (
                    ("alone", None, None),
                    ("veto", t, None),
                    ("adder", None, t),
                ):
                    said = (
                        [[p >= t for p in ps] for ps in probs]
                        if name == "alone"
                        else decisions(probs, reply_rules, veto, add)
                    )
                    for s in sources:
                        row[f"{name}_{s}"] = sentence_scores(mails, said, s)
                    if name != "alone":  # rule asks kept / candidates added, as the reply would
                        chosen = [[p >= t for p in ps] for ps in probs]
                        row[f"{name}_ask_labels"] = ask_label_coverage(
                            mails, *((chosen, None) if name == "veto" else (None, chosen))
                        )
                    if name != "alone" and f1(row[f"{name}_asks"]) > best.get(name, (0,))[0]:
                        best[name] = (f1(row[f"{name}_asks"]), embed, c, t, probs)
                report["learned"].append(row)
                print(json.dumps(row), file=sys.stderr)
    report["rules"]["reply_dev"] = reply_figures(mails)
    print("rules", json.dumps(report["rules"]["reply_dev"]), file=sys.stderr)
    # the adder's configuration (the recall side); its best veto threshold for "both"
    _, embed, c, t_add, probs = best["adder"]
    t_veto = max(
        args.threshold,
        key=lambda t: f1(sentence_scores(mails, decisions(probs, reply_rules, t, None), "asks")),
    )
    chosen: dict[str, Any] = {"embedding": embed, "C": c, "veto_at": t_veto, "add_at": t_add}
    for name, veto, add in (
        ("veto", t_veto, None),
        *((f"adder_{t}", None, t) for t in args.threshold),
        ("both", t_veto, t_add),
    ):
        said = decisions(probs, reply_rules, veto, add)
        keep = [[p >= veto for p in ps] for ps in probs] if veto is not None else None
        # reply_figures adds only the candidates no rule ask overlaps
        extra = [[p >= add for p in ps] for ps in probs] if add is not None else None
        chosen[name] = {
            **{f"sentence_{s}": sentence_scores(mails, said, s) for s in sources},
            "ask_labels": ask_label_coverage(mails, keep, extra),
            "reply_dev": reply_figures(mails, keep, extra),
        }
        print(name, json.dumps(chosen[name]), file=sys.stderr)
    report["chosen"] = chosen
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
