"""plugin.jobs.feedback: records per job, in the order they were given."""

from __future__ import annotations

from pathlib import Path

from plugin.jobs.feedback import FeedbackTable


def test_feedback_is_kept_per_job_in_order(tmp_path: Path) -> None:
    table = FeedbackTable(f"sqlite:///{tmp_path / 'f.sqlite'}")
    first = table.add_feedback("a" * 32, 1, "edited", None, 0)
    second = table.add_feedback("a" * 32, -1, None, "too long", 2)
    table.add_feedback("b" * 32, 1, None, None, 0)
    found = table.feedback("a" * 32)
    assert [f["id"] for f in found] == [first, second]
    assert (found[1]["rating"], found[1]["comment"], found[1]["draft_index"]) == (-1, "too long", 2)
    assert table.feedback("c" * 32) == []
    table.close()
