"""Token-level distillation (``model tune --distill-from MODEL --distill-kind logits``).

Sequence-level distillation (``distill.py``) hands the student one greedy line per mail.
Here the student learns the teacher's whole next-token distribution at every real
position of every example, prompt and target (Hinton et al. 2015; Sanh et al. 2019 for
a cut-down student): tens of thousands of soft labels per example instead of a handful
of hard ones. A pruned copy of the tuned model healed this way ended 5.9 ROUGE-1 below the
tuned model; the best sequence-level heal, in an earlier run, ended 8.7 below
(docs/tuning.md, third and fifth pruning runs).

The loss is the mean KL(teacher ‖ student) over every real position plus the mean over
the target positions, so the answer, a few tokens among hundreds of prompt tokens, keeps
its weight. The teacher runs in PyTorch from its fp32 checkpoint, without gradients.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connectors.errors import ConfigError, UsageError
from plugin.tune.examples import IGNORE, Example, collate

KINDS = ("answers", "logits")


def load_teacher(folder: Path, student_tokenizer: Any) -> Any:
    """The teacher model of ``folder`` (a built model) in fp32, frozen; it must share the
    student's vocabulary, or its distributions mean nothing to the student."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune.output import parent_checkpoint

    try:
        checkpoint = parent_checkpoint(folder)
        vocabulary = AutoTokenizer.from_pretrained(checkpoint).get_vocab()
        teacher = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32)
    except (OSError, ValueError, ConfigError) as exc:
        # ConfigError names the folder already; keep one item in the message.
        reason = exc.message if isinstance(exc, ConfigError) else exc
        raise UsageError(f"cannot load the teacher model: {reason}", item=str(folder)) from None
    if vocabulary != student_tokenizer.get_vocab():
        raise UsageError(
            "the teacher's vocabulary differs from the model being tuned",
            item=str(folder),
            hint="token-level distillation needs a teacher of the same tokenizer; "
            "use --distill-kind answers",
        )
    for parameter in teacher.parameters():
        parameter.requires_grad_(False)
    return teacher.eval()


def train_decoder_layers(model: Any) -> Any:
    """Make only the decoder layers and the final norm trainable (full weights, no
    adapters). The embedding stays frozen: in SmolLM2 it is tied to the output head, and
    moving it would move what every kept layer reads and writes."""
    for name, parameter in model.named_parameters():
        parameter.requires_grad_(".layers." in f".{name}" or name.endswith("model.norm.weight"))
    if not any(p.requires_grad for p in model.parameters()):
        raise UsageError("the model has no decoder layers to train (model.layers)")
    return model


def kl_sums(student: Any, teacher: Any, batch: dict[str, Any]) -> tuple[Any, int, Any, int]:
    """Summed KL(teacher ‖ student) over the real positions and over the target positions
    of ``batch``, with their counts."""
    import torch

    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    with torch.no_grad():
        wanted = teacher(**inputs).logits[:, :-1].float()
    got = student(**inputs).logits[:, :-1].float()
    real = batch["attention_mask"][:, 1:].bool()
    wanted_logp = torch.log_softmax(wanted[real], dim=-1)
    got_logp = torch.log_softmax(got[real], dim=-1)
    kl = (wanted_logp.exp() * (wanted_logp - got_logp)).sum(dim=-1)
    target = (batch["labels"][:, 1:] != IGNORE)[real]
    return kl.sum(), int(kl.numel()), kl[target].sum(), int(target.sum())


def kl_loss(student: Any, teacher: Any, batch: dict[str, Any]) -> Any:
    """The training loss: mean KL over real positions plus mean KL over target positions."""
    every, count, on_target, targets = kl_sums(student, teacher, batch)
    return every / max(count, 1) + on_target / max(targets, 1)


def eval_kl(
    student: Any, teacher: Any, examples: list[Example], pad_id: int, batch_size: int
) -> float:
    """The validation loss of the same form, over all of ``examples``."""
    import torch

    student.eval()
    every, count, on_target, targets = 0.0, 0, 0.0, 0
    with torch.no_grad():
        for begin in range(0, len(examples), batch_size):
            sums = kl_sums(student, teacher, collate(examples[begin : begin + batch_size], pad_id))
            every, count = every + float(sums[0]), count + sums[1]
            on_target, targets = on_target + float(sums[2]), targets + sums[3]
    student.train()
    return every / max(count, 1) + on_target / max(targets, 1)
