"""HTTPS with the local CA: certificates, the cheroot server, and `deskdraft serve`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from flask import Flask

from plugin.bridge.server import make_server
from plugin.bridge.tls import create_certs, ensure_certs
from plugin.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_certificates_chain_to_the_local_ca(deskdraft_home: Path) -> None:
    paths = create_certs(deskdraft_home)
    ca = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
    cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
    cert.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert paths.key.stat().st_mode & 0o077 == 0 and paths.ca_key.stat().st_mode & 0o077 == 0
    # Renewing keeps the CA the user already trusts.
    first_ca, first_cert = paths.ca_cert.read_bytes(), paths.cert.read_bytes()
    again = create_certs(deskdraft_home)
    assert again.ca_cert.read_bytes() == first_ca
    assert again.cert.read_bytes() != first_cert
    assert ensure_certs(deskdraft_home).cert.read_bytes() == again.cert.read_bytes()


def test_certs_command_explains_trust_on_every_platform(
    deskdraft_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["certs", "--host", "deskdraft.lan"]) == 0
    out = capsys.readouterr().out
    assert "Import-Certificate" in out and "add-trusted-cert" in out
    assert "update-ca-certificates" in out and str(deskdraft_home / "certs" / "ca.pem") in out
    cert = x509.load_pem_x509_certificate((deskdraft_home / "certs/localhost.pem").read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "deskdraft.lan" in names.get_values_for_type(x509.DNSName)


def test_token_command_prints_the_install_token(
    deskdraft_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plugin.bridge.auth import install_token

    assert main(["token"]) == 0
    assert capsys.readouterr().out.strip() == install_token(deskdraft_home)


@pytest.fixture
def https_bridge(app: Flask, deskdraft_home: Path) -> Iterator[str]:
    paths = create_certs(deskdraft_home)
    server = make_server(app, "127.0.0.1", 0, cert=str(paths.cert), key=str(paths.key), threads=4)
    server.start_in_thread()
    yield f"https://localhost:{server.port}"
    server.stop()


def test_the_bridge_speaks_https_with_the_local_ca(
    https_bridge: str, auth: dict[str, str], deskdraft_home: Path
) -> None:
    ca = str(deskdraft_home / "certs" / "ca.pem")  # per request: REQUESTS_CA_BUNDLE wins over
    # a session's verify setting
    health = requests.get(f"{https_bridge}/api/v1/health", verify=ca, timeout=10)
    assert health.json()["status"] == "ok"
    created = requests.post(
        f"{https_bridge}/api/v1/jobs",
        headers=auth,
        verify=ca,
        timeout=10,
        json={"kind": "probe", "input": {"text": "over tls"}},
    )
    assert created.status_code == 202
    assert (
        requests.get(
            f"{https_bridge}/api/v1/jobs/{created.json()['id']}", verify=ca, timeout=10
        ).status_code
        == 401
    )
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{https_bridge}/api/v1/health", timeout=10)  # system CAs: untrusted


@pytest.mark.integration
def test_serve_runs_bridge_and_worker_and_stops_cleanly(deskdraft_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update(
        {
            "DESKDRAFT_HOME": str(deskdraft_home),
            "PYTHONPATH": str(REPO),
            "HF_HUB_OFFLINE": "1",
            "DESKDRAFT_BRIDGE_PROCESSES": "3",
        }
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "plugin",
            "serve",
            "--port",
            "0",
            "--workers",
            "1",
            "--no-scheduler",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines: list[str] = []
        assert process.stdout is not None
        while not any(line.startswith("Ctrl+C") for line in lines):
            line = process.stdout.readline()
            assert line, "serve exited early:\n" + "".join(lines)
            lines.append(line)
        banner = "".join(lines)
        url = re.search(r"deskdraft serve: (https://localhost:\d+)", banner).group(1)  # type: ignore[union-attr]
        token = re.search(r"token:\s+(\S+)", banner).group(1)  # type: ignore[union-attr]
        assert token == (deskdraft_home / "bridge-token").read_text().strip()
        assert f"{url}/addin/" in banner
        # serve keeps one in-process bridge and says where bridge.processes applies
        assert "bridge.processes = 3 applies to `deskdraft bridge`" in banner
        manifests = re.findall(r"manifest:\s+(\S+)", banner)
        assert manifests and all(Path(p).is_file() for p in manifests)
        ca = str(deskdraft_home / "certs" / "ca.pem")
        auth = {"Authorization": f"Bearer {token}"}
        job = requests.post(
            f"{url}/api/v1/jobs",
            headers=auth,
            verify=ca,
            timeout=10,
            json={"kind": "ingest", "input": {"text": "served end to end"}},
        )
        assert job.status_code == 202
        deadline = time.monotonic() + 90
        while True:
            state = requests.get(
                f"{url}/api/v1/jobs/{job.json()['id']}", headers=auth, verify=ca, timeout=10
            ).json()
            if state["status"] == "done" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert state["status"] == "done"
        assert state["result"]["text"] == "served end to end"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(60)
        finally:
            if process.poll() is None:
                process.kill()
            if process.stdout:
                process.stdout.close()
    assert code == 0
