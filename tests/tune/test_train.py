"""LoRA training (``train``) on a tiny 4-layer Llama: merged weights match base plus
adapter, a killed tune resumes from its checkpoint, the time budget stops training (and
evaluates the steps since the last evaluation), and a seed repeats a run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from plugin.engine import manifest as mf
from plugin.tune.data import save_pairs
from plugin.tune.train import Recipe
from tests.tune.conftest import FAST, topic_pairs

REPO = Path(__file__).resolve().parents[2]


def test_merged_weights_give_the_logits_of_base_plus_adapter(tiny_parent: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    from plugin.tune.output import parent_checkpoint
    from plugin.tune.train import lora_model

    checkpoint = parent_checkpoint(tiny_parent)
    torch.manual_seed(0)
    model = lora_model(AutoModelForCausalLM.from_pretrained(checkpoint), Recipe(dropout=0.0))
    with torch.no_grad():  # a trained adapter: B is zero at initialisation
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.05)
    model.eval()
    ids = torch.tensor([[5, 17, 42, 99, 3, 250]])
    with torch.no_grad():
        adapted = model(input_ids=ids).logits
        plain = model.get_base_model  # the adapter must matter for this test to mean anything
        with model.disable_adapter():
            base = model(input_ids=ids).logits
        merged = model.merge_and_unload()(input_ids=ids).logits
    assert callable(plain)
    assert not torch.allclose(adapted, base, atol=1e-3)
    torch.testing.assert_close(merged, adapted, atol=1e-4, rtol=1e-4)


def test_resume_after_kill_9_continues_from_the_checkpoint(
    tiny_parent: Path, tmp_path: Path
) -> None:
    import torch

    home = tmp_path / "home"
    data = tmp_path / "pairs.jsonl"
    save_pairs(data, topic_pairs(96))
    env = {**os.environ, "DESKDRAFT_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "plugin",
        "model",
        "tune",
        "--jsonl",
        str(data),
        "--parent",
        str(tiny_parent),
        "--name",
        "resumed",
        "--max-steps",
        "60",
        "--epochs",
        "10",
        "--eval-every",
        "4",
        "--patience",
        "100",
        "--accumulation",
        "1",
        "--learning-rate",
        "0.01",
        "--threads",
        "1",
        "--quiet",
        "--json",
    ]
    log = tmp_path / "first-run.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=sink, start_new_session=True
        )
    deadline = time.monotonic() + 120
    checkpoints: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        checkpoints = list(home.glob("models/.tune-work/*/checkpoint.pt"))
        if checkpoints and torch.load(checkpoints[0], weights_only=False)["step"] >= 8:
            break
        time.sleep(0.2)
    assert process.poll() is None, log.read_text()[-2000:]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    saved = torch.load(checkpoints[0], weights_only=False)
    assert 8 <= saved["step"] < 60
    assert not (home / "models" / "resumed").exists()
    finished = subprocess.run(
        [*command, "--resume"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    result = json.loads(finished.stdout)
    assert result["tuned"]["training"]["steps"] == 60
    final = torch.load(checkpoints[0], weights_only=False)
    assert final["step"] == 60
    assert final["history"][: saved["step"]] == saved["history"]
    # An evaluation that improved saves the weights once, as both current and best.
    for state in (saved, final):
        shared = {
            name: tensor.untyped_storage().data_ptr()
            == state["best"][name].untyped_storage().data_ptr()
            for name, tensor in state["adapter"].items()
        }
        assert set(shared.values()) == {state["stale"] == 0}, (state["stale"], shared)
    assert mf.read(home / "models" / "resumed") is not None


def test_time_budget_stops_training_and_a_seed_repeats_it(
    tiny_parent: Path, tmp_path: Path
) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune.examples import encode
    from plugin.tune.output import parent_checkpoint
    from plugin.tune.train import train

    checkpoint = parent_checkpoint(tiny_parent)
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    examples, _ = encode(topic_pairs(40), tokenizer, 128)
    recipe = replace(FAST, max_steps=6, batch_size=4, accumulation=2, eval_every=3, seed=7)

    def run(folder: str, budget: float = 0.0) -> tuple[Any, Any]:
        torch.manual_seed(0)
        base = AutoModelForCausalLM.from_pretrained(checkpoint)
        return train(
            base,
            examples[:32],
            examples[32:],
            replace(recipe, max_minutes=budget),
            tmp_path / folder,
            pad_id=0,
            fingerprint="f",
            resume=False,
            quiet=True,
        )

    first_model, first = run("a")
    second_model, second = run("b")
    assert first.history == second.history and first.stopped == "done" and first.steps == 6
    for (name, a), (_, b) in zip(
        first_model.named_parameters(), second_model.named_parameters(), strict=True
    ):
        assert torch.equal(a, b), name
    _, stopped = run("c", budget=1e-6)
    assert stopped.stopped == "time budget" and stopped.steps <= 1


def test_steps_after_the_last_evaluation_are_evaluated_when_the_budget_stops(
    tiny_parent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itertools
    from types import SimpleNamespace

    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.tune import train as training
    from plugin.tune.examples import encode
    from plugin.tune.output import parent_checkpoint

    checkpoint = parent_checkpoint(tiny_parent)
    examples, _ = encode(topic_pairs(40), AutoTokenizer.from_pretrained(checkpoint), 128)
    # A clock that moves one second per reading: the budget ends after a fixed step.
    ticks = itertools.count()
    monkeypatch.setattr(training, "time", SimpleNamespace(monotonic=lambda: float(next(ticks))))
    recipe = replace(FAST, max_steps=50, batch_size=4, eval_every=4, max_minutes=0.2)
    _, outcome = training.train(
        AutoModelForCausalLM.from_pretrained(checkpoint),
        examples[:32],
        examples[32:],
        recipe,
        tmp_path / "work",
        pad_id=0,
        fingerprint="f",
        resume=False,
        quiet=True,
    )
    assert outcome.stopped == "time budget" and outcome.steps % recipe.eval_every
    assert "eval_loss" in outcome.history[-1]
    evaluated = [h["eval_loss"] for h in outcome.history if "eval_loss" in h]
    assert outcome.best_eval_loss == pytest.approx(min(evaluated), abs=1e-4)
