"""`deskdraft serve --with-samples` (what `make run` starts): drafts of the samples appear."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


def test_sample_drafts_are_printed_as_they_arrive(
    deskdraft_home: Path, tiny_model_dir: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update(
        {
            "DESKDRAFT_HOME": str(deskdraft_home),
            "PYTHONPATH": str(REPO),
            "HF_HUB_OFFLINE": "1",
            "DESKDRAFT_ENGINE_MODEL": str(tiny_model_dir),
            "DESKDRAFT_ENGINE_THREADS": "1",
        }
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plugin",
            "serve",
            "--with-samples",
            "--port",
            "0",
            "--no-scheduler",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(iter(process.stdout.readline, "")),  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any(
            line.startswith("== summarize · welcome.eml") for line in lines
        ):
            assert process.poll() is None, "".join(lines)
            time.sleep(0.2)
        output = "".join(lines)
        assert "queued" in output and "sample job(s)" in output
        assert "== summarize · welcome.eml (job " in output, output
        assert ": failed:" not in output, output
        header = next(
            i for i, line in enumerate(lines) if line.startswith("== summarize · welcome.eml")
        )
        assert lines[header + 1].strip(), "the draft's text follows its header"
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(60)
        reader.join(5)
        if process.stdout:
            process.stdout.close()
    assert code == 0


def test_printed_drafts_leave_out_the_candidates_the_checker_refused() -> None:
    from plugin.commands.serve import _headline

    result = {
        "summary": "Ann asks for the Q3 headcount by Wednesday.",
        "key_points": [{"text": "Please send the headcount by Wednesday.", "sources": []}],
        "rejected": [{"text": "This e-mail is a quarterly report.", "unsupported": []}],
    }
    printed = _headline(result)
    assert "Ann asks for the Q3 headcount by Wednesday." in printed
    assert "- Please send the headcount by Wednesday." in printed
    assert "quarterly report" not in printed
