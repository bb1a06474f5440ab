"""The judged briefs (``tests/data/brief_judged*.json``) are a usable evaluation set:
every file is there with as many briefs as it was judged with, split by mailbox, each with
a verdict and its reason. Whether today's checks refuse the unfaithful ones is
``test_judged_checks.py``."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tests.drafts.summary.judged import JUDGED, SIZES, judged_items


def test_every_judged_file_is_there() -> None:
    assert [p.name for p in JUDGED] == sorted(SIZES)


@pytest.mark.parametrize("path", JUDGED, ids=lambda p: p.name)
def test_the_judged_set_is_split_by_mailbox_and_every_verdict_has_a_reason(path: Path) -> None:
    items = judged_items(path)
    assert len(items) == SIZES[path.name]
    splits: dict[str, set[str]] = defaultdict(set)
    for item in items:
        assert item["split"] in ("dev", "test")
        if item.get("moved"):
            # A test item whose mail was read while building the pipeline counts as dev.
            assert item["split"] == "dev" and str(item["moved"]).strip()
        else:
            splits[str(item["mailbox"])].add(str(item["split"]))
        assert isinstance(item["faithful"], bool) and isinstance(item["useful"], bool)
        assert str(item["reason"]).strip() and str(item["draft"]).strip()
        if "lines" in item:  # each line the product checked is said in the draft
            lines, said = item["lines"], " ".join(str(item["draft"]).split())
            assert isinstance(lines, list) and lines
            assert all(" ".join(str(x).split()).rstrip(".") in said for x in lines), lines
    assert all(len(s) == 1 for s in splits.values()), "a mailbox is in both splits"
    # Sampled with at least 40 test items; those read later while fixing count as dev.
    assert sum(i["split"] == "test" or bool(i.get("moved")) for i in items) >= 40
