"""``deskdraft token``: show (or rotate) the bridge's bearer token."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "token",
        help="show the bearer token the add-in and API clients send to the bridge",
        description="Print this install's bridge token (created on first use, kept in the "
        "data dir). It belongs to the first admin user (see `deskdraft user`). --rotate "
        "replaces it; the old one stops working at once.",
    )
    parser.add_argument("--rotate", action="store_true", help="create a new token")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plugin.bridge.auth import install_token
    from plugin.config import settings
    from plugin.jobs.queue import open_store

    token = install_token(settings().data_dir, rotate=args.rotate)
    open_store().ensure_install_admin(token)
    print(token)
    return 0
