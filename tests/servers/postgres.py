"""A real PostgreSQL server for tests: 127.0.0.1, a free port, its cluster in a temp dir.

Usage::

    from tests.servers.postgres import postgres_server

    with postgres_server() as server:
        url = server.url  # postgresql://deskdraft@127.0.0.1:PORT/deskdraft

PostgreSQL refuses to run as root, so under root the cluster belongs to the ``postgres``
system user (or ``nobody``). Authentication is ``trust`` on loopback only. Skips the test
when PostgreSQL is not installed (CI installs the Debian package).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def _bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for directory in [*candidates, "/usr/local/bin", "/usr/local/pgsql/bin"]:
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    port: int
    directory: Path
    user: str = "deskdraft"
    database: str = "deskdraft"

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"


def _run_as(owner: pwd.struct_passwd | None) -> dict[str, object]:
    if owner is None:
        return {}
    return {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    import pytest

    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (see .ci/run)")
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                owner = pwd.getpwnam(name)
                break
    directory = Path(tempfile.mkdtemp(prefix="deskdraft-pg-"))
    data, sockets = directory / "data", directory / "run"
    sockets.mkdir()
    if owner is not None:
        for path in (directory, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    as_owner = _run_as(owner)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    port = free_port()
    try:
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "deskdraft",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=directory,
            **as_owner,
        )
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "-l",
                str(directory / "postgres.log"),
                "start",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=directory,
            **as_owner,
        )
        server = PostgresServer(port, directory)
        _create_database(server)
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                env=env,
                cwd=directory,
                **as_owner,
            )
        shutil.rmtree(directory, ignore_errors=True)


def _create_database(server: PostgresServer) -> None:
    import psycopg2

    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg2.connect(
                host="127.0.0.1",
                port=server.port,
                user=server.user,
                dbname="postgres",
                connect_timeout=3,
            )
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {server.database}")
    conn.close()
