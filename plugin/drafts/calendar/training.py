"""Retrain the calendar decision (``decision_weights.json``) from the labelled messages.

    python bench/train_meetings.py [SHARED_DIR] [--check]

Every candidate (``features.candidates``) of a labelled message is a positive when
it matches one of the message's labels (the matching ``evaluation`` scores with), else a
negative; a message two readers labelled counts once per reading (``readings``), so what
they disagree on is learned as uncertain. A logistic regression (scikit-learn, lbfgs)
learns from the **train and dev** splits, over the rule features and the TF-IDF of the
words around each mention (``nearby``). The Platt scaling that makes ``confidence``
calibrated and the threshold (the F1 optimum) are fitted on out-of-fold scores: grouped
cross-validation by mailbox over the same messages (``FOLDS``), each message scored by a
fit that never saw its mailbox. Nested cross-validation chose this over fitting on train
and calibrating on dev alone (docs/calendar.md, round s35). The regularisation ``C`` and
the words' ``WORD_SCALE`` are constants chosen by grouped cross-validation on train and
dev (``bench/meetings_words.py``). The **test** split is never read here. The run is
deterministic: numbers are rounded to ``DIGITS`` decimals, so retraining from the same
labels writes the same file (``--check`` compares instead of writing).
scikit-learn is needed only here, never at run time.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import numpy as np

from plugin.drafts.calendar.cues import Suggestion
from plugin.drafts.calendar.decision import WEIGHTS, MeetingModel, decide
from plugin.drafts.calendar.evaluation import (
    REPO,
    LabelledMessage,
    evaluate,
    load_labelled,
    mailbox,
    start_matches,
)
from plugin.drafts.calendar.features import FEATURES, Candidate, candidates
from plugin.drafts.text.tfidf import fit_text_features, sparse_rows

DIGITS = 5
#: Inverse regularisation strength. Until the words came, dev chose it from a grid; on its
#: 246 messages every C from 0.01 to 3 scored within 0.005 F1, while grouped 5-fold
#: cross-validation on the 1,374 train and dev messages ranks them (rules alone: 0.662 at
#: 0.01, 0.674 at 0.3 and 1; with the words at scale 10: 0.682 at 0.03, 0.694 at 0.3, 0.695
#: at 1), so the cross-validation's choice is fixed here (docs/calendar.md, round s34).
C = 0.3
#: A feature that differs from its usual value on fewer training candidates than this
#: (weighed by reading) is left out of the fit. Standardised by its tiny spread, such a
#: feature would add a large, unlearned term on real mail: AESLC subjects carry no "Re:",
#: so ``subject_reply`` was set on one training candidate, yet every reply subject took
#: 1.7 off the score of a plain "Can we meet Tuesday at 2:30?".
MIN_SUPPORT = 5.0
#: The words around a mention: terms (1-2 grams) in at least ``WORD_MIN_DF`` training
#: candidates, the ``WORD_TERMS`` most frequent, their l2-normalised TF-IDF times
#: ``WORD_SCALE`` beside the standardised rule features. The scale lets the words speak
#: under the same regularisation as the rules: at C 0.3, out-of-fold F1 0.674 without them,
#: 0.683 at scale 3, 0.694 at 10 and 0.678 at 30; a vocabulary of terms seen at least
#: twice scored 0.693 (AUC 0.876), at least five times 0.675 (``bench/meetings_words.py``).
WORD_MIN_DF = 2
WORD_TERMS = 20000
WORD_SCALE = 10.0
THRESHOLDS = tuple(round(0.2 + 0.025 * step, 3) for step in range(27))
#: The threshold is the out-of-fold F1 optimum; users who want fewer, surer suggestions
#: raise ``[calendar] min_confidence`` (the confidence is calibrated, so 0.9 means ~90 %
#: right).
#: Folds of the cross-validation that calibrates and picks the threshold. In nested
#: cross-validation, a threshold chosen on a dev-sized share of the mailboxes wandered from
#: 0.25 to 0.55; chosen out of fold over all the others, within 0.375-0.45.
FOLDS = 5


class CandidateCache:
    """Candidates per message, found once: the grid search re-decides them many times."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, datetime, str], tuple[str, list[Candidate]]] = {}

    def get(
        self, text: str, reference: datetime, zone: tzinfo | str | None, subject: str = ""
    ) -> tuple[str, list[Candidate]]:
        key = (text, reference, subject)
        if key not in self._found:
            self._found[key] = candidates(text, reference, zone, subject)
        return self._found[key]


