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
