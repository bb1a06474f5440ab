"""Feedback records for the ownership and re-training tests: edited one-line summaries."""

from __future__ import annotations

from plugin.jobs.store import JobStore
from tests.tune.conftest import topic_pairs

#: ``deskdraft model tune`` flags of the ``FAST`` recipe (a tiny model learns in seconds).
FAST_FLAGS = [
    "--learning-rate", "1e-2", "--epochs", "3", "--batch-size", "8", "--accumulation", "1",
    "--eval-every", "5", "--patience", "5", "--threads", "1", "--quiet",
]  # fmt: skip


def add_feedback(store: JobStore, owner: str | None, count: int, seed: int = 0) -> list[str]:
    """``count`` summarize jobs of ``owner`` whose one-line draft the user rewrote."""
    ids = []
    for n, pair in enumerate(topic_pairs(count, seed=seed)):
        text = f"{pair.input}\nRef {seed}-{n}"  # every mail its own
        # A named source, as a real job has: the held-out split groups by it, and job ids
        # are random, so without it which pairs are held out changed from run to run.
        source = f"feedback-{seed}-{n}.eml"
        job = store.create(
            "summarize", {"text": text, "source": source}, {"style": "oneline"}, 0,
            result={"kind": "summarize", "text": "a draft"}, owner=owner,
        )  # fmt: skip
        store.add_feedback(job.id, 1, pair.target, None, 0, owner=owner)
        ids.append(job.id)
    return ids
