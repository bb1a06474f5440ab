"""``deskdraft manifest``: render the Office add-in manifests for this server's address."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "manifest",
        help="write the Outlook and Excel/Word add-in manifests for a server address",
        description="Render the add-in manifests so that Office loads the task panes from "
        "URL. Sideload the files or upload them in the Exchange admin center "
        "(see docs/addin.md).",
    )
    parser.add_argument(
        "--url",
        required=True,
        help="the address Office reaches the bridge at, e.g. https://localhost:8443",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("manifests"), help="folder to write (default: manifests)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plugin.manifests import MANIFESTS, write_manifests

    paths = write_manifests(args.url, args.out)
    descriptions = {spec.filename: spec.description for spec in MANIFESTS}
    for path in paths:
        print(f"{path}  ({descriptions[path.name]})")
    return 0
