"""Digest benchmark: quality on the hand labels, junk one-liners, and one 500-mail digest.

1. Category accuracy with a confusion table, and ask precision/recall, on the test split
   of ``tests/data/digest_labels.json`` (never trained or tuned on), beside the figures
   of the digest before categories (every mail one kind; "asks" = any request sentence).
2. The share of junk one-liners (``plugin.drafts.summary.oneliner.junk_reason``) and of lines
   that say something: today's digest line beside the terse ``oneline`` summary the
   digest printed before, over every mail of ``../shared/corpus/mail`` without the model,
   and over a seeded sample with it (``--model-sample``, default 60: the model costs
   seconds per mail on 2 shared cores). ``--lines-out FILE`` writes every pair as JSON.
3. One digest over 500 corpus messages with the default model, read through the file
   connector exactly as ``deskdraft digest run --source FOLDER --since all`` would.
   Target: <= 10 minutes on 2 cores.

Progress is shown on stderr. The LAST stdout line is one JSON object with all figures.

Usage: ``.venv/bin/python bench/digest.py [--messages 500] [--skip-digest]
[--skip-lines] [--lines-out FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))


def corpus_messages(limit: int | None = None) -> list[Path]:
    mail = SHARED / "corpus" / "mail"
    if not mail.is_dir():
        raise SystemExit(f"bench/digest.py needs the corpus at {mail}")
    files = sorted((mail / "spamassassin").glob("*.eml"))
    files += sorted((mail / "fixtures").rglob("*.eml"))
    return files if limit is None else files[:limit]


def quality(engine: Any) -> dict[str, Any]:
    from plugin.digest import evaluation as mail_eval
    from plugin.drafts.triage import labels as mail_labels

    pairs = mail_labels.load(SHARED, split="test")
    before = mail_eval.evaluate_before(pairs)
    after = mail_eval.evaluate(pairs, engine)
    print(f"\nTest split: {after.messages} labelled mails (dev/test split by sender or mailbox)")
    print(
        f"category accuracy: {after.accuracy:.3f} (before: every mail one kind, "
        f"{before.accuracy:.3f})"
    )
    print(
        f"ask precision {after.ask_precision:.3f}, recall {after.ask_recall:.3f} "
        f"(before: {before.ask_precision:.3f}, {before.ask_recall:.3f})"
    )
    print("\nConfusion (rows: label, columns: predicted):\n" + after.confusion_table() + "\n")
    return {
        "before": before.to_json(),
        "after": after.to_json(),
        "confusion": {f"{t}->{p}": n for (t, p), n in sorted(after.confusion.items())},
    }


def _corpus_documents() -> list[Any]:
    from connectors.errors import DeskdraftError
    from connectors.mailparse import parse_message
    from plugin.digest.compose import DIGEST_TEXT_CHARS

    documents = []
    for path in corpus_messages():
        try:
            doc = parse_message(path.read_bytes(), str(path.relative_to(SHARED)))
        except DeskdraftError:
            continue
        documents.append(replace(doc, text=doc.text[:DIGEST_TEXT_CHARS], sections=[]))
    return documents


def _line_pairs(engine: Any | None, documents: list[Any], bar: Any) -> list[dict[str, Any]]:
    """Today's digest line and the old one (the terse ``oneline`` summary) per mail."""
    from plugin.drafts.summary import SummaryDraft
    from plugin.drafts.summary.oneliner import DigestLines, sender_name

    new = DigestLines(engine, progress=bar.update).lines(documents)
    with_text = [d for d in documents if d.full_text().strip()]
    old_drafts = SummaryDraft(engine).draft(
        with_text, {"style": "oneline", "progress": bar.update, "model": engine is not None}
    )
    old = {d.id: draft.text for d, draft in zip(with_text, old_drafts, strict=True)}
    return [
        {
            "source": d.source,
            "sender": sender_name(d.author),
            "old": old.get(d.id, d.title),
            "new": line.text,
            "path": line.path,
        }
        for d, line in zip(documents, new, strict=True)
    ]


