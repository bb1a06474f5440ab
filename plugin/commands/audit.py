"""``deskdraft audit``: check the audit trail's hash chain, or show entries."""

from __future__ import annotations

import argparse
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

from connectors.errors import UsageError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def register(sub: Any) -> None:
    parser = sub.add_parser("audit", help="the audit trail: who did what, when")
    actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check that no entry was edited, removed or reordered"
    )
    verify.set_defaults(func=run_verify)
    show = actions.add_parser("show", help="list entries")
    show.add_argument("--user", help="only this user's entries")
    show.add_argument("--since", help="only entries this recent: 30m, 24h, 7d")
    show.add_argument("--json", action="store_true", help="one JSON object per line")
    show.set_defaults(func=run_show)


def since_seconds(text: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhdw])", text.strip())
    if not match:
        raise UsageError(f"invalid --since {text!r}", hint="a number and s, m, h, d or w: 24h")
    return float(match[1]) * UNITS[match[2]]


def run_verify(args: argparse.Namespace) -> int:
    from plugin.jobs.queue import open_store

    report = open_store().verify_audit()
    if report.ok:
        print(f"audit trail intact: {report.entries} entries, head {report.head}")
        return 0
    print(
        f"audit trail BROKEN at entry {report.broken_at}: {report.reason} "
        f"({report.entries} entries before it are intact)"
    )
    return 1


def run_show(args: argparse.Namespace) -> int:
    from plugin.jobs.queue import open_store

    since = time.time() - since_seconds(args.since) if args.since else None
    for entry in open_store().audit_entries(user=args.user, since=since):
        if args.json:
            print(json.dumps(entry.to_json()))
            continue
        when = datetime.fromtimestamp(entry.at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        parts = [
            when,
            entry.user or "-",
            entry.credential or "-",
            entry.action,
            entry.outcome,
            entry.job_id or "",
            entry.kind or "",
            entry.ip or "",
        ]
        print("  ".join(p for p in parts if p))
    return 0