def is_positive(candidate: Candidate, message: LabelledMessage) -> bool:
    """Whether the candidate names a labelled event: it matches a label, or it is the day
    alone of a labelled timed event (the timed mention wins when both are kept)."""
    day = candidate.mention.start_date()
    return any(
        start_matches(candidate.mention.start, label, message)
        or (
            candidate.mention.all_day
            and "start" in label
            and datetime.fromisoformat(label["start"]).date() == day
        )
        for label in message.expected
    )


def readings(message: LabelledMessage) -> list[LabelledMessage]:
    """The message as each reader labelled it. A message read twice counts three times, a
    third each: its final label and both blind labellings, so a candidate that one reader
    labelled and the other did not is learned as half an event (the third reader's side
    weighing double), not as a certainty either way."""
    return [
        message,
        *(
            replace(message, reference=seen.reference, zone=seen.zone, expected=seen.expected)
            for seen in message.labellings
        ),
    ]


def candidate_rows(
    messages: Iterable[LabelledMessage], cache: CandidateCache
) -> tuple[list[Candidate], list[int], list[float]]:
    """Every candidate of every reading (``readings``) with its target and weight."""
    found_all: list[Candidate] = []
    targets: list[int] = []
    weights: list[float] = []
    for message in messages:
        views = readings(message)
        for view in views:
            _clean, found = cache.get(view.text, view.reference, view.zone, view.subject)
            for candidate in found:
                found_all.append(candidate)
                targets.append(int(is_positive(candidate, view)))
                weights.append(1.0 / len(views))
    return found_all, targets, weights


def _fit(
    found: list[Candidate],
    targets: list[int],
    weights: list[float],
    c: float,
    word_scale: float = WORD_SCALE,
) -> dict[str, Any]:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    data = np.array([candidate.features for candidate in found], dtype=np.float64)
    usual = np.median(data, axis=0)
    support = ((data != usual) * np.array(weights)[:, None]).sum(axis=0)
    rare = support < MIN_SUPPORT
    data[:, rare] = usual[rare]  # a constant column: scale 1, weight 0
    mean = data.mean(axis=0)
    scale = data.std(axis=0)
    scale[scale < 1e-9] = 1.0
    nearby = [candidate.nearby for candidate in found]
    # A message read twice lists its candidates once per reading: the vocabulary counts
    # each candidate once, so a word seen in one such message is not taken as common.
    distinct = list({id(candidate): candidate.nearby for candidate in found}.values())
    words = fit_text_features(distinct, {"word": WORD_TERMS}, min_df=WORD_MIN_DF)
    matrix = sparse.hstack(
        [
            sparse.csr_matrix((data - mean) / scale),
            sparse_rows(words.rows(nearby), words.width) * word_scale,
        ]
    ).tocsr()
    learner = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-10)
    learner.fit(matrix, np.array(targets), sample_weight=np.array(weights))
    coef = learner.coef_[0]
    return {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": coef[: len(mean)].tolist(),
        "intercept": float(learner.intercept_[0]),
        # The block's scale is folded into its weights: the model reads plain TF-IDF.
        "words": {"blocks": words.to_json(), "coef": (coef[len(mean) :] * word_scale).tolist()},
    }


