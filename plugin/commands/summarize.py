"""``deskdraft summarize SOURCE... [--style oneline|brief|bullets] [--json]``.

Every SOURCE ``ingest`` accepts, plus ``-`` (text on stdin) and ``.txt`` files. All
documents are summarized in one call, so the model loads once and generates in
batches. With ``--json``: one JSON object per document per line (``Draft.to_json()``:
``source, style, summary, key_points, path, elapsed_ms, verified, model``). Unreadable
items are reported on stderr and skipped; the exit status is then 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from connectors.document import Document
from connectors.errors import BadInputError
from plugin.drafts.summary.summarize import STYLES

EXIT_SOME_FAILED = 3


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "summarize",
        help="summarize mail, Word documents or text with the local model",
        description="Summarize each document of each SOURCE (a file, directory, mbox:PATH, "
        "maildir:PATH, imap://..., a .txt file, or - for text on stdin). Every summary is "
        "checked against its source; the output says whether the model's text passed "
        "(path abstractive) or the best source sentences were used (path extractive), "
        "and how the text was checked (quoted from the mail, reworded and checked "
        "against sentences N, or not checked).",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument(
        "--style",
        choices=STYLES,
        default="brief",
        help="oneline: a subject line; brief (default): up to three sentences (four for a "
        "mail of eight or more) quoted from the mail, with what they lean on and a short gap "
        "between them said too and '[…]' where text is left out; bullets: key points and "
        "action items",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument(
        "--thread",
        action="store_true",
        help="summarize mail threads as threads (asked, decided, open)",
    )
    parser.add_argument(
        "--compress",
        action="store_true",
        help="brief: let the model shorten each chosen sentence (each cut checked; off by "
        "default: on judged mail a compression misled about twice as often as a quote)",
    )
    parser.add_argument(
        "--no-model", action="store_true", help="extractive only: do not load the language model"
    )
    parser.add_argument("--batch-size", type=int, default=8, help="prompts decoded together")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    parser.set_defaults(func=run)


def _read(sources: list[str], stdin: Any) -> tuple[list[Document], int]:
    from plugin.drafts.inputs import read_sources

    return read_sources(sources, stdin, require_text="there is no text to summarize")


def run(args: argparse.Namespace, stdout: TextIO | None = None, stdin: Any = None) -> int:
    from tqdm import tqdm

    from plugin.drafts.summary.summarize import SummaryDraft

    out = stdout or sys.stdout
    documents, failed = _read(args.sources, stdin)
    if not documents:
        raise BadInputError("nothing to summarize", item=", ".join(args.sources))
    engine = None
    if not args.no_model:
        from plugin.engine.runtime import get_engine

        engine = get_engine()
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    with tqdm(
        total=len(documents),
        desc="summarize",
        unit="doc",
        file=sys.stderr,
        disable=not show or len(documents) < 2,
    ) as bar:
        options = {
            "style": args.style,
            "thread": args.thread,
            "model": not args.no_model,
            "compress": args.compress,
            "batch_size": args.batch_size,
            "progress": bar.update,
        }
        drafts = SummaryDraft(engine).draft(documents, options)
    for draft in drafts:
        data = draft.to_json()
        if args.json:
            print(json.dumps(data, ensure_ascii=False), file=out)
        else:
            # The same words the pane's badge shows ("reworded, checked against ...").
            check = data.get("check") or {}
            mark = check.get("label") or ("verified" if draft.verified else "NOT verified")
            source = data["source"]
            source = ", ".join(source) if isinstance(source, list) else source
            print(f"{source}  [{data['path']}, {mark}]", file=out)
            print("  " + draft.text.replace("\n", "\n  "), file=out)
    return EXIT_SOME_FAILED if failed else 0
