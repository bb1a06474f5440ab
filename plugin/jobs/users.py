"""The ``users`` table: who may call the bridge, with hashed tokens.

A token is ``dd_<prefix>_<secret>``. The prefix (8 hex digits) is not secret: it finds
the user's row and names the token in logs and the audit trail. Only an scrypt hash of the
whole token is stored; a presented token is checked against it in constant time. The
install token (``deskdraft token``, kept in the data dir since before there were users)
is the first admin user: its prefix is its first eight characters.
"""

from __future__ import annotations

import base64
import re
import secrets
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from connectors.errors import UsageError
from plugin.jobs.sql import SqlDatabase

#: scrypt cost (RFC 7914 interactive parameters: about 16 MiB and 50 ms per hash). Tokens
#: are long random strings, so this guards against a stolen database, not weak passwords.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
TOKEN_SCHEME = "dd"
INSTALL_ADMIN = "admin"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
_COLUMNS = (
    "id, name, admin, token_prefix, token_hash, sso_subject, created_at, revoked_at,"
    " locked_at, locked_reason, install"
)


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    admin: bool
    token_prefix: str | None
    token_hash: str | None
    sso_subject: str | None
    created_at: float
    revoked_at: float | None
    locked_at: float | None
    locked_reason: str | None
    install: bool

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> User:
        (id_, name, admin, prefix, hashed, sso, created, revoked, locked, reason, install) = row
        return cls(
            id_,
            name,
            bool(admin),
            prefix,
            hashed,
            sso,
            created,
            revoked,
            locked,
            reason,
            bool(install),
        )

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "locked" if self.locked_at is not None else "active"


def hash_token(token: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _kdf(salt).derive(token.encode())
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_token(token: str, stored: str) -> bool:
    """Constant-time check of ``token`` against a ``hash_token`` value."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        kdf = Scrypt(salt=_unb64(salt), length=32, n=int(n), r=int(r), p=int(p))
        kdf.verify(token.encode(), _unb64(digest))  # compares with constant_time.bytes_eq
    except (InvalidKey, ValueError):
        return False
    return True


def token_prefix(token: str) -> str:
    """The public part that finds a token's user (and names it in logs)."""
    if token.startswith(TOKEN_SCHEME + "_"):
        return token.split("_", 2)[1][:16]
    return token[:8]  # the install token, made before prefixes existed


def new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"


def _kdf(salt: bytes) -> Scrypt:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class UsersTable(SqlDatabase):
    TABLES: ClassVar[tuple[str, ...]] = (
        """CREATE TABLE IF NOT EXISTS users (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, admin INTEGER NOT NULL DEFAULT 0,
            token_prefix TEXT UNIQUE, token_hash TEXT, sso_subject TEXT UNIQUE,
            created_at DOUBLE PRECISION NOT NULL, revoked_at DOUBLE PRECISION,
            locked_at DOUBLE PRECISION, locked_reason TEXT, install INTEGER NOT NULL DEFAULT 0)""",
    )

    def add_user(
        self,
        name: str,
        *,
        admin: bool = False,
        with_token: bool = True,
        sso_subject: str | None = None,
    ) -> tuple[User, str | None]:
        """A new user and (unless SSO-only) their first token, shown once."""
        if not NAME.match(name):
            raise UsageError(
                f"invalid user name {name!r}",
                hint="letters, digits and . _ @ + -, up to 128 characters",
            )
        if self.user_by_name(name) is not None:
            raise UsageError(
                f"user {name!r} exists", hint="`deskdraft user token NAME` issues a new token"
            )
        prefix, token = new_token() if with_token else (None, None)
        user_id = uuid.uuid4().hex
        self._update(
            f"INSERT INTO users ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,NULL,NULL,NULL,0)",
            (
                user_id,
                name,
                int(admin),
                prefix,
                hash_token(token) if token else None,
                sso_subject,
                time.time(),
            ),
        )
        user = self.user_by_id(user_id)
        assert user is not None
        return user, token

    def users(self) -> list[User]:
        with self._tx(write=False) as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM users ORDER BY created_at, name")
            return [User.from_row(row) for row in cur.fetchall()]

    def _user_where(self, column: str, value: str | int) -> User | None:
        row = self._one(f"SELECT {_COLUMNS} FROM users WHERE {column}=?", (value,))
        return User.from_row(row) if row else None

    def user_by_id(self, user_id: str) -> User | None:
        return self._user_where("id", user_id)

    def user_by_name(self, name: str) -> User | None:
        return self._user_where("name", name)

    def user_by_prefix(self, prefix: str) -> User | None:
        return self._user_where("token_prefix", prefix)

    def user_by_sso(self, subject: str) -> User | None:
        return self._user_where("sso_subject", subject)

    def require_user(self, name: str) -> User:
        user = self.user_by_name(name)
        if user is None:
            raise UsageError(f"no user {name!r}", hint="see `deskdraft user list`")
        return user

    def issue_token(self, name: str) -> str:
        """A new token for ``name``; the old one stops working at once."""
        user = self.require_user(name)
        prefix, token = new_token()
        self._update(
            "UPDATE users SET token_prefix=?, token_hash=?, revoked_at=NULL WHERE id=?",
            (prefix, hash_token(token), user.id),
        )
        return token

    def revoke(self, name: str) -> User:
        user = self.require_user(name)
        self._update(
            "UPDATE users SET revoked_at=?, token_hash=NULL WHERE id=?", (time.time(), user.id)
        )
        return self.require_user(name)

    def lock(self, user_id: str, reason: str) -> bool:
        """Lock an active user; False when already locked (the first reason is kept)."""
        return (
            self._update(
                "UPDATE users SET locked_at=?, locked_reason=? WHERE id=? AND locked_at IS NULL",
                (time.time(), reason, user_id),
            )
            == 1
        )

    def unlock(self, name: str) -> User:
        user = self.require_user(name)
        self._update("UPDATE users SET locked_at=NULL, locked_reason=NULL WHERE id=?", (user.id,))
        return self.require_user(name)

    def ensure_install_admin(self, install_token: str) -> User:
        """Make the install token the first admin (an upgrade from one shared token), or
        follow it after ``deskdraft token --rotate``. Jobs from before there were users
        become this admin's."""
        existing = self._user_where("install", 1)
        if existing is not None:
            if existing.token_hash and verify_token(install_token, existing.token_hash):
                return existing
            if existing.revoked_at is not None:
                return existing  # an admin revoked it on purpose
            self._update(
                "UPDATE users SET token_prefix=?, token_hash=? WHERE id=?",
                (token_prefix(install_token), hash_token(install_token), existing.id),
            )
            return self.user_by_id(existing.id)  # type: ignore[return-value]
        name = INSTALL_ADMIN if self.user_by_name(INSTALL_ADMIN) is None else "install-admin"
        user_id = uuid.uuid4().hex
        self._update(
            f"INSERT INTO users ({_COLUMNS}) VALUES (?,?,1,?,?,NULL,?,NULL,NULL,NULL,1)"
            " ON CONFLICT DO NOTHING",
            (user_id, name, token_prefix(install_token), hash_token(install_token), time.time()),
        )
        admin = self._user_where("install", 1)
        assert admin is not None
        self.adopt_unowned(admin.id)
        return admin

    def adopt_unowned(self, owner: str) -> None:
        """Hook for the tables that hold owned rows (jobs, feedback): see ``JobStore``."""
