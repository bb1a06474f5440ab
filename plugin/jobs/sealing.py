"""Sealing job content at rest with AES-256-GCM (an AEAD, from ``cryptography``).

Text columns hold ``enc1:KEYID:BASE64(nonce + ciphertext)``; files and huey messages hold
``DDE1`` + key id + nonce + ciphertext. The key id names the key that sealed a value, so a
wrong key is a clear error (``DataKeyError``) instead of garbage, and ``deskdraft keys
rotate`` knows what is left to reseal. Values written before encryption existed (no
prefix) are read as they are and sealed by the next rotation.
"""

from __future__ import annotations

import base64
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from huey.serializer import Serializer

from plugin.jobs.keys import DataKeyError, DataKeys, key_id, load_keys

TEXT_PREFIX = "enc1:"
BYTES_MAGIC = b"DDE1"
NONCE_BYTES = 12


class Sealer:
    """Seals with the current key, opens with any key the install still has."""

    def __init__(self, keys: DataKeys, *, enabled: bool = True) -> None:
        self.keys = keys
        self.enabled = enabled
        self.current_id = key_id(keys.current)
        self._aead = {key_id(k): AESGCM(k) for k in keys.keys}

    def _open(self, kid: str, payload: bytes, what: str) -> bytes:
        aead = self._aead.get(kid)
        if aead is None:
            raise DataKeyError(
                f"{what} was sealed with data key {kid}, which this install does not have "
                f"(its key is {self.current_id}, from {self.keys.describe()})",
                hint="set the key this store was written with (see docs/security.md)",
            )
        try:
            return aead.decrypt(payload[:NONCE_BYTES], payload[NONCE_BYTES:], None)
        except InvalidTag:
            raise DataKeyError(
                f"{what} sealed with data key {kid} failed its integrity "
                "check: it was changed or is corrupt"
            ) from None

    def _seal(self, raw: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead[self.current_id].encrypt(nonce, raw, None)

    # -- text columns ------------------------------------------------------------------

    def seal(self, text: str) -> str:
        if not self.enabled:
            return text
        sealed = base64.b64encode(self._seal(text.encode("utf-8"))).decode()
        return f"{TEXT_PREFIX}{self.current_id}:{sealed}"

    def unseal(self, stored: str) -> str:
        if not stored.startswith(TEXT_PREFIX):
            return stored  # written before encryption was on
        kid, _, payload = stored[len(TEXT_PREFIX) :].partition(":")
        return self._open(kid, base64.b64decode(payload), "a stored value").decode("utf-8")

    def is_current(self, stored: str) -> bool:
        return stored.startswith(f"{TEXT_PREFIX}{self.current_id}:")

    # -- bytes (files, queue messages) ----------------------------------------------------

    def seal_bytes(self, raw: bytes) -> bytes:
        if not self.enabled:
            return raw
        return BYTES_MAGIC + self.current_id.encode() + self._seal(raw)

    def unseal_bytes(self, stored: bytes, what: str = "a stored file") -> bytes:
        if not stored.startswith(BYTES_MAGIC):
            return stored
        kid = stored[4:12].decode("ascii", "replace")
        return self._open(kid, stored[12:], what)

    def bytes_are_current(self, stored: bytes) -> bool:
        return stored.startswith(BYTES_MAGIC + self.current_id.encode())


class SealingSerializer(Serializer):  # type: ignore[misc]
    """huey's pickle serializer with every message sealed. With encryption on, an unsealed
    message is refused: it did not come from deskdraft (and unpickling it could run code).
    Its job is not lost: the worker's orphan check enqueues queued jobs again."""

    def __init__(self, sealer: Sealer) -> None:
        super().__init__()
        self.sealer = sealer

    def _serialize(self, data: Any) -> bytes:
        return self.sealer.seal_bytes(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))

    def _deserialize(self, data: bytes) -> Any:
        if not data.startswith(BYTES_MAGIC) and self.sealer.enabled:
            raise DataKeyError("refused an unsealed queue message")
        return pickle.loads(self.sealer.unseal_bytes(data, "a queue message"))


@cache
def sealer_for(data_dir: Path, enabled: bool = True) -> Sealer:
    """The process's sealer for an install (keys are read once; restart after rotating)."""
    return Sealer(load_keys(data_dir), enabled=enabled)


def seal_file(path: Path, sealer: Sealer) -> None:
    """Seal a file in place (atomically): the draft wrote it in the clear under outputs/."""
    raw = path.read_bytes()
    if raw.startswith(BYTES_MAGIC) or not sealer.enabled:
        return
    tmp = path.with_name(path.name + ".sealing")
    tmp.write_bytes(sealer.seal_bytes(raw))
    os.replace(tmp, path)
