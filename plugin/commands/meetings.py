"""``deskdraft suggest-meetings SOURCE... [--json|--ics FILE]``.

Prints the proposed meetings, calls and deadlines of each document: a readable list by
default, one JSON object per document per line with ``--json`` (``Draft.to_json()``), or an
RFC 5545 calendar with ``--ics`` (``-`` for standard output). Unreadable items are reported
on stderr and skipped; the exit status is then 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from connectors.document import Document
from connectors.errors import BadInputError, UsageError

EXIT_SOME_FAILED = 3


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "suggest-meetings",
        help="suggest calendar entries for the meetings, calls and deadlines in mail",
        description="Find proposed meetings, calls and deadlines in each document of each "
        "SOURCE (anything `ingest` accepts, or - for text on stdin). Dates and times are "
        "resolved by code against the message's Date header; the model only proposes "
        "titles, which are checked against the source.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object per line")
    output.add_argument(
        "--ics",
        metavar="FILE",
        help="write an iCalendar file (one VEVENT per suggestion); - for stdout",
    )
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the sender's zone (IANA or Windows name) when the Date header's "
        "offset is not enough, e.g. America/Chicago",
    )
    parser.add_argument(
        "--reference",
        metavar="ISO",
        help="the send time for inputs without a Date header "
        "(e.g. 2026-11-25T09:00-06:00; default: now)",
    )
    parser.add_argument(
        "--calendar",
        metavar="SOURCE",
        help="an ews:// or graph:// source, or an .ics file, whose free/busy marks conflicts",
    )
    parser.add_argument(
        "--min-confidence",
        metavar="P",
        type=float,
        help="hide suggestions whose confidence is below P (0-1; default: "
        "[calendar] min_confidence in the config)",
    )
    parser.add_argument(
        "--likely-confidence",
        metavar="P",
        type=float,
        help="mark suggestions whose confidence is below P as maybe (0-1; default: "
        "[calendar] likely_confidence in the config)",
    )
    parser.add_argument(
        "--no-model",
        action="store_true",
        help="titles from the subject line only: do not load the model",
    )
    parser.set_defaults(func=run)


def _read(sources: list[str], stdin: Any) -> tuple[list[Document], int]:
    from plugin.drafts.inputs import read_sources

    return read_sources(sources, stdin)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {"titles": "subject" if args.no_model else "model"}
    if args.timezone:
        from plugin.drafts.calendar.zones import zone_named

        if zone_named(args.timezone) is None:
            raise UsageError(
                f"unknown time zone {args.timezone!r}",
                hint="use an IANA name such as Europe/Berlin or a Windows name",
            )
        options["timezone"] = args.timezone
    if args.reference:
        try:
            moment = datetime.fromisoformat(args.reference)
        except ValueError:
            raise UsageError(f"--reference {args.reference!r} is not an ISO date-time") from None
        if moment.tzinfo is None:
            raise UsageError("--reference needs a UTC offset, e.g. 2026-11-25T09:00-06:00")
        options["reference"] = moment.isoformat()
    if args.calendar:
        options["calendar"] = args.calendar
    if args.min_confidence is not None:
        options["min_confidence"] = args.min_confidence
    if args.likely_confidence is not None:
        options["likely_confidence"] = args.likely_confidence
    return options


def run(args: argparse.Namespace, stdout: TextIO | None = None, stdin: Any = None) -> int:
    from plugin.drafts.calendar.meetings import MeetingsDraft

    out = stdout or sys.stdout
    options = _options(args)
    documents, failed = _read(args.sources, stdin)
    if not documents:
        raise BadInputError("nothing to read", item=", ".join(args.sources))
    engine = None
    if not args.no_model:
        from plugin.engine.runtime import get_engine

        engine = get_engine()
    drafts = MeetingsDraft(engine).draft(documents, options)
    if args.ics:
        from plugin.drafts.calendar.ics import suggestions_to_ics

        payload = suggestions_to_ics(s for d in drafts for s in d.data["suggestions"])
        if args.ics == "-":
            out.write(payload.decode("utf-8"))
        else:
            Path(args.ics).write_bytes(payload)
            count = sum(len(d.data["suggestions"]) for d in drafts)
            print(f"wrote {count} event(s) to {args.ics}", file=sys.stderr)
    elif args.json:
        for draft in drafts:
            out.write(json.dumps(draft.to_json(), ensure_ascii=False) + "\n")
    else:
        for draft in drafts:
            out.write(f"== {draft.data['source']}\n{draft.text}\n")
    return EXIT_SOME_FAILED if failed else 0
