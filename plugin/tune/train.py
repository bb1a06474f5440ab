"""LoRA training on the CPU: the loop, its schedule, evaluation and checkpoints.

* The loss is on target tokens only (``examples.encode``); batches are length-bucketed.
* ``accumulation`` micro-batches make one optimizer step; the learning rate warms up
  linearly, then decays on a cosine to a tenth.
* Every ``eval_every`` steps the mean target loss on the validation slice is measured;
  the best adapter is kept, and ``patience`` evaluations without a gain stop training.
* ``max_minutes`` stops before a step that would end past the budget (time of earlier
  runs of a resumed tune counts); steps since the last evaluation are then evaluated
  once more, so they can still give the kept weights.
* With ``full_layers`` the decoder layers' own weights train instead of adapters, and
  with a ``teacher`` the loss is the KL to its distributions (``logit_distill``).
* Deterministic for a seed: the batch order of every epoch comes from the seed, and the
  torch RNG state travels in the checkpoint, so a resumed run takes the same steps.
* ``checkpoint.pt`` is written to a temporary file, flushed and renamed: a ``kill -9``
  leaves either the previous checkpoint or the new one, never half of one.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from connectors.errors import UsageError
from plugin.tune.examples import IGNORE, Example, batch_order, collate

CHECKPOINT = "checkpoint.pt"
#: Full weights move far more per step than adapters: the fifth and sixth pruning runs
#: healed at 5e-5 and 3e-5 (docs/tuning.md), where adapters train at 3e-4.
FULL_LAYERS_LEARNING_RATE = 5e-5


@dataclass(frozen=True)
class Recipe:
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    learning_rate: float = 3e-4
    batch_size: int = 8
    accumulation: int = 2
    epochs: float = 2.0
    max_steps: int = 0  # 0: as many as the epochs take
    warmup_share: float = 0.06
    max_tokens: int = 256
    eval_every: int = 25
    patience: int = 3
    max_minutes: float = 0.0  # 0: no budget
    seed: int = 0
    threads: int = 0  # 0: every core torch sees
    #: The share of decoder layers, counted from the top, that get adapters (1.0: all).
    #: Below the lowest adapted layer nothing needs a gradient, so the backward pass
    #: stops there: the upper half trains 1.9x as many examples per second as all
    #: layers on SmolLM2-135M (docs/tuning.md).
    lora_top_share: float = 0.5
    #: Train the decoder layers' own weights instead of adapters (token-level
    #: distillation heals a pruned model this way: logit_distill.py).
    full_layers: bool = False

    def learning_rate_for(self, full_layers: bool) -> float:
        """The default learning rate of adapters, or of the layers' own weights."""
        return FULL_LAYERS_LEARNING_RATE if full_layers else self.learning_rate

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Outcome:
    adapter_dir: Path | None  # None with ``full_layers``: no adapter, the model holds them
    steps: int
    best_eval_loss: float
    history: list[dict[str, float]]
    stopped: str  # "done", "early stop", "time budget"
    examples_per_s: float
    minutes: float
    #: Trained tokens (prompt + target, padding excluded) per second of training time;
    #: ``tokens_per_s / 128`` is the throughput in 128-token examples (docs/tuning.md).
    tokens_per_s: float = 0.0


def lr_factor(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(total - warmup, 1)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))


def lora_model(base: Any, recipe: Recipe) -> Any:
    import torch
    from peft import LoraConfig, get_peft_model

    total = int(getattr(base.config, "num_hidden_layers", 0) or 0)
    adapted = min(total, max(1, math.ceil(recipe.lora_top_share * total)))
    targets: Any = "all-linear"
    upper: dict[str, Any] = {}
    if adapted < total:
        # peft takes a layer range only with module names, not with "all-linear".
        targets = sorted(
            {
                name.rsplit(".", 1)[-1]
                for name, module in base.named_modules()
                if isinstance(module, torch.nn.Linear) and ".layers." in f".{name}"
            }
        )
        upper = {
            "layers_to_transform": list(range(total - adapted, total)),
            "layers_pattern": "layers",
        }
    config = LoraConfig(
        r=recipe.rank,
        lora_alpha=recipe.alpha,
        lora_dropout=recipe.dropout,
        target_modules=targets,
        task_type="CAUSAL_LM",
        **upper,
    )
    return get_peft_model(base, config)


