"""Quality checks for the model variants on real mail (AESLC subject lines).

Used by ``bench/model.py`` and to choose the default variant (docs/model.md): each
variant's subject lines are scored with ROUGE against the human annotations, and
compared with fp32's outputs on the same prompts (exact agreement, ROUGE-L between them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SYSTEM = "You write short, specific e-mail subject lines."
PROMPT = "Write a subject line for this e-mail.\n\nE-mail:\n{body}\n\nSubject line:"
MAX_BODY_CHARS = 1500


@dataclass(frozen=True)
class Mail:
    name: str
    body: str
    references: list[str]


def load_aeslc(folder: Path, limit: int) -> list[Mail]:
    """The first ``limit`` mails of the AESLC dev folder, in file-name order (fixed)."""
    mails = []
    for path in sorted(folder.glob("*.subject")):
        text = path.read_text(encoding="utf-8", errors="replace")
        body, _, rest = text.partition("\n@subject")
        refs = re.findall(r"@ann\d\n(.+)", rest)
        if body.strip() and refs:
            mails.append(Mail(path.stem, body.strip(), [r.strip() for r in refs]))
        if len(mails) >= limit:
            break
    return mails


def subject_prompt(engine: Any, mail: Mail) -> str:
    return engine.chat_prompt(PROMPT.format(body=mail.body[:MAX_BODY_CHARS]), system=SYSTEM)


def clean_subject(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    line = re.sub(r"^(subject( line)?\s*:\s*)", "", line, flags=re.IGNORECASE)
    return line.strip().strip('"').strip()


def rouge(predictions: list[str], references: list[list[str]]) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 (x100), each prediction against its best reference."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for prediction, refs in zip(predictions, references, strict=True):
        scores = scorer.score_multi(refs, prediction)
        for key in totals:
            totals[key] += scores[key].fmeasure
    count = max(len(predictions), 1)
    return {key: round(100 * value / count, 2) for key, value in totals.items()}


def agreement(outputs: list[str], baseline: list[str]) -> dict[str, float]:
    """How close a variant's outputs are to fp32's on the same prompts."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    same = sum(a == b for a, b in zip(outputs, baseline, strict=True))
    overlap = [
        1.0 if a == b else scorer.score(b, a)["rougeL"].fmeasure
        for a, b in zip(outputs, baseline, strict=True)
    ]
    count = max(len(outputs), 1)
    return {
        "exact_agreement": round(same / count, 3),
        "rougeL_vs_fp32": round(100 * sum(overlap) / count, 2),
    }


def rouge1_per_mail(predictions: list[str], references: list[list[str]]) -> list[float]:
    """Each prediction's ROUGE-1 F1 (x100) against its best reference."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    return [
        100 * scorer.score_multi(refs, prediction)["rouge1"].fmeasure
        for prediction, refs in zip(predictions, references, strict=True)
    ]


def loss_interval(
    baseline: list[float], scores: list[float], rounds: int = 2000, seed: int = 0
) -> list[float]:
    """The 95 % interval of the mean loss ``baseline − scores`` over the same mails, by a
    paired bootstrap (mails drawn with replacement, a fixed seed so a rerun agrees).

    Why: a variant that writes fp32's line on two thirds of the mails scores each of the
    others a whole line better or worse, so over 400 mails its loss moves by about a point
    either way (docs/model.md); the interval says how far the mean can be trusted."""
    import numpy as np

    differences = np.asarray(baseline, float) - np.asarray(scores, float)
    if differences.size == 0:
        return [0.0, 0.0]
    draws = np.random.default_rng(seed).integers(0, differences.size, (rounds, differences.size))
    means = differences[draws].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return [round(float(low), 2), round(float(high), 2)]
