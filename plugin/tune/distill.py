"""Sequence-level distillation targets (``model tune --distill-from MODEL``).

A pruned model healed on the senders' own subject lines learns from noisy, often
unpredictable human targets (AESLC senders write "Re:", "FYI", a deal number...). Healed
on the *teacher's* greedy answers for the same mails (Kim & Rush 2016, sequence-level
knowledge distillation), it only has to relearn a function the full model already
computes, which a model missing a few layers can approximate far better. The teacher
is a built model folder; its served variant (int8 for a tuned model) generates, through
the very prompt of the task (``gate.answers``), so the targets are what the teacher
would draft.

``mix`` keeps that share of the pairs with their original (human) targets, chosen by
seed, so the healed model still sees the users' wording. A pair whose teacher answer is
empty keeps its original target (counted).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from connectors.errors import UsageError
from plugin.tune.data import Pair


def teacher_pairs(
    teacher: Path,
    pairs: Sequence[Pair],
    *,
    mix: float = 0.0,
    seed: int = 0,
    threads: int = 0,
    quiet: bool = False,
) -> tuple[list[Pair], Counter[str]]:
    """``pairs`` with their targets replaced by ``teacher``'s greedy answers (except a
    ``mix`` share); returns the pairs and counts of what was kept and replaced."""
    from plugin.engine.runtime import Engine
    from plugin.tune.gate import answers

    if not 0.0 <= mix < 1.0:
        raise UsageError(f"the human share of distillation targets must be in [0, 1), not {mix}")
    try:
        engine = Engine(teacher, threads=threads)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot load the teacher model: {exc}", item=str(teacher)) from None
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    human = set(order[: round(mix * len(pairs))])
    asked = [i for i in range(len(pairs)) if i not in human]
    counts: Counter[str] = Counter(human=len(human))
    out = list(pairs)
    taught = answers(engine, [pairs[i] for i in asked], label=None if quiet else "teacher")
    for i, text in zip(asked, taught, strict=True):
        if text:
            # The human line stays a reference: scoring still sees it.
            out[i] = replace(
                pairs[i], target=text, references=(pairs[i].target, *pairs[i].references)
            )
            counts["teacher"] += 1
        else:
            counts["teacher empty, human kept"] += 1
    return out, counts
