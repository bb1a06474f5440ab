"""A real Dovecot IMAP server for tests, started on 127.0.0.1 with everything in a temp dir.

Usage (any test area can reuse it)::

    from tests.servers.dovecot import dovecot_server

    with dovecot_server(users={"alice": "s3cret-pass"}) as server:
        server.append("alice", "INBOX", raw_bytes)
        uri = server.uri("alice", "INBOX")          # imap://alice@127.0.0.1:PORT/INBOX
        tls = server.uri("alice", "INBOX", tls=True)  # imaps://alice@127.0.0.1:TLSPORT/INBOX

The server has a plaintext listener (which also offers STARTTLS) and an implicit-TLS
listener, both using a self-signed certificate made with ``cryptography``
(``server.ca_file`` is its PEM). Users come from a passwd-file, mail is Maildir. Dovecot
refuses to run mail processes as root, so under root they run as nobody/nogroup; as an
ordinary user everything runs as that user. Skips the test when Dovecot is not installed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import grp
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers.process import stop_process

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_self_signed_cert(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """Write ``cert.pem`` and ``key.pem`` for ``host`` (an IP address or a name)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    try:
        alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt = x509.DNSName(host)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([alt, x509.DNSName("localhost")]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class DovecotServer:
    root: Path
    port: int
    tls_port: int
    ca_file: Path
    users: dict[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = None

    def uri(self, user: str, folder: str = "INBOX", *, tls: bool = False) -> str:
        if tls:
            return f"imaps://{user}@{self.host}:{self.tls_port}/{folder}"
        return f"imap://{user}@{self.host}:{self.port}/{folder}"

    def client(self, user: str):  # -> imapclient.IMAPClient (imported lazily)
        """A logged-in plaintext admin client for loading and changing test mail."""
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, self.users[user])
        return client

    def append(self, user: str, folder: str, *messages: bytes) -> None:
        client = self.client(user)
        try:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in messages:
                client.append(folder, raw)
        finally:
            client.logout()

    def recreate_folder(self, user: str, folder: str) -> None:
        """Delete and re-create ``folder``: Dovecot gives it a new UIDVALIDITY."""
        client = self.client(user)
        try:
            if client.folder_exists(folder):
                client.delete_folder(folder)
            client.create_folder(folder)
        finally:
            client.logout()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _write_config(server: DovecotServer, cert: Path, key: Path) -> Path:
    root = server.root
    if os.geteuid() == 0:
        mail_user, mail_group = "nobody", "nogroup"
        login_user = internal_user = "nobody"
    else:
        mail_user = pwd.getpwuid(os.geteuid()).pw_name
        mail_group = grp.getgrgid(os.getegid()).gr_name
        login_user = internal_user = mail_user
    passwd = root / "passwd"
    passwd.write_text(
        "".join(f"{user}:{{PLAIN}}{password}::::::\n" for user, password in server.users.items())
    )
    passwd.chmod(0o644)
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""
instance_name = deskdraft-test-{server.port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# Tests log in with wrong passwords on purpose; do not slow every later login down.
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
mail_uid = {mail_user}
mail_gid = {mail_group}
first_valid_uid = 0
first_valid_gid = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
login_trusted_networks =
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {server.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {server.tls_port}
    ssl = yes
  }}
}}
# Tests fail logins on purpose; Dovecot's auth penalty would delay every later login
# from 127.0.0.1 by up to 15 s. Closing the penalty socket is the documented off switch.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    )
    return conf


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"dovecot exited with {process.returncode}: "
                f"{log.read_text(errors='replace') if log.exists() else ''}"
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on port {port} within {timeout}s")


@contextlib.contextmanager
def dovecot_server(users: Mapping[str, str] | None = None) -> Iterator[DovecotServer]:
    """Start Dovecot with ``users`` (name → password); stop it and remove its files after."""
    import pytest

    if not Path(DOVECOT).exists():
        # CI installs it (.ci/run); a missing server must fail loudly, not skip silently.
        pytest.fail("Dovecot is not installed: apt-get install dovecot-imapd (see .ci/run)")
    # Not pytest's tmp_path: its parents are private to root, and the mail processes run
    # as nobody, so they need a world-traversable directory.
    root = Path(tempfile.mkdtemp(prefix="deskdraft-dovecot-"))
    root.chmod(0o755)
    try:
        (root / "mail").mkdir()
        if os.geteuid() == 0:
            shutil.chown(root / "mail", "nobody", "nogroup")
        cert, key = make_self_signed_cert(root)
        server = DovecotServer(
            root=root,
            port=free_port(),
            tls_port=free_port(),
            ca_file=cert,
            users=dict(users or {"alice": "alice-Pa55word"}),
        )
        conf = _write_config(server, cert, key)
        with (root / "stderr.log").open("wb") as stderr:
            server.process = subprocess.Popen(
                [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=stderr
            )
        try:
            _wait_for_port(server.port, server.process, root / "stderr.log", 15)
            _wait_for_port(server.tls_port, server.process, root / "stderr.log", 5)
            yield server
        finally:
            stop_process(server.process, 10)
    finally:
        shutil.rmtree(root, ignore_errors=True)
