"""Digest benchmark: one digest over 500 messages from the real-world corpus.

The messages (``../shared/corpus/mail``: SpamAssassin ham, then mail-parser fixtures) are
linked into a temporary folder and read through the file connector, exactly as
``deskdraft digest run --source FOLDER --since all`` would, with the default model.
Progress is shown on stderr throughout. The LAST stdout line is one JSON object with
``messages``, ``total_s``, ``ms_per_message`` and ``threads``.
Target: <= 10 minutes for 500 messages on 2 cores.

Usage: ``.venv/bin/python bench/digest.py [--messages 500]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))


def corpus_messages(limit: int) -> list[Path]:
    mail = SHARED / "corpus" / "mail"
    if not mail.is_dir():
        raise SystemExit(f"bench/digest.py needs the corpus at {mail}")
    files = sorted((mail / "spamassassin").glob("*.eml"))
    files += sorted((mail / "fixtures").rglob("*.eml"))
    return files[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()

    from tqdm import tqdm

    from plugin.digest.compose import DigestDraft
    from plugin.engine.runtime import get_engine
    from plugin.jobs.progress import reporting_to

    files = corpus_messages(args.messages)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DESKDRAFT_HOME", str(Path(tmp) / "home"))
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        for index, path in enumerate(files):
            (inbox / f"{index:04d}-{path.name}").symlink_to(path)
        engine = get_engine()
        bar = tqdm(total=1000, desc="digest", unit="‰", file=sys.stderr)

        def progress(fraction: float, message: str | None) -> bool:
            bar.n = int(fraction * 1000)
            bar.set_postfix_str(message or "", refresh=True)
            return True

        started = time.perf_counter()
        with reporting_to(progress):
            [draft] = DigestDraft(engine).draft(
                [], {"source": str(inbox), "since": "all", "max_messages": args.messages,
                     "to": "reader@example.com"})
        total = time.perf_counter() - started
        bar.close()
    data = draft.data
    print(f"messages read: {data['messages']}, in digest: {data['included']}, "
          f"threads: {len(data['threads'])}, unreadable: {len(data['errors'])}")
    print(f"total {total:.1f} s, {1000 * total / max(data['included'], 1):.0f} ms per message")
    print(json.dumps({
        "messages": data["included"],
        "total_s": round(total, 2),
        "ms_per_message": round(1000 * total / max(data["included"], 1), 1),
        "threads": len(data["threads"]),
        "action_items": len(data["action_items"]),
        "meetings": len(data["meetings"]),
        "model": data["model"],
    }))


if __name__ == "__main__":
    main()
