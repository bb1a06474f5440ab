"""The ``deskdraft`` command.

Subcommands are registered through the ``deskdraft.commands`` entry-point group (see
``pyproject.toml``); each module there has ``register(subparsers)`` that adds one parser
and sets ``func``. Handlers return an exit code and raise ``DeskdraftError`` for anything
the user should read; this module turns those into one clear line on stderr.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from connectors.errors import DeskdraftError
from connectors.registry import Registry
from connectors.secrets import redact
from plugin import __version__

CommandRegistrar = Callable[[Any], None]
commands: Registry[CommandRegistrar] = Registry("deskdraft.commands", "command")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deskdraft",
        description="Local-model drafts (summaries, reports, calendar suggestions) for Office.",
    )
    parser.add_argument("--version", action="version", version=f"deskdraft {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands.names():
        try:
            register = commands.get(name)
        except ImportError as exc:  # a broken extension must not take the whole CLI down
            print(f"deskdraft: command {name!r} is unavailable: {exc}", file=sys.stderr)
            continue
        register(sub)
    return parser


def _setup_logging(verbosity: int) -> None:
    level = logging.WARNING - 10 * min(verbosity, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except DeskdraftError as exc:
        print(f"deskdraft: error: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("deskdraft: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            print(
                "deskdraft: error: the disk is full"
                f"{f' writing {exc.filename}' if exc.filename else ''}; free some space and retry",
                file=sys.stderr,
            )
            return 1
        if os.environ.get("DESKDRAFT_DEBUG"):
            raise
        print(f"deskdraft: error: {redact(str(exc))}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("DESKDRAFT_DEBUG"):
            raise
        print(
            f"deskdraft: internal error: {type(exc).__name__}: {redact(str(exc))}\n"
            "Run again with DESKDRAFT_DEBUG=1 for the full traceback, and please report it.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
