"""``deskdraft digest``: one-off digests and the schedules that the scheduler fires."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("digest", help="inbox digests: run one now, or schedule them")
    digest_sub = parser.add_subparsers(dest="digest_command", metavar="ACTION", required=True)

    run_parser = digest_sub.add_parser("run", help="compose a digest now")
    run_parser.add_argument(
        "--source",
        required=True,
        help="anything `ingest` accepts: a folder of .eml, mbox:, imap://…",
    )
    run_parser.add_argument(
        "--since", default="24h", help="24h, 7d, 2w, all, or cursor (new since the last run)"
    )
    run_parser.add_argument("--out", type=Path, help="write the HTML digest here")
    run_parser.add_argument("--deliver", help="also send: smtp://host, ews, graph or dir:PATH")
    run_parser.add_argument("--to", help="recipient, and the reader whose requests matter")
    run_parser.add_argument("--max-messages", type=int, help="cap (default from config)")
    run_parser.add_argument("--json", action="store_true", help="print the digest as JSON")
    run_parser.set_defaults(func=run)

    schedule = digest_sub.add_parser("schedule", help="manage digest schedules")
    schedule_sub = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    add = schedule_sub.add_parser("add", help="add (or replace) a schedule")
    add.add_argument("--source", required=True)
    add.add_argument("--cron", required=True, help='e.g. "0 8 * * 1-5" (weekdays at 8:00)')
    add.add_argument("--tz", default="UTC", help="IANA zone the cron runs in")
    add.add_argument("--deliver", required=True, help="smtp://…, ews, graph or dir:PATH")
    add.add_argument("--to", help="recipient address")
    add.add_argument(
        "--owner",
        metavar="USER",
        help="run as this user (`deskdraft user`): only their shared sources, "
        "their jobs and digests; default: the system (admins only)",
    )
    add.set_defaults(func=schedule_add)
    listing = schedule_sub.add_parser("list", help="list schedules")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=schedule_list)
    remove = schedule_sub.add_parser("remove", help="remove a schedule")
    remove.add_argument("id")
    remove.set_defaults(func=schedule_remove)


def run(args: argparse.Namespace) -> int:
    from plugin.digest.compose import DigestDraft
    from plugin.digest.store import load_message, lookup
    from plugin.engine.runtime import get_engine
    from plugin.jobs.progress import reporting_to

    options: dict[str, Any] = {
        "source": args.source,
        "since": args.since,
        "to": args.to,
        "deliver": args.deliver,
    }
    if args.max_messages:
        options["max_messages"] = args.max_messages
    with _progress_bar() as reporter, reporting_to(reporter):
        draft = DigestDraft(get_engine()).draft([], options)[0]
    data = draft.data
    if args.out:
        record = lookup("adhoc", data["period"])
        assert record is not None
        html = load_message(record).get_body(preferencelist=("html",))
        args.out.write_text(html.get_content() if html else "", encoding="utf-8")
    if args.json:
        print(json.dumps(draft.to_json(), ensure_ascii=False))
    else:
        print(draft.text)
        left = f", {data['left_out']} left out (cap)" if data["left_out"] else ""
        print(
            f"\n{data['included']} message(s) in {len(data['threads'])} thread(s){left}",
            file=sys.stderr,
        )
        if args.out:
            print(f"wrote {args.out}", file=sys.stderr)
        if data.get("delivery"):
            print(data["delivery"], file=sys.stderr)
    for error in data["errors"]:
        print(f"skipped {error['source']}: {error['error']}", file=sys.stderr)
    return 3 if data["errors"] else 0


@contextmanager
def _progress_bar() -> Iterator[Callable[[float, str | None], bool]]:
    from tqdm import tqdm

    bar = tqdm(
        total=100,
        desc="digest",
        unit="%",
        file=sys.stderr,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}",
    )

    def report(fraction: float, message: str | None) -> bool:
        bar.n = round(fraction * 100)
        bar.set_postfix_str(message or "", refresh=True)
        return True

    try:
        yield report
    finally:
        bar.close()


def schedule_add(args: argparse.Namespace) -> int:
    from plugin.digest.schedule import add_schedule

    schedule = add_schedule(args.source, args.cron, args.tz, args.deliver, args.to, args.owner)
    print(f"{schedule.id}  next run {schedule.next_run}")
    return 0


def schedule_list(args: argparse.Namespace) -> int:
    from plugin.digest.schedule import list_schedules

    schedules = list_schedules()
    if args.json:
        print(json.dumps([s.to_json() for s in schedules]))
        return 0
    if not schedules:
        print("no schedules; add one with `deskdraft digest schedule add`")
    for s in schedules:
        print(
            f"{s.id}  {s.cron!r} {s.tz}  {s.source} -> {s.deliver}"
            f"{f' to {s.to}' if s.to else ''}{f' as {s.owner}' if s.owner else ''}"
            f"  next {s.next_run}"
        )
    return 0


def schedule_remove(args: argparse.Namespace) -> int:
    from plugin.digest.schedule import remove_schedule

    remove_schedule(args.id)
    print(f"removed {args.id}")
    return 0
