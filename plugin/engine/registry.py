"""Which built model is the default, and the ones before it (for rollback).

``data_dir()/models/default.json`` holds ``{"current": path, "history": [paths]}``; it is
written atomically by ``deskdraft model use``. ``[engine] model = "default"`` resolves
through it (``runtime.resolve_model_dir``), and workers compare its ``stamp`` between jobs,
so a new default is picked up without a restart.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError
from plugin.engine import manifest as mf

POINTER = "default.json"
HISTORY = 20


def models_dir() -> Path:
    from plugin.config import data_dir

    return data_dir() / "models"


def _read() -> dict[str, Any]:
    try:
        data = json.loads((models_dir() / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, Any]) -> None:
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (POINTER + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / POINTER)


def current() -> Path | None:
    """The chosen default model folder, or None (the bundled model)."""
    chosen = _read().get("current")
    if not isinstance(chosen, str):
        return None
    folder = Path(chosen)
    return folder if (folder / mf.MANIFEST).is_file() else None


def stamp() -> tuple[int, int]:
    """Changes whenever the default changes (cheap: one ``stat``)."""
    try:
        info = (models_dir() / POINTER).stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


def find(name: str) -> Path:
    """A model by folder name under the models dir, or by path."""
    for folder in (models_dir() / name, Path(name).expanduser()):
        if (folder / mf.MANIFEST).is_file():
            return folder.resolve()
    raise ConfigError(
        f"no built model named {name!r}", item=name, hint="`deskdraft model info` lists the models"
    )


def switch(folder: Path, previous: Path) -> None:
    """Make ``folder`` the default; ``previous`` goes on the rollback history."""
    data = _read()
    history = [h for h in data.get("history", []) if isinstance(h, str)]
    history.append(str(previous))
    _write({"current": str(folder), "history": history[-HISTORY:]})


def rollback() -> Path:
    """Back to the default before the current one; returns it."""
    data = _read()
    history = [h for h in data.get("history", []) if isinstance(h, str)]
    while history:
        folder = Path(history.pop())
        if (folder / mf.MANIFEST).is_file():
            _write({"current": str(folder), "history": history})
            return folder
    raise ConfigError(
        "there is no earlier default model to roll back to",
        hint="`deskdraft model info` lists the models",
    )
