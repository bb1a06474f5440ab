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
        description="Fine-tune the current default model with LoRA on subject lines, "
        "event titles or your replies, merge, build a new model folder and judge it "
        "against the default on held-out pairs. See docs/tuning.md.",
    )
    source = tune.add_argument_group("data (at least one)")
    source.add_argument("--aeslc", type=Path, metavar="DIR", help="a folder of .subject files")
    source.add_argument("--jsonl", type=Path, metavar="FILE", help='{"task","input","target"}')
    source.add_argument(
        "--from-feedback", action="store_true", help="drafts users edited (the job store)"
    )
    source.add_argument(
        "--replies",
        action="append",
        metavar="SOURCE",
        help="mail holding your replies and what they answer (files, .mbox, maildir:, "
        "imaps://…/INBOX and …/Sent, ews://, graph://; repeatable): the reply task",
    )
    tune.add_argument(
        "--me",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="your From address, for --replies (repeatable; default: the --profile's)",
    )
    tune.add_argument(
        "--profile",
        metavar="ID",
        help="the voice profile reply plans are built with, for --replies (default: the "
        "first --me, else the --user; see `deskdraft profile build`)",
    )
    tune.add_argument("--limit", type=int, help="at most this many AESLC mails")
    tune.add_argument("--name", help="the new model's folder name (default: from the data)")
    tune.add_argument("--parent", type=Path, help="the model to tune (default: the default)")
    tune.add_argument(
        "--user",
        metavar="NAME",
        help="tune for this user: only their feedback, owned by them, their default",
    )
    tune.add_argument(
        "--prune-layers",
        metavar="N|auto|I,J,..",
        default="0",
        help="remove N layers (auto: a quarter), or the layers named by index",
    )
    tune.add_argument(
        "--prune-by",
        choices=("auto", "loss", "angle"),
        default="auto",
        help="choose the layers by the held-out target loss without them (auto, loss) "
        "or by the angle between each layer's input and output (angle)",
    )
    tune.add_argument(
        "--distill-from",
        type=Path,
        metavar="MODEL",
        help="train on this built model's own answers to the training mails instead of "
        "the data's targets (distillation; e.g. heal a pruned model on its parent's lines)",
    )
    tune.add_argument(
        "--distill-mix",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="with --distill-from: the share of pairs that keep their own target (default 0)",
    )
    tune.add_argument(
        "--distill-kind",
        choices=distill_kind_choices(),
        default="answers",
        help="with --distill-from: learn the teacher's greedy lines (answers) or its "
        "next-token distributions at every position (logits, token-level)",
    )
    tune.add_argument(
        "--quant-aware",
        choices=quant_aware_choices(),
        default=None,
        metavar="VARIANT",
        help="train through the rounding of this 4-bit variant (int4), taught by the "
        "unquantized model's logits (over --distill-from MODEL's lines when given), then "
        "build and judge that variant",
    )
    tune.add_argument(
        "--train-weights",
        choices=("adapters", "layers"),
        default=None,
        help="train LoRA adapters, or the decoder layers' own weights "
        "(default: layers with --distill-kind logits or --quant-aware, else adapters)",
    )
    tune.add_argument("--max-minutes", type=float, default=0.0, help="training time budget")
    tune.add_argument("--epochs", type=float, default=2.0)
    tune.add_argument("--max-steps", type=int, default=0)
    tune.add_argument(
        "--learning-rate",
        type=float,
        default=None,
        help="default 3e-4 for adapters, 5e-5 for --train-weights layers",
    )
    tune.add_argument("--rank", type=int, default=16)
    tune.add_argument(
        "--lora-top-share",
        type=float,
        default=None,
        metavar="SHARE",
        help="share of layers, from the top, that get adapters "
        "(default 0.5; 1.0, all, with --prune-layers)",
    )
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
    from plugin.commands.model_use import add_action

    add_action(actions)


