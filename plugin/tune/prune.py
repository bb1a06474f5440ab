"""Remove the decoder layers that change the hidden states least (``--prune-layers``).

A layer's importance is the angular distance between its input and output hidden states,
``arccos(cos(h_in, h_out)) / π``, averaged over the real tokens of calibration mails (Men
et al. 2024, "ShortGPT": *block influence*; Gromov et al. 2024 use the same angle). A
layer whose output points where its input did mostly passes the residual stream through,
and removing it changes the model least. The pruned model is then healed with LoRA by the
same training as a tune, and built by the same build (the fused attention still applies:
the remaining layers keep their shapes, only their count changes).

``auto`` removes a quarter of the layers (the bench's target is at least 20 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from connectors.errors import UsageError

AUTO_SHARE = 0.25


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
    model: Any, tokenizer: Any, texts: Sequence[str], how: int | str, max_tokens: int
) -> dict[str, Any]:
    """Drop layers in place; returns what was removed and the measured distances."""
    layers = model.model.layers
    total = len(layers)
    count = max(1, round(AUTO_SHARE * total)) if how == "auto" else int(how)
    if not 0 < count < total:
        raise UsageError(
            f"cannot remove {count} of {total} layers",
            hint=f"--prune-layers takes 1 to {total - 1}, or auto",
        )
    if not texts:
        raise UsageError("pruning needs calibration text and the training data has none")
    distances = layer_distances(model, tokenizer, texts, max_tokens)
    # The last layer is never removed: it feeds the final norm and the head directly.
    candidates = sorted(range(total - 1), key=lambda i: distances[i])[:count]
    keep = [i for i in range(total) if i not in set(candidates)]
    import torch

    model.model.layers = torch.nn.ModuleList([layers[i] for i in keep])
    for new_index, layer in enumerate(model.model.layers):
        if hasattr(layer, "self_attn"):
            layer.self_attn.layer_idx = new_index  # the KV cache is indexed by position
    model.config.num_hidden_layers = len(keep)
    if isinstance(getattr(model.config, "layer_types", None), list):
        model.config.layer_types = [model.config.layer_types[i] for i in keep]
    return {
        "removed": sorted(candidates),
        "layers_before": total,
        "layers_after": len(keep),
        "distances": distances,
    }
