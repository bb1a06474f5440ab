"""Benchmark ``deskdraft model tune``: LoRA on AESLC train, judged on AESLC dev only.

    python bench/tune.py [--minutes 45] [--train-mails 4000] [--dev-mails 0] [--threads 0]

One run, on ../shared/data (aeslc-train to learn, aeslc-dev to judge; dev is never
trained on):

1. tunes the default model for subject lines within two thirds of ``--minutes``;
2. prunes (``--prune-layers``, default ``auto``: a quarter of the layers, chosen by
   ``--prune-by``, default the held-out loss) and heals with LoRA on every layer, on the
   same training split, within the rest of the budget (``--heal-share`` of it):
   ``--prune-from tuned`` cuts the tuned model and heals it on the tuned model's own
   subject lines (``--heal-on teacher``, distillation), on its next-token distributions
   (``logits``: token-level distillation, training the decoder layers' own weights) or on
   the senders' lines (``human``);
   ``--prune-from base`` cuts the zero-shot model and tunes the cut model on the senders'
   lines exactly as the unpruned one was tuned, so healing and learning the task are one
   training run;
3. scores on aeslc-dev, ROUGE-1/2/L against the three annotators: the zero-shot model, the
   tuned model alone (fp32 and int8), ``summarize --style oneline`` with the tuned model
   and its faithful share, and the pruned+healed model;
4. runs ``bench/model.py --quick`` on the tuned and the pruned model for decode tokens/s.

The LAST stdout line is one JSON object. Targets: docs/tuning.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def dev_pairs(shared: Path, limit: int) -> list[Any]:
    """AESLC dev as pairs whose references are the three annotators (not the sender)."""
    from plugin.tune.data import Pair, load_aeslc

    pairs = []
    for pair in load_aeslc(shared / "data" / "aeslc-dev").pairs:
        if pair.references:
            pairs.append(
                Pair("subject", pair.input, pair.references[0], pair.group, pair.references[1:])
            )
    return pairs[:limit] if limit else pairs


def oneline(model_dir: Path, pairs: list[Any]) -> dict[str, Any]:
    from connectors.document import Document
    from plugin.drafts.summary.summarize import SummaryDraft
    from plugin.engine.runtime import Engine
    from plugin.tune.gate import score

    documents = [
        Document(id=str(i), kind="email", source=str(i), text=p.input) for i, p in enumerate(pairs)
    ]
    drafts = SummaryDraft(Engine(model_dir)).draft(documents, {"style": "oneline"})
    scores = score([d.data["summary"] for d in drafts], pairs).to_json()
    scores["model_share"] = round(
        sum(d.data["path"] == "abstractive" for d in drafts) / max(len(drafts), 1), 3
    )
    return scores


def decode_rate(model_dir: Path, variant: str, threads: int) -> float:
    """Decode tokens/s of one variant of a built model (``bench/model.py --quick``)."""
    command = [
        sys.executable,
        str(REPO / "bench" / "model.py"),
        "--quick",
        "--model-dir",
        str(model_dir),
        "--threads",
        str(threads),
        "--backends",
        variant,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    results = json.loads(done.stdout.strip().splitlines()[-1])
    rows = results.get("backends", results)
    return float(rows[variant]["decode_tokens_per_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=45.0, help="total training budget")
    parser.add_argument("--train-mails", type=int, default=4000)
    parser.add_argument("--dev-mails", type=int, default=0, help="0: all of aeslc-dev")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument(
        "--prune-layers",
        default="auto",
        help="a count, or auto",
        type=lambda v: v if v == "auto" else int(v),
    )
    parser.add_argument(
        "--prune-by", default="auto", choices=("auto", "loss", "angle"), help="layer choice"
    )
    parser.add_argument(
        "--heal-on",
        default="teacher",
        choices=("teacher", "logits", "human"),
        help="heal on the tuned model's own subject lines (distillation), on its "
        "next-token distributions (token-level distillation) or on the senders' lines",
    )
    parser.add_argument(
        "--prune-from",
        default="tuned",
        choices=("tuned", "base"),
        help="cut the tuned model and heal it, or cut the zero-shot model and tune the cut one",
    )
    parser.add_argument(
        "--heal-share",
        type=float,
        default=1 / 3,
        help="the share of --minutes that prunes and heals (the rest tunes)",
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    if not 0 < args.heal_share < 1:
        parser.error("--heal-share must lie between 0 and 1")

    from collections import Counter

    from plugin.engine.runtime import resolve_model_dir
    from plugin.tune.data import load_aeslc
    from plugin.tune.gate import evaluate
    from plugin.tune.pipeline import Request, tune
    from plugin.tune.train import Recipe

    started = time.monotonic()
    parent = resolve_model_dir()
    train = load_aeslc(args.shared / "data" / "aeslc-train", args.train_mails)
    dev = dev_pairs(args.shared, args.dev_mails)
    heal_minutes = args.minutes * args.heal_share
    recipe = Recipe(max_minutes=args.minutes - heal_minutes, threads=args.threads, epochs=1)
    stamp = time.strftime("%Y%m%d-%H%M")
    tuned = tune(
        Request(
            parent,
            train.pairs,
            Counter(train.skipped),
            "aeslc-train",
            recipe,
            name=f"bench-tuned-{stamp}",
        )
    )
    # Healing adapts every layer (as `model tune --prune-layers` does by default); the
    # token-level heal trains the layers themselves (as `--distill-kind logits` does).
    from_tuned = args.prune_from == "tuned"
    by_logits = from_tuned and args.heal_on == "logits"
    heal = Recipe(
        max_minutes=heal_minutes,
        threads=args.threads,
        epochs=1,
        lora_top_share=1.0,
        full_layers=by_logits,
        learning_rate=Recipe().learning_rate_for(by_logits),
    )
    pruned = tune(
        Request(
            Path(tuned["model"]) if from_tuned else parent,
            train.pairs,
            Counter(train.skipped),
            "aeslc-train",
            heal,
            name=f"bench-pruned-{stamp}",
            prune=args.prune_layers,
            prune_by=args.prune_by,
            distill_from=(Path(tuned["model"]) if from_tuned and args.heal_on != "human" else None),
            distill_kind="logits" if by_logits else "answers",
        )
    )
    tuned_dir, pruned_dir = Path(tuned["model"]), Path(pruned["model"])

    from plugin.engine.runtime import Engine
    from plugin.tune.gate import answers, score

    def variant_scores(model_dir: Path, variant: str) -> dict[str, Any]:
        engine = Engine(model_dir, variant=variant, threads=args.threads)
        return score(answers(engine, dev), dev).to_json()

    # "tuned" is the variant the tuned model serves, chosen by its held-out figures.
    served = tuned["tuned"]["variants"]["default_variant"]
    results: dict[str, Any] = {
        "zero_shot": evaluate(parent, dev, threads=args.threads).to_json(),
        "tuned_fp32": variant_scores(tuned_dir, "fp32"),
        "tuned_int8": variant_scores(tuned_dir, "int8"),
        "oneline_tuned": oneline(tuned_dir, dev),
        "pruned_healed": evaluate(pruned_dir, dev, threads=args.threads).to_json(),
    }
    results["tuned"] = results[f"tuned_{served}"]
    tuned_rate = decode_rate(tuned_dir, served, args.threads)
    pruned_rate = decode_rate(pruned_dir, served, args.threads)
    training = tuned["tuned"]["training"]
    results.update(
        tuned_serves=served,
        pruned_serves=pruned["tuned"]["variants"]["default_variant"],
        int8_minus_fp32_rouge1=round(
            results["tuned_int8"]["rouge1"] - results["tuned_fp32"]["rouge1"], 2
        ),
        pruned_from=args.prune_from,
        heal_minutes=round(heal_minutes, 1),
        pruned_layers={
            k: pruned["tuned"]["pruned"][k] for k in ("layers_before", "layers_after", "removed")
        },
        pruned_minus_tuned_rouge1=round(
            results["pruned_healed"]["rouge1"] - results["tuned"]["rouge1"], 2
        ),
        pruned_decode_ratio=round(pruned_rate / tuned_rate, 3),
        examples_per_s=training["examples_per_s"],
        # The throughput target is in 128-token examples: trained tokens / 128.
        examples_128_per_s=training.get("examples_128_per_s"),
        tokens_per_s=training.get("tokens_per_s"),
        training_minutes=training["minutes"] + pruned["tuned"]["training"]["minutes"],
        minutes=round((time.monotonic() - started) / 60, 1),
        load_average=os.getloadavg(),
        dev_mails=len(dev),
        train_mails=len(train.pairs),
    )
    for name in (
        "zero_shot",
        "tuned",
        "tuned_fp32",
        "tuned_int8",
        "oneline_tuned",
        "pruned_healed",
    ):
        row = results[name]
        print(
            f"{name:15} R1 {row['rouge1']:6.2f}  R2 {row['rouge2']:6.2f}  "
            f"RL {row['rougeL']:6.2f}  faithful {row['faithful']:.3f}",
            file=sys.stderr,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
