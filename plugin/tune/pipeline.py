"""``deskdraft model tune`` end to end: data → (prune) → LoRA → merge → build → gate.

The pairs are split three ways, by group: *test* (never trained on, judged by the gate and
kept in the model folder as ``heldout.jsonl`` so ``model use`` can re-judge later),
*validation* (early stopping, and the pairs ``--prune-by loss`` scores on) and *train*.
With ``distill_from``, the train and validation targets become the teacher's answers
(``distill_kind`` "answers", ``distill.py``), or the loss becomes the KL to the teacher's
next-token distributions ("logits", ``logit_distill.py``); the test pairs keep the human
targets, so the gate judges as always. With ``quant_aware``, the model trains through the
rounding of a 4-bit variant (``quant_aware.py``), taught by the unquantized parent's
logits unless another teacher is given (with ``distill_from`` answers, over that model's
lines instead of the data's targets), and that variant is built and measured against the
parent's fp32 answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors.errors import UsageError
from plugin.engine import manifest as mf
from plugin.tune import data as pairs_data
from plugin.tune.data import Pair
from plugin.tune.gate import Scores
from plugin.tune.train import Recipe

HELDOUT = "heldout.jsonl"
TEST_SHARE = 0.15
VALID_SHARE = 0.1


@dataclass
class Request:
    parent: Path
    pairs: list[Pair]
    skipped: Counter[str]
    origin: str  # what the data came from, for the manifest and errors
    recipe: Recipe = field(default_factory=Recipe)
    name: str = ""
    prune: int | str | tuple[int, ...] = 0  # a count, "auto", the layers to remove, or 0
    prune_by: str = "auto"  # prune.MEASURES
    #: A built model whose greedy answers replace the training targets (distillation).
    distill_from: Path | None = None
    distill_mix: float = 0.0  # the share of pairs that keep their human target
    distill_kind: str = "answers"  # logit_distill.KINDS: the teacher's lines, or its logits
    #: A 4-bit variant (``quant_aware.SUPPORTED``) whose rounding the training sees.
    quant_aware: str | None = None
    resume: bool = False
    quiet: bool = False
    test_pairs: list[Pair] | None = None  # given: no test split is taken from ``pairs``
    #: The user the model belongs to (None: the install, i.e. its admins).
    owner: str | None = None
    #: Facts about the data for the record (``feedback.feedback_facts``), never content.
    facts: dict[str, Any] = field(default_factory=dict)


def _fingerprint(
    parent_hash: str, digest: str, recipe: Recipe, prune: int | str | tuple[int, ...], extra: Any
) -> str:
    payload = json.dumps(
        {
            "parent": parent_hash,
            "data": digest,
            "recipe": recipe.to_json(),
            "prune": prune,
            **extra,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def work_dir(models: Path, fingerprint: str) -> Path:
    return models / ".tune-work" / fingerprint[:16]


def tune(request: Request) -> dict[str, Any]:
    """Tune, build and judge; returns the summary that ``model tune --json`` prints."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from plugin.engine.build import DEFAULT_VARIANT
    from plugin.engine.registry import models_dir
    from plugin.tune.gate import measure_variants
    from plugin.tune.output import parent_checkpoint, publish, remove_partials

    started = time.monotonic()
    recipe = request.recipe
    pairs_data.check_size(request.pairs, request.skipped, request.origin)
    if request.test_pairs is None:
        rest, test = pairs_data.split(request.pairs, TEST_SHARE, recipe.seed)
    else:
        rest, test = list(request.pairs), list(request.test_pairs)
    train_pairs, valid = pairs_data.split(rest, VALID_SHARE, recipe.seed + 1)
    parent_data = mf.read(request.parent) or {}
    parent_hash = mf.model_hash(parent_data)
    digest = pairs_data.data_hash(request.pairs)
    distill = distill_record(request)
    quantized = quant_aware_record(request)
    how = {"prune_by": request.prune_by} if request.prune else {}
    if quantized:
        how["quant_aware"] = quantized
    fingerprint = _fingerprint(
        parent_hash, digest, recipe, request.prune, {**how, "distill": distill}
    )
    models = models_dir()
    remove_partials(models)
    base_name = parent_data.get("name", request.parent.name)
    mine = f"-{request.owner}" if request.owner else ""
    name = request.name or f"{base_name}{mine}-tuned-{digest[:8]}"
    dest = models / name

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune.examples import encode, require_examples
    from plugin.tune.train import train

    checkpoint = parent_checkpoint(request.parent)
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    torch.manual_seed(recipe.seed)
    base = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32)
    teacher = None
    teacher_dir = logits_teacher(request)
    if teacher_dir is not None:
        from plugin.tune.logit_distill import load_teacher

        teacher = load_teacher(teacher_dir, tokenizer)
    if distill is not None and request.distill_kind == "answers":
        from plugin.tune.distill import teacher_pairs

        taught, counts = teacher_pairs(
            request.distill_from,
            train_pairs + valid,
            mix=request.distill_mix,
            seed=recipe.seed,
            threads=recipe.threads,
            quiet=request.quiet,
        )
        train_pairs, valid = taught[: len(train_pairs)], taught[len(train_pairs) :]
        distill["targets"] = dict(counts)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    pruned: dict[str, Any] | None = None
    if request.prune:
        from plugin.tune.prune import SCORED_PAIRS, prune_layers

        calibration = [p.input for p in train_pairs[:32]]
        scored, _ = encode((valid or train_pairs)[:SCORED_PAIRS], tokenizer, recipe.max_tokens)
        pruned = prune_layers(
            base,
            tokenizer,
            calibration,
            request.prune,
            recipe.max_tokens,
            by=request.prune_by,
            scored=scored,
            pad_id=pad_id,
        )
    train_set, skipped_train = encode(train_pairs, tokenizer, recipe.max_tokens)
    valid_set, _ = encode(valid, tokenizer, recipe.max_tokens)
    require_examples(train_set, skipped_train, recipe.max_tokens)
    if not valid_set:
        valid_set = train_set[: max(1, len(train_set) // 10)]
    if quantized:
        from plugin.tune.quant_aware import fake_quantize, variant_for

        quantized["simulated"] = fake_quantize(base, variant_for(quantized["variant"]))
    model, outcome = train(
        base,
        train_set,
        valid_set,
        recipe,
        work_dir(models, fingerprint),
        pad_id=pad_id,
        fingerprint=fingerprint,
        resume=request.resume,
        quiet=request.quiet,
        teacher=teacher,
    )
    del teacher
    if quantized:
        from plugin.tune.quant_aware import remove_fake_quant

        remove_fake_quant(model)
    merged = model if recipe.full_layers else model.merge_and_unload()
    tasks = sorted({p.task for p in request.pairs})
    extra = {
        "owner": request.owner,
        "tuned": {
            "owner": request.owner,
            "tasks": tasks,
            "parent": {
                "name": parent_data.get("name", request.parent.name),
                "path": str(request.parent),
                "hash": parent_hash,
            },
            "data": {
                "origin": request.origin,
                "hash": digest,
                "pairs": len(request.pairs),
                "train": len(train_set),
                "validation": len(valid_set),
                "test": len(test),
                "skipped": dict(request.skipped + skipped_train),
                **request.facts,
            },
            "recipe": recipe.to_json(),
            "training": {
                "steps": outcome.steps,
                "stopped": outcome.stopped,
                "best_eval_loss": outcome.best_eval_loss,
                "first_loss": outcome.history[0]["loss"] if outcome.history else None,
                "last_loss": outcome.history[-1]["loss"] if outcome.history else None,
                "examples_per_s": outcome.examples_per_s,
                "tokens_per_s": outcome.tokens_per_s,
                "examples_128_per_s": round(outcome.tokens_per_s / 128, 2),
                "minutes": outcome.minutes,
                "eval_measure": "KL to the teacher" if teacher_dir is not None else "target loss",
                "weights": "decoder layers" if recipe.full_layers else "LoRA adapters",
            },
            "pruned": pruned,
            "distilled": distill,
            "quant_aware": quantized,
        },
    }
    # The build's usual variants, and the one the training saw.
    built = [DEFAULT_VARIANT, quantized["variant"]] if quantized else None
    publish(merged, tokenizer, request.parent, dest, extra, quiet=request.quiet, variants=built)
    pairs_data.save_pairs(dest / HELDOUT, test)
    # The latent fp32 weights of a quantization-aware model are not the model anyone
    # serves: its variants are judged against the parent's fp32 answers instead.
    reference = request.parent if quantized else None
    variants = (
        measure_variants(
            dest, test, threads=recipe.threads, reference=reference, quiet=request.quiet
        )
        if test
        else None
    )
    evaluation = judge_against(
        dest,
        request.parent,
        test,
        threads=recipe.threads,
        mine=variants.served if variants else None,
        quiet=request.quiet,
    )
    data = mf.read(dest) or {}
    data["tuned"]["evaluation"] = evaluation
    data["tuned"]["variants"] = variants.to_json() if variants else None
    mf.write(dest, data)
    return {
        "model": str(dest),
        "name": name,
        "minutes": round((time.monotonic() - started) / 60, 2),
        "tuned": data["tuned"],
    }


def distill_kind_logits(request: Request) -> bool:
    return request.distill_from is not None and request.distill_kind == "logits"


def logits_teacher(request: Request) -> Path | None:
    """The model whose next-token distributions the loss follows (None: the targets)."""
    if distill_kind_logits(request):
        return request.distill_from
    return request.parent if request.quant_aware else None


def quant_aware_record(request: Request) -> dict[str, Any] | None:
    """What the manifest records of the simulated rounding (None: plain training)."""
    if request.quant_aware is None:
        return None
    from plugin.tune.quant_aware import variant_for

    variant = variant_for(request.quant_aware)
    if not request.recipe.full_layers:
        raise UsageError(
            "--quant-aware trains the decoder layers' own weights, not adapters",
            hint="drop --train-weights adapters",
        )
    teacher = logits_teacher(request)
    assert teacher is not None
    record = {
        "variant": variant.name,
        "recipe": variant.options(),
        "teacher": (mf.read(teacher) or {}).get("name", teacher.name),
    }
    if request.distill_from is not None and request.distill_kind == "answers":
        # The loss is still the KL to the parent; what changes is the text it runs over:
        # the named model's own lines, so the healed model learns the parent's behaviour on
        # what it would write, not on the senders' lines it would never produce.
        record["sequences"] = "teacher answers"
    return record


def distill_record(request: Request) -> dict[str, Any] | None:
    """What the manifest records of the teacher (None: trained on the data's targets)."""
    if request.distill_from is None:
        return None
    from plugin.tune.logit_distill import KINDS

    if request.distill_kind not in KINDS:
        raise UsageError(f"--distill-kind takes {' or '.join(KINDS)}, not {request.distill_kind!r}")
    if request.distill_kind == "logits" and request.distill_mix:
        raise UsageError("--distill-mix applies to --distill-kind answers only")
    teacher = mf.read(request.distill_from) or {}
    return {
        "teacher": teacher.get("name", request.distill_from.name),
        "hash": mf.model_hash(teacher),
        "kind": request.distill_kind,
        "human_share": request.distill_mix,
    }


def judge_against(
    candidate: Path,
    default: Path,
    test: list[Pair],
    *,
    threads: int = 0,
    mine: Scores | None = None,
    quiet: bool = True,
) -> dict[str, Any]:
    """Scores of ``candidate`` (unless given as ``mine``) and ``default`` on ``test``, and
    the gate's verdict; unless ``quiet``, a progress bar per model."""
    from plugin.tune.gate import VERSION, evaluate, judge, targets_faithful

    if not test:
        raise UsageError(
            "no held-out pairs to judge the tuned model on",
            hint="give more data (a share is held out by sender)",
        )
    mine = mine or evaluate(
        candidate, test, threads=threads, label=None if quiet else "judge tuned model"
    )
    theirs = evaluate(default, test, threads=threads, label=None if quiet else "judge default")
    verdict = judge(mine, theirs)
    return {
        "against": {"path": str(default), "hash": mf.model_hash(mf.read(default) or {})},
        "tuned": mine.to_json(),
        "default": theirs.to_json(),
        "verdict": verdict.to_json(),
        "targets_faithful": targets_faithful(test),
        "gate": VERSION,
    }
