"""Retrain the furniture weights from the hand labels of bulk mail's lines.

    .venv/bin/python -m plugin.drafts.summary.furniture_training [--check | --cv]

Reads ``tests/data/furniture_labels.json`` (which lines of 228 newsletters, list posts and
mailings carry the mail's content: ``story``, and which are its furniture) and the mails
under ``../shared`` (``DESKDRAFT_SHARED`` overrides), splits each mail into sentences as
the summarizer does, embeds the labelled lines with the default engine's MiniLM and fits a
logistic regression (scikit-learn, fixed solver and regularisation, so the result is
reproducible) on all of them; writes ``furniture_weights.json``.
``--check`` writes nothing and exits 1 when the retrained weights differ from the shipped
ones. ``--cv`` writes nothing and prints 5-fold cross-validation grouped by sender domain
or mailbox: the summarizer's phrase rules, jusText (when installed: the well-kept library
for boilerplate), the shape features alone, and the shipped model at several bars.

The labelled mails are never the ones a brief of bulk mail is judged on: those are the
SpamAssassin mails that only the digest labels name (docs/quality.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from plugin.drafts.summary.furniture import (
    SHAPE_FEATURES,
    WEIGHTS,
    FurnitureModel,
    feature_rows,
)
from plugin.drafts.summary.rank import (
    CONTENT_MAX_PENALTY,
    cue_features,
    embedded_positions,
    is_housekeeping,
)
from plugin.drafts.text.sentences import Sentence, summary_sentences
from plugin.drafts.triage import labels as mail_labels
from plugin.drafts.triage.training import shared_dir

LABELS = mail_labels.REPO / "tests" / "data" / "furniture_labels.json"
#: Inverse regularisation strength, chosen by grouped cross-validation (``--cv``).
C = 1.0
#: The least probability of ``story`` that keeps a line, chosen by ``--cv``: it keeps
#: nearly every story line while dropping most furniture (docs/quality.md).
BAR = 0.3
TOLERANCE = 1e-4
FOLDS = 5


def line_key(text: str) -> str:
    """A short fingerprint of a line's text: how a label finds its line again, without
    the repo holding the text."""
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class LabelledMail:
    mail: str
    group: str
    sentences: list[Sentence]
    picks: list[int]  # the positions the ranking embeds
    penalties: list[float]
    story: dict[int, bool]  # position -> label, for the labelled picks


def read_mails(shared: Path, path: Path = LABELS) -> tuple[list[LabelledMail], int]:
    """The labelled mails, split as the summarizer splits them, with their lines found
    again by their fingerprints; and how many labelled lines were not found (the splitter
    changed since they were labelled)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    mails: list[LabelledMail] = []
    missing = 0
    for mail in data["mails"]:
        document = mail_labels.load_document(shared, mail["mail"])
        sentences = summary_sentences(document.full_text())
        features = [cue_features(s, len(sentences)) for s in sentences]
        picks = embedded_positions(features)
        by_key = {line_key(sentences[k].text): k for k in picks}
        story = {by_key[key]: bool(v) for key, v in mail["lines"].items() if key in by_key}
        missing += len(mail["lines"]) - len(story)
        penalties = [f["penalty"] for f in features]
        mails.append(LabelledMail(mail["mail"], mail["group"], sentences, picks, penalties, story))
    return mails, missing


@dataclass(slots=True)
class LabelledLines:
    rows: np.ndarray  # feature_rows of every labelled line
    texts: list[str]
    story: np.ndarray  # (lines,) bool
    groups: list[str]
    mails: list[str]
    missing: int


def read_lines(engine: Any, shared: Path, path: Path = LABELS) -> LabelledLines:
    """The feature rows of the labelled lines, computed as ``rank_many`` computes them."""
    mails, missing = read_mails(shared, path)
    flat = [m.sentences[k].text for m in mails for k in m.picks]
    embeddings = np.asarray(engine.embed(flat), dtype=np.float64)
    rows: list[np.ndarray] = []
    texts: list[str] = []
    story: list[bool] = []
    groups: list[str] = []
    names: list[str] = []
    offset = 0
    for m in mails:
        block = embeddings[offset : offset + len(m.picks)]
        offset += len(m.picks)
        mail_rows = feature_rows(m.sentences, m.picks, block, m.penalties)
        for j, k in enumerate(m.picks):
            if k in m.story:
                rows.append(mail_rows[j])
                texts.append(m.sentences[k].text)
                story.append(m.story[k])
                groups.append(m.group)
                names.append(m.mail)
    return LabelledLines(np.asarray(rows), texts, np.asarray(story), groups, names, missing)


