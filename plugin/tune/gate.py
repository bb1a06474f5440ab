"""The gate between a tuned model and the default: score both on held-out pairs.

Each model writes its answer to every held-out pair through the task's prompt (the one
the draft kind uses), cleaned as that draft kind cleans it (``shown``: a "Subject:" label
off); answers are scored with ROUGE-1/2/L F1 against the target (and the
AESLC annotators, where present) and checked by ``verify.check`` against the input
(the *faithful share*: answers whose names, numbers and dates all occur in the source).

Decisions:

* **regression** (``model use`` refuses without ``--force``): mean ROUGE-1 lower than the
  default's on the same pairs, or a lower faithful share;
* **promotion** (``--promote``): the mean paired ROUGE-1 gain is at least ``MIN_GAIN``
  points *and* at least two standard errors of the paired differences (so a gain that
  held-out noise could produce is not enough: on 100 pairs with per-pair differences of
  about 20 points the bar is 4 points), and the faithful share is not lower.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin.tune.data import Pair

MIN_GAIN = 1.0
#: What a recorded verdict was judged by; ``model use`` judges a verdict of another version
#: again. 2: answers as their draft kind shows them (``shown``), not raw.
VERSION = 2
#: A reply body gets what the longest trainable target may have: half of the default
#: ``--max-tokens`` 256 (``examples.encode`` skips longer targets); the writer itself
#: allows 1.3x the plan's length, at most 200.
MAX_NEW_TOKENS = {"subject": 24, "title": 16, "reply": 128}
#: Prompts per generate call: the engine batches them, and the bar moves between calls.
CHUNK = 32


@dataclass(frozen=True)
class Scores:
    rouge1: float
    rouge2: float
    rougeL: float
    faithful: float
    count: int
    per_pair: tuple[float, ...]  # ROUGE-1 of each pair, for the paired test

    def to_json(self) -> dict[str, Any]:
        return {
            "rouge1": self.rouge1,
            "rouge2": self.rouge2,
            "rougeL": self.rougeL,
            "faithful": self.faithful,
            "count": self.count,
        }


def answers(engine: Any, pairs: Sequence[Pair], *, label: str | None = None) -> list[str]:
    """Each pair's answer by ``engine``, as its draft kind shows it; with ``label``, a
    progress bar of that name (judging 483 pairs takes minutes per model)."""
    from tqdm import tqdm

    from plugin.drafts.text.prompts import task_prompt

    out = [""] * len(pairs)
    bar = tqdm(total=len(pairs), desc=label, unit="pair", file=sys.stderr, disable=label is None)
    with bar:
        for task in sorted({p.task for p in pairs}):
            index = [i for i, p in enumerate(pairs) if p.task == task]
            for begin in range(0, len(index), CHUNK):
                chunk = index[begin : begin + CHUNK]
                prompts = [task_prompt(engine.chat_prompt, task, pairs[i].input) for i in chunk]
                texts = engine.generate(prompts, max_new_tokens=MAX_NEW_TOKENS[task], stop=["\n"])
                for i, text in zip(chunk, texts, strict=True):
                    out[i] = shown(task, text)
                bar.update(len(chunk))
    return out


def shown(task: str, raw: str) -> str:
    """The model's line as its draft kind cleans it before checking and showing it.

    A label is dropped there ("Subject: …" by ``headline.clean_candidate``, "Title: …" by
    ``meetings.clean_title``), so it must not count here: judged raw, "Subject" was the
    word that failed the check in 437 of 483 lines of one tuned model (the faithful share
    0.089 raw, 0.611 as shown)."""
    if task == "subject":
        from plugin.drafts.summary.headline import clean_candidate

        return clean_candidate(raw)
    if task == "title":
        from plugin.drafts.calendar.meetings import clean_title

        return clean_title(raw)
    return raw.strip()


def score(predictions: Sequence[str], pairs: Sequence[Pair]) -> Scores:
    from rouge_score import rouge_scorer

    from plugin.drafts.text.verify import check

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    sums = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    per_pair = []
    faithful = 0
    for prediction, pair in zip(predictions, pairs, strict=True):
        refs = list(dict.fromkeys([pair.target, *pair.references]))
        result = scorer.score_multi(refs, prediction)
        for key in sums:
            sums[key] += 100 * result[key].fmeasure
        per_pair.append(round(100 * result["rouge1"].fmeasure, 3))
        faithful += bool(prediction) and check(prediction, pair.input).ok
    n = max(len(pairs), 1)
    return Scores(
        round(sums["rouge1"] / n, 2),
        round(sums["rouge2"] / n, 2),
        round(sums["rougeL"] / n, 2),
        round(faithful / n, 3),
        len(pairs),
        tuple(per_pair),
    )


def targets_faithful(pairs: Sequence[Pair]) -> float:
    """The share of the held-out *targets* that pass the same check: the scale the
    faithful share is read on. For subject lines it is far from 1 (0.555 of the senders'
    own lines on 483 AESLC pairs, where the models' lines as shown pass at about 0.6),
    because the check counts every capitalised word a line adds ("Priority List",
    "Expense Reports") as a name the mail must hold."""
    from plugin.drafts.text.verify import check

    passed = sum(bool(pair.target) and check(pair.target, pair.input).ok for pair in pairs)
    return round(passed / max(len(pairs), 1), 3)


def evaluate(
    model_dir: Path, pairs: Sequence[Pair], *, threads: int = 0, label: str | None = None
) -> Scores:
    from plugin.engine.runtime import Engine

    engine = Engine(model_dir, threads=threads)
    return score(answers(engine, pairs, label=label), pairs)


@dataclass(frozen=True)
class VariantScores:
    """The held-out scores of each variant of one model, and the variant it serves."""

    scores: dict[str, Scores]
    figures: dict[str, dict[str, Any]]  # what the manifest records per quantized variant
    default_variant: str

    @property
    def served(self) -> Scores:
        return self.scores[self.default_variant]

    def to_json(self) -> dict[str, Any]:
        return {
            "fp32": self.scores["fp32"].to_json(),
            "variants": self.figures,
            "default_variant": self.default_variant,
        }


def measure_variants(
    model_dir: Path,
    pairs: Sequence[Pair],
    *,
    threads: int = 0,
    reference: Path | None = None,
    quiet: bool = True,
) -> VariantScores:
    """Score every variant of a freshly built model on the held-out ``pairs`` and record
    each quantized one's loss against fp32 in its manifest: its own fp32, or that of the
    model at ``reference`` (a quantization-aware model's latent fp32 serves no one).

    A tuned model has no shipped figures, and the default variant is chosen by figures
    (``quality.choose_default``): without these it would always serve fp32, at about half
    the int8 decode speed. With them, int8 serves when it loses at most
    ``MAX_ROUGE1_LOSS`` ROUGE-1 on this model's own held-out pairs.
    """
    from datetime import date

    from plugin.engine import manifest as mf
    from plugin.engine import quality
    from plugin.engine.runtime import Engine

    def label(name: str) -> str | None:
        return None if quiet else f"judge {name}"

    data = mf.read(model_dir) or {}
    own = answers(Engine(model_dir, variant="fp32", threads=threads), pairs, label=label("fp32"))
    reference_answers = own
    if reference is not None:
        reference_answers = answers(
            Engine(reference, variant="fp32", threads=threads), pairs, label=label("parent fp32")
        )
    # fp32 is this model's own (it serves when no variant is within the bound); the
    # losses are against the reference's.
    scores = {"fp32": score(own, pairs)}
    against = score(reference_answers, pairs) if reference is not None else scores["fp32"]
    # Which fp32 the losses are against, in the shape of the gate's verdict "against".
    reference_of = (
        {"path": str(reference), "hash": mf.model_hash(mf.read(reference) or {})}
        if reference is not None
        else None
    )
    figures: dict[str, dict[str, Any]] = {}
    for name in sorted(data.get("variants", {})):
        if name == "fp32":
            continue
        mine = answers(Engine(model_dir, variant=name, threads=threads), pairs, label=label(name))
        scores[name] = score(mine, pairs)
        same = sum(a == b for a, b in zip(mine, reference_answers, strict=True))
        figures[name] = {
            "rouge1": scores[name].rouge1,
            quality.LOSS: round(against.rouge1 - scores[name].rouge1, 2),
            "exact_agreement": round(same / max(len(pairs), 1), 3),
            "faithful": scores[name].faithful,
            "mails": len(pairs),
            "measured": date.today().isoformat(),
            **({"against": reference_of} if reference_of else {}),
        }
    return VariantScores(scores, figures, quality.record(model_dir, figures))


@dataclass(frozen=True)
class Verdict:
    regresses: bool
    promote: bool
    gain: float
    required_gain: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "regresses": self.regresses,
            "promote": self.promote,
            "gain": self.gain,
            "required_gain": self.required_gain,
            "reason": self.reason,
        }


def judge(tuned: Scores, default: Scores) -> Verdict:
    diffs = [a - b for a, b in zip(tuned.per_pair, default.per_pair, strict=True)]
    n = len(diffs)
    gain = sum(diffs) / n if n else 0.0
    spread = math.sqrt(sum((d - gain) ** 2 for d in diffs) / (n - 1)) if n > 1 else 0.0
    required = max(MIN_GAIN, 2 * spread / math.sqrt(n)) if n else math.inf
    less_faithful = tuned.faithful < default.faithful
    regresses = tuned.rouge1 < default.rouge1 or less_faithful
    promote = not less_faithful and gain >= required
    if less_faithful:
        reason = f"faithful share fell from {default.faithful:.3f} to {tuned.faithful:.3f}"
    elif tuned.rouge1 < default.rouge1:
        reason = f"ROUGE-1 fell from {default.rouge1:.2f} to {tuned.rouge1:.2f}"
    elif promote:
        reason = f"ROUGE-1 +{gain:.2f} (needed +{required:.2f}), faithful share kept"
    else:
        reason = f"ROUGE-1 +{gain:.2f}, below the +{required:.2f} a promotion needs"
    return Verdict(regresses, promote, round(gain, 2), round(required, 2), reason)
