"""Do the words around a mention help the calendar decision? Grouped cross-validation on the
train and dev labels (never test), with the product's own fit (``training.out_of_fold_scores``).

    python bench/meetings_words.py [SHARED] [--folds 5] [--scales 0,1,3,10] [--c 0.01,0.1,0.3,1]

For each TF-IDF scale (0: the rule features alone) and regularisation strength, every
candidate's out-of-fold score, then the best message-level F1 over thresholds as
``bench/meetings_semantic.py`` computes it, the candidate AUC, and the AUC gain over the
rule features alone at the same C with a 95 % interval from resampling whole mailboxes.
The last line is JSON.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
from meetings_contexts import Table, cv_messages  # noqa: E402
from meetings_semantic import auc_gain_interval, message_scores  # noqa: E402

from plugin.drafts.calendar.training import out_of_fold_scores  # noqa: E402


def _option(argv: list[str], name: str, default: str) -> str:
    return argv[argv.index(name) + 1] if name in argv else default


def out_of_fold(table: Table, folds: int, c: float, scale: float) -> np.ndarray:
    """Each candidate's probability from a fit on the other folds' mailboxes (the product's
    ``training.out_of_fold_scores``)."""
    scores = out_of_fold_scores(table.messages, table.cache, folds, c, scale)
    return np.array(
        [1.0 / (1.0 + math.exp(-scores[id(candidate)])) for candidate in table.candidates]
    )


def main(argv: list[str]) -> int:
    from sklearn.metrics import roc_auc_score

    shared = Path(argv[0]) if argv and not argv[0].startswith("--") else REPO.parent / "shared"
    folds = int(_option(argv, "--folds", "5"))
    scales = [float(x) for x in _option(argv, "--scales", "0,1,3,10").split(",")]
    strengths = [float(x) for x in _option(argv, "--c", "0.01,0.1,0.3,1").split(",")]
    table = Table(cv_messages(shared))
    y = np.array(table.targets)
    rows: list[dict[str, Any]] = []
    base: dict[float, np.ndarray] = {}
    for c in strengths:
        for scale in scales:
            probs = out_of_fold(table, folds, c, scale)
            if scale == 0:
                base[c] = probs
            row = {
                "C": c,
                "word_scale": scale,
                "auc": round(float(roc_auc_score(y, probs)), 4),
                **message_scores(table, probs),
            }
            if scale and c in base:
                row["auc_gain_95"] = auc_gain_interval(y, table.groups, base[c], probs)
            rows.append(row)
            print(row, flush=True)
    print(json.dumps({"messages": len(table.messages), "folds": folds, "results": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