def target_loss(model: Any, batch: dict[str, Any], reduction: str = "mean") -> Any:
    """Cross-entropy on the target tokens, with logits computed only where a target follows.

    The prompt is most of each example, and the vocabulary projection of every position
    (49,152 × 576 for SmolLM2) is a fifth of a step's work and most of its memory; only the
    positions whose next token carries a label need it (``logits_to_keep``, the union over
    the batch, since rows of a length-bucketed batch end near each other)."""
    import torch

    labels = batch["labels"][:, 1:]
    keep = (labels != IGNORE).any(dim=0).nonzero().squeeze(1)
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    try:
        logits = model(**inputs, logits_to_keep=keep).logits
    except TypeError:  # a model class without logits_to_keep: project every position
        logits = model(**inputs).logits[:, :-1][:, keep]
    return torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]).float(),
        labels[:, keep].reshape(-1),
        ignore_index=IGNORE,
        reduction=reduction,
    )


#: The validation examples a KL evaluation reads. The KL is measured at every real
#: position, so 64 examples give about ten thousand distributions; all 276 of a 3,000-pair
#: run (teacher and student forward passes, three evaluations) cost at least 13 of its 30
#: minutes (docs/model.md, quantization-aware healing).
KL_EVAL_EXAMPLES = 64


def kl_eval_examples(examples: list[Example]) -> list[Example]:
    """At most ``KL_EVAL_EXAMPLES`` of ``examples``, spread evenly over them (the split
    keeps a sender's pairs together, so the first ones would be a few senders only)."""
    stride = max(1, math.ceil(len(examples) / KL_EVAL_EXAMPLES))
    return examples[::stride]


def _eval_loss(
    model: Any, examples: list[Example], pad_id: int, batch_size: int, teacher: Any = None
) -> float:
    import torch

    if teacher is not None:
        from plugin.tune.logit_distill import eval_kl

        return eval_kl(model, teacher, kl_eval_examples(examples), pad_id, batch_size)
    model.eval()
    total, tokens = 0.0, 0
    with torch.no_grad():
        for begin in range(0, len(examples), batch_size):
            batch = collate(examples[begin : begin + batch_size], pad_id)
            total += float(target_loss(model, batch, "sum"))
            tokens += int((batch["labels"][:, 1:] != IGNORE).sum())
    model.train()
    return total / max(tokens, 1)


def _trainable_state(model: Any) -> dict[str, Any]:
    return {k: v.detach().clone() for k, v in model.named_parameters() if v.requires_grad}


def _save_checkpoint(folder: Path, state: dict[str, Any]) -> None:
    import torch

    tmp = folder / (CHECKPOINT + ".tmp")
    with tmp.open("wb") as handle:
        torch.save(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / CHECKPOINT)


