"""Who is calling the bridge: a user's bearer token, or an Office SSO (Entra ID) JWT.

Users and their hashed tokens live in the job store (``plugin.jobs.users``). The install
token is random, created on first start in the data dir (mode 0600), shown by ``deskdraft
token``, and is the first admin user. SSO is off unless ``bridge.sso_enabled``; then an
RS256 JWT signed by a key from ``bridge.sso_keys_file`` (a PEM public key or a JWKS JSON
file; no network at run time) with the configured audience, issuer and tenant names a user
by its ``oid`` (else ``preferred_username``); ``bridge.sso_create_users`` creates unknown
ones on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError, UsageError
from connectors.secrets import register_secret
from plugin.config import BridgeSettings
from plugin.jobs.memo import Lru
from plugin.jobs.users import User, UsersTable, token_prefix, verify_token

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
    raise ConfigError(
        "the bridge token file is empty; delete it to create a new one", item=str(path)
    )


#: Tokens already checked against their stored hash, so scrypt runs once per token and
#: process, not once per request. Keyed by the stored hash: a new token or a revoked one
#: (hash gone) is never answered from here.
VERIFIED_TOKENS = 4096


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated user, as one request sees them."""

    user_id: str
    name: str
    admin: bool
    #: The token's public prefix (``sso`` for a JWT): what logs and the audit trail name.
    credential: str

    def may_see(self, owner: str | None) -> bool:
        return self.admin or (owner is not None and owner == self.user_id)


class AuthFailure(Exception):
    """Credentials that name nobody. ``reason`` is for the audit trail, never the client."""

    def __init__(self, reason: str, user: User | None = None, credential: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user
        self.credential = credential

    @property
    def locked(self) -> bool:
        return self.reason == "locked"


@dataclass
class Authenticator:
    users: UsersTable
    sso: BridgeSettings
    _verified: Lru[str, bytes] = field(default_factory=lambda: Lru(VERIFIED_TOKENS))

    def authenticate(self, header: str | None) -> Caller:
        """The caller, or ``AuthFailure`` when the credentials are missing, wrong, revoked
        or locked."""
        if not header or header[:7].lower() != "bearer ":
            raise AuthFailure("missing")
        presented = header[7:].strip()
        if not presented:
            raise AuthFailure("missing")
        if self.sso.sso_enabled and presented.count(".") == 2:
            return self._sso_caller(presented)
        prefix = token_prefix(presented)
        user = self.users.user_by_prefix(prefix)
        if user is None or user.token_hash is None:
            raise AuthFailure("revoked" if user else "unknown-token", user, prefix)
        if not self._matches(presented, user.token_hash):
            raise AuthFailure("wrong-token", user, prefix)
        return self._active(user, prefix)

    def _matches(self, presented: str, stored: str) -> bool:
        digest = hashlib.sha256(presented.encode()).digest()
        known = self._verified.get(stored)
        if known is not None:
            return hmac.compare_digest(known, digest)
        if not verify_token(presented, stored):
            return False
        self._verified.put(stored, digest)
        return True

    @staticmethod
    def _active(user: User, credential: str) -> Caller:
        if user.revoked_at is not None:
            raise AuthFailure("revoked", user, credential)
        if user.locked_at is not None:
            raise AuthFailure("locked", user, credential)
        return Caller(user.id, user.name, user.admin, credential)

    def _sso_caller(self, token: str) -> Caller:
        claims = self._check_jwt(token)
        if claims is None:
            raise AuthFailure("bad-jwt", credential="sso")
        subject = str(claims.get("oid") or claims.get("preferred_username") or claims["sub"])
        user = self.users.user_by_sso(subject)
        if user is None:
            if not self.sso.sso_create_users:
                raise AuthFailure("unknown-sso-user", credential="sso")
            user = self._create_sso_user(subject, claims)
        return self._active(user, "sso")

    def _create_sso_user(self, subject: str, claims: dict[str, Any]) -> User:
        wanted = str(claims.get("preferred_username") or subject)
        for name in (wanted, f"{wanted}-{subject[:8]}"):
            try:
                user, _ = self.users.add_user(name, with_token=False, sso_subject=subject)
                return user
            except UsageError:
                found = self.users.user_by_sso(subject)  # another process made it meanwhile
                if found is not None:
                    return found
        raise AuthFailure("unknown-sso-user", credential="sso")

    @cached_property
    def _keys(self) -> list[Any]:
        import jwt
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        if not self.sso.sso_audience:
            raise ConfigError(
                "bridge.sso_audience must be set when SSO is enabled",
                hint="the add-in's application ID URI, api://HOST/CLIENT-ID",
            )
        path = Path(self.sso.sso_keys_file).expanduser()
        if not self.sso.sso_keys_file or not path.is_file():
            raise ConfigError("bridge.sso_keys_file must name a PEM or JWKS file", item=str(path))
        raw = path.read_bytes()
        if raw.lstrip().startswith(b"{"):
            return [jwt.PyJWK(key).key for key in json.loads(raw).get("keys", [])]
        return [load_pem_public_key(raw)]

    @property
    def issuer(self) -> str:
        if self.sso.sso_issuer:
            return self.sso.sso_issuer
        return f"https://login.microsoftonline.com/{self.sso.sso_tenant_id}/v2.0"

    def _check_jwt(self, token: str) -> dict[str, Any] | None:
        import jwt

        for key in self._keys:
            try:  # RS256 only: "none" and HS256 (signed with the public key) are refused
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=["RS256"],
                    audience=self.sso.sso_audience or None,
                    issuer=self.issuer,
                    options={"require": ["exp", "iat", "aud", "iss"]},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                return None
            if self.sso.sso_tenant_id and claims.get("tid") != self.sso.sso_tenant_id:
                return None
            return dict(claims)
        return None
