"""What the logit-distillation and quantization-aware tests share to compare a model's
logits with its teacher's: a built model folder's checkpoint loaded as an fp32 torch model
in eval mode with its tokenizer, and a collated batch of topic pairs to measure KL on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tune.conftest import topic_pairs


def model_and_tokenizer(folder: Path) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune.output import parent_checkpoint

    checkpoint = parent_checkpoint(folder)
    model = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32)
    return model.eval(), AutoTokenizer.from_pretrained(checkpoint)


def topic_batch(tokenizer: Any, count: int = 8, seed: int = 11) -> dict[str, Any]:
    from plugin.tune.examples import collate, encode

    examples, _ = encode(topic_pairs(count, seed=seed), tokenizer, 256)
    return collate(examples, 0)
