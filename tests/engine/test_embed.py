"""Sentence embeddings: batches of similar length, and vectors that do not depend on them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from plugin.engine import embed
from plugin.engine.embed import BATCH, MIN_BUCKET_TOKENS, length_batches
from plugin.engine.evaluate import load_aeslc
from plugin.engine.runtime import Engine


def test_length_batches_cover_every_row_once_shortest_first() -> None:
    lengths = [40, 3, 12, 200, 11, 9, 41, 52, 256, 10]
    batches = length_batches(lengths, ratio=1.3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    firsts = [lengths[b[0]] for b in batches]
    assert firsts == sorted(firsts)
    for batch in batches:
        shortest = lengths[batch[0]]
        assert all(lengths[i] <= 1.3 * max(shortest, MIN_BUCKET_TOKENS) for i in batch)
    # Short rows share one batch (the floor), long ones are kept apart from them.
    assert sorted(lengths[i] for i in batches[0]) == [3, 9, 10]
    batch_of = {i: n for n, batch in enumerate(batches) for i in batch}
    assert batch_of[0] != batch_of[3]  # 40 tokens are not padded to 200


def test_length_batches_hold_at_most_a_batch_of_rows() -> None:
    batches = length_batches([5] * (2 * BATCH + 1))
    assert [len(b) for b in batches] == [BATCH, BATCH, 1]
    assert length_batches([]) == []


@pytest.mark.integration
def test_vectors_do_not_depend_on_the_batch_they_ran_in(
    real_engine: Engine, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mail's sentences of all lengths, with whole bodies cut at the token limit: each
    vector equals the text's vector alone, so ranking is the same however texts are
    grouped (several mails at once in a digest, one in the pane)."""
    from plugin.drafts.text.sentences import split_sentences

    mails = load_aeslc(shared_dir / "data" / "aeslc-dev", 6)
    texts = [s.text for m in mails for s in split_sentences(m.body)][:40]
    texts += [m.body for m in mails[:3]]
    together = real_engine.embed(texts)
    alone = np.concatenate([real_engine.embed([t]) for t in texts])
    assert together.shape == (len(texts), 384)
    np.testing.assert_allclose(together, alone, rtol=0, atol=1e-6)
    shuffled = list(reversed(texts))
    np.testing.assert_allclose(real_engine.embed(shuffled), together[::-1], rtol=0, atol=1e-6)
    monkeypatch.setattr(embed, "TOKENIZE_SLICE", 5)  # tokenized five at a time
    np.testing.assert_allclose(real_engine.embed(texts), together, rtol=0, atol=1e-6)