def train(
    base: Any,
    train_set: list[Example],
    valid_set: list[Example],
    recipe: Recipe,
    work: Path,
    *,
    pad_id: int,
    fingerprint: str,
    resume: bool,
    quiet: bool = False,
    teacher: Any = None,
) -> tuple[Any, Outcome]:
    """Train a LoRA adapter on ``base`` in ``work`` (or, with ``recipe.full_layers``, its
    decoder layers); returns the model (peft, or ``base`` itself) with the best weights
    loaded, and the outcome. With a ``teacher``, the loss is the KL to its next-token
    distributions (logit_distill.py) instead of the target cross-entropy.
    ``fingerprint`` (data + recipe + parent + teacher) must match to resume."""
    import torch
    from tqdm import tqdm

    from plugin.tune.logit_distill import kl_loss, train_decoder_layers

    if recipe.threads > 0:
        torch.set_num_threads(recipe.threads)
    torch.manual_seed(recipe.seed)
    model = train_decoder_layers(base) if recipe.full_layers else lora_model(base, recipe)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=recipe.learning_rate, weight_decay=0.0)
    per_epoch = math.ceil(len(train_set) / recipe.batch_size)
    total = max(1, math.ceil(per_epoch * recipe.epochs / recipe.accumulation))
    if recipe.max_steps:
        total = min(total, recipe.max_steps)
    warmup = max(1, round(recipe.warmup_share * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, total, warmup))
    step, spent, history = 0, 0.0, []
    best_loss, best_state, stale = float("inf"), _trainable_state(model), 0
    work.mkdir(parents=True, exist_ok=True)
    saved = work / CHECKPOINT
    if resume and saved.is_file():
        state = torch.load(saved, weights_only=False)
        if state["fingerprint"] != fingerprint:
            raise UsageError(
                "the checkpoint was made from other data, recipe or model",
                item=str(saved),
                hint="run without --resume to start over",
            )
        model.load_state_dict(state["adapter"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng"])
        step, spent, history = state["step"], state["spent"], state["history"]
        best_loss, best_state, stale = state["best_loss"], state["best"], state["stale"]

    schedule: list[list[int]] = []
    epoch = 0
    while len(schedule) < total * recipe.accumulation:
        schedule.extend(batch_order(train_set, recipe.batch_size, recipe.seed + epoch))
        epoch += 1
    bar = tqdm(
        total=total,
        initial=step,
        desc="tune",
        unit="step",
        file=sys.stderr,
        disable=quiet,
        dynamic_ncols=True,
    )
    started, seen, stopped, last_step = time.monotonic(), 0, "done", 0.0
    trained_tokens, training_s = 0, 0.0
    budget = recipe.max_minutes * 60
    try:
        while step < total:
            # Stop before a step that would end past the budget (a step of the real model
            # takes seconds on an idle machine, a minute on a loaded one).
            step_started = time.monotonic()
            if budget and spent + step_started - started + last_step >= budget:
                stopped = "time budget"
                break
            optimizer.zero_grad(set_to_none=True)
            loss_sum = 0.0
            for micro in schedule[step * recipe.accumulation : (step + 1) * recipe.accumulation]:
                batch = collate([train_set[i] for i in micro], pad_id)
                loss = (
                    kl_loss(model, teacher, batch)
                    if teacher is not None
                    else target_loss(model, batch)
                ) / recipe.accumulation
                loss.backward()
                loss_sum += float(loss.detach())
                seen += len(micro)
                trained_tokens += int(batch["attention_mask"].sum())
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            last_step = time.monotonic() - step_started
            training_s += last_step
            bar.update(1)
            bar.set_postfix(loss=f"{loss_sum:.3f}", best=f"{best_loss:.3f}")
            history.append({"step": step, "loss": round(loss_sum, 4)})
            if step % recipe.eval_every == 0 or step == total:
                eval_loss = _eval_loss(model, valid_set, pad_id, recipe.batch_size, teacher)
                history[-1]["eval_loss"] = round(eval_loss, 4)
                improved = eval_loss < best_loss - 1e-4
                if improved:
                    best_loss, best_state, stale = eval_loss, _trainable_state(model), 0
                else:
                    stale += 1
                _save_checkpoint(
                    work,
                    {
                        "fingerprint": fingerprint,
                        # Just improved: the same tensors as "best", which torch.save
                        # writes once (full layers: half a gigabyte less per evaluation).
                        "adapter": best_state if improved else _trainable_state(model),
                        "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(),
                        "rng": torch.get_rng_state(),
                        "step": step,
                        "history": history,
                        "spent": spent + time.monotonic() - started,
                        "best_loss": best_loss,
                        "best": best_state,
                        "stale": stale,
                    },
                )
                if stale >= recipe.patience:
                    stopped = "early stop"
                    break
    finally:
        bar.close()
    elapsed = time.monotonic() - started
    if best_loss == float("inf"):  # stopped before the first evaluation
        best_loss = _eval_loss(model, valid_set, pad_id, recipe.batch_size, teacher)
        best_state = _trainable_state(model)
    elif history and "eval_loss" not in history[-1]:
        # The budget stopped training between evaluations: judge the last steps too, or
        # up to eval_every - 1 steps of work are thrown away (31 of 191 in one run).
        eval_loss = _eval_loss(model, valid_set, pad_id, recipe.batch_size, teacher)
        history[-1]["eval_loss"] = round(eval_loss, 4)
        if eval_loss < best_loss - 1e-4:
            best_loss, best_state = eval_loss, _trainable_state(model)
    model.load_state_dict(best_state, strict=False)
    adapter_dir: Path | None = None  # full layers: the weights are the returned model's
    if not recipe.full_layers:
        adapter_dir = work / "adapter"
        model.save_pretrained(adapter_dir)
    return model, Outcome(
        adapter_dir,
        step,
        round(best_loss, 4),
        history,
        stopped,
        round(seen / max(elapsed, 1e-9), 2),
        round((spent + elapsed) / 60, 2),
        round(trained_tokens / max(training_s, 1e-9), 1),
    )
