"""``deskdraft model tune`` and ``deskdraft model use`` (see docs/tuning.md)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from connectors.errors import UsageError


def add_actions(actions: Any) -> None:
    tune = actions.add_parser(
        "tune",
        help="fine-tune the default model with LoRA on your data (CPU)",
        description="Fine-tune the current default model with LoRA on subject lines or "
        "event titles, merge, build a new model folder and judge it against the default on "
        "held-out pairs. See docs/tuning.md.",
    )
    source = tune.add_argument_group("data (at least one)")
    source.add_argument("--aeslc", type=Path, metavar="DIR", help="a folder of .subject files")
    source.add_argument("--jsonl", type=Path, metavar="FILE", help='{"task","input","target"}')
    source.add_argument(
        "--from-feedback", action="store_true", help="drafts users edited (the job store)"
    )
    tune.add_argument("--limit", type=int, help="at most this many AESLC mails")
    tune.add_argument("--name", help="the new model's folder name (default: from the data)")
    tune.add_argument("--parent", type=Path, help="the model to tune (default: the default)")
    tune.add_argument("--prune-layers", metavar="N|auto", default="0", help="remove layers")
    tune.add_argument("--max-minutes", type=float, default=0.0, help="training time budget")
    tune.add_argument("--epochs", type=float, default=2.0)
    tune.add_argument("--max-steps", type=int, default=0)
    tune.add_argument("--learning-rate", type=float, default=3e-4)
    tune.add_argument("--rank", type=int, default=16)
    tune.add_argument("--batch-size", type=int, default=8)
    tune.add_argument("--accumulation", type=int, default=2)
    tune.add_argument("--max-tokens", type=int, default=256, help="prompt + target tokens")
    tune.add_argument("--eval-every", type=int, default=25, help="steps between evaluations")
    tune.add_argument("--patience", type=int, default=3, help="evaluations without gain")
    tune.add_argument("--seed", type=int, default=0)
    tune.add_argument("--threads", type=int, default=0, help="torch threads (0: all)")
    tune.add_argument("--resume", action="store_true", help="continue from the checkpoint")
    tune.add_argument("--promote", action="store_true", help="make it the default if better")
    tune.add_argument("--quiet", action="store_true", help="no progress bar")
    tune.add_argument("--json", action="store_true", help="print the result as JSON")
    tune.set_defaults(func=run_tune)
    use = actions.add_parser(
        "use",
        help="make a built model the default (gated), or roll back",
        description="Switch the default model. A tuned model that scored worse than the "
        "current default on its held-out pairs is refused unless --force.",
    )
    use.add_argument("name", nargs="?", help="a model folder name or path")
    use.add_argument("--previous", action="store_true", help="roll back to the previous default")
    use.add_argument("--force", action="store_true", help="switch even if it regresses")
    use.set_defaults(func=run_use)


def _prune(value: str) -> int | str:
    if value == "auto":
        return value
    if not value.isdigit():
        raise UsageError(f"--prune-layers takes a number or auto, not {value!r}")
    return int(value)


def _load(args: argparse.Namespace) -> tuple[list[Any], Counter[str], str]:
    from plugin.tune import data

    loaded = data.Loaded([])
    origins = []
    if args.aeslc:
        loaded.extend(data.load_aeslc(args.aeslc, args.limit))
        origins.append(f"aeslc:{args.aeslc}")
    if args.jsonl:
        loaded.extend(data.load_jsonl(args.jsonl))
        origins.append(f"jsonl:{args.jsonl}")
    if args.from_feedback:
        from plugin.jobs.queue import open_queue

        loaded.extend(data.from_feedback(open_queue().store.feedback_with_jobs()))
        origins.append("feedback")
    if not origins:
        raise UsageError(
            "no training data", hint="give --aeslc DIR, --jsonl FILE or --from-feedback"
        )
    return loaded.pairs, loaded.skipped, " + ".join(origins)


def run_tune(args: argparse.Namespace) -> int:
    from plugin.engine.runtime import resolve_model_dir
    from plugin.tune.pipeline import Request, tune
    from plugin.tune.train import Recipe

    pairs, skipped, origin = _load(args)
    if skipped and not args.quiet:
        print("skipped: " + ", ".join(f"{n} {why}" for why, n in sorted(skipped.items())))
    recipe = Recipe(
        rank=args.rank,
        alpha=2 * args.rank,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        accumulation=args.accumulation,
        epochs=args.epochs,
        max_steps=args.max_steps,
        max_tokens=args.max_tokens,
        eval_every=args.eval_every,
        patience=args.patience,
        max_minutes=args.max_minutes,
        seed=args.seed,
        threads=args.threads,
    )
    parent = args.parent.expanduser().resolve() if args.parent else resolve_model_dir()
    request = Request(
        parent,
        pairs,
        skipped,
        origin,
        recipe,
        name=args.name or "",
        prune=_prune(args.prune_layers),
        resume=args.resume,
        quiet=args.quiet,
    )
    try:
        result = tune(request)
    except KeyboardInterrupt:
        import sys

        print(
            "deskdraft: tune interrupted; no model was published (run the same command "
            "with --resume to continue from the last checkpoint)",
            file=sys.stderr,
        )
        return 130
    return _report(result, parent, args)


def _report(result: dict[str, Any], parent: Path, args: argparse.Namespace) -> int:
    verdict = result["tuned"]["evaluation"]["verdict"]
    promoted = False
    if args.promote and verdict["promote"]:
        from plugin.engine import registry

        registry.switch(Path(result["model"]), parent)
        _announce(Path(result["model"]))
        promoted = True
    result["promoted"] = promoted
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    evaluation = result["tuned"]["evaluation"]
    print(f"built {result['model']} in {result['minutes']:.1f} min")
    print(
        f"  held-out ROUGE-1 {evaluation['tuned']['rouge1']:.2f} vs default "
        f"{evaluation['default']['rouge1']:.2f}; faithful {evaluation['tuned']['faithful']:.2f}"
        f" vs {evaluation['default']['faithful']:.2f}"
    )
    print(f"  {verdict['reason']}")
    if promoted:
        print("  promoted: it is now the default (`deskdraft model use --previous` undoes it)")
    else:
        print(f"  use it with: deskdraft model use {result['name']}")
    return 0


def run_use(args: argparse.Namespace) -> int:
    from plugin.engine import registry

    if args.previous:
        folder = registry.rollback()
        _announce(folder)
        print(f"default model: {folder} (rolled back)")
        return 0
    if not args.name:
        raise UsageError("name a model, or give --previous", hint="`deskdraft model info`")
    folder = registry.find(args.name)
    current = _current_default()
    if folder == current:
        print(f"{folder} is already the default")
        return 0
    verdict = _gate(folder, current)
    if verdict is not None and verdict["regresses"] and not args.force:
        raise UsageError(
            f"refused: {verdict['reason']} on its held-out pairs",
            item=args.name,
            hint="--force switches anyway",
        )
    registry.switch(folder, current)
    _announce(folder)
    note = f" ({verdict['reason']})" if verdict else ""
    print(f"default model: {folder}{note}; `deskdraft model use --previous` undoes it")
    return 0


def _announce(folder: Path) -> None:
    """Tell the job store the new model id at once, so the queue's result cache never
    answers a job submitted after the switch with the old model's result (workers write
    the same id when they load the new default)."""
    from plugin.config import settings
    from plugin.engine import manifest as mf
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import MODEL_ID_KEY

    data = mf.read(folder) or {}
    variant = settings().engine.variant
    if variant in ("", "auto"):
        variant = str(data.get("default_variant", "fp32"))
    open_queue().store.meta_set(MODEL_ID_KEY, f"{mf.model_hash(data)}:{variant}")


def _current_default() -> Path:
    """The default model folder, without building it (``model use`` never builds)."""
    from plugin.config import settings
    from plugin.engine import registry
    from plugin.engine.build import default_model_dir

    configured = settings().engine.model.strip()
    if configured not in ("", "default"):
        raise UsageError(
            f"[engine] model is set to {configured}, so the default is not used",
            hint="set it to 'default' (or unset DESKDRAFT_ENGINE_MODEL) to switch models",
        )
    chosen = registry.current()
    return (chosen or default_model_dir()).resolve()


def _gate(folder: Path, current: Path) -> dict[str, Any] | None:
    """The gate's verdict of ``folder`` against ``current``: the recorded one when it was
    judged against this very model, else judged now on its held-out pairs."""
    from plugin.engine import manifest as mf
    from plugin.tune.pipeline import HELDOUT, judge_against

    tuned = (mf.read(folder) or {}).get("tuned")
    if not isinstance(tuned, dict):
        return None  # a plain build: nothing to judge it on
    evaluation = tuned.get("evaluation") or {}
    current_data = mf.read(current)
    if current_data is None or evaluation.get("against", {}).get("hash") == mf.model_hash(
        current_data
    ):
        # Judged against this very model when it was tuned (or nothing is built to judge
        # against): the recorded verdict stands.
        return evaluation.get("verdict")
    if not (folder / HELDOUT).is_file():
        return None
    from plugin.tune.data import read_pairs

    return judge_against(folder, current, read_pairs(folder / HELDOUT))["verdict"]
