"""``deskdraft ingest SOURCE... [--json]``: read sources into documents and print them.

With ``--json``: JSON Lines, one object per document (``Document.to_json()``), and for an
item that cannot be read ``{"source": ..., "error": ...}``. Exit status 0 when every item
was read, 3 when some failed, 2 on a usage error. ``-`` reads plain text from stdin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from connectors.base import ItemError, connectors, scheme_of
from connectors.document import Document
from connectors.errors import DeskdraftError, UsageError
from connectors.secrets import redact

EXIT_OK = 0
EXIT_SOME_FAILED = 3


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "ingest",
        help="read mail, Word and Excel sources and print the documents",
        description="Read each SOURCE (a file, a directory, mbox:PATH, maildir:PATH, "
        "imap://..., ews://..., graph://..., or - for text on stdin) and print one record per "
        "document. Unreadable items are reported and skipped. Exit status: 0 all read, "
        "3 some failed, 2 usage error.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--json", action="store_true", help="print JSON Lines")
    parser.add_argument(
        "--full",
        action="store_true",
        help="with --json: include sections, sheet cells and metadata",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    parser.set_defaults(func=run)


def _documents(source: str, stdin: TextIO) -> Iterator[Document | ItemError]:
    from plugin.config import settings

    options = settings().source_options(source)
    if source == "-":
        from connectors.files import read_text

        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        yield read_text(data, "stdin", options)
        return
    connector = connectors.get(scheme_of(source))(source, options)
    with connector:
        yield from connector.iter_documents(None)


def _row(doc: Document) -> str:
    date = doc.date.strftime("%Y-%m-%d %H:%M") if doc.date else "-"
    title = " ".join((doc.title or "(no title)").split())[:50]
    author = " ".join((doc.author or "-").split())[:28]
    return f"{doc.kind:<6} {date:<16} {author:<28} {title:<50} {len(doc.text):>8}  {doc.source}"


def run(args: argparse.Namespace, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    from tqdm import tqdm

    out = stdout or sys.stdout
    stdin = stdin or sys.stdin
    for source in args.sources:
        if source != "-" and scheme_of(source) not in connectors:
            raise UsageError(
                f"unknown source type {scheme_of(source)!r}",
                item=source,
                hint="known: " + ", ".join(connectors.names()),
            )
    show_progress = args.progress if args.progress is not None else sys.stderr.isatty()
    failed = 0
    read = 0
    if not args.json:
        print(f"{'kind':<6} {'date':<16} {'from':<28} {'title':<50} {'chars':>8}  source", file=out)
    with tqdm(
        desc="ingest", unit=" items", file=sys.stderr, disable=not show_progress, mininterval=0.5
    ) as bar:
        for source in args.sources:
            try:
                for item in _documents(source, stdin):
                    bar.update(1)
                    if isinstance(item, ItemError):
                        failed += 1
                        _report_error(args, out, item.source, item.error)
                        continue
                    read += 1
                    if args.json:
                        out.write(
                            json.dumps(
                                item.to_json(full=args.full), ensure_ascii=False, default=str
                            )
                            + "\n"
                        )
                    else:
                        print(_row(item), file=out)
            except DeskdraftError as exc:
                failed += 1
                _report_error(
                    args, out, source, exc.message + (f" ({exc.hint})" if exc.hint else "")
                )
            except OSError as exc:
                failed += 1
                _report_error(args, out, source, f"cannot read: {exc.strerror or exc}")
            out.flush()
    if not args.json:
        print(f"{read} read, {failed} failed", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _report_error(args: argparse.Namespace, out: TextIO, source: str, error: str) -> None:
    error = redact(error)
    if args.json:
        out.write(json.dumps({"source": source, "error": error}, ensure_ascii=False) + "\n")
    else:
        print(f"error  {source}: {error}", file=sys.stderr)
