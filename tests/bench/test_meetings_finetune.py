"""bench/meetings_finetune.py: the fine-tuned cross-encoder experiment marks each candidate
in its sentence, computes the frozen layers exactly as the whole encoder would, gives every
candidate a score from a model that never saw it, and repeats itself with the seed fixed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from meetings_contexts import Table
from meetings_finetune import (
    MARK_CLOSE,
    MARK_OPEN,
    SETTINGS,
    CrossEncoder,
    compare,
    encoder_inputs,
    encoder_scores,
    fold_assignment,
)

from tests.drafts.calendar.helpers import LABELLED_MAILS, labelled_mail
from tests.engine.tiny import make_tiny_bert

#: The tiny BERT has two layers: the lower one stays frozen, the top one is trained.
TINY = {**SETTINGS, "train_layers": 1, "epochs": 2, "batch": 4, "threads": 1}


@pytest.fixture(scope="module")
def table() -> Table:
    return Table(
        [labelled_mail(i, body, starts) for i, (body, starts) in enumerate(LABELLED_MAILS)]
    )


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_bert(tmp_path_factory.mktemp("bert") / "bert")


def test_inputs_mark_the_candidate_and_pair_it_with_the_subject(table: Table) -> None:
    pairs = encoder_inputs(table)
    assert len(pairs) == len(table.targets)
    first = pairs[0]
    assert first[0] == f"Can we meet{MARK_OPEN}Wednesday at 3pm{MARK_CLOSE}to go over the budget?"
    assert first[1] == ""  # message 0 has no subject
    assert all(p[0].count(MARK_OPEN.strip()) == 1 for p in pairs)
    budget = [p for p, m in zip(pairs, _rowslabelled_mail(table), strict=True) if m % 2]
    assert budget and all(p[1] == "Budget" for p in budget)


def _rowslabelled_mail(table: Table) -> list[int]:
    return [i for i, (_, found) in enumerate(table.found) for _ in found]


def test_frozen_layers_then_top_layers_equal_the_whole_encoder(
    table: Table, tiny_bert: Path
) -> None:
    """The cached output of the frozen layers, run through the trained ones, is what the
    whole encoder gives (so the experiment fine-tunes a real MiniLM, only faster)."""
    import torch

    model = CrossEncoder(tiny_bert, TINY)
    pairs = encoder_inputs(table)[:5]
    states = model.lower_states(pairs)
    model.top.eval()
    with torch.no_grad():
        split = model.logits(states, train=False)
        batch = model.tokenizer(
            [p[0] for p in pairs], [p[1] for p in pairs], padding=True, return_tensors="pt"
        )
        hidden = model.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        whole = model.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)
    np.testing.assert_allclose(split.numpy(), whole.numpy(), atol=1e-5)


def test_scores_are_out_of_fold_repeatable_and_cached(
    table: Table, tiny_bert: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held_out = fold_assignment(table, 2, None)
    boxes = [{table.groups[i] for i in held} for held in held_out]
    assert not boxes[0] & boxes[1]
    assert sorted(np.concatenate(held_out).tolist()) == list(range(len(table.targets)))

    cache = tmp_path / "scores.json"
    first = encoder_scores(table, held_out, TINY, cache, checkpoint=tiny_bert)
    assert np.all(np.isfinite(first)) and len(set(first.round(6))) > 1
    assert capsys.readouterr().out.count("fine-tuned on") == 2
    # The same seed fine-tunes to the same scores; the cache gives them back untrained.
    again = encoder_scores(table, held_out, TINY, None, checkpoint=tiny_bert)
    np.testing.assert_allclose(again, first, atol=1e-6)
    assert capsys.readouterr().out.count("fine-tuned on") == 2
    cached = encoder_scores(table, held_out, TINY, cache, checkpoint=tiny_bert)
    assert "fine-tuned on" not in capsys.readouterr().out
    np.testing.assert_array_equal(cached, first)
    # Other settings are other entries, never a stale hit.
    one_fold = encoder_scores(
        table, held_out, {**TINY, "epochs": 1}, cache, only_fold=1, checkpoint=tiny_bert
    )
    assert np.isnan(one_fold[held_out[0]]).all() and np.isfinite(one_fold[held_out[1]]).all()
    assert len(json.loads(cache.read_text(encoding="utf-8"))) == 2

    rows = {row["variant"]: row for row in compare(table, held_out, first, None)}
    assert {"rules C0.03", "rules+ft C0.03", "ft alone", "blend (rules C0.03, ft)"} <= set(rows)
    for row in rows.values():
        assert 0.0 <= row["auc"] <= 1.0 and 0.0 <= row["f1"] <= 1.0
        assert len(row["folds"]) == 2
