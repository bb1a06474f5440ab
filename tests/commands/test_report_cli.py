"""``deskdraft report``: in-process through ``plugin.cli.main`` and once through the
installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from plugin.cli import main
from plugin.drafts.report.stats import format_number
from tests.drafts.report.report_data import HEADER, sales_rows, write_sales_workbook


@pytest.fixture
def sales_xlsx(tmp_path: Path) -> Path:
    return write_sales_workbook(tmp_path / "sales.xlsx")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_json_to_markdown(
    sales_xlsx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.md"
    code, stdout, _ = run(capsys, str(sales_xlsx), "--out", str(out), "--no-model", "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["files"] == {"md": str(out)} and out.is_file()
    assert data["verified"] is True and data["path"] == "extractive" and data["model"] == "none"
    total = format_number(sum(r[4] for r in sales_rows()))
    assert total in data["summary"] and total in out.read_text(encoding="utf-8")


def test_report_to_several_files_with_a_range(
    sales_xlsx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx, docx = tmp_path / "out.xlsx", tmp_path / "out.docx"
    code, stdout, stderr = run(
        capsys,
        str(sales_xlsx),
        "--sheet",
        "Sales",
        "--range",
        "A1:E17",
        "--out",
        str(xlsx),
        "--out",
        str(docx),
        "--no-model",
    )
    assert code == 0, stderr
    assert f"wrote xlsx: {xlsx}" in stderr and f"wrote docx: {docx}" in stderr
    assert stdout.strip()  # the narrative
    wb = load_workbook(xlsx)
    report = wb["Report"]
    texts = [str(c.value) for row in report.iter_rows() for c in row if c.value is not None]
    assert any("Sales!A1:E17: 16 rows" in t for t in texts)
    revenue16 = sum(r[4] for r in sales_rows()[:16])
    assert any(t.startswith(f"Revenue: total {format_number(revenue16)},") for t in texts)
    assert docx.stat().st_size > 10_000


def _names_only(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "City"])
    for name, city in [("Ann", "Oslo"), ("Bob", "Rome"), ("Cy", "Oslo")]:
        ws.append([name, city])
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("setup", "args", "code", "message"),
    [
        ("names", [], 1, "no table with numeric columns found"),
        ("sales", ["--sheet", "Budget"], 2, "no sheet named 'Budget'"),
        ("sales", ["--out", "report.pdf"], 2, "cannot write a report as .pdf"),
        ("sales", ["--out", "SELF"], 2, "the report would overwrite the input workbook"),
        ("sales", ["--range", "A1"], 2, "the range A1 has no rows under its header row"),
        ("sales", ["--range", "C:C"], 2, "not a bounded cell range"),
        ("missing", [], 2, "no such file"),
        ("corrupt", [], 1, "not a valid Excel file"),
    ],
)
def test_clear_reasons(
    setup: str,
    args: list[str],
    code: int,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = {
        "names": lambda: _names_only(tmp_path / "names.xlsx"),
        "sales": lambda: write_sales_workbook(tmp_path / "sales.xlsx"),
        "missing": lambda: tmp_path / "nope.xlsx",
        "corrupt": lambda: _corrupt(tmp_path / "broken.xlsx"),
    }[setup]()
    args = [str(path) if a == "SELF" else a for a in args]
    got, _, stderr = run(capsys, str(path), "--no-model", *args)
    assert got == code, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("deskdraft: error:")]
    assert len(errors) == 1 and message in errors[0], stderr
    assert "Traceback" not in stderr
    if setup in {"names", "corrupt", "missing"}:
        assert str(path) in errors[0], "the error names the workbook"


def _corrupt(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + os.urandom(200))
    return path


def test_pane_json_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells: list[list[Any]] = [list(HEADER)] + [
        [r[0].isoformat(), r[1], r[2], r[3], r[4]] for r in sales_rows()
    ]
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps({"document": {"kind": "xlsx", "sheets": [{"name": "Sales", "cells": cells}]}}),
        encoding="utf-8",
    )
    code, stdout, _ = run(
        capsys, str(job), "--no-model", "--json", "--out", str(tmp_path / "pane.md")
    )
    assert code == 0
    data = json.loads(stdout)
    assert data["chart"]["type"] == "ColumnClustered" and data["sheet"][0][0] == data["title"]


def test_installed_entry_point(sales_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    env = {**os.environ, "DESKDRAFT_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "plugin",
            "report",
            str(sales_xlsx),
            "--no-model",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "narrative: extractive, verified" in result.stderr


def test_the_model_is_loaded_only_for_model_narrative(
    sales_xlsx: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import plugin.engine.runtime
    from tests.drafts.report.helpers import GOOD, ScriptedEngine

    loads: list[ScriptedEngine] = []

    def fake_engine() -> ScriptedEngine:
        loads.append(ScriptedEngine([GOOD]))
        return loads[-1]

    monkeypatch.setattr(plugin.engine.runtime, "get_engine", fake_engine)
    code, _, stderr = run(capsys, str(sales_xlsx), "--out", str(tmp_path / "a.md"))
    assert code == 0 and loads == [] and "narrative: extractive, verified" in stderr
    code, stdout, stderr = run(
        capsys, str(sales_xlsx), "--out", str(tmp_path / "b.md"), "--model-narrative"
    )
    assert code == 0 and len(loads) == 1 and "narrative: abstractive, verified" in stderr
    assert stdout.strip() == GOOD
