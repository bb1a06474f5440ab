"""Audit entries for model changes: who, for whom, which model id; never any content."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def audit_model(
    store: Any,
    action: str,
    folder: Path | None,
    user: str | None,
    outcome: str,
    *,
    actor: str,
) -> None:
    """``action`` (``model.tune``, ``model.use``, ``model.rollback``, ``model.retrain``)
    by ``actor`` for ``user`` (None: the install) on ``folder`` (None: the install default)."""
    from plugin.engine.registry import model_id

    model = f"{folder.name}@{model_id(folder)}" if folder is not None else "install default"
    store.audit(
        user=actor,
        action=action,
        kind="model",
        source=f"for:{user}" if user else "for:install",
        outcome=f"{outcome}: {model}",
    )
