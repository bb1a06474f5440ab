"""``deskdraft profile build SOURCE... [--user ID]`` and ``deskdraft profile show [--user ID]``.

A voice profile (greeting and sign-off habits, typical length, formality, the name the
user signs with) is learned from the user's sent mail: the Sent folder over IMAP, EWS or
Graph (``imaps://me@host/Sent``, ``ews://…/SentItems``, ``graph://…/SentItems``) or files.
It is stored under ``$DESKDRAFT_HOME/profiles/`` and used by ``reply`` for that user.
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
        "profile",
        help="learn your writing voice from your sent mail",
        description="Build or show the voice profile replies are written in.",
    )
    actions = parser.add_subparsers(dest="profile_action", required=True, metavar="ACTION")
    build = actions.add_parser(
        "build",
        help="learn the profile from sent mail",
        description="Learn greeting, sign-off, length, formality and "
        "signed name from each SOURCE (a Sent folder or files).",
    )
    build.add_argument("sources", nargs="+", metavar="SOURCE")
    build.add_argument(
        "--user",
        default="default",
        metavar="ID",
        help="the user the profile belongs to (an e-mail address; default: default)",
    )
    build.add_argument("--json", action="store_true", help="print the profile as JSON")
    build.set_defaults(func=run_build)
    show = actions.add_parser("show", help="print a stored profile")
    show.add_argument("--user", default="default", metavar="ID")
    show.add_argument("--json", action="store_true", help="print the profile as JSON")
    show.set_defaults(func=run_show)


def _print(profile: Any, as_json: bool, out: TextIO) -> None:
    if as_json:
        print(json.dumps(profile.to_json(), ensure_ascii=False), file=out)
        return
    for key, value in profile.to_json().items():
        print(f"{key:>14}: {value}", file=out)


def run_build(args: argparse.Namespace, stdout: TextIO | None = None, stdin: Any = None) -> int:
    from plugin.drafts.inputs import read_sources
    from plugin.drafts.reply.voice import build_profile, save_profile

    out = stdout or sys.stdout
    documents, failed = read_sources(args.sources, stdin)
    if not documents:
        raise BadInputError("no sent messages found", item=", ".join(args.sources))
    profile = build_profile(documents, args.user)
    path = save_profile(profile)
    _print(profile, args.json, out)
    print(f"saved {path} (from {profile.messages} message(s))", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else 0


def run_show(args: argparse.Namespace, stdout: TextIO | None = None, stdin: Any = None) -> int:
    from plugin.drafts.reply.voice import load_profile, profile_path

    if not profile_path(args.user).is_file():
        raise BadInputError(
            "no voice profile has been built for this user",
            item=args.user,
            hint="run `deskdraft profile build SENT-FOLDER --user ID`",
        )
    _print(load_profile(args.user), args.json, stdout or sys.stdout)
    return 0
