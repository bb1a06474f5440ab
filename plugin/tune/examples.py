"""Pairs → token ids with the loss on the target only, and length-bucketed batches.

The prompt is ``plugin.drafts.text.prompts.task_prompt`` around the checkpoint's own chat
template (``runtime.render_chat``), i.e. byte for byte what the draft kind sends the
tuned model at inference; the target is followed by the end-of-turn token, so the model
learns to stop.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from connectors.errors import UsageError
from plugin.drafts.text.prompts import task_input, task_prompt
from plugin.engine.runtime import render_chat
from plugin.tune.data import Pair

IGNORE = -100
#: Batches are sorted by length inside windows of this many batches, then shuffled.
BUCKET_WINDOW = 50


@dataclass(frozen=True, slots=True)
class Example:
    ids: list[int]
    labels: list[int]


def target_ids(tokenizer: Any, target: str) -> list[int]:
    """The target's tokens and the end-of-turn token, as trained on."""
    eos = tokenizer.convert_tokens_to_ids(tokenizer.eos_token)
    return tokenizer(target.strip(), add_special_tokens=False)["input_ids"] + [eos]


def target_fits(tokenizer: Any, max_tokens: int) -> Callable[[str], bool]:
    """Whether a target is short enough to train on: at most half of ``max_tokens``
    (``encode`` skips the others), so a loader can count them as it reads."""
    return lambda target: len(target_ids(tokenizer, target)) <= max_tokens // 2


def encode(
    pairs: Sequence[Pair], tokenizer: Any, max_tokens: int
) -> tuple[list[Example], Counter[str]]:
    """Token ids and labels; a pair whose target alone exceeds half of ``max_tokens`` is
    skipped (counted). A prompt too long for ``max_tokens`` keeps the *start* of the input
    text inside the complete template: the same beginning of the mail the model sees at
    inference (``task_input`` clips the end there too), never a prompt without its
    instruction or its assistant turn."""
    chat = partial(render_chat, getattr(tokenizer, "chat_template", None))
    examples: list[Example] = []
    skipped: Counter[str] = Counter()

    def prompt_ids(task: str, text: str) -> list[int]:
        return tokenizer(task_prompt(chat, task, text), add_special_tokens=True)["input_ids"]

    for pair in pairs:
        target = target_ids(tokenizer, pair.target)
        if len(target) > max_tokens // 2:
            skipped["target longer than the context"] += 1
            continue
        budget = max_tokens - len(target)
        text = task_input(pair.input)
        prompt = prompt_ids(pair.task, text)
        while len(prompt) > budget and text:
            # Characters per token vary; shrink in proportion, a little more each round.
            keep = int(len(text) * budget / len(prompt)) - 8
            text = text[: max(keep, 0)].rstrip()
            prompt = prompt_ids(pair.task, text)
        if len(prompt) > budget:
            skipped["prompt longer than the context"] += 1
            continue
        examples.append(Example(prompt + target, [IGNORE] * len(prompt) + target))
    return examples, skipped


def require_examples(examples: list[Example], skipped: Counter[str], max_tokens: int) -> None:
    if not examples:
        if skipped.get("target longer than the context"):
            raise UsageError(
                f"every target is longer than the context ({max_tokens // 2} tokens allowed "
                f"of --max-tokens {max_tokens})",
                hint="shorten the targets or raise --max-tokens",
            )
        raise UsageError("no training examples", hint="give more data")


def batch_order(examples: Sequence[Example], batch_size: int, seed: int) -> list[list[int]]:
    """One epoch's batches: similar lengths together (little padding), order from ``seed``."""
    rng = random.Random(seed)
    order = list(range(len(examples)))
    rng.shuffle(order)
    window = batch_size * BUCKET_WINDOW
    batches: list[list[int]] = []
    for begin in range(0, len(order), window):
        chunk = sorted(order[begin : begin + window], key=lambda i: len(examples[i].ids))
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def collate(examples: Sequence[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors; pad positions are masked and carry no loss."""
    import torch

    width = max(len(e.ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, example in enumerate(examples):
        n = len(example.ids)
        ids[row, :n] = torch.tensor(example.ids)
        labels[row, :n] = torch.tensor(example.labels)
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
