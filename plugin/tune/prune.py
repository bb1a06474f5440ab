"""Remove the decoder layers that matter least (``--prune-layers``, ``--prune-by``).

Two measures choose the layers:

* ``loss`` (``auto``, the default): greedily remove the layer whose removal raises the
  mean target-token loss on held-out (prompt, target) pairs least, re-scoring the rest
  after each removal (``losses.py``). It asks the question pruning cares about (how
  much worse do the answers get) and sees what removals do together, which a per-layer
  measure cannot (figures: docs/tuning.md).
* ``angle``: a layer's importance is the angular distance between its input and output
  hidden states, ``arccos(cos(h_in, h_out)) / π``, averaged over the real tokens of
  calibration mails (Men et al. 2024, "ShortGPT": *block influence*; Gromov et al. 2024
  use the same angle). A layer whose output points where its input did mostly passes
  the residual stream through, and removing it changes the hidden states least.

The pruned model is then healed with LoRA by the same training as a tune (optionally on
a teacher's answers: ``distill.py``), and built by the same build (the fused attention
still applies: the remaining layers keep their shapes, only their count changes).

``--prune-layers auto`` removes a quarter of the layers (the bench's target is at least
20 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from connectors.errors import UsageError

if TYPE_CHECKING:
    from plugin.tune.examples import Example

AUTO_SHARE = 0.25
#: How ``--prune-by`` names the measures; ``auto`` is ``loss``.
MEASURES = ("auto", "loss", "angle")
#: Held-out pairs the loss measure scores on: enough for a stable mean over a few
#: hundred target tokens, few enough that the greedy search stays minutes on a CPU.
SCORED_PAIRS = 64


def layer_distances(
    model: Any, tokenizer: Any, texts: Sequence[str], max_tokens: int
) -> list[float]:
    """Mean angular distance (0..1) between each decoder layer's input and output."""
    import torch

    layers = model.model.layers
    sums = [0.0] * len(layers)
    count = 0
    captured: dict[int, tuple[Any, Any]] = {}

    def hook(index: int) -> Any:
        def record(_module: Any, args: Any, kwargs: Any, output: Any) -> None:
            hidden_in = args[0] if args else kwargs["hidden_states"]
            hidden_out = output[0] if isinstance(output, tuple) else output
            captured[index] = (hidden_in.detach(), hidden_out.detach())

        return record

    handles = [
        layer.register_forward_hook(hook(i), with_kwargs=True) for i, layer in enumerate(layers)
    ]
    model.eval()
    try:
        with torch.no_grad():
            for text in texts:
                ids = tokenizer(
                    text,
                    add_special_tokens=True,
                    truncation=True,
                    max_length=max_tokens,
                    return_tensors="pt",
                )
                model(**ids)
                for index, (hidden_in, hidden_out) in captured.items():
                    cos = torch.nn.functional.cosine_similarity(
                        hidden_in[0].float(), hidden_out[0].float(), dim=-1
                    )
                    angle = torch.arccos(cos.clamp(-1.0, 1.0)) / torch.pi
                    sums[index] += float(angle.mean())
                count += 1
    finally:
        for handle in handles:
            handle.remove()
    return [round(s / max(count, 1), 5) for s in sums]


def prune_layers(
    model: Any,
    tokenizer: Any,
    texts: Sequence[str],
    how: int | str | Sequence[int],
    max_tokens: int,
    *,
    by: str = "auto",
    scored: Sequence[Example] = (),
    pad_id: int = 0,
) -> dict[str, Any]:
    """Drop layers in place; returns what was removed, by which measure, and the figures.

    ``texts`` calibrate the angular distances (always measured, for the record);
    ``scored`` are the encoded held-out pairs the loss measure scores on."""
    layers = model.model.layers
    total = len(layers)
    if isinstance(how, (tuple, list)):
        return _remove(model, sorted(set(how)), "given", [], [])
    count = max(1, round(AUTO_SHARE * total)) if how == "auto" else int(how)
    if not 0 < count < total:
        raise UsageError(
            f"cannot remove {count} of {total} layers",
            hint=f"--prune-layers takes 1 to {total - 1}, or auto",
        )
    if not texts:
        raise UsageError("pruning needs calibration text and the training data has none")
    if by not in MEASURES:
        raise UsageError(f"--prune-by takes {', '.join(MEASURES)}, not {by!r}")
    measure = "loss" if by == "auto" else by
    if measure == "loss" and not scored:
        raise UsageError("pruning by loss needs held-out pairs and the data left none")
    distances = layer_distances(model, tokenizer, texts, max_tokens)
    trace: list[dict[str, Any]] = []
    if measure == "loss":
        from plugin.tune.losses import greedy_by_loss

        # After round 1 only the 2 x count layers cheapest alone stay candidates: on
        # the real model that cuts the search by about a third (docs/tuning.md).
        candidates, trace = greedy_by_loss(model, scored, count, pad_id, pool=2 * count)
    else:
        # The last layer is never removed: it feeds the final norm and the head directly.
        candidates = sorted(range(total - 1), key=lambda i: distances[i])[:count]
    return _remove(model, sorted(candidates), measure, distances, trace)


def _remove(
    model: Any,
    removed: list[int],
    measure: str,
    distances: list[float],
    trace: list[dict[str, Any]],
) -> dict[str, Any]:
    import torch

    layers = model.model.layers
    total = len(layers)
    if not removed or removed[0] < 0 or removed[-1] >= total - 1 or len(removed) >= total:
        raise UsageError(
            f"cannot remove layers {removed} of {total}",
            hint=f"name layers 0 to {total - 2} (the last one stays), at least one kept",
        )
    keep = [i for i in range(total) if i not in set(removed)]
    model.model.layers = torch.nn.ModuleList([layers[i] for i in keep])
    for new_index, layer in enumerate(model.model.layers):
        if hasattr(layer, "self_attn"):
            layer.self_attn.layer_idx = new_index  # the KV cache is indexed by position
    model.config.num_hidden_layers = len(keep)
    if isinstance(getattr(model.config, "layer_types", None), list):
        model.config.layer_types = [model.config.layer_types[i] for i in keep]
    return {
        "removed": removed,
        "layers_before": total,
        "layers_after": len(keep),
        "by": measure,
        "distances": distances,
        "loss_trace": trace,
    }
