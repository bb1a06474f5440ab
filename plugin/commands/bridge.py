"""``deskdraft bridge``: the HTTPS API for the add-in (no worker; see ``serve``)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from connectors.errors import UsageError
from plugin.bridge.server import BridgeServer

if TYPE_CHECKING:
    from plugin.bridge.handoff import HandedListener


def add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default=None, help="address to listen on (default bridge.host, 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port to listen on (default bridge.port, 8443)"
    )
    parser.add_argument(
        "--no-tls", action="store_true", help="plain HTTP, for use behind a TLS-terminating proxy"
    )


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "bridge",
        help="run the HTTPS API the Office add-in talks to (jobs run in workers)",
        description="Serve /api/v1 and the add-in files over HTTPS on cheroot. Run "
        "`deskdraft worker` processes next to it, or use `deskdraft serve` for both.",
    )
    add_server_options(parser)
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        metavar="N",
        help="bridge processes sharing the port, for more than one core "
        "(Linux; default bridge.processes, 1)",
    )
    # Internal: a child of --processes takes its connections from the parent over this fd.
    parser.add_argument("--handoff-fd", type=int, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def build_server(args: argparse.Namespace) -> BridgeServer:
    from plugin.bridge.app import create_app
    from plugin.bridge.server import make_server
    from plugin.bridge.tls import ensure_certs
    from plugin.config import settings

    s = settings()
    host = args.host or s.bridge.host
    port = s.bridge.port if args.port is None else args.port
    cert = key = None
    if s.bridge.tls and not args.no_tls:
        paths = ensure_certs(s.data_dir)
        cert, key = str(paths.cert), str(paths.key)
    if s.bridge.threads < 1:
        raise UsageError("bridge.threads must be at least 1", hint="see docs/deploy.md")
    return make_server(
        create_app(s=s),
        host,
        port,
        cert=cert,
        key=key,
        threads=s.bridge.threads,
        handed=handed_listener(args),
    )


def handed_listener(args: argparse.Namespace) -> HandedListener | None:
    fd = getattr(args, "handoff_fd", None)
    if fd is None:
        return None
    from plugin.bridge.handoff import HandedListener

    return HandedListener.from_fd(fd)


def wait_for_signal() -> None:
    """Block the main thread until SIGTERM or SIGINT."""
    stop = threading.Event()

    def on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop.wait(0.5):
        pass


def run(args: argparse.Namespace) -> int:
    from plugin.bridge.auth import token_path
    from plugin.config import settings

    processes = getattr(args, "processes", None)
    if processes is None:
        processes = settings().bridge.processes
    if processes < 1:
        raise UsageError("--processes must be at least 1")
    if processes > 1 and getattr(args, "handoff_fd", None) is None:
        return run_processes(args, processes)
    server = build_server(args)
    server.start_in_thread()
    print(
        f"deskdraft bridge: {server.url}/api/v1 (token: `deskdraft token`, "
        f"{token_path(server_data_dir())})",
        flush=True,
    )
    wait_for_signal()
    server.stop()
    print("deskdraft bridge: stopped", flush=True)
    return 0


def run_processes(args: argparse.Namespace, count: int) -> int:
    from plugin.bridge.auth import install_token
    from plugin.bridge.processes import run_group
    from plugin.bridge.tls import ensure_certs
    from plugin.config import settings

    s = settings()
    host = args.host or s.bridge.host
    tls = s.bridge.tls and not args.no_tls
    # Made once here, so the children do not race to create them.
    install_token(s.data_dir)
    if tls:
        ensure_certs(s.data_dir)

    def child_args(port: int, handoff_fd: int | None) -> list[str]:
        return [
            sys.executable,
            "-m",
            "plugin",
            "bridge",
            "--host",
            host,
            "--port",
            str(port),
            "--processes",
            "1",
            *([] if handoff_fd is None else ["--handoff-fd", str(handoff_fd)]),
            *(["--no-tls"] if args.no_tls else []),
        ]

    shown = "localhost" if host in {"127.0.0.1", "::1", "localhost"} else host
    scheme = "https" if tls else "http"
    return run_group(
        count,
        host,
        args.port if args.port is not None else s.bridge.port,
        child_args,
        lambda port: f"{scheme}://{shown}:{port}/api/v1",
    )


def server_data_dir() -> Any:
    from plugin.config import settings

    return settings().data_dir
