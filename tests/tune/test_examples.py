"""Training examples: the task prompt around the start of the input, loss on the target."""

from __future__ import annotations

from pathlib import Path

from plugin.tune.data import Pair
from plugin.tune.examples import IGNORE, batch_order, encode


def test_a_long_mail_keeps_its_start_inside_the_whole_prompt(tiny_parent: Path) -> None:
    from transformers import AutoTokenizer

    from plugin.tune.output import parent_checkpoint

    tokenizer = AutoTokenizer.from_pretrained(parent_checkpoint(tiny_parent))
    body = "Ticket 4821\n" + "Please review the quarterly budget report. " * 80
    examples, skipped = encode(
        [Pair("subject", body, "4821 budget"), Pair("subject", "Short mail", "x " * 400)],
        tokenizer,
        200,
    )
    assert skipped == {"target longer than the context": 1}
    [example] = examples
    assert len(example.ids) <= 200
    prompt = tokenizer.decode(
        [i for i, lab in zip(example.ids, example.labels, strict=True) if lab == IGNORE]
    )
    assert prompt.startswith("<|im_start|>system\n")
    assert "Write the subject line of this e-mail.\n\nTicket 4821\nPlease review" in prompt
    assert prompt.endswith("<|im_end|>\n<|im_start|>assistant\n")
    target = [lab for lab in example.labels if lab != IGNORE]
    assert tokenizer.decode(target) == "4821 budget<|im_end|>"


def test_batches_group_similar_lengths_and_follow_the_seed() -> None:
    from plugin.tune.examples import Example

    examples = [Example([1] * n, [1] * n) for n in (5, 90, 6, 88, 7, 91, 4, 87)]
    batches = batch_order(examples, 4, seed=1)
    assert sorted(i for batch in batches for i in batch) == list(range(8))
    widths = sorted(sorted(len(examples[i].ids) for i in batch) for batch in batches)
    assert widths == [[4, 5, 6, 7], [87, 88, 90, 91]]
    assert batch_order(examples, 4, seed=1) == batches


def test_the_target_loss_equals_the_full_models_loss_on_target_tokens(tiny_parent: Path) -> None:
    """Projecting only the positions a target follows changes the work, not the loss."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune.examples import collate
    from plugin.tune.output import parent_checkpoint
    from plugin.tune.train import target_loss

    checkpoint = parent_checkpoint(tiny_parent)
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = AutoModelForCausalLM.from_pretrained(checkpoint).eval()
    pairs = [Pair("subject", "Budget review on Friday " * n, f"budget {n}") for n in (1, 3, 6)]
    examples, _ = encode(pairs, tokenizer, 200)
    batch = collate(examples, tokenizer.pad_token_id)
    assert len({len(e.ids) for e in examples}) == 3  # rows of different lengths, padded
    with torch.no_grad():
        full = model(**batch).loss
        mean = target_loss(model, batch)
        summed = target_loss(model, batch, "sum")
    targets = int((batch["labels"][:, 1:] != IGNORE).sum())
    assert torch.allclose(mean, full, atol=1e-5)
    assert torch.allclose(summed / targets, full, atol=1e-5)