def _platt(scores: list[float], targets: list[int]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    learner = LogisticRegression(C=1e6, solver="lbfgs", max_iter=5000, tol=1e-10)
    learner.fit(np.array(scores).reshape(-1, 1), np.array(targets))
    return float(learner.coef_[0][0]), float(learner.intercept_[0])


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def _model(fitted: dict[str, Any], slope: float, offset: float, threshold: float) -> MeetingModel:
    data = _rounded(
        {
            **fitted,
            "features": FEATURES,
            "threshold": threshold,
            "calibration": {"slope": slope, "offset": offset},
        }
    )
    return MeetingModel.from_json(data)


def _f1(result: dict[str, Any]) -> float:
    p, r = result["precision"], result["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


class FixedScores:
    """A stand-in for ``MeetingModel`` in ``decide``: a probability per candidate, keyed by
    the candidate's ``id`` (so the candidates must be the ones a ``CandidateCache`` keeps)."""

    def __init__(self, probabilities: dict[int, float]) -> None:
        self.probabilities = probabilities
        self.threshold = 0.5

    def confidence(self, candidate: Candidate) -> float:
        return self.probabilities[id(candidate)]


def out_of_fold_scores(
    messages: list[LabelledMessage],
    cache: CandidateCache,
    folds: int = FOLDS,
    c: float = C,
    word_scale: float = WORD_SCALE,
) -> dict[int, float]:
    """Each candidate's raw score (by ``id``, as the cache keeps it) from a fit on the
    other folds' mailboxes (readings and weights as the shipped training uses them)."""
    from sklearn.model_selection import GroupKFold

    groups = [mailbox(message.file) for message in messages]
    scores: dict[int, float] = {}
    for fit_idx, held_idx in GroupKFold(n_splits=folds).split(messages, groups=groups):
        found, targets, weights = candidate_rows([messages[i] for i in fit_idx], cache)
        fold_model = _model(_fit(found, targets, weights, c, word_scale), 1.0, 0.0, 0.5)
        for i in held_idx:
            message = messages[i]
            _clean, held = cache.get(message.text, message.reference, message.zone, message.subject)
            scores.update({id(candidate): fold_model.score(candidate) for candidate in held})
    return scores


def train(shared_dir: Path, labels: Path | None = None) -> dict[str, Any]:
    """The weights file's content, trained from the labels (test split untouched)."""
    kwargs = {"labels_path": labels} if labels else {}
    messages = [m for m in load_labelled(shared_dir, **kwargs) if m.split != "test"]
    cache = CandidateCache()
    found, targets, weights = candidate_rows(messages, cache)
    fitted = _fit(found, targets, weights, C)

    # Calibration and the threshold answer to the final labels, scored out of fold.
    scores = out_of_fold_scores(messages, cache)
    final_found, final_targets, _ = candidate_rows(
        [replace(m, labellings=()) for m in messages], cache
    )
    slope, offset = _platt([scores[id(c)] for c in final_found], final_targets)
    scored = FixedScores(
        {key: 1.0 / (1.0 + math.exp(-(slope * raw + offset))) for key, raw in scores.items()}
    )

    def out_of_fold(threshold: float) -> dict[str, Any]:
        def detector(
            text: str, reference: datetime, zone: Any, subject: str = ""
        ) -> list[Suggestion]:
            clean, candidates_found = cache.get(text, reference, zone, subject)
            return decide(clean, candidates_found, scored, threshold)  # type: ignore[arg-type]

        return evaluate(shared_dir, detector, messages=messages)

    # The F1 optimum; ties keep the higher threshold (fewer, surer suggestions).
    results = {threshold: out_of_fold(threshold) for threshold in THRESHOLDS}
    chosen_threshold = max(THRESHOLDS, key=lambda t: (round(_f1(results[t]), 6), t))
    chosen = results[chosen_threshold]
    return _rounded(
        {
            "about": "Calendar decision: logistic regression over calendar.features.FEATURES, "
            "standardised by mean/scale, and the TF-IDF of the words around each mention "
            "(words: vocabulary, idf, weights); confidence = sigmoid(slope * score + offset) "
            "(Platt scaling on out-of-fold scores of the train and dev splits). Written by "
            "plugin/drafts/calendar/training.py from tests/data/meetings_labels.json; do not "
            "edit by hand.",
            "features": FEATURES,
            "C": C,
            **fitted,
            "calibration": {"slope": slope, "offset": offset},
            "threshold": chosen_threshold,
            # What the threshold was chosen on: train and dev, each message scored by a fit
            # that never saw its mailbox (the train and dev figures of bench/meetings.py are
            # in-sample).
            "out_of_fold": {
                "folds": FOLDS,
                "messages": chosen["messages"],
                "precision": chosen["precision"],
                "recall": chosen["recall"],
                "f1": _f1(chosen),
            },
            # Candidates weighed by reading (``readings``): a third each for a message
            # read twice.
            "train_candidates": sum(weights),
            "train_positives": sum(w for w, t in zip(weights, targets, strict=True) if t),
        }
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    weights = train(shared)
    text = json.dumps(weights, indent=1) + "\n"
    if check:
        same = WEIGHTS.read_text(encoding="utf-8") == text
        print("shipped weights reproduced" if same else "shipped weights differ")
        return 0 if same else 1
    WEIGHTS.write_text(text, encoding="utf-8")
    print(f"wrote {WEIGHTS} (C={weights['C']}, threshold={weights['threshold']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
