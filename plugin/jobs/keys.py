"""The data key that seals job content at rest: where it comes from, and how it is kept.

Looked for in this order: the OS keyring (service ``deskdraft``, user ``data-key:DATA_DIR``),
the ``DESKDRAFT_DATA_KEY`` environment variable, then ``data.key`` in the data dir (mode
0600). When none exists, a new key is written to ``data.key`` on first start. Each source
holds one or more base64 keys (newest first, separated by commas or new lines): during
``deskdraft keys rotate`` the previous key stays readable until everything is resealed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from connectors.errors import ConfigError, UsageError
from connectors.secrets import register_secret

KEY_ENV = "DESKDRAFT_DATA_KEY"
KEY_FILE = "data.key"
KEYRING_SERVICE = "deskdraft"
KEY_BYTES = 32


class DataKeyError(ConfigError):
    """The data key is missing, malformed, or does not open what is stored."""


@dataclass(frozen=True)
class DataKeys:
    keys: tuple[bytes, ...]  # the current key first
    source: str  # keyring | env | file
    location: str  # where, for messages (never the key itself)

    @property
    def current(self) -> bytes:
        return self.keys[0]

    def describe(self) -> str:
        return f"{self.source} ({self.location})"


def key_id(key: bytes) -> str:
    """A short public name for a key, stored next to everything sealed with it."""
    return hashlib.sha256(b"deskdraft-data-key:" + key).hexdigest()[:8]


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _keyring_user(data_dir: Path) -> str:
    return f"data-key:{data_dir.resolve()}"


def _keyring_get(data_dir: Path) -> str | None:
    from connectors.credentials import keyring_password

    return keyring_password(KEYRING_SERVICE, _keyring_user(data_dir))


def _parse(text: str, where: str) -> tuple[bytes, ...]:
    keys = []
    for part in text.replace(",", "\n").split():
        register_secret(part)
        try:
            key = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise DataKeyError(
                f"the data key in {where} is not a base64 {KEY_BYTES}-byte key",
                hint="use a key written by deskdraft, or remove it to make one",
            )
        keys.append(key)
    if not keys:
        raise DataKeyError(f"the data key in {where} is empty", hint="remove it to make one")
    return tuple(keys)


def encode(keys: tuple[bytes, ...]) -> str:
    return "\n".join(base64.urlsafe_b64encode(k).decode() for k in keys)


def load_keys(data_dir: Path) -> DataKeys:
    """The install's data keys; created in the key file on first start."""
    if text := _keyring_get(data_dir):
        return DataKeys(_parse(text, "the OS keyring"), "keyring", _keyring_user(data_dir))
    if text := os.environ.get(KEY_ENV, "").strip():
        return DataKeys(_parse(text, KEY_ENV), "env", KEY_ENV)
    path = data_dir / KEY_FILE
    try:  # O_EXCL: processes starting together end up with one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(encode((new_key(),)) + "\n")
    for _ in range(50):  # another process may be between creating and writing it
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return DataKeys(_parse(text, str(path)), "file", str(path))
        time.sleep(0.02)
    raise DataKeyError("the data key file is empty", item=str(path))


def save_keys(found: DataKeys, keys: tuple[bytes, ...]) -> DataKeys:
    """Store a new key list where the keys came from (not possible for the env var)."""
    if found.source == "env":
        raise UsageError(
            f"the data key comes from {KEY_ENV}, which deskdraft cannot change",
            hint=f"set {KEY_ENV}=NEW,OLD (see `deskdraft keys new`), then run "
            "`deskdraft keys rotate` again",
        )
    text = encode(keys)
    for part in text.split():
        register_secret(part)
    if found.source == "keyring":
        import keyring

        keyring.set_password(KEYRING_SERVICE, found.location, text)
        return DataKeys(keys, found.source, found.location)
    path = Path(found.location)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return DataKeys(keys, found.source, found.location)