def _shares(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    from plugin.drafts.summary.oneliner import junk_reason, says_something

    def junk(text: str, path: str) -> bool:
        # The labelled subject fallback may be short ("Lunch"); it is still never a URL,
        # an address or a header.
        reason = junk_reason(text)
        return reason is not None and not (path == "subject" and reason == "fragment")

    n = max(len(pairs), 1)
    return {
        "mails": len(pairs),
        "new_junk_share": round(sum(junk(p["new"], p["path"]) for p in pairs) / n, 4),
        "old_junk_share": round(sum(junk_reason(p["old"]) is not None for p in pairs) / n, 4),
        "new_says_something": round(
            sum(says_something(p["new"], p["sender"]) for p in pairs) / n, 4
        ),
        "old_says_something": round(sum(says_something(p["old"]) for p in pairs) / n, 4),
        "new_paths": {
            k: sum(p["path"] == k for p in pairs) for k in ("abstractive", "extractive", "subject")
        },
    }


def lines(engine: Any, out: Path | None, sample: int) -> dict[str, Any]:
    """Junk and says-something shares: the whole corpus without the model, and a seeded
    sample of ``sample`` mails with it. Either way a new line is the model's line only
    when it passes the checks, else a sentence that passes them, else the subject."""
    import random

    from tqdm import tqdm

    documents = _corpus_documents()
    bar = tqdm(total=2 * len(documents), desc="one-liners, no model", file=sys.stderr)
    whole = _line_pairs(None, documents, bar)
    bar.close()
    picked = random.Random(18).sample(documents, min(sample, len(documents)))
    bar = tqdm(total=2 * len(picked), desc="one-liners, model", file=sys.stderr)
    with_model = _line_pairs(engine, picked, bar)
    bar.close()
    figures = {
        "whole_corpus_without_model": _shares(whole),
        "sample_with_model": _shares(with_model),
    }
    for name, f in figures.items():
        print(
            f"one-liners, {name.replace('_', ' ')} ({f['mails']} mails): junk "
            f"{f['new_junk_share']:.1%} (before {f['old_junk_share']:.1%}), says something "
            f"{f['new_says_something']:.1%} (before {f['old_says_something']:.1%})"
        )
    if out is not None:
        out.write_text(
            json.dumps(
                {"whole_corpus_without_model": whole, "sample_with_model": with_model},
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return figures


def digest(engine: Any, count: int) -> dict[str, Any]:
    from tqdm import tqdm

    from plugin.digest.compose import DigestDraft
    from plugin.jobs.progress import reporting_to

    files = corpus_messages(count)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DESKDRAFT_HOME", str(Path(tmp) / "home"))
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        for index, path in enumerate(files):
            (inbox / f"{index:04d}-{path.name}").symlink_to(path)
        bar = tqdm(total=1000, desc="digest", unit="‰", file=sys.stderr)

        def progress(fraction: float, message: str | None) -> bool:
            bar.n = int(fraction * 1000)
            bar.set_postfix_str(message or "", refresh=True)
            return True

        started = time.perf_counter()
        with reporting_to(progress):
            [draft] = DigestDraft(engine).draft(
                [],
                {
                    "source": str(inbox),
                    "since": "all",
                    "max_messages": count,
                    "to": "reader@example.com",
                },
            )
        total = time.perf_counter() - started
        bar.close()
    data = draft.data
    print(
        f"messages read: {data['messages']}, in digest: {data['included']}, "
        f"threads: {len(data['threads'])}, unreadable: {len(data['errors'])}, "
        f"sections: {data['sections']}, collapsed: "
        f"{', '.join(c['label'] for c in data['collapsed'])}"
    )
    print(f"total {total:.1f} s, {1000 * total / max(data['included'], 1):.0f} ms per message")
    return {
        "messages": data["included"],
        "total_s": round(total, 2),
        "ms_per_message": round(1000 * total / max(data["included"], 1), 1),
        "threads": len(data["threads"]),
        "sections": data["sections"],
        "action_items": len(data["action_items"]),
        "meetings": len(data["meetings"]),
        "model": data["model"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--skip-digest", action="store_true", help="no 500-mail digest")
    parser.add_argument("--skip-lines", action="store_true", help="no corpus one-liners")
    parser.add_argument("--lines-out", type=Path, help="write every old/new line as JSON")
    parser.add_argument(
        "--model-sample",
        type=int,
        default=60,
        help="corpus mails whose lines the model writes (default 60)",
    )
    args = parser.parse_args()

    from plugin.engine.runtime import get_engine

    engine = get_engine()
    result: dict[str, Any] = {"load_average": [round(x, 2) for x in os.getloadavg()]}
    result["labels"] = quality(engine)
    if not args.skip_lines:
        result["one_liners"] = lines(engine, args.lines_out, args.model_sample)
    if not args.skip_digest:
        result["digest"] = digest(engine, args.messages)
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
