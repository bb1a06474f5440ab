"""``deskdraft model tune`` on a tiny 4-layer Llama: train, merge, build, gate, prune, resume."""

from __future__ import annotations

import errno
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

from connectors.errors import ResourceError, UsageError
from plugin.engine import manifest as mf
from plugin.engine import quality
from plugin.tune.data import Pair, save_pairs
from plugin.tune.train import Recipe
from tests.tune.conftest import FAST, ticket_habit, topic_pairs, tune_in

REPO = Path(__file__).resolve().parents[2]


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


def test_the_targets_own_faithful_share_counts_lines_whose_names_are_in_the_input() -> None:
    from plugin.tune.gate import targets_faithful

    mail = "Hi Sara, the Grande agreement is attached. Please sign by Friday."
    pairs = [
        Pair("subject", mail, "Grande agreement"),  # every capitalised word is in the mail
        Pair("subject", mail, "Agreement to sign"),  # "Agreement" by its stem
        Pair("subject", mail, "Priority List"),  # title case the mail never uses
        Pair("subject", mail, "Signature due Monday"),  # a weekday the mail does not name
    ]
    assert targets_faithful(pairs) == 0.5
    assert targets_faithful([]) == 0.0


def test_the_gate_judges_each_line_as_its_draft_kind_would_show_it() -> None:
    from plugin.drafts.text.prompts import title_input
    from plugin.tune.gate import answers, score

    class LabelledLines:
        """Stands in for a model that labels its lines, as SmolLM2 mostly does."""

        def chat_prompt(self, user: str, system: str | None = None) -> str:
            return user

        def generate(self, prompts: list[str], max_new_tokens: int, stop: list[str]) -> list[str]:
            raw = {"subject": "Subject: Grande agreement.", "title": 'Title: "Lease review"'}
            return [raw["title" if "Message:" in p else "subject"] for p in prompts]

    mail = "Hi Sara, the Grande agreement is attached. Please sign by Friday."
    pairs = [
        Pair("subject", mail, "Grande agreement"),
        Pair("title", title_input("", "Can we do the lease review on Friday?"), "Lease review"),
    ]
    lines = answers(LabelledLines(), pairs)
    assert lines == ["Grande agreement", "Lease review"]  # what the drafts show
    assert score(lines, pairs).faithful == 1.0
    raw = ["Subject: Grande agreement.", 'Title: "Lease review"']
    assert score(raw, pairs).faithful == 0.0  # the labels are words no mail holds


def test_the_gate_refuses_a_worse_model_and_use_rolls_back(
    tuned: dict[str, Any],
    tiny_parent: Path,
    deskdraft_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plugin.cli import main
    from plugin.engine import registry

    better = Path(tuned["model"])
    assert tuned["tuned"]["evaluation"]["verdict"]["regresses"] is False
    # Barely trained: scores like the base model, below the tuned one on its held-out mails.
    worse = Path(
        tune_in(
            deskdraft_home,
            tiny_parent,
            name="worse",
            recipe=replace(FAST, learning_rate=1e-6, max_steps=1, eval_every=1),
        )["model"]
    )
    assert main(["model", "use", str(tiny_parent)]) == 0  # a plain build: no gate
    assert registry.current() == tiny_parent.resolve()
    assert main(["model", "use", str(better)]) == 0  # its recorded verdict vs this parent
    assert registry.current() == better
    capsys.readouterr()
    assert main(["model", "use", str(worse)]) == 2
    assert "refused:" in capsys.readouterr().err
    assert registry.current() == better
    assert main(["model", "use", str(worse), "--force"]) == 0
    assert registry.current() == worse
    assert main(["model", "use", "--previous"]) == 0
    assert registry.current() == better
    from plugin.engine.runtime import Engine
    from plugin.jobs.queue import open_queue

    # The queue's result cache is keyed by the new default's id at once.
    assert open_queue().store.meta_get("model_id") == Engine(better, threads=1).model_id


def _verdict_shown(main: Any, capsys: pytest.CaptureFixture[str], name: str) -> tuple[bool, str]:
    """``model info``'s word on a model's verdict: by this gate (JSON), and the text line."""
    capsys.readouterr()
    assert main(["model", "info", "--json"]) == 0
    [model] = [m for m in json.loads(capsys.readouterr().out)["models"] if m["name"] == name]
    assert main(["model", "info"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  gate: ")]
    assert model["verdict"] in line
    return model["verdict_by_this_gate"], line


def test_a_verdict_recorded_by_an_older_gate_is_judged_again(
    tuned: dict[str, Any],
    tiny_parent: Path,
    deskdraft_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil

    from plugin.cli import main
    from plugin.tune import pipeline
    from plugin.tune.gate import VERSION

    folder = deskdraft_home / "models" / "judged-by-an-older-gate"
    shutil.copytree(tuned["model"], folder)
    data = mf.read(folder) or {}
    assert data["tuned"]["evaluation"]["gate"] == VERSION
    judged: list[Path] = []
    judge_against = pipeline.judge_against

    def spy(candidate: Path, *args: Any, **kwargs: Any) -> dict[str, Any]:
        judged.append(candidate)
        return judge_against(candidate, *args, **kwargs)

    monkeypatch.setattr(pipeline, "judge_against", spy)
    assert main(["model", "use", str(tiny_parent)]) == 0
    assert main(["model", "use", str(folder)]) == 0
    assert judged == []  # this gate's verdict against this very parent stands
    name = data["name"]
    by_this_gate, line = _verdict_shown(main, capsys, name)
    assert by_this_gate and "older gate" not in line
    del data["tuned"]["evaluation"]["gate"]
    mf.write(folder, data)
    by_this_gate, line = _verdict_shown(main, capsys, name)
    assert not by_this_gate and "an older gate's verdict" in line
    assert main(["model", "use", str(tiny_parent)]) == 0
    assert main(["model", "use", str(folder)]) == 0
    assert judged == [folder]
    err = capsys.readouterr().err  # judging takes minutes on real data: it shows its progress
    assert f"judging {folder.name} against {tiny_parent.name} on " in err
    assert "judge tuned model" in err and "judge default" in err


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
