"""``manifest.json``: what a built model directory was made from and what it holds.

A build records the hashes of its source files, the options, the library versions and
the hashes of every output. A later build with the same inputs finds the manifest,
checks the outputs are still intact and does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1
#: Libraries whose version changes what a build produces.
LIBRARIES = ("torch", "transformers", "optimum", "optimum-onnx", "onnxruntime", "onnx", "gguf")


def file_hash(path: Path, chunk: int = 1 << 22) -> str:
    """sha256 of a file, streamed so large weights never sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def tree_hashes(root: Path, files: Iterable[Path] | None = None) -> dict[str, str]:
    """Relative path -> sha256 for every file under ``root`` (or the given ones)."""
    paths = (
        sorted(files) if files is not None else sorted(p for p in root.rglob("*") if p.is_file())
    )
    return {p.relative_to(root).as_posix(): file_hash(p) for p in paths}


def library_versions() -> dict[str, str]:
    versions: dict[str, str] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def build_key(sources: dict[str, str], options: dict[str, Any]) -> str:
    """One hash over everything that determines the outputs."""
    payload = json.dumps(
        {"format": FORMAT, "sources": sources, "options": options, "libraries": library_versions()},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def read(model_dir: Path) -> dict[str, Any] | None:
    path = model_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(model_dir: Path, data: dict[str, Any]) -> None:
    """Write atomically: a crash mid-write must not leave a manifest that looks valid."""
    tmp = model_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, model_dir / MANIFEST)


def outputs_intact(model_dir: Path, data: dict[str, Any], *, deep: bool = True) -> bool:
    """Every recorded output exists with its size (and, if ``deep``, its hash)."""
    outputs = data.get("outputs") or {}
    sizes = data.get("output_sizes") or {}
    if not outputs:
        return False
    for rel, digest in outputs.items():
        path = model_dir / rel
        if not path.is_file():
            return False
        if rel in sizes and path.stat().st_size != sizes[rel]:
            return False
        if deep and file_hash(path) != digest:
            return False
    return True


def model_hash(data: dict[str, Any]) -> str:
    """A short id of the built weights, used in ``Draft.model``."""
    return str(data.get("key", "unknown"))[:12]
