"""A local certificate authority and a ``localhost`` certificate for the bridge.

Office add-ins load only from HTTPS origins the system trusts. ``deskdraft certs`` makes a
CA (kept in the data dir, its key never leaves it) and a localhost certificate signed by
it, then says how to trust the CA on Windows, macOS and Linux.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

CA_NAME = "deskdraft local CA"
CERT_DAYS = 397  # browsers refuse longer-lived server certificates
CA_DAYS = 3650


@dataclass(frozen=True)
class CertPaths:
    directory: Path

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.directory / "ca-key.pem"

    @property
    def cert(self) -> Path:
        return self.directory / "localhost.pem"

    @property
    def key(self) -> Path:
        return self.directory / "localhost-key.pem"

    def exist(self) -> bool:
        return all(p.is_file() for p in (self.ca_cert, self.cert, self.key))


def cert_paths(data_dir: Path) -> CertPaths:
    return CertPaths(data_dir / "certs")


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def create_certs(
    data_dir: Path, hosts: list[str] | None = None, *, force: bool = False
) -> CertPaths:
    """Create the CA (unless it exists) and a fresh localhost certificate signed by it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    paths = cert_paths(data_dir)
    hosts = hosts or ["localhost", "127.0.0.1", "::1"]
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    pem = serialization.Encoding.PEM
    private = dict(
        encoding=pem,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )

    if force or not (paths.ca_cert.is_file() and paths.ca_key.is_file()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "deskdraft"),
            ]
        )
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        _write(paths.ca_key, ca_key.private_bytes(**private), private=True)
        _write(paths.ca_cert, ca_cert.public_bytes(pem))
    ca_key = serialization.load_pem_private_key(paths.ca_key.read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())

    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=CERT_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )  # type: ignore[arg-type]
        .sign(ca_key, hashes.SHA256())
    )  # type: ignore[arg-type]
    _write(paths.key, key.private_bytes(**private), private=True)
    _write(paths.cert, cert.public_bytes(pem))
    return paths


def ensure_certs(data_dir: Path) -> CertPaths:
    paths = cert_paths(data_dir)
    return paths if paths.exist() else create_certs(data_dir)


def trust_instructions(ca_cert: Path) -> str:
    return f"""To make Office and browsers trust https://localhost, trust the local CA once:

  Windows (PowerShell, current user):
    Import-Certificate -FilePath "{ca_cert}" -CertStoreLocation Cert:\\CurrentUser\\Root

  macOS:
    sudo security add-trusted-cert -d -r trustRoot \\
      -k /Library/Keychains/System.keychain "{ca_cert}"

  Linux (Debian/Ubuntu; Fedora: /etc/pki/ca-trust/source/anchors + update-ca-trust):
    sudo cp "{ca_cert}" /usr/local/share/ca-certificates/deskdraft-local-ca.crt
    sudo update-ca-certificates
  Chromium/Firefox on Linux keep their own store (NSS):
    certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "deskdraft local CA" -i "{ca_cert}"

The CA key ({ca_cert.parent / "ca-key.pem"}) stays in the data dir; anyone holding it can
issue certificates your machine trusts, so keep it private or delete it after use.
"""
