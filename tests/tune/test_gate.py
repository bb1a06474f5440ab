"""The gate (``gate``): the targets' faithful share, lines judged as their draft kind
shows them, ``model use`` refusing a worse model and rolling back, and a verdict recorded
by an older gate judged again."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from plugin.engine import manifest as mf
from plugin.tune.data import Pair
from tests.tune.conftest import FAST, tune_in


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
