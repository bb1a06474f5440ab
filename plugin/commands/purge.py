"""``deskdraft purge``: apply the retention policy now (the scheduler also does it hourly)."""

from __future__ import annotations

import argparse
import getpass
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "purge",
        help="delete job inputs, results, feedback, files and digests past retention",
        description="Deletes what is older than security.retention_days (default 30): "
        "finished jobs with their inputs, results and feedback, cached results, output files "
        "and stored digests. The audit trail is kept.",
    )
    parser.add_argument("--days", type=float, help="override security.retention_days")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plugin.config import settings
    from plugin.digest.scheduler_process import purge_now

    days = settings().security.retention_days if args.days is None else args.days
    if days <= 0:
        print("retention is off (security.retention_days = 0): nothing purged")
        return 0
    print(purge_now(days, by=f"cli:{getpass.getuser()}"))
    return 0
