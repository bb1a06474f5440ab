"""Layer choice by loss (``--prune-by loss``): which layers the answers miss least.

Greedy: score the mean target-token loss of the model without each remaining candidate
layer on held-out (prompt, target) pairs, remove the cheapest, repeat with the rest
(Kim et al. 2024, "Shortened LLaMA", use the same criterion, as perplexity).

Most of the work is saved by the residual stream: removing layer ``i`` leaves everything
below it unchanged, so each round first runs the current model once, keeping every
layer's input (and call arguments), and then scores a candidate by running only the
layers above it. Averaged over candidates that is half a forward pass each.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from plugin.tune.examples import IGNORE, Example, collate

#: Examples per forward pass while scoring (no gradients, so memory is small).
BATCH = 8


def _capture(model: Any, batch: dict[str, Any]) -> tuple[list[Any], list[dict[str, Any]]]:
    """Each decoder layer's input hidden states and keyword arguments for one batch."""
    import torch

    inputs: list[Any] = []
    calls: list[dict[str, Any]] = []

    def record(_module: Any, args: Any, kwargs: Any) -> None:
        inputs.append(args[0] if args else kwargs["hidden_states"])
        calls.append({k: v for k, v in kwargs.items() if k != "hidden_states"})

    handles = [
        layer.register_forward_pre_hook(record, with_kwargs=True) for layer in model.model.layers
    ]
    try:
        with torch.no_grad():
            model.model(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                use_cache=False,
            )
    finally:
        for handle in handles:
            handle.remove()
    return inputs, calls


def _loss_from(
    model: Any,
    hidden: Any,
    layers: Sequence[Any],
    calls: Sequence[dict[str, Any]],
    batch: dict[str, Any],
) -> tuple[float, int]:
    """Summed target loss (and target count) running ``layers`` on ``hidden``."""
    import torch

    with torch.no_grad():
        for layer, call in zip(layers, calls, strict=True):
            out = layer(hidden, **call)
            hidden = out[0] if isinstance(out, tuple) else out
        labels = batch["labels"][:, 1:]
        keep = (labels != IGNORE).any(dim=0).nonzero().squeeze(1)
        logits = model.lm_head(model.model.norm(hidden[:, :-1][:, keep]))
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]).float(),
            labels[:, keep].reshape(-1),
            ignore_index=IGNORE,
            reduction="sum",
        )
    return float(loss), int((labels != IGNORE).sum())


def subset_loss(model: Any, examples: Sequence[Example], keep: Sequence[int], pad_id: int) -> float:
    """Mean target loss of the model restricted to the layers ``keep`` (indices)."""
    import torch

    from plugin.tune.train import target_loss

    layers = model.model.layers
    total, tokens = 0.0, 0
    model.model.layers = type(layers)([layers[i] for i in keep])
    try:
        with torch.no_grad():
            for begin in range(0, len(examples), BATCH):
                batch = collate(examples[begin : begin + BATCH], pad_id)
                total += float(target_loss(model, batch, "sum"))
                tokens += int((batch["labels"][:, 1:] != IGNORE).sum())
    finally:
        model.model.layers = layers
    return total / max(tokens, 1)


def greedy_by_loss(
    model: Any,
    examples: Sequence[Example],
    count: int,
    pad_id: int,
    *,
    pool: int = 0,
    quiet: bool = False,
) -> tuple[list[int], list[dict[str, Any]]]:
    """The ``count`` layers to remove (never the last), chosen greedily by target loss;
    and the trace: after each removal, the layer and the loss without it.

    ``pool`` (0: every layer) keeps only that many candidates after the first round, the
    ones whose removal alone cost least: a layer that is expensive alone rarely becomes
    cheap later, and later rounds then cost a fraction of the first."""
    from tqdm import tqdm

    model.eval()
    total = len(model.model.layers)
    keep = list(range(total))
    removed: list[int] = []
    trace: list[dict[str, Any]] = []
    batches = [collate(examples[b : b + BATCH], pad_id) for b in range(0, len(examples), BATCH)]
    candidates = set(range(total - 1))
    pool = max(pool, count) if pool else 0
    width = min(pool, total - 1) if pool else total - 1
    rounds = total - 1 + sum(max(width - r, 1) for r in range(1, count))
    bar = tqdm(total=rounds, desc="prune by loss", unit="layer", file=sys.stderr, disable=quiet)
    try:
        for _ in range(count):
            sums: dict[int, float] = {i: 0.0 for i in keep[:-1] if i in candidates}
            tokens = 0
            for batch in batches:
                # The current (already pruned) model's layer inputs: below a candidate,
                # nothing changes when it goes.
                layers = model.model.layers
                model.model.layers = type(layers)([layers[i] for i in keep])
                try:
                    inputs, calls = _capture(model, batch)
                finally:
                    model.model.layers = layers
                for position, index in enumerate(keep[:-1]):
                    if index not in sums:
                        continue
                    above = keep[position + 1 :]
                    loss, n = _loss_from(
                        model,
                        inputs[position],
                        [layers[i] for i in above],
                        calls[position + 1 :],
                        batch,
                    )
                    sums[index] += loss
                tokens += n
            if not trace and pool:
                candidates = set(sorted(sums, key=lambda i: sums[i])[:pool])
            best = min(sums, key=lambda i: sums[i])
            keep.remove(best)
            candidates.discard(best)
            removed.append(best)
            trace.append({"removed": best, "loss": round(sums[best] / max(tokens, 1), 4)})
            bar.update(len(sums))
    finally:
        bar.close()
    return sorted(removed), trace
