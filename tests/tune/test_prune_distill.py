"""Layer choice by loss (``--prune-by``) and distillation healing (``--distill-from``),
on the tiny 4-layer Llama."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from connectors.errors import UsageError
from plugin.engine import manifest as mf
from plugin.tune.data import Pair
from tests.tune.conftest import FAST, topic_pairs, tune_in


def _tiny(tiny_parent: Path) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune.output import parent_checkpoint

    checkpoint = parent_checkpoint(tiny_parent)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32)
    return model.eval(), AutoTokenizer.from_pretrained(checkpoint)


def _examples(tokenizer: Any, count: int = 12) -> list[Any]:
    from plugin.tune.examples import encode

    examples, _ = encode(topic_pairs(count, seed=3), tokenizer, 256)
    return examples


def _plain_loss(model: Any, examples: list[Any], removed: list[int]) -> float:
    """The mean target loss of a really pruned copy, computed the way training does."""
    import torch

    from plugin.tune.examples import IGNORE, collate
    from plugin.tune.prune import prune_layers
    from plugin.tune.train import target_loss

    pruned = copy.deepcopy(model)
    if removed:
        prune_layers(pruned, None, [], tuple(removed), 256)
    batch = collate(examples, 0)
    with torch.no_grad():
        total = float(target_loss(pruned, batch, "sum"))
    return total / int((batch["labels"][:, 1:] != IGNORE).sum())


def test_greedy_loss_choice_equals_brute_force_on_really_pruned_models(
    tiny_parent: Path,
) -> None:
    import torch

    from plugin.tune.losses import greedy_by_loss, subset_loss

    model, tokenizer = _tiny(tiny_parent)
    # Layer 1 made a pass-through (its residual branches write zeros): removing it cannot
    # change the loss, so the loss measure must take it first.
    with torch.no_grad():
        model.model.layers[1].self_attn.o_proj.weight.zero_()
        model.model.layers[1].mlp.down_proj.weight.zero_()
    examples = _examples(tokenizer)
    removed, trace = greedy_by_loss(model, examples, 2, pad_id=0, quiet=True)
    assert trace[0]["removed"] == 1
    # The cached, run-from-the-cut scoring gives the loss of the really pruned model.
    assert trace[0]["loss"] == pytest.approx(_plain_loss(model, examples, [1]), abs=2e-4)
    assert _plain_loss(model, examples, [1]) == pytest.approx(
        _plain_loss(model, examples, []), abs=1e-5
    )
    # Brute force of the second round over every remaining candidate (not the last layer).
    second = {i: _plain_loss(model, examples, [1, i]) for i in (0, 2)}
    best = min(second, key=lambda i: second[i])
    assert trace[1]["removed"] == best
    assert trace[1]["loss"] == pytest.approx(second[best], abs=2e-4)
    assert removed == sorted([1, best])
    assert subset_loss(model, examples, [i for i in range(4) if i not in removed], 0) == (
        pytest.approx(second[best], abs=2e-4)
    )
    assert len(model.model.layers) == 4  # scoring leaves the model whole
    # A pool of 2 after round 1: the second round only weighs round 1's two cheapest.
    alone = {i: _plain_loss(model, examples, [i]) for i in (0, 1, 2)}
    pooled = sorted(alone, key=lambda i: alone[i])[:2]
    _, pooled_trace = greedy_by_loss(model, examples, 2, pad_id=0, pool=2, quiet=True)
    assert pooled_trace[0]["removed"] == 1 and pooled_trace[1]["removed"] in pooled


def test_prune_layers_records_its_measure_and_takes_named_layers(tiny_parent: Path) -> None:
    from plugin.tune.prune import prune_layers

    model, tokenizer = _tiny(tiny_parent)
    examples = _examples(tokenizer)
    texts = [p.input for p in topic_pairs(4)]
    by_loss = prune_layers(copy.deepcopy(model), tokenizer, texts, 1, 256, scored=examples)
    assert by_loss["by"] == "loss" and len(by_loss["loss_trace"]) == 1
    assert by_loss["removed"] == [by_loss["loss_trace"][0]["removed"]]
    by_angle = prune_layers(copy.deepcopy(model), tokenizer, texts, 1, 256, by="angle")
    distances = by_angle["distances"]
    assert by_angle["by"] == "angle" and by_angle["loss_trace"] == []
    assert by_angle["removed"] == [min(range(3), key=lambda i: distances[i])]
    named = copy.deepcopy(model)
    given = prune_layers(named, tokenizer, texts, (2, 0), 256)
    assert (given["removed"], given["by"], len(named.model.layers)) == ([0, 2], "given", 2)
    with pytest.raises(UsageError, match="held-out pairs"):
        prune_layers(copy.deepcopy(model), tokenizer, texts, 1, 256, by="loss")
    with pytest.raises(UsageError, match="--prune-by"):
        prune_layers(copy.deepcopy(model), tokenizer, texts, 1, 256, by="size", scored=examples)
    with pytest.raises(UsageError, match="cannot remove layers"):
        prune_layers(copy.deepcopy(model), tokenizer, texts, (3,), 256)


def test_teacher_pairs_are_the_teachers_own_answers(tuned: dict[str, Any]) -> None:
    from plugin.engine.runtime import Engine
    from plugin.tune.distill import teacher_pairs
    from plugin.tune.gate import answers

    teacher = Path(tuned["model"])
    pairs = topic_pairs(10, seed=5)
    taught, counts = teacher_pairs(teacher, pairs, threads=1, quiet=True)
    expected = answers(Engine(teacher, threads=1), pairs)
    replaced = [i for i, text in enumerate(expected) if text]
    assert counts["teacher"] == len(replaced) > 0
    for i in replaced:
        assert taught[i].target == expected[i]
        assert taught[i].references[0] == pairs[i].target  # the human line stays a reference
        assert (taught[i].input, taught[i].group) == (pairs[i].input, pairs[i].group)
    mixed, mixed_counts = teacher_pairs(teacher, pairs, mix=0.5, threads=1, quiet=True)
    assert mixed_counts["human"] == 5
    assert sum(m == p for m, p in zip(mixed, pairs, strict=True)) >= 5
    with pytest.raises(UsageError, match="human share"):
        teacher_pairs(teacher, pairs, mix=1.0, quiet=True)


def test_a_pruned_model_heals_on_its_teachers_answers(
    tiny_parent: Path, tuned: dict[str, Any], tmp_path: Path
) -> None:
    teacher = Path(tuned["model"])
    pairs = topic_pairs(96)
    result = tune_in(
        tmp_path / "home",
        teacher,
        pairs=pairs,
        prune=1,
        name="healed",
        distill_from=teacher,
        recipe=replace(FAST, max_steps=6, eval_every=3),
    )
    info = result["tuned"]
    assert info["pruned"]["by"] == "loss" and info["pruned"]["layers_after"] == 3
    assert len(info["pruned"]["loss_trace"]) == 1
    distilled = info["distilled"]
    assert distilled["teacher"] == (mf.read(teacher) or {})["name"]
    assert distilled["hash"] == mf.model_hash(mf.read(teacher) or {})
    # Train and validation targets came from the teacher; test pairs kept their own lines.
    taught = distilled["targets"]
    assert taught.get("teacher", 0) + taught.get("teacher empty, human kept", 0) == (
        info["data"]["train"] + info["data"]["validation"]
    )
    from plugin.tune.data import read_pairs

    held = read_pairs(Path(result["model"]) / "heldout.jsonl")
    assert held and all(Pair("subject", p.input, p.target, p.group) in pairs for p in held)


def test_tune_command_reads_layer_indices_and_checks_the_teacher(
    tuned: dict[str, Any], tmp_path: Path
) -> None:
    from plugin.commands.model_tune import _prune, _teacher

    assert _prune("auto") == "auto" and _prune("8") == 8
    assert _prune("26,3,12,3") == (3, 12, 26)
    with pytest.raises(UsageError, match="layer indices"):
        _prune("3,x")
    assert _teacher(None, 0.0) is None
    assert _teacher(Path(tuned["model"]), 0.25) == Path(tuned["model"]).resolve()
    with pytest.raises(UsageError, match="needs --distill-from"):
        _teacher(None, 0.5)
    with pytest.raises(UsageError, match="not a built model folder"):
        _teacher(tmp_path, 0.0)
    with pytest.raises(UsageError, match="--distill-mix"):
        _teacher(Path(tuned["model"]), 1.5)
