"""Which built model is the default, per install and per user, and the ones before it.

``data_dir()/models/default.json`` holds::

    {"current": path, "history": [paths],
     "users": {"ann": {"current": path, "history": [paths]}}}

written atomically by ``deskdraft model use``. ``[engine] model = "default"`` resolves
through it (``runtime.resolve_model_dir``): a job owned by ann runs with her personal
default when she has one, every other job with the install's. Workers compare its
``stamp`` between jobs, so a new default is picked up without a restart.

A tuned model records its ``owner`` (a user name) in its manifest: one learned from a
user's edited drafts is learned from her mail, so it may be her personal default but
never anybody else's (``check_use``). A model without an owner belongs to the install.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError, UsageError
from plugin.engine import manifest as mf

POINTER = "default.json"
HISTORY = 20
#: ``owner_of`` for a model no single user owns: admins manage it.
INSTALL = None


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


def _slot(data: dict[str, Any], user: str | None) -> dict[str, Any]:
    """The install's entry (``data`` itself) or ``user``'s (empty when none)."""
    if user is None:
        return data
    users = data.get("users")
    entry = users.get(user) if isinstance(users, dict) else None
    return entry if isinstance(entry, dict) else {}


def _store_slot(data: dict[str, Any], user: str | None, entry: dict[str, Any] | None) -> None:
    if user is None:
        assert entry is not None
        data.update(entry)
        return
    users = data.get("users") if isinstance(data.get("users"), dict) else {}
    if entry is None:
        users.pop(user, None)
    else:
        users[user] = entry
    data["users"] = users


def _valid(chosen: Any) -> Path | None:
    if not isinstance(chosen, str) or not chosen:
        return None
    folder = Path(chosen)
    return folder if (folder / mf.MANIFEST).is_file() else None


def current(user: str | None = None) -> Path | None:
    """The install's chosen default (None: the bundled model), or with ``user`` that
    user's personal default (None: they follow the install's)."""
    return _valid(_slot(_read(), user).get("current"))


def personal_defaults() -> dict[str, Path]:
    """Every user's personal default: ``{name: folder}``."""
    users = _read().get("users")
    found = {}
    for name, entry in users.items() if isinstance(users, dict) else []:
        folder = _valid(entry.get("current")) if isinstance(entry, dict) else None
        if folder is not None:
            found[str(name)] = folder
    return found


def stamp() -> tuple[int, int]:
    """Changes whenever any default changes (cheap: one ``stat``)."""
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


def model_id(folder: Path) -> str:
    """The id jobs record for ``folder``: its hash and the variant the settings pick."""
    from plugin.config import settings
    from plugin.engine import quality

    data = mf.read(folder) or {}
    variant = settings().engine.variant
    if variant in ("", "auto"):
        # As the engine chooses it: by the figures under today's bound, which may differ
        # from the name a manifest recorded under an older one.
        variant = quality.default_variant(data)
    return f"{mf.model_hash(data)}:{variant}"


def owner_of(folder: Path) -> str | None:
    """The user a model belongs to, or ``INSTALL`` (None)."""
    owner = (mf.read(folder) or {}).get("owner")
    return str(owner) if isinstance(owner, str) and owner else INSTALL


def check_use(folder: Path, user: str | None, *, force: bool = False) -> None:
    """Refuse to serve a user's model to anyone else: as another user's default always,
    as the install's default unless ``force`` (an admin's deliberate, audited choice)."""
    owner = owner_of(folder)
    if owner is INSTALL or owner == user:
        return
    if user is not None:
        raise UsageError(
            f"refused: model {folder.name} is owned by {owner} and was learned from their "
            f"mail; it cannot be {user}'s default",
            item=folder.name,
        )
    if not force:
        raise UsageError(
            f"refused: model {folder.name} is owned by {owner}; as the install default it "
            "would serve a model learned from their mail to everybody",
            item=folder.name,
            hint=f"`--user {owner}` makes it their default; --force makes it everybody's",
        )


def switch(folder: Path, previous: Path | None, user: str | None = None) -> None:
    """Make ``folder`` the default (the install's, or ``user``'s); ``previous`` goes on the
    rollback history (None for a user: back to following the install's default)."""
    data = _read()
    slot = _slot(data, user)
    history = [h for h in slot.get("history", []) if isinstance(h, str)]
    history.append(str(previous) if previous is not None else "")
    _store_slot(data, user, {"current": str(folder), "history": history[-HISTORY:]})
    _write(data)


def rollback(user: str | None = None) -> Path | None:
    """Back to the default before the current one; returns it. For a user whose history
    runs out, their personal default is cleared (None: the install's default again)."""
    data = _read()
    slot = _slot(data, user)
    history = [h for h in slot.get("history", []) if isinstance(h, str)]
    while history:
        entry = history.pop()
        if user is not None and entry == "":
            _store_slot(data, user, {"current": "", "history": history} if history else None)
            _write(data)
            return None
        folder = Path(entry)
        if entry and (folder / mf.MANIFEST).is_file():
            _store_slot(data, user, {"current": entry, "history": history})
            _write(data)
            return folder
    if user is not None and slot:
        _store_slot(data, user, None)
        _write(data)
        return None
    who = f"{user} has" if user else "there is"
    raise ConfigError(
        f"{who} no earlier default model to roll back to",
        hint="`deskdraft model info` lists the models",
    )


def forget_user(user: str) -> Path | None:
    """Drop ``user``'s personal default (a revoked user's model serves nobody); returns
    the model that was their default, if any."""
    data = _read()
    before = current(user)
    if _slot(data, user):
        _store_slot(data, user, None)
        _write(data)
    return before
