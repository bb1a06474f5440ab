"""Scheduled re-training from feedback: the tick that enqueues it and the ``retrain`` job.

Off unless ``[tune] schedule = true`` (docs/tuning.md, "Scheduled re-training"). The
leading ``deskdraft scheduler`` calls ``fire`` on ``[tune] cron``; it enqueues one
``retrain`` job per user who gave feedback (``per_user``: the job is theirs) or one for
the install. A job:

1. counts the feedback that arrived after the newest model tuned on this user's (or the
   install's) feedback, and stops with a note when fewer than ``min_new_records`` of those
   records are usable edits;
2. tunes the user's current default on every record that default has not learned (so the
   records of a model the gate refused are used again, with the new ones); the model is
   owned by the user, as ``model tune --from-feedback --user`` makes it;
3. applies the gate of ``model tune --promote`` and makes the model the user's default
   (the install's, without ``per_user``) only when the gate says so;
4. returns a note of what changed: records used and skipped, the gate's figures for the
   old and the new model, promoted or not, and why.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.document import Document
from connectors.errors import ConfigError
from plugin.config import TuneSettings, settings
from plugin.drafts.base import Draft, DraftKind
from plugin.engine import manifest as mf
from plugin.jobs.progress import report_progress
from plugin.tune.train import Recipe

KIND = "retrain"
ACTOR = "scheduler"

log = logging.getLogger(__name__)


class RetrainDraft(DraftKind):
    """The ``retrain`` job kind: its draft is the note of what the re-training changed."""

    name = KIND
    needs_model = False  # it loads the models it tunes and judges itself
    scheduled_only = True  # the scheduler submits it, the bridge does not offer it

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        user = options.get("user")
        note = retrain(str(user) if user else None)
        return [Draft(KIND, note["text"], data=note)]


def fire(step_s: int = 60) -> list[str]:
    """Enqueue this tick's ``retrain`` jobs; returns their ids. A tick that was fired
    already (a scheduler restarted within it) enqueues nothing again."""
    from plugin.jobs.queue import PRIORITIES, open_queue

    cfg = settings().tune
    if not cfg.schedule:
        return []
    queue = open_queue()
    store = queue.store
    period = datetime.fromtimestamp(int(time.time() // step_s * step_s), UTC).isoformat()
    targets: list[tuple[str | None, str | None]] = [(None, None)]
    if cfg.per_user:
        users = [store.user_by_id(uid) for uid in store.feedback_owners()]
        targets = [(u.name, u.id) for u in users if u is not None and u.revoked_at is None]
    ids = []
    for name, user_id in targets:
        job_id = hashlib.sha256(f"{KIND}:{name or ''}:{period}".encode()).hexdigest()[:32]
        if store.get(job_id) is not None:
            continue
        text = f"re-train from the feedback of {name or 'everybody'} ({period})"
        options = {"user": name, "period": period}
        store.create(KIND, {"text": text}, options, PRIORITIES["batch"], job_id=job_id,
                     owner=user_id)  # fmt: skip
        queue.enqueue(job_id, PRIORITIES["batch"])
        ids.append(job_id)
    log.info("re-training from feedback: %d job(s) enqueued for %s", len(ids), period)
    return ids


def recipe(cfg: TuneSettings) -> Recipe:
    known = {f.name for f in fields(Recipe)}
    unknown = sorted(set(cfg.recipe) - known)
    if unknown:
        raise ConfigError(
            f"unknown [tune] recipe setting(s): {', '.join(unknown)}",
            hint=f"known: {', '.join(sorted(known))}",
        )
    return Recipe(**{"max_minutes": cfg.max_minutes, **cfg.recipe})


def _feedback_until(folder: Path | None) -> float | None:
    """The time of the newest feedback record a model was tuned on (None: none)."""
    data = (mf.read(folder) or {}) if folder is not None else {}
    tuned = data.get("tuned")
    until = tuned.get("data", {}).get("feedback_until") if isinstance(tuned, dict) else None
    return float(until) if isinstance(until, int | float) else None


def last_tuned(user: str | None) -> tuple[Path | None, float | None]:
    """The newest model tuned on ``user``'s feedback (None: the install's) and its time."""
    from plugin.engine.registry import models_dir, owner_of

    newest: tuple[Path | None, float | None] = (None, None)
    for path in models_dir().glob(f"*/{mf.MANIFEST}"):
        until = _feedback_until(path.parent)
        if until is None or owner_of(path.parent) != user:
            continue
        if newest[1] is None or until > newest[1]:
            newest = (path.parent, until)
    return newest


def _after(records: list[dict[str, Any]], since: float | None) -> list[dict[str, Any]]:
    if since is None:
        return records
    return [r for r in records if r.get("created_at") is not None and r["created_at"] > since]


@contextmanager
def _exclusive(user: str | None) -> Iterator[bool]:
    """One re-training per user at a time (a slow run still going when the next fires)."""
    from plugin.engine.registry import models_dir

    models_dir().mkdir(parents=True, exist_ok=True)
    with open(models_dir() / f".retrain-{user or 'install'}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _skip(note: dict[str, Any], why: str) -> dict[str, Any]:
    note.update(outcome="skipped", reason=why, text=f"{note['for']}: skipped: {why}")
    return note


def retrain(user: str | None) -> dict[str, Any]:
    """One re-training run for ``user`` (None: the install); returns the result note."""
    from plugin.engine.runtime import resolve_model_dir
    from plugin.jobs.queue import open_queue
    from plugin.tune.feedback import from_feedback

    cfg = settings().tune
    store = open_queue().store
    owner = store.require_user(user) if user else None
    note: dict[str, Any] = {"for": user or "the install", "user": user, "promoted": False}
    if owner is not None and owner.revoked_at is not None:
        return _skip(note, f"{user} is revoked; nothing is tuned for them")
    records = store.feedback_with_jobs(owner.id if owner else None)
    last, last_until = last_tuned(user)
    fresh = from_feedback(_after(records, last_until))
    note["since"] = {
        "model": last.name if last else None,
        "at": datetime.fromtimestamp(last_until, UTC).isoformat() if last_until else None,
    }
    note["records"] = {"new": len(_after(records, last_until)), "new_usable": len(fresh.pairs)}
    if len(fresh.pairs) < cfg.min_new_records:
        since = f" since {last.name}" if last else ""
        return _skip(
            note,
            f"{len(fresh.pairs)} new usable record(s){since}, fewer than the "
            f"{cfg.min_new_records} a re-training needs ([tune] min_new_records)",
        )
    with _exclusive(user) as mine:
        if not mine:
            return _skip(note, f"another re-training for {note['for']} is still running")
        return _tune_and_gate(note, user, owner, records, resolve_model_dir(user), cfg)


def _tune_and_gate(
    note: dict[str, Any],
    user: str | None,
    owner: Any,
    records: list[dict[str, Any]],
    parent: Path,
    cfg: TuneSettings,
) -> dict[str, Any]:
    from plugin.engine import registry
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import MODEL_ID_KEY, personal_model_key
    from plugin.tune.audit import audit_model
    from plugin.tune.feedback import feedback_facts, from_feedback
    from plugin.tune.pipeline import Request, tune

    unlearned = _after(records, _feedback_until(parent))
    loaded = from_feedback(unlearned)
    note["records"].update(used=len(loaded.pairs), skipped=dict(loaded.skipped))
    note["parent"] = parent.name
    report_progress(0.05, f"tuning {parent.name} on {len(loaded.pairs)} edited drafts")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    request = Request(
        parent,
        loaded.pairs,
        loaded.skipped,
        f"scheduled: feedback of {user}" if user else "scheduled: feedback",
        recipe(cfg),
        name=f"{user or 'install'}-retrained-{stamp}",
        quiet=True,
        owner=user,
        facts=feedback_facts(unlearned),
    )
    result = tune(request)
    folder = Path(result["model"])
    evaluation = result["tuned"]["evaluation"]
    verdict = evaluation["verdict"]
    note.update(
        tuned_model=result["name"],
        minutes=result["minutes"],
        gate={
            "old": evaluation["default"],
            "new": evaluation["tuned"],
            "gain": verdict["gain"],
            "required_gain": verdict["required_gain"],
        },
        reason=verdict["reason"],
    )
    store = open_queue().store
    if verdict["promote"]:
        previous = registry.current(user) if user else parent
        registry.switch(folder, previous, user)
        key = personal_model_key(owner.id) if owner is not None else MODEL_ID_KEY
        store.meta_set(key, registry.model_id(folder))
        note.update(outcome="promoted", promoted=True)
        text = f"promoted {folder.name} to {note['for']}'s default ({verdict['reason']})"
    else:
        note["outcome"] = "kept"
        text = f"built {folder.name}, not promoted: {verdict['reason']}; the default is unchanged"
    audit_model(store, "model.retrain", folder, user, note["outcome"], actor=ACTOR)
    skipped = sum(loaded.skipped.values())
    note["text"] = (
        f"{note['for']}: {text}; trained on {len(loaded.pairs)} edited draft(s), "
        f"{skipped} record(s) skipped"
    )
    return note
