"""``deskdraft ingest``: JSON Lines contract, error records, exit codes, table output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from plugin.cli import main
from tests.conftest import RECORD_KEYS, REPO

KEYS = set(RECORD_KEYS)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "Ann <ann@example.com>"
    msg["To"] = "bob@example.com"
    msg["Subject"] = "Budget"
    msg["Date"] = "Tue, 04 Mar 2025 10:15:00 +0000"
    msg.set_content("Numbers attached.\n\nOn Mon, Bob wrote:\n> send numbers")
    msg.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="n.pdf")
    (tmp_path / "a.eml").write_bytes(msg.as_bytes())
    wb = openpyxl.Workbook()
    wb.active.append(["Item", "Cost"])
    wb.active.append(["Desk", 100])
    wb.save(tmp_path / "b.xlsx")
    return tmp_path


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_json_lines_contract(inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(inbox), "--json"]) == 0
    records = _lines(capsys.readouterr().out)
    assert len(records) == 2
    mail, sheet = records
    assert set(mail) == KEYS | {"category"}  # mail carries its header category
    assert mail["kind"] == "email" and mail["from"] == "Ann <ann@example.com>"
    assert mail["category"] == "person"
    assert mail["text"] == "Numbers attached." and "send numbers" in mail["quoted"]
    assert mail["date"] == "2025-03-04T10:15:00+00:00"
    assert mail["attachments"] == [{"name": "n.pdf", "kind": "application/pdf", "size": 4}]
    assert set(sheet) == KEYS | {"sheets"}
    assert sheet["sheets"][0]["rows"] == 2 and sheet["sheets"][0]["cols"] == 2
    assert sheet["sheets"][0]["tables"][0]["columns"][1]["type"] == "number"


def test_unreadable_items_are_reported_and_the_run_goes_on(
    inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inbox / "broken.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    missing = inbox / "nope.eml"
    assert main(["ingest", str(inbox), str(missing), "--json"]) == 3
    records = _lines(capsys.readouterr().out)
    errors = [r for r in records if "error" in r]
    assert len(records) == 4 and len(errors) == 2
    assert errors[0] == {"source": str(inbox / "broken.xlsx"), "error": errors[0]["error"]}
    assert "encrypted" in errors[0]["error"]
    assert errors[1]["source"] == str(missing) and "no such file" in errors[1]["error"]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "nosuchscheme://x", "--json"]) == 2
    assert "unknown source type" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["ingest"])
    assert exc.value.code == 2


def test_stdin_as_plain_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Meeting moved to 3pm.\n")))
    assert main(["ingest", "-", "--json"]) == 0
    (record,) = _lines(capsys.readouterr().out)
    assert record["kind"] == "text" and record["text"] == "Meeting moved to 3pm."


def test_table_output(inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(inbox / "a.eml"), "--no-progress"]) == 0
    captured = capsys.readouterr()
    header, row = captured.out.splitlines()
    assert header.split()[:4] == ["kind", "date", "from", "title"]
    assert row.startswith("email  2025-03-04 10:15") and "Budget" in row
    assert "1 read, 0 failed" in captured.err


def test_progress_goes_to_stderr(inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(inbox), "--json", "--progress"]) == 0
    captured = capsys.readouterr()
    assert "ingest" in captured.err and "items" in captured.err
    assert len(_lines(captured.out)) == 2


def test_real_command_over_the_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plugin", "ingest", str(corpus_dir / "docx"), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DESKDRAFT_HOME": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert result.returncode == 3, result.stderr
    records = _lines(result.stdout)
    assert len(records) == len(list((corpus_dir / "docx").glob("*.docx")))
    errors = {Path(r["source"]).name: r["error"] for r in records if "error" in r}
    assert "poi-bug53475-password-is-pass.docx" in errors
    assert all("kind" in r for r in records if "error" not in r)
