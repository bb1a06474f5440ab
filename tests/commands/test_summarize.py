from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plugin.cli import main
from plugin.drafts.text.verify import check

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "plugin" / "samples" / "welcome.eml"
KEYS = {"source", "style", "summary", "key_points", "verified", "path", "elapsed_ms", "model"}


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["summarize", *args])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return code, lines, captured.err


def test_json_for_an_eml_and_a_txt_file_without_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("The audit starts on Monday. Please send the ledgers to Kim by Friday.\n")
    code, lines, _ = run_cli(
        [str(SAMPLE), str(note), "--style", "bullets", "--json", "--no-model"], capsys
    )
    assert code == 0 and len(lines) == 2
    eml, txt = lines
    assert set(eml) >= KEYS and eml["style"] == "bullets" and eml["path"] == "extractive"
    assert eml["verified"] is True and eml["model"] == "none"
    assert any("headcount estimate" in p["text"] for p in eml["key_points"])
    assert txt["source"].endswith("note.txt")
    assert txt["action_items"][0]["due"] == "by Friday"


def test_stdin_text(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"Budget approved at $1,200 for the Malin project.\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, (line,), _ = run_cli(["-", "--style", "oneline", "--json", "--no-model"], capsys)
    assert code == 0 and line["source"] == "stdin"
    assert line["summary"] == "Budget approved $1,200 Malin project" and line["verified"]


def test_unreadable_items_are_named_and_the_rest_summarized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    code, lines, err = run_cli([str(SAMPLE), str(broken), "--json", "--no-model"], capsys)
    assert code == 3 and len(lines) == 1
    assert "broken.docx" in err
    code = main(["summarize", str(broken), "--no-model"])
    assert code == 1 and "nothing to summarize" in capsys.readouterr().err


def test_many_inputs_share_one_model_in_batches(
    use_tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(5):
        (tmp_path / f"m{n}.txt").write_text(
            f"Please review contract {n} for site {n + 10}. The deadline is Friday.\n"
        )
    code, lines, _ = run_cli(
        [str(tmp_path), "--style", "oneline", "--json", "--batch-size", "2"], capsys
    )
    assert code == 0 and len(lines) == 5
    model_ids = {line["model"] for line in lines}
    assert len(model_ids) == 1 and model_ids != {"none"}
    for line in lines:
        assert set(line) >= KEYS
        source_text = Path(line["source"]).read_text()
        assert line["verified"] == check(line["summary"], source_text).ok


def test_compress_asks_the_model_to_shorten_a_brief(
    use_tiny_model: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.drafts.summary import brief_compress

    asked: list[int] = []
    run = brief_compress.BriefWriter.run

    def counting(self: Any, plans: Any, *args: Any) -> set[int]:
        asked.append(len(plans))
        return run(self, plans, *args)

    monkeypatch.setattr(brief_compress.BriefWriter, "run", counting)
    code, (plain,), _ = run_cli([str(SAMPLE), "--json"], capsys)
    assert code == 0 and asked == [] and plain["path"] == "extractive"
    code, (line,), _ = run_cli([str(SAMPLE), "--json", "--compress"], capsys)
    assert code == 0 and asked == [1]
    assert line["verified"] == check(line["summary"], SAMPLE.read_text()).ok


@pytest.mark.integration
def test_real_model_summarizes_the_sample_from_the_installed_command(
    use_real_model: Path, tmp_path: Path
) -> None:
    exe = shutil.which("deskdraft", path=str(Path(sys.executable).parent))
    assert exe, "the deskdraft console script is not installed in this environment"
    proc = subprocess.run(
        [exe, "summarize", str(SAMPLE), "--style", "oneline", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (line,) = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
    assert set(line) >= KEYS
    words = line["summary"].lower()
    assert any(w in words for w in ("headcount", "planning", "review", "q3", "welcome")), words
    if line["verified"]:
        assert check(line["summary"], SAMPLE.read_text()).ok
    assert line["model"].count(":") == 1 and line["model"] != "none"
    # The model's subject line is kept and checked as words of one sentence (measured).
    assert line["path"] == "abstractive" and line["verified"], line
    assert line["check"]["label"].startswith("words from sentence")
    proc = subprocess.run(
        [exe, "summarize", str(SAMPLE), "--style", "brief", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (brief,) = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
    assert brief["verified"] and "decided" in brief["summary"]
    assert "status report" in brief["summary"] and "planning to" not in brief["summary"]
    assert brief["check"]["label"] in ("quoted from the mail",) or brief["check"][
        "label"
    ].startswith("reworded, checked against")


def test_every_real_word_file_gets_a_summary_or_a_named_error(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus_dir / "docx"
    code, lines, err = run_cli([str(folder), "--json", "--no-model", "--style", "bullets"], capsys)
    assert code in (0, 3)
    named = {Path(line["source"]).name for line in lines}
    skipped = {
        line.split(": ", 2)[1].rsplit("/", 1)[-1]
        for line in err.splitlines()
        if line.startswith("deskdraft: skipped ")
    }
    assert named | skipped == {p.name for p in folder.glob("*.docx")}
    assert len(lines) > 40
    for line in lines:
        assert line["verified"] is True and line["path"] == "extractive"
        assert line["summary"] and line["key_points"]


def test_plain_output_says_how_the_summary_was_checked(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["summarize", str(SAMPLE), "--no-model"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{SAMPLE}  [extractive, quoted from the mail]" in out
    assert "We decided last week to move the status report" in out
