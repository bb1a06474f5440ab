from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from plugin.cli import main


def _write_mail(folder: Path, name: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = "Ann Lee <ann@example.com>"
    msg["To"] = "me@example.com"
    msg["Date"] = "Mon, 02 Mar 2026 09:15:00 +0100"
    msg["Message-ID"] = f"<{name}@example.com>"
    msg.set_content(body)
    (folder / f"{name}.eml").write_bytes(msg.as_bytes())


def test_digest_run_on_a_folder_writes_html_and_json(
    use_tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write_mail(inbox, "a", "Contract", "Please sign the contract by Friday.")
    _write_mail(inbox, "b", "Lunch", "Pasta today.")
    (inbox / "broken.eml").write_bytes(b"")
    out = tmp_path / "digest.html"
    code = main(
        [
            "digest",
            "run",
            "--source",
            str(inbox),
            "--since",
            "all",
            "--out",
            str(out),
            "--to",
            "me@example.com",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["messages"] == 2 and len(result["threads"]) == 2
    assert result["threads"][0]["subject"] == "Contract"
    assert "<html" in out.read_text() and "Contract" in out.read_text()
    # The empty file is reported by name, the run goes on, and the exit code says so.
    assert "broken.eml" in captured.err
    assert code == 3


def test_schedule_cli_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "digest",
                "schedule",
                "add",
                "--source",
                "/mail",
                "--cron",
                "0 8 * * 1-5",
                "--tz",
                "Europe/Berlin",
                "--deliver",
                "dir:/tmp/digests",
            ]
        )
        == 0
    )
    schedule_id = capsys.readouterr().out.split()[0]
    assert main(["digest", "schedule", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == schedule_id and listed["tz"] == "Europe/Berlin"
    assert main(["digest", "schedule", "remove", schedule_id]) == 0
    assert main(["digest", "schedule", "remove", schedule_id]) == 2
    assert "no schedule" in capsys.readouterr().err
