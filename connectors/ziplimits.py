"""Guards for hostile Office files, applied before any parser inflates a byte.

* Zip bombs: the central directory's declared sizes are checked against limits on the
  total uncompressed size, the per-member compression ratio and the number of members.
  ``zipfile`` never inflates past a member's declared size, so the check is binding.
* XML entity bombs and XXE probes: Office XML never carries a DTD, so any ``<!DOCTYPE``
  or ``<!ENTITY`` in a part is refused outright instead of being parsed.
* Encrypted or legacy files (OLE containers) and non-zip input get a clear message.

Limits come from ``settings().limits``, passed to connectors as ``options["limits"]``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from connectors.errors import BadInputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MB = 1024 * 1024
#: Members smaller than this may compress as well as they like (empty styles, tiny parts).
_RATIO_FLOOR_BYTES = _MB
_SCAN_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits a connector applies; mirrors ``plugin.config.LimitsSettings``."""

    zip_max_uncompressed_mb: float = 200.0
    zip_max_ratio: float = 200.0
    zip_max_members: int = 10_000
    xlsx_max_rows: int = 1_000_000
    xlsx_max_cells: int = 20_000_000
    file_max_mb: float = 100.0

    @property
    def file_max_bytes(self) -> int:
        return int(self.file_max_mb * _MB)


def resolve_limits(options: Mapping[str, Any] | None) -> Limits:
    """``options["limits"]`` as ``Limits``: a settings object, a dict, or absent."""
    raw = (options or {}).get("limits")
    if raw is None:
        return Limits()
    if isinstance(raw, Limits):
        return raw
    values = (
        raw
        if isinstance(raw, Mapping)
        else {name: getattr(raw, name) for name in Limits.__slots__ if hasattr(raw, name)}
    )
    known = {k: v for k, v in values.items() if k in Limits.__slots__}
    return Limits(**known)


def sniff_office(head: bytes, item: str, kind: str) -> None:
    """Reject input that cannot be an Office Open XML package, with the reason."""
    if not head:
        raise BadInputError(f"empty file, not a {kind} document", item=item)
    if head.startswith(OLE_MAGIC):
        raise BadInputError(
            f"encrypted or password-protected {kind} (an OLE container, not a ZIP package)",
            item=item,
            hint="save it without a password, or as a normal .docx/.xlsx",
        )
    if not head.startswith(b"PK"):
        raise BadInputError(f"not a valid {kind} file (no ZIP signature)", item=item)


@contextmanager
def office_file(file: str | Path | IO[bytes], item: str, kind: str) -> Iterator[IO[bytes]]:
    """A binary handle on an Office file whose first bytes were checked by ``sniff_office``.

    Paths are opened (and closed after); file objects are used as given, rewound.
    """
    handle: IO[bytes] = open(file, "rb") if isinstance(file, str | Path) else file  # noqa: SIM115
    try:
        head = handle.read(8)
        handle.seek(0)
        sniff_office(head, item, kind)
        yield handle
    finally:
        if isinstance(file, str | Path):
            handle.close()


def open_checked_zip(
    file: str | IO[bytes], item: str, kind: str, limits: Limits
) -> zipfile.ZipFile:
    """Open an OOXML package after checking it against the zip-bomb and XML limits."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise BadInputError(f"not a valid {kind} file (broken ZIP: {exc})", item=item) from None
    try:
        check_zip(archive, item, limits)
        check_xml_parts(archive, item)
    except BaseException:
        archive.close()
        raise
    return archive


def check_zip(archive: zipfile.ZipFile, item: str, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.zip_max_members:
        raise BadInputError(
            f"refused: {len(members)} parts in the archive (limit {limits.zip_max_members})",
            item=item,
        )
    total = 0
    max_total = limits.zip_max_uncompressed_mb * _MB
    for info in members:
        if info.flag_bits & 0x1:
            raise BadInputError("encrypted ZIP member; cannot be read", item=item)
        total += info.file_size
        if total > max_total:
            raise BadInputError(
                f"refused as a possible zip bomb: more than {limits.zip_max_uncompressed_mb:g} MB"
                " uncompressed",
                item=item,
                hint="raise limits.zip_max_uncompressed_mb if the file is trusted",
            )
        if info.file_size > _RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.zip_max_ratio:
                raise BadInputError(
                    f"refused as a possible zip bomb: {info.filename} expands {ratio:.0f}x "
                    f"(limit {limits.zip_max_ratio:g}x)",
                    item=item,
                    hint="raise limits.zip_max_ratio if the file is trusted",
                )


def check_xml_parts(archive: zipfile.ZipFile, item: str) -> None:
    """Refuse any XML part that declares a DTD (entity bombs, external entities)."""
    for info in archive.infolist():
        name = info.filename.lower()
        if not (name.endswith((".xml", ".rels", ".vml")) or name == "[content_types].xml"):
            continue
        try:
            with archive.open(info) as fh:
                head = fh.read(_SCAN_BYTES)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ) as exc:
            raise BadInputError(f"broken part {info.filename}: {exc}", item=item) from None
        if _DTD.search(head):
            raise BadInputError(
                f"refused: {info.filename} declares XML entities (entity bomb or external"
                " entity probe)",
                item=item,
            )
