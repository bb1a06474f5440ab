"""``deskdraft certs``: a local CA and a localhost certificate for HTTPS."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "certs",
        help="create a local CA and a localhost HTTPS certificate, and say how to trust them",
        description="Create (or renew) the bridge's HTTPS certificate, signed "
        "by a local CA kept in the data dir, and print how to trust the CA on Windows, "
        "macOS and Linux.",
    )
    parser.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="NAME",
        help="extra host name or IP for the certificate (repeatable)",
    )
    parser.add_argument(
        "--new-ca",
        action="store_true",
        help="also replace the CA (you must trust the new one again)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from plugin.bridge.tls import create_certs, trust_instructions
    from plugin.config import settings

    hosts = ["localhost", "127.0.0.1", "::1", *args.host]
    paths = create_certs(settings().data_dir, hosts, force=args.new_ca)
    print(f"CA certificate:   {paths.ca_cert}")
    print(f"certificate:      {paths.cert} (for {', '.join(hosts)})")
    print(f"private key:      {paths.key}\n")
    print(trust_instructions(paths.ca_cert))
    return 0
