"""bench/brief_judging.py: figures over several judged files (moved items count as dev,
unjudged ones are left out), and fresh samples of unjudged test-split mails."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import brief_judging
import quality
from brief_judging import (
    JUDGED,
    aeslc_body,
    fresh_sample,
    judged_metrics,
    load_items,
    mailbox_split,
    named_in_labels,
)


def _item(mail: str, split: str, faithful: bool | None = None, **extra: Any) -> dict[str, Any]:
    item = {
        "mail": mail,
        "mailbox": mail.split("/")[-1].split("_")[0],
        "split": split,
        "draft": "A draft.",
        "path": "extractive",
        "verified": True,
        "check": "quoted from the mail",
        "elapsed_ms": 100.0,
        **extra,
    }
    if faithful is not None:
        item.update(faithful=faithful, useful=True, reason="read")
    return item


def test_figures_over_two_files_and_per_file(tmp_path: Path) -> None:
    first, second = tmp_path / "judged_a.json", tmp_path / "judged_b.json"
    first.write_text(
        json.dumps(
            {
                "items": [
                    _item("m/a_1", "test", True),
                    _item("m/a_2", "test", False),
                    _item("m/a_3", "dev", False, moved="read while fixing the claim check"),
                ]
            }
        )
    )
    second.write_text(
        json.dumps({"items": [_item("m/b_1", "test", True), _item("m/b_2", "test")]})
    )  # b_2 not judged yet
    figures = judged_metrics([first, second], "test")
    assert figures["judged_test_briefs"] == 3
    assert figures["judged_test_faithful_share"] == round(2 / 3, 4)
    assert figures["judged_test_verified_precision"] == round(2 / 3, 4)
    assert figures["judged_judged_a_test_faithful_share"] == 0.5
    assert figures["judged_judged_b_test_faithful_share"] == 1.0
    assert figures["judged_judged_b_test_unjudged"] == 1
    assert judged_metrics([first], "dev")["judged_dev_briefs"] == 1  # the moved item
    assert "judged_judged_a_dev_briefs" not in judged_metrics([first], "dev")
    # The sample as judged: its test items and the one read and moved to dev since.
    sampled = judged_metrics([first], "sampled")
    assert sampled["judged_sampled_briefs"] == 3
    assert sampled["judged_sampled_faithful_share"] == round(1 / 3, 4)


def test_a_paired_sample_reports_the_baseline_beside_it(tmp_path: Path) -> None:
    paired = tmp_path / "judged_p.json"
    before = {"draft": "Old.", "faithful": False, "useful": False}
    items = [
        _item("m/p_1", "test", True, baseline=before, preferred="this"),
        _item("m/p_2", "test", True, baseline={**before, "faithful": True}, preferred="same"),
        _item("m/p_3", "test", False, baseline={**before, "useful": True}, preferred="other"),
    ]
    paired.write_text(json.dumps({"items": items}))
    figures = judged_metrics(paired, "test")
    assert figures["judged_test_faithful_share"] == round(2 / 3, 4)
    assert figures["judged_test_baseline_faithful_share"] == round(1 / 3, 4)
    assert figures["judged_test_baseline_useful_share"] == round(1 / 3, 4)
    assert (figures["judged_test_preferred_this"], figures["judged_test_preferred_other"]) == (1, 1)
    single = tmp_path / "judged_s.json"
    single.write_text(json.dumps({"items": [_item("m/s_1", "test", True)]}))
    assert not [k for k in judged_metrics(single, "test") if "baseline" in k or "preferred" in k]


def test_the_read_test_items_were_moved_to_dev() -> None:
    moved = [i for i in load_items(JUDGED) if i.get("moved")]
    assert len(moved) == 2
    assert all(i["split"] == "dev" and mailbox_split(i["mailbox"]) == "test" for i in moved)
    assert all(not i["faithful"] for i in moved)


def _labels_of_the_first_round(tmp_path: Path) -> Path:
    """A label folder as it was before the held-out pool was used up: the first judged
    file and the reply labels (the project's own folder leaves no unread test mail)."""
    labels = tmp_path / "labels"
    labels.mkdir()
    for name in ("brief_judged.json", "reply_labels.json"):
        (labels / name).write_bytes((JUDGED.parent / name).read_bytes())
    return labels


def test_a_fresh_sample_is_unjudged_test_split_mails(shared_dir: Path, tmp_path: Path) -> None:
    labels = _labels_of_the_first_round(tmp_path)
    judged = {i["mail"] for i in load_items(JUDGED)}
    sample = fresh_sample(shared_dir, 20, 5, [JUDGED], labels)
    assert len({mail for mail, _, _ in sample}) == 20
    again = fresh_sample(shared_dir, 20, 5, [JUDGED], labels)
    assert [m for m, _, _ in sample] == [m for m, _, _ in again]
    read = named_in_labels(labels)
    assert "bass-e_sent_920" not in read  # a digest label: not in this folder
    dev_bodies = {
        aeslc_body(p).strip() for p in (shared_dir / "data" / "aeslc-dev").glob("*.subject")
    }
    bodies = set()
    for mail, mailbox, document in sample:
        assert mail.startswith(("data/aeslc-dev/", "data/aeslc-train/")) and mail not in judged
        assert mailbox_split(mailbox) == "test" and document.text.strip()
        assert Path(mail).stem not in read, mail
        body = aeslc_body(shared_dir / mail).strip()
        assert mail.startswith("data/aeslc-dev/") or body not in dev_bodies, mail
        bodies.add(body)
    assert len(bodies) == len(sample)
    with pytest.raises(SystemExit, match="unjudged test-split mails"):
        fresh_sample(shared_dir, 100_000, 5, [JUDGED], labels)


def test_label_files_name_the_mails_people_read() -> None:
    read = named_in_labels()
    # a reply label, a digest label and a judged brief, each by its file name
    assert {"mims-thurston-p_inbox_165", "bass-e_sent_920", "shackleton-s_sent_1005"} <= read
    assert all(name.count("_") >= 2 for name in read)


@pytest.fixture
def on_tiny_engine(tiny_engine: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``bench/quality.py`` run on the tiny engine (its drafts are gibberish: plumbing only)."""
    import plugin.engine.runtime

    monkeypatch.setattr(plugin.engine.runtime, "get_engine", lambda: tiny_engine)
    return tiny_engine


def test_brief_sample_writes_items_to_judge_and_a_timing_line(
    shared_dir: Path,
    on_tiny_engine: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(brief_judging, "LABELS", _labels_of_the_first_round(tmp_path))
    out = tmp_path / "fresh.json"
    assert (
        quality.main(
            [
                "--shared",
                str(shared_dir),
                "--brief-sample",
                str(out),
                "--fresh",
                "3",
                "--seed",
                "2",
                "--judged",
                str(JUDGED),
            ]
        )
        == 0
    )
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["briefs"] == 3 and line["p50_elapsed_ms"] > 0 and line["cpu_s_per_brief"] > 0
    assert "load_avg_1m" in line
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["sample"] == {
        "fresh": 3,
        "seed": 2,
        "split": "test",
        "excluded": ["tests/data/brief_judged.json"],
    }
    assert len(written["generated"]["commit"]) == 40 and written["generated"]["batch_size"] == 8
    expected = [m for m, _, _ in brief_judging.fresh_sample(shared_dir, 3, 2, [JUDGED])]
    assert [i["mail"] for i in written["items"]] == expected
    for item in written["items"]:
        assert set(item) == {
            "mail",
            "mailbox",
            "split",
            "draft",
            "lines",
            "path",
            "verified",
            "check",
            "elapsed_ms",
        }
        assert item["split"] == "test"
        # The lines the product checked one by one, each said in the draft.
        said = " ".join(item["draft"].split())
        assert item["lines"] and all(" ".join(x.split()).rstrip(".") in said for x in item["lines"])


def test_rewrite_dev_puts_todays_briefs_beside_the_verdicts(
    shared_dir: Path,
    on_tiny_engine: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    judged = JUDGED.parent / "brief_judged_59.json"
    dev = [i for i in load_items(judged) if i["split"] == "dev"]
    out = tmp_path / "rewritten.json"
    args = ["--shared", str(shared_dir), "--rewrite-dev", str(out), "--judged", str(judged)]
    assert quality.main(args) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert line["split"] == "dev" and line["briefs"] == len(dev) == len(written["items"])
    for row, item in zip(written["items"], dev, strict=True):
        assert row["mail"] == item["mail"] and row["judged_draft"] == item["draft"]
        assert (row["faithful"], row["useful"]) == (item["faithful"], item["useful"])
        assert row["changed"] == (row["draft"] != item["draft"]) and row["draft"].strip()
    unchanged = [r for r in written["items"] if not r["changed"]]
    assert line["changed"] == len(dev) - len(unchanged)
    assert line["carried_useful"] == sum(r["useful"] for r in unchanged)