def fit(rows: np.ndarray, story: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)
    model.fit(rows, story)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def train(engine: Any, shared: Path, lines: LabelledLines | None = None) -> FurnitureModel:
    """The weights fitted on every labelled line (``lines``: already read, or read here)."""
    lines = lines or read_lines(engine, shared)
    coef, intercept = fit(lines.rows, lines.story)
    embed_dim = lines.rows.shape[1] - len(SHAPE_FEATURES)
    return FurnitureModel(coef, intercept, embed_dim, BAR)


def same_weights(a: FurnitureModel, b: FurnitureModel, tolerance: float = TOLERANCE) -> bool:
    return (
        a.embed_dim == b.embed_dim
        and a.bar == b.bar
        and a.coef.shape == b.coef.shape
        and bool(np.abs(a.coef - b.coef).max() <= tolerance)
        and abs(a.intercept - b.intercept) <= tolerance
    )


def _scores(kept: np.ndarray, story: np.ndarray) -> dict[str, float]:
    """How well ``kept`` (lines a brief may quote) matches the labels."""
    dropped = ~kept
    return {
        "accuracy": round(float((kept == story).mean()), 3),
        "story_kept": round(float(kept[story].mean()), 3) if story.any() else 1.0,
        "furniture_dropped": round(float(dropped[~story].mean()), 3) if (~story).any() else 1.0,
        "dropped_precision": round(float((~story[dropped]).mean()), 3) if dropped.any() else 1.0,
    }


def _justext_scores(lines: LabelledLines) -> dict[str, float] | None:
    """jusText's good/bad call on each line (each given as a paragraph of its own, mail by
    mail) against the labels; None when it is not installed."""
    try:
        import justext
    except ImportError:
        print("jusText is not installed: pip install justext (measured only here)")
        return None
    from html import escape

    by_mail: dict[str, list[int]] = {}
    for k, mail in enumerate(lines.mails):
        by_mail.setdefault(mail, []).append(k)
    kept = np.ones(len(lines.texts), dtype=bool)
    stoplist = justext.get_stoplist("English")
    for positions in by_mail.values():
        html = "".join(f"<p>{escape(lines.texts[k])}</p>" for k in positions)
        paragraphs = justext.justext(f"<html><body>{html}</body></html>", stoplist)
        if len(paragraphs) != len(positions):
            return None
        kept[positions] = [not p.is_boilerplate for p in paragraphs]
    return _scores(kept, lines.story)


def cross_validate(engine: Any, shared: Path, lines: LabelledLines | None = None) -> dict[str, Any]:
    from sklearn.model_selection import GroupKFold

    lines = lines or read_lines(engine, shared)
    rows = lines.rows
    width = rows.shape[1] - len(SHAPE_FEATURES)
    out: dict[str, Any] = {
        "lines": len(lines.texts),
        "mails": len(set(lines.mails)),
        "groups": len(set(lines.groups)),
        "story_share": round(float(lines.story.mean()), 3),
        "missing": lines.missing,
    }
    rules = np.asarray(
        [
            not is_housekeeping(t) and r[-1] <= CONTENT_MAX_PENALTY
            for t, r in zip(lines.texts, rows, strict=True)
        ]
    )
    out["rules"] = _scores(rules, lines.story)
    if (justext := _justext_scores(lines)) is not None:
        out["justext"] = justext
    folds = list(GroupKFold(n_splits=FOLDS).split(rows, lines.story, lines.groups))
    for name, columns, c in (
        ("shape_only", slice(width, None), C),
        *((f"model_C{c}", slice(None), c) for c in (0.25, 1.0, 4.0)),
    ):
        probability = np.zeros(len(rows))
        for train_rows, test_rows in folds:
            coef, intercept = fit(rows[train_rows][:, columns], lines.story[train_rows], c)
            scores = rows[test_rows][:, columns] @ coef + intercept
            probability[test_rows] = 1 / (1 + np.exp(-scores))
        out[name] = {
            f"bar_{bar}": _scores(probability >= bar, lines.story) for bar in (0.2, 0.3, 0.4, 0.5)
        }
        # What a brief of bulk mail may quote: the phrase rules already leave lines out.
        out[name + "_with_rules"] = {
            f"bar_{bar}": _scores((probability >= bar) & rules, lines.story)
            for bar in (0.2, 0.3, 0.4)
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plugin.drafts.summary.furniture_training")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="compare with the shipped weights")
    group.add_argument("--cv", action="store_true", help="grouped cross-validation, no writing")
    args = parser.parse_args(argv)
    from plugin.engine.runtime import get_engine

    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        print(f"the labelled mails are not there: {shared} (set DESKDRAFT_SHARED)")
        return 2
    engine = get_engine()
    if args.cv:
        print(json.dumps(cross_validate(engine, shared), indent=1))
        return 0
    model = train(engine, shared)
    if args.check:
        from plugin.drafts.summary.furniture import load_model

        same = same_weights(model, load_model())
        print("the shipped weights are reproduced" if same else "the weights differ")
        return 0 if same else 1
    WEIGHTS.write_text(json.dumps(model.to_json()) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
