"""``deskdraft model tune`` end to end (``pipeline``) on a tiny 4-layer Llama: train, merge,
build and measure, prune; bad data and a full disk leave no model; on the real model a
user's habit is learnt."""

from __future__ import annotations

import errno
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from connectors.errors import ResourceError, UsageError
from plugin.engine import manifest as mf
from plugin.engine import quality
from plugin.tune.data import Pair
from plugin.tune.train import Recipe
from tests.tune.conftest import FAST, ticket_habit, topic_pairs, tune_in


def test_a_tiny_model_tunes_end_to_end_and_its_loss_falls(
    tuned: dict[str, Any], tiny_parent: Path
) -> None:
    from plugin.drafts.text.prompts import task_prompt, tuned_for
    from plugin.engine.runtime import Engine

    folder = Path(tuned["model"])
    data = mf.read(folder)
    assert data is not None and mf.outputs_intact(folder, data)
    info = data["tuned"]
    training = info["training"]
    assert training["best_eval_loss"] < training["first_loss"] / 2
    assert training["steps"] > 10 and training["examples_per_s"] > 0
    # Every trained example has at least a prompt and a target token: > 1 token per example.
    assert training["tokens_per_s"] > training["examples_per_s"]
    assert training["examples_128_per_s"] == round(training["tokens_per_s"] / 128, 2)
    assert info["parent"]["hash"] == mf.model_hash(mf.read(tiny_parent) or {})
    assert info["data"]["pairs"] == 96 and len(info["data"]["hash"]) == 64
    assert info["data"]["train"] + info["data"]["validation"] + info["data"]["test"] == 96
    assert info["recipe"]["learning_rate"] == FAST.learning_rate
    evaluation = info["evaluation"]
    assert evaluation["tuned"]["count"] == evaluation["default"]["count"] == info["data"]["test"]
    assert evaluation["against"]["hash"] == info["parent"]["hash"]
    assert data["embeddings"] == "embed" and (folder / "heldout.jsonl").is_file()
    # Each quantized variant was scored against fp32 on the held-out pairs, and the
    # variant the model serves is the one those figures choose.
    measured = info["variants"]
    assert measured["fp32"]["count"] == info["data"]["test"]
    assert set(measured["variants"]) == set(data["variants"]) - {"fp32"}
    for name, figures in measured["variants"].items():
        assert data["variants"][name]["quality"] == figures
        assert figures["mails"] == info["data"]["test"]
        assert figures["rouge1_loss"] == round(measured["fp32"]["rouge1"] - figures["rouge1"], 2)
    assert data["default_variant"] == measured["default_variant"]
    assert data["default_variant"] == quality.choose_default(data["variants"])
    assert not list(folder.parent.glob(".partial-*"))
    engine = Engine(folder, threads=1, context_tokens=512)
    assert tuned_for(engine, "subject") and not tuned_for(engine, "title")
    [text] = engine.generate(
        [task_prompt(engine.chat_prompt, "subject", "Hello,\nThe budget.")],
        max_new_tokens=8,
        stop=["\n"],
    )
    assert isinstance(text, str)
    assert engine.model_id != Engine(tiny_parent, threads=1).model_id


def test_a_pruned_model_has_fewer_layers_exports_fuses_and_generates(
    tiny_parent: Path, tmp_path: Path
) -> None:
    from plugin.engine.runtime import Engine

    result = tune_in(
        tmp_path / "home",
        tiny_parent,
        prune=1,
        name="pruned",
        recipe=replace(FAST, max_steps=6, eval_every=3),
    )
    folder = Path(result["model"])
    pruned = result["tuned"]["pruned"]
    assert (pruned["layers_before"], pruned["layers_after"]) == (4, 3)
    assert len(pruned["distances"]) == 4 and pruned["removed"][0] != 3
    config = json.loads((folder / "llm" / "fp32" / "config.json").read_text())
    assert config["num_hidden_layers"] == 3
    engine = Engine(folder, threads=1, context_tokens=512)
    assert engine._graph.right_padded  # the fused GroupQueryAttention path
    assert len(engine._graph.past_names) == 2 * 3
    texts = engine.generate(["Hello there", "The budget report"], max_new_tokens=6, ignore_eos=True)
    assert all(texts)


def test_bad_data_gets_one_clear_error_and_no_model(tiny_parent: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    long_target = " ".join(["budget"] * 200)
    pairs = [Pair("subject", f"Mail {n}", long_target, f"g{n}") for n in range(20)]
    with pytest.raises(UsageError, match="every target is longer than the context"):
        tune_in(home, tiny_parent, pairs=pairs)
    with pytest.raises(UsageError, match="only 2 usable training pairs"):
        tune_in(home, tiny_parent, pairs=topic_pairs(2))
    assert not [p for p in (home / "models").glob("*") if not p.name.startswith(".tune-work")]


def test_a_full_disk_during_the_merge_leaves_no_model(
    tiny_parent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import PreTrainedModel

    def full(self: Any, folder: Any, **kwargs: Any) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "model.safetensors").write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device", str(folder))

    monkeypatch.setattr(PreTrainedModel, "save_pretrained", full)
    home = tmp_path / "home"
    with pytest.raises(ResourceError, match="the disk filled up"):
        tune_in(home, tiny_parent, recipe=Recipe(max_steps=2, eval_every=1, threads=1))
    leftovers = [p.name for p in (home / "models").iterdir() if p.name != ".tune-work"]
    assert leftovers == []


@pytest.mark.integration
def test_personalization_tuned_model_follows_the_users_ticket_habit(
    use_real_model: Path, shared_dir: Path, tmp_path: Path
) -> None:
    """A user prefixes every subject line with the ticket number from the mail. From 150
    such edits the tuned model does the same on mails it never saw; the base does not."""
    import random

    from plugin.engine.runtime import Engine
    from plugin.tune.data import load_aeslc
    from plugin.tune.gate import answers

    rng = random.Random(5)
    mails = load_aeslc(shared_dir / "data" / "aeslc-train", limit=190).pairs

    train_pairs = [ticket_habit(p, rng)[0] for p in mails[:150]]
    held = [ticket_habit(p, rng) for p in mails[150:]]
    recipe = Recipe(
        learning_rate=3e-4,
        epochs=2,
        batch_size=8,
        accumulation=1,
        eval_every=10,
        max_minutes=10,
        max_tokens=192,
    )
    result = tune_in(
        tmp_path / "home",
        use_real_model,
        pairs=train_pairs,
        recipe=recipe,
        test_pairs=[p for p, _ in held],
    )
    assert result["tuned"]["training"]["minutes"] <= 10

    def follows(model: Path) -> float:
        texts = answers(Engine(model), [p for p, _ in held])
        return sum(t.startswith(ticket) for t, (_, ticket) in zip(texts, held, strict=True)) / len(
            held
        )

    assert follows(use_real_model) <= 0.1
    assert follows(Path(result["model"])) >= 0.8
