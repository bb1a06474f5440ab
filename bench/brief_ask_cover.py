"""Does the brief carry the mail's ask? Measured on blind labels no brief rule was read from.

``tests/data/ask_labels.json`` holds random mails of dev-split mailboxes whose asks six
helpers marked blind (issues #17/#18, session 8), as verbatim fragments. For every mail
with at least one ask this script plans the brief (``brief.plan_brief`` over
``rank.rank_many`` with the real embedder; briefs are quoted, so no decoding) and counts
the mails whose brief says a sentence holding one of the labelled fragments, and the
share of all labelled ask sentences the briefs say (a mail may ask several things).

The labels are split in two halves by mailbox (a CRC of the mailbox name): the misses of
half **A** may be read while changing the request finder; half **B** is only counted, so
it shows whether a change carries to mail it was not read from (issue #12's usefulness:
"the brief must carry the mail's request"). Neither half is the judged test split.

Usage::

    nice -n 10 .venv/bin/python bench/brief_ask_cover.py [--shared ../shared] [--misses A]

Prints one JSON line; ``--misses A`` also prints half A's misses (never B's).
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for _folder in (REPO, REPO / "bench"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from plugin.drafts.text.sentences import Sentence  # noqa: E402

ASK_LABELS = REPO / "tests" / "data" / "ask_labels.json"
HALVES = ("A", "B")


def half_of(path: str) -> str:
    """The half of a labelled mail: all mails of one mailbox fall in the same half."""
    mailbox = Path(path).name.rsplit("_", 1)[0]
    return HALVES[zlib.crc32(mailbox.encode()) % 2]


def asking(path: Path = ASK_LABELS) -> list[dict[str, Any]]:
    """The labelled mails that ask the reader something."""
    return [m for m in json.loads(path.read_text(encoding="utf-8"))["messages"] if m["asks"]]


def ask_positions(sentences: Sequence[Sentence], fragments: Sequence[str]) -> set[int]:
    """The positions of the sentences that hold one of the labelled ask fragments."""
    from asks_data import holds, norm

    wanted = [norm(f) for f in fragments]
    return {k for k, s in enumerate(sentences) if any(holds(s.text, f) for f in wanted)}


def cover(
    labels: Sequence[dict[str, Any]],
    sentence_lists: Sequence[Sequence[Sentence]],
    chosen: Sequence[Sequence[int]],
) -> dict[str, Any]:
    """Per half and over all: mails, mails whose brief says an ask and their share, and
    the share of all labelled ask sentences that the briefs say (``ask_recall``)."""
    rows: dict[str, list[tuple[int, int]]] = {half: [] for half in HALVES}
    for label, sentences, said in zip(labels, sentence_lists, chosen, strict=True):
        asks = ask_positions(sentences, label["asks"])
        rows[half_of(label["path"])].append((len(asks), len(asks & set(said))))
    rows["all"] = [row for half in HALVES for row in rows[half]]
    figures: dict[str, Any] = {}
    for name, counts in rows.items():
        covered = sum(said > 0 for _, said in counts)
        asks = sum(total for total, _ in counts)
        figures[name] = {
            "mails": len(counts),
            "says_an_ask": covered,
            "share": round(covered / len(counts), 3) if counts else None,
            "ask_recall": round(sum(said for _, said in counts) / asks, 3) if asks else None,
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--misses", choices=["A"], help="print this half's misses")
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "aeslc-train").is_dir():
        print(f"no AESLC mail under {args.shared}: nothing to measure", file=sys.stderr)
        return 2
    from brief_judging import mail_text
    from brief_points import planner_choices

    from plugin.drafts.text.sentences import split_sentences
    from plugin.engine.runtime import get_engine

    labels = asking()
    relative = [label["path"].removeprefix("../shared/") for label in labels]
    sentence_lists = [split_sentences(mail_text(args.shared, path)) for path in relative]
    chosen, _ = planner_choices(sentence_lists, get_engine())
    if args.misses:
        for label, sentences, said in zip(labels, sentence_lists, chosen, strict=True):
            asks = ask_positions(sentences, label["asks"])
            if half_of(label["path"]) != args.misses or asks & set(said):
                continue
            print(f"== {label['path']}")
            for k in sorted(asks | set(said)):
                tag = "ASK " * (k in asks) + "SAID" * (k in said)
                print(f"  [{k}] {tag}: {sentences[k].text[:200]!r}")
    print(json.dumps(cover(labels, sentence_lists, chosen)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
