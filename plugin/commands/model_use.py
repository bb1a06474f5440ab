"""``deskdraft model use``: switch the install's or one user's default model, or roll back.

A tuned model owned by a user (tuned from their feedback with ``--user``) may only be
that user's personal default; ``registry.check_use`` says why anything else is refused.
Every switch and rollback joins the audit trail with the user it is for and the model's
id, never any content.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from connectors.errors import UsageError


def add_action(actions: Any) -> None:
    use = actions.add_parser(
        "use",
        help="make a built model the default (gated), or roll back",
        description="Switch the default model, for everybody or (--user) for one user's "
        "jobs. A tuned model that scored worse than the current default on its held-out "
        "pairs is refused unless --force; a model owned by a user serves only that user.",
    )
    use.add_argument("name", nargs="?", help="a model folder name or path")
    use.add_argument("--previous", action="store_true", help="roll back to the previous default")
    use.add_argument("--user", metavar="NAME", help="only for this user's jobs")
    use.add_argument(
        "--force",
        action="store_true",
        help="switch even if it regresses, or make a user's model the install default (audited)",
    )
    use.set_defaults(func=run_use)


def require_user(name: str) -> Any:
    """An active user (a revoked one gets no model), for ``--user``."""
    from plugin.jobs.queue import open_store

    user = open_store().require_user(name)
    if user.revoked_at is not None:
        raise UsageError(f"user {name!r} is revoked", item=name)
    return user


def run_use(args: argparse.Namespace) -> int:
    from plugin.engine import registry

    user = require_user(args.user) if args.user else None
    who = user.name if user is not None else None
    if args.previous:
        folder = registry.rollback(who)
        announce(folder, user)
        audit_model("model.rollback", folder, who, "ok")
        if folder is None:
            print(f"{who}'s jobs use the install default model again (rolled back)")
        else:
            print(f"default model{_for(who)}: {folder} (rolled back)")
        return 0
    if not args.name:
        raise UsageError("name a model, or give --previous", hint="`deskdraft model info`")
    folder = registry.find(args.name)
    try:
        registry.check_use(folder, who, force=args.force)
    except UsageError as exc:
        audit_model("model.use", folder, who, f"refused: owned by {registry.owner_of(folder)}")
        raise exc from None
    forced_owner = registry.owner_of(folder) if who is None else None
    current = current_default(who)
    if folder == current:
        print(f"{folder} is already the default{_for(who)}")
        return 0
    verdict = _gate(folder, current or current_default(None))
    regresses = verdict is not None and verdict["regresses"]
    if regresses and not args.force:
        audit_model("model.use", folder, who, "refused: regresses")
        raise UsageError(
            f"refused: {verdict['reason']} on its held-out pairs",
            item=args.name,
            hint="--force switches anyway",
        )
    registry.switch(folder, current, who)
    announce(folder, user)
    outcome = "forced past the gate" if regresses else "ok"
    if forced_owner is not None:
        outcome = f"forced: {forced_owner}'s model is now everybody's default"
    audit_model("model.use", folder, who, outcome)
    note = f" ({verdict['reason']})" if verdict else ""
    undo = f" --user {who}" if who else ""
    print(
        f"default model{_for(who)}: {folder}{note}; "
        f"`deskdraft model use --previous{undo}` undoes it"
    )
    return 0


def _for(user: str | None) -> str:
    return f" for {user}" if user else ""


def announce(folder: Path | None, user: Any = None) -> None:
    """Tell the job store the new model id at once, so the queue's result cache never
    answers a job submitted after the switch with the old model's result (workers write
    the same id when they load the new default). ``folder`` None: ``user`` follows the
    install default again."""
    from plugin.engine.registry import model_id
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import MODEL_ID_KEY, personal_model_key

    key = personal_model_key(user.id) if user is not None else MODEL_ID_KEY
    open_queue().store.meta_set(key, model_id(folder) if folder is not None else "")


def audit_model(action: str, folder: Path | None, user: str | None, outcome: str) -> None:
    """One audit entry, as the OS account that ran the command."""
    import getpass

    from plugin.jobs.queue import open_store
    from plugin.tune.audit import audit_model as write

    write(open_store(), action, folder, user, outcome, actor=f"cli:{getpass.getuser()}")


def current_default(user: str | None) -> Path | None:
    """The default model folder (a user's personal one: None when they have none),
    without building it (``model use`` never builds)."""
    from plugin.config import settings
    from plugin.engine import registry
    from plugin.engine.build import default_model_dir

    configured = settings().engine.model.strip()
    if configured not in ("", "default"):
        raise UsageError(
            f"[engine] model is set to {configured}, so the default is not used",
            hint="set it to 'default' (or unset DESKDRAFT_ENGINE_MODEL) to switch models",
        )
    if user is not None:
        personal = registry.current(user)
        return personal.resolve() if personal is not None else None
    chosen = registry.current()
    return (chosen or default_model_dir()).resolve()


def _gate(folder: Path, current: Path | None) -> dict[str, Any] | None:
    """The gate's verdict of ``folder`` against ``current``: the recorded one when this
    gate judged it against this very model, else judged now on its held-out pairs."""
    from plugin.engine import manifest as mf
    from plugin.tune import pipeline
    from plugin.tune.gate import VERSION

    tuned = (mf.read(folder) or {}).get("tuned")
    if not isinstance(tuned, dict) or current is None:
        return None  # a plain build: nothing to judge it on
    evaluation = tuned.get("evaluation") or {}
    current_data = mf.read(current)
    if current_data is None:
        return evaluation.get("verdict")  # nothing built to judge against
    same_model = evaluation.get("against", {}).get("hash") == mf.model_hash(current_data)
    if same_model and evaluation.get("gate") == VERSION:
        return evaluation.get("verdict")
    if not (folder / pipeline.HELDOUT).is_file():
        # Nothing to judge it on again: an older gate's verdict on this model still counts.
        return evaluation.get("verdict") if same_model else None
    from plugin.tune.data import read_pairs

    held_out = read_pairs(folder / pipeline.HELDOUT)
    print(
        f"judging {folder.name} against {current.name} on {len(held_out)} held-out pairs",
        file=sys.stderr,
    )
    return pipeline.judge_against(folder, current, held_out, quiet=False)["verdict"]
