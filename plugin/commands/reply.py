"""``deskdraft reply SOURCE... [--intent TEXT] [--thread] [--calendar SOURCE] [--json]``.

Drafts a reply to each message of each SOURCE (anything ``summarize`` reads: files,
directories, mbox:, maildir:, imap://, ews://, graph://, or - for stdin); with ``--thread``
the last message of each thread is answered and the earlier ones are context. The reply is
planned by code, worded by the model and checked; asks the intent does not answer are left
as ``[Answer: …]`` placeholders. With ``--json``: one object per reply per line
(``Draft.to_json()``: ``reply, html, plan, attributions, path, verified`` …). Unreadable items
are reported on stderr and skipped; the exit status is then 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from connectors.errors import BadInputError

EXIT_SOME_FAILED = 3


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "reply",
        help="draft a reply to mail, grounded in the mail, your calendar and your intent",
        description="Draft a reply to each message of each SOURCE. Code decides what the "
        "reply says (greeting, one answer or placeholder per question, the meeting answered "
        "against --calendar, your sign-off); the model only words it, and every name, date, "
        "time and number is checked against the mail, the calendar, the intent and your "
        "voice profile.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument(
        "--intent",
        metavar="TEXT",
        help="what to answer: yes, no, accept, decline, later:DAY, "
        "missing_file, or free text (its facts may appear in the reply)",
    )
    parser.add_argument(
        "--thread",
        action="store_true",
        help="answer the last message of each thread, reading the others",
    )
    parser.add_argument(
        "--calendar",
        metavar="SOURCE",
        help="an .ics file or an ews:// / graph:// source: proposed meeting "
        "times are accepted when free, else the nearest free slots offered",
    )
    parser.add_argument(
        "--user", metavar="ID", help="whose voice profile to use (see `deskdraft profile build`)"
    )
    parser.add_argument(
        "--reference", metavar="ISO", help="the send time for inputs without a Date header"
    )
    parser.add_argument("--timezone", metavar="ZONE", help="the sender's time zone")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument(
        "--no-model",
        action="store_true",
        help="template wording only: do not load the language model",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: TextIO | None = None, stdin: Any = None) -> int:
    from tqdm import tqdm

    from connectors.secrets import redact
    from plugin.drafts.inputs import read_sources
    from plugin.drafts.reply import ReplyDraft

    out = stdout or sys.stdout
    documents, failed = read_sources(args.sources, stdin)
    if not documents:
        raise BadInputError("nothing to reply to", item=", ".join(args.sources))
    engine = None
    if not args.no_model:
        from plugin.engine.runtime import get_engine

        engine = get_engine()
    options: dict[str, Any] = {
        "intent": args.intent,
        "thread": args.thread,
        "calendar": args.calendar,
        "user": args.user,
        "model": not args.no_model,
        "reference": args.reference,
        "timezone": args.timezone,
    }
    failures = 0
    batches = [documents] if args.thread else [[document] for document in documents]
    show = sys.stderr.isatty() and len(batches) > 1
    for batch in tqdm(batches, desc="reply", unit="msg", file=sys.stderr, disable=not show):
        try:
            drafts = ReplyDraft(engine).draft(batch, options)
        except BadInputError as exc:  # one empty message does not stop the others
            print(f"deskdraft: skipped {redact(str(exc))}", file=sys.stderr)
            failures += 1
            continue
        for draft in drafts:
            _print(draft, args.json, out)
    return EXIT_SOME_FAILED if failed or failures else 0


def _print(draft: Any, as_json: bool, out: TextIO) -> None:
    data = draft.to_json()
    if as_json:
        print(json.dumps(data, ensure_ascii=False), file=out)
        return
    mark = "verified" if draft.verified else "NOT verified"
    print(f"{data['source']}  [{data['path']}, {mark}]", file=out)
    if data["subject"]:
        print(f"Subject: {data['subject']}", file=out)
    print(draft.text, file=out)
    for note in data["notes"]:
        print(f"note: {note}", file=out)
    print(file=out)
