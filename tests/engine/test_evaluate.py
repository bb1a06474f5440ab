"""The figures that choose the default variant (``plugin/engine/evaluate.py``): each
mail's ROUGE-1, and how far a mean loss over the mails can be trusted."""

from __future__ import annotations

import numpy as np
import pytest

from plugin.engine.evaluate import loss_interval, rouge, rouge1_per_mail


def test_rouge1_per_mail_takes_the_best_reference_and_averages_to_the_table() -> None:
    lines = ["budget review on friday", "lunch", ""]
    references = [
        ["friday budget review", "quarterly numbers"],
        ["dinner plans", "lunch tomorrow"],
        ["anything"],
    ]
    scores = rouge1_per_mail(lines, references)
    assert scores[0] == pytest.approx(100 * 2 * 3 / (4 + 3))  # 3 of 4 words, 3 of 3
    assert scores[1] == pytest.approx(100 * 2 / 3)  # the second reference is the best
    assert scores[2] == 0.0
    assert round(sum(scores) / 3, 2) == rouge(lines, references)["rouge1"]


def test_the_interval_holds_the_mean_and_widens_with_disagreement() -> None:
    """Two variants with the same mean loss of one point: one loses a little on every
    mail, the other writes another line on a third of them (+/- 10 points each)."""
    rng = np.random.default_rng(1)
    baseline = list(rng.uniform(10, 40, 400))
    steady = [b - 1.0 for b in baseline]
    noisy_shift = np.zeros(400)
    changed = rng.permutation(400)[:132]
    noisy_shift[changed] = rng.choice([-10.0, 10.0], 132)
    noisy_shift += 1.0 - noisy_shift.mean()
    noisy = list(np.asarray(baseline) - noisy_shift)
    low, high = loss_interval(baseline, steady)
    assert low == pytest.approx(1.0) and high == pytest.approx(1.0)
    low, high = loss_interval(baseline, noisy)
    assert low < 1.0 < high and high - low > 1.0  # about a point wide
    assert loss_interval(baseline, noisy) == [low, high]  # fixed seed: a rerun agrees
    assert loss_interval([], []) == [0.0, 0.0]
