"""Today's checks against the judged briefs (``tests/data/brief_judged*.json``): each
judged draft names a mail of ``../shared`` by path (the mails are never copied), and every
draft its reader found unfaithful fails today's checks, but for the known misses
(``judged_misses.py``), which are strict xfails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.drafts.summary.judged import JUDGED, UNFAITHFUL, judged_items
from tests.drafts.summary.judged_misses import KNOWN_MISSES

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from brief_judging import mail_text, passes_todays_checks


@pytest.mark.parametrize("path", JUDGED, ids=lambda p: p.name)
def test_every_draft_the_reader_found_unfaithful_fails_todays_checks(
    path: Path, shared_dir: Path
) -> None:
    unfaithful = 0
    for item in judged_items(path):
        mail = shared_dir / str(item["mail"])
        assert mail.is_file(), mail
        if not item["faithful"]:
            unfaithful += 1
            if item["mail"] in KNOWN_MISSES:
                continue
            assert _refused(item, shared_dir), f"{item['mail']}: {item['reason']}"
    # Every draft a reader refused must fail today's checks (the third and thirtieth
    # files had none).
    assert unfaithful == UNFAITHFUL[path.name]


def _refused(item: dict[str, object], shared_dir: Path) -> bool:
    """Whether today's checks refuse the judged draft (``brief_judging``: the lines as the
    product checked them, against the summary's sentences)."""
    text = mail_text(shared_dir, str(item["mail"]))
    return not passes_todays_checks(dict(item), text)


@pytest.mark.xfail(strict=True, reason="issue #12: refused drafts the claim check still passes")
@pytest.mark.parametrize("mail", sorted(KNOWN_MISSES))
def test_known_misses_fail_todays_checks(mail: str, shared_dir: Path) -> None:
    (item,) = [i for path in JUDGED for i in judged_items(path) if i["mail"] == mail]
    assert not item["faithful"]
    assert _refused(item, shared_dir)
