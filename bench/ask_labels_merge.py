"""Merge the session-8 blind ask labels (one file per labeller) into
``tests/data/ask_labels.json``.

    .venv/bin/python bench/ask_labels_merge.py /work/runs/s8_ask_labels_*.json

Keeps dev-mailbox mails only (``bench/reply.py:split_of``), drops a mail whose path is in
the reply labels or a test label of the digest labels, a mail whose body is exactly one
already kept or one of a mail of the reply or digest labels (Enron holds many copies of one
mail, under other mailboxes: a copy of a test mail must not come in as dev, and a copy
of a labelled dev mail would sit in another CV fold than its twin), and prints what it
dropped and why.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asks_data import REPO, relative
from reply import LABELS, norm, split_of

OUT = REPO / "tests" / "data" / "ask_labels.json"
SHARED = REPO.parent / "shared"
ABOUT = (
    "Sentence-level ask labels (issues #17/#18, session 8): random mails of dev-split "
    "mailboxes (bench/reply.py:split_of), asking or not, labelled blind by six helpers "
    "(read the mail only, before any draft, plan or bench output of it existed). 'asks' "
    "lists verbatim fragments of the sentences that ask something of the reader ([] = no "
    "ask). No path of the reply labels or of a test label of the digest labels; exact "
    "duplicate bodies, and copies of a mail of the reply or digest labels, dropped "
    "(bench/ask_labels_merge.py). Used by bench/asks_data.py and bench/asks_cv.py."
)


def body(path: str) -> str:
    return (SHARED / relative(path)).read_text(encoding="utf-8").split("\n@subject")[0].strip()


def main(files: list[str]) -> int:
    from plugin.drafts.triage import labels as mail_labels

    reply_paths = {relative(m["path"]) for m in json.loads(LABELS.read_text())["messages"]}
    digest = mail_labels.read_labels()
    digest_test = {relative(x.path) for x in digest if x.split == "test"}
    labelled = {
        norm(body(path))
        for path in [*reply_paths, *(relative(x.path) for x in digest)]
        if path.startswith("data/aeslc-")
    }
    kept: list[dict] = []
    bodies: set[str] = set()
    dropped: dict[str, int] = {}
    for name in sorted(files):
        for message in json.loads(Path(name).read_text(encoding="utf-8"))["messages"]:
            path = message["path"]
            text = body(path)
            reason = (
                "test mailbox"
                if split_of(path) != "dev"
                else "in reply labels"
                if relative(path) in reply_paths
                else "digest test label"
                if relative(path) in digest_test
                else "duplicate body"
                if norm(text) in bodies
                else "copy of a labelled mail"
                if norm(text) in labelled
                else "fragment not in mail"
                if any(norm(a) not in norm(text) for a in message["asks"])
                else ""
            )
            if reason:
                dropped[reason] = dropped.get(reason, 0) + 1
                print(f"drop ({reason}): {path}", file=sys.stderr)
                continue
            bodies.add(norm(text))
            kept.append({"path": path, "asks": list(message["asks"])})
    OUT.write_text(
        json.dumps({"about": ABOUT, "messages": kept}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    asking = sum(bool(m["asks"]) for m in kept)
    fragments = sum(len(m["asks"]) for m in kept)
    print(f"kept {len(kept)} ({asking} asking, {fragments} fragments); dropped {dropped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
