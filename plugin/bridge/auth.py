"""Who may call the bridge: the per-install bearer token, or an Office SSO (Entra ID) JWT.

The install token is random, created on first start in the data dir (mode 0600) and shown
by ``deskdraft token``. SSO is off unless ``bridge.sso_enabled``; then an RS256 JWT signed by
a key from ``bridge.sso_keys_file`` (a PEM public key or a JWKS JSON file; no network at run
time) with the configured audience, issuer and tenant is accepted as well.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError
from connectors.secrets import register_secret
from plugin.config import BridgeSettings

TOKEN_FILE = "bridge-token"


def token_path(data_dir: Path) -> Path:
    return data_dir / TOKEN_FILE


def install_token(data_dir: Path, *, rotate: bool = False) -> str:
    """The install's bearer token, created (or replaced with ``rotate``) on demand."""
    path = token_path(data_dir)
    token = secrets.token_urlsafe(32)
    if rotate:
        tmp = path.with_suffix(".tmp")
        _write_private(tmp, token, exclusive=False)
        os.replace(tmp, path)
    else:
        try:  # O_EXCL: two processes starting at once end up with the same token
            _write_private(path, token, exclusive=True)
        except FileExistsError:
            token = _read_token(path)
    register_secret(token)
    return token


def _write_private(path: Path, token: str, *, exclusive: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")


def _read_token(path: Path) -> str:
    for _ in range(50):  # another process may be between creating and writing the file
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
        time.sleep(0.02)
    raise ConfigError("the bridge token file is empty; delete it to create a new one",
                      item=str(path))


@dataclass
class Authenticator:
    token: str
    sso: BridgeSettings

    def check(self, header: str | None) -> str | None:
        """The caller's identity, or None when the credentials are missing or wrong."""
        if not header or header[:7].lower() != "bearer ":
            return None
        presented = header[7:].strip()
        if hmac.compare_digest(presented.encode(), self.token.encode()):
            return "install-token"
        if self.sso.sso_enabled and presented.count(".") == 2:
            return self._check_jwt(presented)
        return None

    @cached_property
    def _keys(self) -> list[Any]:
        import jwt
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        if not self.sso.sso_audience:
            raise ConfigError("bridge.sso_audience must be set when SSO is enabled",
                              hint="the add-in's application ID URI, api://HOST/CLIENT-ID")
        path = Path(self.sso.sso_keys_file).expanduser()
        if not self.sso.sso_keys_file or not path.is_file():
            raise ConfigError("bridge.sso_keys_file must name a PEM or JWKS file",
                              item=str(path))
        raw = path.read_bytes()
        if raw.lstrip().startswith(b"{"):
            return [jwt.PyJWK(key).key for key in json.loads(raw).get("keys", [])]
        return [load_pem_public_key(raw)]

    @property
    def issuer(self) -> str:
        if self.sso.sso_issuer:
            return self.sso.sso_issuer
        return f"https://login.microsoftonline.com/{self.sso.sso_tenant_id}/v2.0"

    def _check_jwt(self, token: str) -> str | None:
        import jwt

        for key in self._keys:
            try:
                claims = jwt.decode(token, key, algorithms=["RS256"],
                                    audience=self.sso.sso_audience or None, issuer=self.issuer,
                                    options={"require": ["exp", "iat", "aud", "iss"]})
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                return None
            if self.sso.sso_tenant_id and claims.get("tid") != self.sso.sso_tenant_id:
                return None
            return str(claims.get("preferred_username") or claims.get("oid") or claims["sub"])
        return None
