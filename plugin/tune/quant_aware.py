"""Quantization-aware healing (``model tune --quant-aware int4``).

Round-to-nearest 4-bit weights cost the default model 8.9 ROUGE-1 points, while the same
variant decodes 1.2 to 1.4 times as fast as int8 (docs/model.md, two measurements). Here
the model being tuned sees each of its 4-bit MatMul weights exactly as the built variant
will hold them (ONNX Runtime's symmetric block round-to-nearest) and learns, by token-level
distillation from the unquantized model (``logit_distill``), to work through that
rounding. The gradient passes the rounding unchanged (the straight-through estimator, Bengio et al.
2013), so the latent fp32 weights move and the variant built from them is the healed one.

Only the 4-bit MatMuls are simulated: the variant's sensitive ones (``down_proj`` and the
head) stay at 8 bits, whose rounding error is an order of magnitude smaller.
"""

from __future__ import annotations

import types
from typing import Any

from connectors.errors import UsageError
from plugin.engine.variants import VARIANTS, Variant

#: The variants whose rounding is simulated exactly: symmetric round-to-nearest, with the
#: sensitive MatMuls named by module ("down_proj"), not by graph node.
SUPPORTED = ("int4",)
#: The marker of a wrapped module (its own ``forward`` shadows the class's). Not
#: ``torch.nn.utils.parametrize``: it renames each weight to
#: ``parametrizations.weight.original``, and the training's checkpoint and best state are
#: loaded by name with ``strict=False``, which would skip renamed keys without a word.
_WRAPPED = "_deskdraft_fake_quant"


def variant_for(name: str) -> Variant:
    if name not in SUPPORTED:
        raise UsageError(
            f"--quant-aware takes {' or '.join(SUPPORTED)}, not {name!r}",
            hint="the other 4-bit recipes round in ways this simulation does not copy",
        )
    return VARIANTS[name]


def round_to_nearest(weight: Any, bits: int, block_size: int) -> Any:
    """``weight`` ([out, in]) as ONNX Runtime's symmetric block quantizer stores it,
    dequantized: per block of ``block_size`` inputs, scale = the block's value of largest
    magnitude / -2^(bits-1), q = clamp(round(w / scale), -2^(bits-1), 2^(bits-1) - 1)."""
    import torch

    rows, columns = weight.shape
    low = -(2 ** (bits - 1))
    blocks = weight.reshape(rows, columns // block_size, block_size)
    largest = torch.gather(blocks, -1, blocks.abs().argmax(dim=-1, keepdim=True))
    scale = largest / low
    safe = torch.where(scale == 0, torch.ones_like(scale), scale)
    quantized = torch.clamp(torch.round(blocks / safe), low, -low - 1)
    return (quantized * scale).reshape(rows, columns)


def _fake_quant_forward(self: Any, inputs: Any) -> Any:
    import torch

    weight = self.weight
    rounded = round_to_nearest(weight, *getattr(self, _WRAPPED))
    # The straight-through estimator: the forward pass sees the rounded weight, the
    # gradient reaches the latent weight as if there were no rounding.
    seen = weight + (rounded - weight).detach()
    return torch.nn.functional.linear(inputs, seen, self.bias)


def simulated_modules(model: Any, variant: Variant) -> list[str]:
    """The names of ``model``'s decoder Linear layers the variant stores at ``bits``."""
    import torch

    return [
        name
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
        and ".layers." in f".{name}"
        and not any(part in name for part in variant.sensitive)
        and module.in_features % variant.block_size == 0
    ]


def fake_quantize(model: Any, variant: Variant) -> int:
    """Make each of ``model``'s 4-bit MatMuls compute through its rounded weight;
    returns how many. ``remove_fake_quant`` undoes it before the model is saved."""
    modules = dict(model.named_modules())
    names = simulated_modules(model, variant)
    if not names:
        raise UsageError("the model has no decoder MatMuls to quantize (model.layers)")
    for name in names:
        module = modules[name]
        setattr(module, _WRAPPED, (variant.bits, variant.block_size))
        module.forward = types.MethodType(_fake_quant_forward, module)
    return len(names)


def remove_fake_quant(model: Any) -> int:
    """Back to plain Linear layers (the latent weights stay); returns how many."""
    undone = 0
    for module in model.modules():
        if hasattr(module, _WRAPPED):
            del module.forward
            delattr(module, _WRAPPED)
            undone += 1
    return undone


__all__ = [
    "SUPPORTED",
    "fake_quantize",
    "remove_fake_quant",
    "round_to_nearest",
    "simulated_modules",
    "variant_for",
]
