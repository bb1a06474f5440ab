"""Adapters on the upper layers only: the lower layers get no adapter and no gradient."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.tune.train import Recipe, lora_model, target_loss


def _adapted_layers(model: object) -> set[int]:
    return {
        int(name.split(".layers.")[1].split(".")[0])
        for name, param in model.named_parameters()  # type: ignore[attr-defined]
        if "lora_" in name and param.requires_grad
    }


@pytest.mark.parametrize(("share", "expected"), [(1.0, {0, 1, 2, 3}), (0.5, {2, 3}), (0.1, {3})])
def test_lora_top_share_adapts_only_the_top_layers(
    tiny_parent: Path, share: float, expected: set[int]
) -> None:
    from transformers import AutoModelForCausalLM

    from plugin.tune.output import parent_checkpoint

    base = AutoModelForCausalLM.from_pretrained(parent_checkpoint(tiny_parent))
    assert base.config.num_hidden_layers == 4
    model = lora_model(base, Recipe(lora_top_share=share))
    assert _adapted_layers(model) == expected


def test_the_backward_pass_stops_below_the_lowest_adapted_layer(tiny_parent: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    from plugin.tune.examples import IGNORE
    from plugin.tune.output import parent_checkpoint

    base = AutoModelForCausalLM.from_pretrained(parent_checkpoint(tiny_parent))
    model = lora_model(base, Recipe(lora_top_share=0.5, dropout=0.0))
    with torch.no_grad():  # a trained adapter: B is zero at initialisation
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.05)
    tracked: dict[int, bool] = {}

    def record(index: int):
        def hook(_module: object, _inputs: object, output: object) -> None:
            hidden = output[0] if isinstance(output, tuple) else output
            tracked[index] = bool(hidden.requires_grad)  # type: ignore[attr-defined]

        return hook

    for index, layer in enumerate(model.get_base_model().model.layers):
        layer.register_forward_hook(record(index))
    ids = torch.tensor([[5, 17, 42, 99, 3, 250, 7, 8]])
    labels = torch.full_like(ids, IGNORE)
    labels[0, -3:] = ids[0, -3:]
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}
    target_loss(model, batch).backward()
    # Autograd records nothing for layers 0 and 1: their outputs need no gradient.
    assert tracked == {0: False, 1: False, 2: True, 3: True}
    grads = [p.grad for name, p in model.named_parameters() if "lora_A" in name]
    assert len(grads) == 2 * 7 and all(g is not None and torch.any(g != 0) for g in grads)


def test_the_adapter_share_is_half_all_when_healing_a_prune_or_as_given() -> None:
    from connectors.errors import UsageError
    from plugin.commands.model_tune import adapter_share

    assert adapter_share(None, 0) == 0.5
    assert adapter_share(None, "auto") == adapter_share(None, 7) == 1.0
    assert adapter_share(0.25, 7) == 0.25
    for bad in (0.0, 1.5, -1.0):
        with pytest.raises(UsageError, match="--lora-top-share takes a share in"):
            adapter_share(bad, 0)