def adapter_share(given: float | None, prune: int | str) -> float:
    """The share of layers (from the top) that get adapters: ``given``, else half, or all
    when healing a pruned model."""
    from plugin.tune.train import Recipe

    if given is None:
        # Healing repairs the layers around every cut, low ones too. bench/tune.py, 2 Dec:
        # healed in the upper half, a 7-layer prune stayed 18.9 ROUGE-1 below the tuned
        # model; healed in every layer, an 8-layer prune (1 Dec) stayed 8.9 below.
        return 1.0 if prune else Recipe.lora_top_share
    if not 0 < given <= 1:
        raise UsageError(f"--lora-top-share takes a share in (0, 1], not {given}")
    return given


def full_layers(train_weights: str | None, distill_kind: str, quant_aware: bool = False) -> bool:
    """Whether to train the decoder layers' own weights: as asked, else for token-level
    distillation (the fifth pruning run healed that way: docs/tuning.md) and for
    quantization-aware training (the rounding applies to the layers' weights)."""
    if train_weights is None:
        return distill_kind == "logits" or quant_aware
    return train_weights == "layers"


def _targets_faithful(evaluation: dict[str, Any]) -> str:
    # Older records lack the figure; without it "faithful 0.18" reads as a failing grade.
    share = evaluation.get("targets_faithful")
    return "" if share is None else f" (the targets' own: {share:.2f})"


def distill_kind_choices() -> tuple[str, ...]:
    from plugin.tune.logit_distill import KINDS

    return KINDS


def quant_aware_choices() -> tuple[str, ...]:
    from plugin.tune.quant_aware import SUPPORTED

    return SUPPORTED


def _prune(value: str) -> int | str | tuple[int, ...]:
    if value == "auto":
        return value
    if "," in value and all(part.strip().isdigit() for part in value.split(",")):
        return tuple(sorted({int(part) for part in value.split(",")}))
    if not value.isdigit():
        raise UsageError(
            f"--prune-layers takes a number, auto or layer indices (3,12,13), not {value!r}"
        )
    return int(value)


def _teacher(folder: Path | None, mix: float, kind: str = "answers") -> Path | None:
    from plugin.engine import manifest as mf

    if not 0.0 <= mix < 1.0:
        raise UsageError(f"--distill-mix takes a share in [0, 1), not {mix}")
    if folder is None:
        if mix:
            raise UsageError("--distill-mix needs --distill-from MODEL")
        if kind != "answers":
            raise UsageError(f"--distill-kind {kind} needs --distill-from MODEL")
        return None
    folder = folder.expanduser().resolve()
    if mf.read(folder) is None:
        raise UsageError(
            "the teacher is not a built model folder (no manifest.json)",
            item=str(folder),
            hint="name a folder that `deskdraft model info` lists",
        )
    return folder


def _load(
    args: argparse.Namespace, user: Any, parent: Path
) -> tuple[list[Any], Counter[str], str, dict[str, Any]]:
    """Pairs, skipped counts, origin and facts about the feedback used (for the record)."""
    from plugin.tune import data, feedback

    loaded = data.Loaded([])
    origins = []
    facts: dict[str, Any] = {}
    if args.aeslc:
        loaded.extend(data.load_aeslc(args.aeslc, args.limit))
        origins.append(f"aeslc:{args.aeslc}")
    if args.jsonl:
        loaded.extend(data.load_jsonl(args.jsonl))
        origins.append(f"jsonl:{args.jsonl}")
    if args.from_feedback:
        from plugin.jobs.queue import open_queue

        records = open_queue().store.feedback_with_jobs(user.id if user else None)
        loaded.extend(feedback.from_feedback(records))
        facts = feedback.feedback_facts(records)
        origins.append(f"feedback of {user.name}" if user else "feedback")
    if args.replies:
        loaded.extend(_replies(args, user, parent))
        origins.append(f"replies:{','.join(args.replies)}")
    if not origins:
        raise UsageError(
            "no training data",
            hint="give --aeslc DIR, --jsonl FILE, --from-feedback or --replies SOURCE",
        )
    return loaded.pairs, loaded.skipped, " + ".join(origins), facts


