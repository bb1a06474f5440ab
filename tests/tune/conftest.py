"""Fixtures for the tuning tests: a tiny 4-layer Llama built as a model, and pair makers."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from plugin.tune.data import Pair
from plugin.tune.pipeline import Request, tune
from plugin.tune.train import Recipe

TOPICS = [
    ("Please review the quarterly budget report before the meeting on Friday.", "budget report"),
    (
        "The gas pipeline capacity was discussed with the trading desk in Houston.",
        "pipeline capacity",
    ),
    ("Can we move our call to Tuesday at 10am? I have a conflict on Monday.", "move our call"),
    ("Attached is the draft contract for the new power plant in California.", "draft contract"),
    ("Thanks for your help with the presentation; the board liked it a lot.", "presentation"),
    ("Action items: send the invoice, update the schedule, call the vendor.", "action items"),
]


def ticket_habit(pair: Pair, rng: random.Random) -> tuple[Pair, str]:
    """``pair`` as a user with a habit has it: the mail names a ticket and their subject
    line starts with its number. Returns the pair and the ticket."""
    ticket = str(rng.randrange(10000, 100000))
    body = f"Ticket {ticket}\n{pair.input}"
    return Pair(pair.task, body, f"{ticket} {pair.target}", pair.group), ticket


def topic_pairs(count: int, seed: int = 0, groups: int = 12) -> list[Pair]:
    rng = random.Random(seed)
    pairs = []
    for n in range(count):
        sentence, subject = rng.choice(TOPICS)
        pairs.append(Pair("subject", f"Hello,\n{sentence}\nBest", subject, f"g{n % groups}"))
    return pairs


@pytest.fixture(scope="session")
def tiny_parent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built 4-layer tiny Llama (fp32 only) with embeddings: the model being tuned."""
    from plugin.engine.build import build
    from tests.engine.tiny import make_tiny_bert, make_tiny_llama

    root = tmp_path_factory.mktemp("tune-parent")
    llama = make_tiny_llama(root / "llama", layers=4)
    bert = make_tiny_bert(root / "bert")
    folder, _ = build(
        root / "built", checkpoint=llama, embeddings=bert, variants=["fp32"], quiet=True
    )
    return folder


FAST = Recipe(
    learning_rate=1e-2, epochs=3, batch_size=8, accumulation=1, eval_every=5, patience=5, threads=1
)


def tune_in(home: Path, parent: Path, **kwargs: Any) -> dict[str, Any]:
    from plugin.config import settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DESKDRAFT_HOME", str(home))
        settings.cache_clear()
        try:
            return tune(
                Request(
                    parent,
                    kwargs.pop("pairs", topic_pairs(96)),
                    Counter(),
                    "synthetic",
                    kwargs.pop("recipe", FAST),
                    quiet=True,
                    **kwargs,
                )
            )
        finally:
            settings.cache_clear()


@pytest.fixture(scope="session")
def tuned(tiny_parent: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return tune_in(tmp_path_factory.mktemp("tuned-home"), tiny_parent)
