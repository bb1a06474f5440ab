"""``deskdraft model build`` and ``deskdraft model info``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from plugin.engine.variants import VARIANTS

#: Every recipe of the variants table (docs/model.md), not only the ones a default
#: build makes.
VARIANT_CHOICES = ("fp32", *VARIANTS)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "model",
        help="build the local model (ONNX) or show what is built",
        description="Build the bundled SmolLM2 model (or any local Hugging Face checkpoint) "
        "into ONNX under the data dir, and show what is built. See docs/model.md.",
    )
    actions = parser.add_subparsers(dest="model_command", metavar="ACTION")
    build = actions.add_parser(
        "build",
        help="convert and export a model (a no-op when nothing changed)",
        description="Convert the bundled GGUF (or --model) to ONNX with KV cache, optimize "
        "it, make the compressed variant(s) and export MiniLM for embeddings.",
    )
    build.add_argument(
        "--model",
        type=Path,
        metavar="DIR",
        help="a local Hugging Face checkpoint (causal LM or seq2seq) or a .gguf file "
        "(default: the bundled SmolLM2-135M-Instruct)",
    )
    build.add_argument(
        "--variant",
        action="append",
        choices=VARIANT_CHOICES,
        help="variant(s) to build besides fp32 (repeatable; default: the measured default)",
    )
    build.add_argument("--out", type=Path, metavar="DIR", help="where to build (default: data dir)")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(func=run_build)
    info = actions.add_parser("info", help="show the built models, sizes and default variant")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=run_info)
    from plugin.commands.model_tune import add_actions

    add_actions(actions)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def run_build(args: argparse.Namespace) -> int:
    import time

    from plugin.engine.build import build

    started = time.monotonic()
    folder, built = build(
        args.out, checkpoint=args.model, variants=args.variant, quiet=args.quiet, force=args.force
    )
    if not built:
        print(f"up to date: {folder} (inputs unchanged, nothing to do)")
        return 0
    print(f"built {folder} in {time.monotonic() - started:.0f} s")
    if args.model is not None or args.out is not None:
        print(f"use it with: DESKDRAFT_ENGINE_MODEL={folder}  (or [engine] model in config.toml)")
    return 0


def _describe(folder: Path, data: dict[str, Any]) -> dict[str, Any]:
    from plugin.engine.build import outdated
    from plugin.engine.quality import default_variant

    served = default_variant(data)  # as the engine chooses it, not as once recorded
    variants = {
        name: {"size_mb": round(info.get("size", 0) / 1e6, 1), "path": str(folder / info["path"])}
        for name, info in data.get("variants", {}).items()
    }
    embed = folder / "embed" / "model.onnx"
    return {
        "name": data.get("name", folder.name),
        "path": str(folder),
        "kind": data.get("kind"),
        "model_id": f"{str(data.get('key', ''))[:12]}:{served}",
        "default_variant": served,
        "variants": variants,
        "embeddings_mb": round(embed.stat().st_size / 1e6, 1) if embed.is_file() else None,
        "built_at": data.get("built_at"),
        "build_seconds": data.get("build_seconds"),
        "source": data.get("source_path"),
        "up_to_date": not outdated(data),
        "owner": data.get("owner") or None,
        **_tuned_summary(data),
    }


def _tuned_summary(data: dict[str, Any]) -> dict[str, Any]:
    """Parent, tasks and held-out scores of a tuned model (nothing for a plain build)."""
    tuned = data.get("tuned")
    if not isinstance(tuned, dict):
        return {"owned_by": "the install (admins)", "parent": None, "scores": None}
    evaluation = tuned.get("evaluation") or {}
    from plugin.commands.model_tune import owner_text
    from plugin.tune.gate import VERSION

    return {
        "owned_by": owner_text(data.get("owner"), tuned.get("data") or {}),
        "parent": tuned.get("parent"),
        "tasks": tuned.get("tasks"),
        "scores": evaluation.get("tuned"),
        "parent_scores": evaluation.get("default"),
        "verdict": (evaluation.get("verdict") or {}).get("reason"),
        # An older gate's verdict is shown as such: `model use` does not trust it.
        "verdict_by_this_gate": evaluation.get("gate") == VERSION,
        "pruned": tuned.get("pruned")
        and {k: tuned["pruned"][k] for k in ("layers_before", "layers_after")},
    }


def run_info(args: argparse.Namespace) -> int:
    from plugin.config import data_dir, settings
    from plugin.engine import manifest as mf
    from plugin.engine import registry

    folders = sorted(p.parent for p in (data_dir() / "models").glob(f"*/{mf.MANIFEST}"))
    chosen = registry.current()
    default = chosen.resolve() if chosen else None
    configured = settings().engine.model.strip()
    if configured not in ("", "default"):
        extra = Path(configured).expanduser()
        if extra not in folders and (extra / mf.MANIFEST).is_file():
            folders.insert(0, extra)
    personal = registry.personal_defaults()
    models = []
    for folder in folders:
        data = mf.read(folder)
        if data is not None:
            described = _describe(folder, data)
            described["is_default"] = folder.resolve() == default
            described["default_for"] = sorted(
                name for name, chosen in personal.items() if chosen.resolve() == folder.resolve()
            )
            models.append(described)
    if args.json:
        print(json.dumps({"models": models, "engine_model": configured or "default"}, indent=2))
        return 0
    if not models:
        print("no model is built yet; run `deskdraft model build` (about 2 minutes)")
        return 0
    for model in models:
        print(f"{model['name']}  ({model['kind']})  {model['path']}")
        mark = "   <- default model" if model["is_default"] else ""
        print(f"  model id: {model['model_id']}   built {model['built_at']}{mark}")
        print(f"  owned by {model['owned_by']}")
        if model["default_for"]:
            print(f"  personal default of: {', '.join(model['default_for'])}")
        if model["parent"]:
            print(
                f"  tuned from {model['parent']['name']} ({model['parent']['hash']}) for "
                f"{', '.join(model['tasks'] or [])}"
            )
        if model["scores"]:
            mine, theirs = model["scores"], model["parent_scores"] or {}
            print(
                f"  held-out ROUGE-1 {mine['rouge1']:.2f} (parent {theirs.get('rouge1', 0):.2f})"
                f", faithful {mine['faithful']:.2f} (parent {theirs.get('faithful', 0):.2f})"
            )
        if model.get("verdict"):
            older = (
                ""
                if model["verdict_by_this_gate"]
                else " (an older gate's verdict: `deskdraft model use` judges it again)"
            )
            print(f"  gate: {model['verdict']}{older}")
        # One column for the sizes, however long a recipe's name ("int8-asym").
        width = max(map(len, [*model["variants"], "embed"]))
        for name, info in model["variants"].items():
            mark = "  <- default" if name == model["default_variant"] else ""
            print(f"  {name:{width}} {info['size_mb']:8.1f} MB  {info['path']}{mark}")
        if model["embeddings_mb"] is not None:
            print(f"  {'embed':{width}} {model['embeddings_mb']:8.1f} MB  all-MiniLM-L6-v2")
        if not model["up_to_date"]:
            print(
                "  built by an older deskdraft: `deskdraft model build` (with the same "
                "--model/--out) rebuilds it with the current, faster graph"
            )
    chosen_note = f" -> {default}" if default and configured in ("", "default") else ""
    print(
        f"engine uses: {configured or 'default'}{chosen_note} (variant {settings().engine.variant})"
    )
    return 0
