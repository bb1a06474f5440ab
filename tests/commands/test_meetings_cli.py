"""``deskdraft suggest-meetings``: in-process through ``plugin.cli.main`` and once through
the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from plugin.cli import main

MAIL = """\
From: Ann Lee <ann@example.com>
To: Bob Stone <bob@example.com>
Subject: Re: Q4 budget review
Date: Wed, 25 Nov 2026 09:00:00 -0600
Message-ID: <budget-1@example.com>
Content-Type: text/plain; charset=utf-8

Hi Bob,

Can we go through the Q4 budget on Tuesday, December 1 at 2:30pm CST in EB 3267?
If that does not work, Wednesday at 10am is fine too.

Please send me the numbers by EOD Friday.

Thanks,
Ann
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["suggest-meetings", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def eml(tmp_path: Path) -> Path:
    path = tmp_path / "budget.eml"
    path.write_text(MAIL, encoding="utf-8")
    return path


def test_json_output(eml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(eml), "--json", "--no-model")
    assert code == 0
    data = json.loads(out)
    assert data["verified"] is True and data["model"] == "none"
    starts = [(s["start"], s["kind"], s["alternative"]) for s in data["suggestions"]]
    assert starts == [
        ("2026-12-01T14:30:00-06:00", "meeting", True),
        ("2026-12-02T10:00:00-06:00", "meeting", True),
        ("2026-11-27T17:00:00-06:00", "deadline", False),
    ]
    first = data["suggestions"][0]
    assert first["title"] == "Q4 budget review" and first["location"] == "EB 3267"
    assert first["timezone"] == "America/Chicago"
    assert "Bob Stone <bob@example.com>" in first["attendees"]


def test_ics_file_parses_and_validates(
    eml: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.ics"
    code, _, err = run(capsys, str(eml), "--ics", str(target), "--no-model")
    assert code == 0 and "wrote 3 event(s)" in err
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)
    assert events[0].decoded("DTSTART") == datetime(
        2026, 12, 1, 14, 30, tzinfo=ZoneInfo("America/Chicago")
    )
    assert calendar.walk("VTIMEZONE")


def test_ics_to_stdout(eml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(eml), "--ics", "-", "--no-model")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR")
    assert len(icalendar.Calendar.from_ical(out).walk("VEVENT")) == 3


def test_plain_text_with_reference_and_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Lunch tomorrow at noon?\n", encoding="utf-8")
    code, out, _ = run(
        capsys,
        str(note),
        "--json",
        "--no-model",
        "--reference",
        "2026-11-25T09:00:00+01:00",
        "--timezone",
        "W. Europe Standard Time",
    )
    assert code == 0
    (suggestion,) = json.loads(out)["suggestions"]
    assert suggestion["start"] == "2026-11-26T12:00:00+01:00"
    assert suggestion["timezone"] == "Europe/Berlin"
    assert suggestion["title"] == "Lunch"


def test_readable_listing(eml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = run(capsys, str(eml), "--json", "--no-model")
    likely = [s["likely"] for s in json.loads(data)["suggestions"]]
    code, out, _ = run(capsys, str(eml), "--no-model")
    assert code == 0
    lines = out.splitlines()[1:]
    maybe = "" if likely[0] else " (maybe)"
    assert lines[0] == (
        f"2026-12-01 14:30 America/Chicago: Q4 budget review (meeting){maybe} (alternative)"
    )
    # Below [calendar] likely_confidence a line says "maybe"; the others do not.
    assert [("(maybe)" in line) for line in lines] == [not flag for flag in likely]
    for bar, marked in (("0", False), ("1", True)):
        code, out, _ = run(capsys, str(eml), "--no-model", "--likely-confidence", bar)
        assert code == 0
        assert [("(maybe)" in line) for line in out.splitlines()[1:]] == [marked] * len(likely)


def test_unknown_zone_is_a_usage_error(eml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(eml), "--timezone", "Mars/Olympus", "--no-model")
    assert code == 2 and "unknown time zone 'Mars/Olympus'" in err


def test_reference_needs_an_offset(eml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(eml), "--reference", "2026-11-25T09:00", "--no-model")
    assert code == 2 and "UTC offset" in err


def test_unreadable_item_is_skipped_with_exit_3(
    eml: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip at all")
    code, out, err = run(capsys, str(eml), str(broken), "--json", "--no-model")
    assert code == 3
    assert "broken.docx" in err
    assert len(out.strip().splitlines()) == 1


def test_nothing_readable_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip at all")
    code, _, err = run(capsys, str(broken), "--no-model")
    assert code == 1 and "nothing to read" in err


def test_real_corpus_mail(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus_dir / "mail/spamassassin/easy-ham-1_01908.d4433993e642ce126d272930d9ce47da.eml"
    code, out, _ = run(capsys, str(path), "--json", "--no-model")
    assert code == 0
    (suggestion,) = json.loads(out)["suggestions"]
    assert suggestion["start"] == "2002-09-27T19:00:00+00:00"  # "7PM this Friday", Date +0000


def test_installed_entry_point(eml: Path) -> None:
    command = Path(sys.executable).with_name("deskdraft")
    result = subprocess.run(
        [str(command), "suggest-meetings", str(eml), "--json", "--no-model"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["suggestions"]) == 3


def test_min_confidence_flag_hides_weak_suggestions(
    eml: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(eml), "--json", "--no-model")
    confidences = [s["confidence"] for s in json.loads(out)["suggestions"]]
    # A bar between the weakest suggestion and the next (alternatives share one
    # confidence, so the weakest may come twice); halfway, since the JSON rounds them.
    cut = (min(confidences) + min(c for c in confidences if c > min(confidences))) / 2
    code, out, _ = run(capsys, str(eml), "--json", "--no-model", "--min-confidence", str(cut))
    assert code == 0
    kept = [s["confidence"] for s in json.loads(out)["suggestions"]]
    assert kept and all(c >= cut for c in kept) and len(kept) < len(confidences)
    code, _, err = run(capsys, str(eml), "--json", "--no-model", "--min-confidence", "2")
    assert code != 0 and "min_confidence" in err