def _replies(args: argparse.Namespace, user: Any, parent: Path) -> Any:
    """The reply pairs of ``--replies``, planned with the profile reply jobs would use."""
    from transformers import AutoTokenizer

    from plugin.drafts.reply.voice import load_profile
    from plugin.tune.examples import target_fits
    from plugin.tune.output import parent_checkpoint
    from plugin.tune.replies import address, load_replies, my_addresses

    first_me = address(args.me[0]) if args.me else None  # "Bob <bob@x>" -> bob@x
    profile = load_profile(args.profile or first_me or (user and user.name))
    me = my_addresses(args.me, profile)
    tokenizer = AutoTokenizer.from_pretrained(parent_checkpoint(parent))
    return load_replies(args.replies, me, profile, target_fits(tokenizer, args.max_tokens))


def run_tune(args: argparse.Namespace) -> int:
    from plugin.commands.model_use import require_user
    from plugin.engine.runtime import resolve_model_dir
    from plugin.tune.pipeline import Request, tune
    from plugin.tune.train import Recipe

    prune = _prune(args.prune_layers)
    top_share = adapter_share(args.lora_top_share, prune)
    user = require_user(args.user) if args.user else None
    owner = user.name if user is not None else None
    parent = args.parent.expanduser().resolve() if args.parent else resolve_model_dir(owner)
    pairs, skipped, origin, facts = _load(args, user, parent)
    if skipped and not args.quiet:
        print("skipped: " + ", ".join(f"{n} {why}" for why, n in sorted(skipped.items())))
    full = full_layers(args.train_weights, args.distill_kind, bool(args.quant_aware))
    recipe = Recipe(
        rank=args.rank,
        alpha=2 * args.rank,
        lora_top_share=top_share,
        learning_rate=args.learning_rate or Recipe().learning_rate_for(full),
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
        full_layers=full,
    )
    request = Request(
        parent,
        pairs,
        skipped,
        origin,
        recipe,
        name=args.name or "",
        prune=prune,
        prune_by=args.prune_by,
        distill_from=_teacher(args.distill_from, args.distill_mix, args.distill_kind),
        distill_mix=args.distill_mix,
        distill_kind=args.distill_kind,
        quant_aware=args.quant_aware,
        resume=args.resume,
        quiet=args.quiet,
        owner=owner,
        facts=facts,
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
    return _report(result, parent, args, user)


def _report(result: dict[str, Any], parent: Path, args: argparse.Namespace, user: Any) -> int:
    from plugin.commands.model_use import announce, audit_model

    owner = user.name if user is not None else None
    verdict = result["tuned"]["evaluation"]["verdict"]
    folder = Path(result["model"])
    audit_model("model.tune", folder, owner, f"ok ({result['tuned']['data']['origin']})")
    promoted = False
    if args.promote and verdict["promote"]:
        from plugin.engine import registry

        previous = registry.current(owner) if owner else parent
        registry.switch(folder, previous, owner)
        announce(folder, user)
        audit_model("model.use", folder, owner, "promoted")
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
        f" vs {evaluation['default']['faithful']:.2f}" + _targets_faithful(evaluation)
    )
    print(f"  {verdict['reason']}")
    quantized = result["tuned"].get("quant_aware")
    figures = (result["tuned"].get("variants") or {}).get("variants") or {}
    if quantized and quantized["variant"] in figures:
        loss = figures[quantized["variant"]]["rouge1_loss"]
        print(f"  {quantized['variant']} loses {loss:.2f} ROUGE-1 against the parent's fp32")
    print(f"  owned by {owner_text(result['tuned'].get('owner'), result['tuned']['data'])}")
    for_user = f" --user {owner}" if owner else ""
    if promoted:
        print(
            f"  promoted: it is now the default{' for ' + owner if owner else ''} "
            f"(`deskdraft model use --previous{for_user}` undoes it)"
        )
    else:
        print(f"  use it with: deskdraft model use {result['name']}{for_user}")
    return 0


def owner_text(owner: str | None, data: dict[str, Any]) -> str:
    """Who a model belongs to, in words (``model tune`` and ``model info``)."""
    if owner:
        return owner
    users = data.get("feedback_users")
    if users:
        return f"the install (admins): tuned on the feedback of {users} user(s)"
    return "the install (admins)"
