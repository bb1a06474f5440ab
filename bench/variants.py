"""Quality of each built model variant against fp32: the table that picks the default.

    python bench/variants.py [--model-dir DIR] [--mails 60] [--skip 0]
                             [--variants fp32,int8,int4] [--record]
                             [--save-outputs FILE] [--fp32-outputs FILE]

The first ``--mails`` mails of ../shared/data/aeslc-dev (file-name order) after
``--skip`` (the recorded figures: ``--skip 100 --mails 400``, mails none of the recipes
were chosen on), the subject-line prompt of ``plugin/engine/evaluate.py``, greedy, at
most 24 new tokens, stop at a newline. For each variant: ROUGE-1/2/L F1 against the
human subject lines (best of three), its loss against fp32 with a 95 % interval (paired
bootstrap over the mails), and its agreement with fp32's outputs on the same prompts
(exact, ROUGE-L). A variant whose whole interval lies more than
``quality.MAX_ROUGE1_LOSS`` (0.5) ROUGE-1 points below fp32, or that writes fp32's line
for fewer than ``quality.MIN_AGREEMENT`` (half) of the mails, may not be the default;
``--record`` writes the figures into the model's manifest, which re-chooses the default
(``plugin/engine/quality.py``). Last stdout line: JSON.

``--save-outputs`` writes every variant's subject lines (and the mails they are for);
``--fp32-outputs`` takes fp32's from such a file instead of running fp32 again (the
slowest variant), refusing it unless it was made on the same mails (or more of them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", help="a built model dir (default: build/find the default)")
    parser.add_argument("--mails", type=int, default=60)
    parser.add_argument(
        "--skip", type=int, default=0, help="start after this many mails (a held-out slice)"
    )
    parser.add_argument("--variants", default="", help="comma-separated (default: all built)")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument(
        "--record",
        action="store_true",
        help="store the figures in the manifest (re-chooses the default)",
    )
    parser.add_argument("--save-outputs", help="write each variant's subject lines (JSON)")
    parser.add_argument(
        "--fp32-outputs", help="fp32's subject lines from an earlier --save-outputs run"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from tqdm import tqdm

    from plugin.engine import manifest as mf
    from plugin.engine.evaluate import (
        agreement,
        clean_subject,
        load_aeslc,
        loss_interval,
        rouge,
        rouge1_per_mail,
        subject_prompt,
    )
    from plugin.engine.quality import LOSS, LOSS_CI, record, within_bound
    from plugin.engine.runtime import Engine

    folder = Path(args.model_dir) if args.model_dir else _default_model()
    built = list((mf.read(folder) or {}).get("variants", {}))
    variants = [v for v in args.variants.split(",") if v] or built
    if "fp32" not in variants:
        variants.insert(0, "fp32")
    mails = load_aeslc(SHARED / "data" / "aeslc-dev", args.skip + args.mails)[args.skip :]
    if not mails:
        sys.exit(f"no AESLC mails under {SHARED / 'data' / 'aeslc-dev'}")
    mail_names = [m.name for m in mails]
    outputs: dict[str, list[str]] = {}
    rows: dict[str, dict[str, float]] = {}
    if args.fp32_outputs:
        saved = json.loads(Path(args.fp32_outputs).read_text())
        # A run on more mails serves any first part of them.
        same_mails = saved.get("mails", [])[: len(mail_names)] == mail_names
        if not same_mails or "fp32" not in saved.get("outputs", {}):
            sys.exit(f"{args.fp32_outputs}: no fp32 outputs for these {len(mails)} mails")
        outputs["fp32"] = saved["outputs"]["fp32"][: len(mail_names)]
        rows["fp32"] = {**rouge(outputs["fp32"], [m.references for m in mails]), "seconds": 0.0}
        variants.remove("fp32")
    for variant in variants:
        engine = Engine(folder, variant=variant, threads=args.threads)
        started = time.perf_counter()
        subjects = []
        for mail in tqdm(mails, desc=variant, file=sys.stderr):
            [text] = engine.generate([subject_prompt(engine, mail)], max_new_tokens=24, stop=["\n"])
            subjects.append(clean_subject(text))
        outputs[variant] = subjects
        rows[variant] = {
            **rouge(subjects, [m.references for m in mails]),
            "seconds": round(time.perf_counter() - started, 1),
        }
        if variant != "fp32":
            rows[variant].update(agreement(subjects, outputs["fp32"]))
        # One line per finished variant: a long run's figures survive an interrupted one.
        print(json.dumps({"variant": variant, **rows[variant]}), file=sys.stderr, flush=True)
        if args.save_outputs:
            Path(args.save_outputs).write_text(
                json.dumps({"mails": mail_names, "outputs": outputs}, indent=1)
            )
    base = rows["fp32"]["rouge1"]
    references = [m.references for m in mails]
    per_mail = {name: rouge1_per_mail(lines, references) for name, lines in outputs.items()}
    print(
        f"{'variant':8} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'same':>6} {'R-L/fp32':>8} "
        f"{'loss (95 % interval)':>22}  ok"
    )
    for variant, row in rows.items():
        row["rouge1_loss"] = round(base - row["rouge1"], 2)
        row[LOSS_CI] = loss_interval(per_mail["fp32"], per_mail[variant])
        row["may_be_default"] = within_bound(row)
        low, high = row[LOSS_CI]
        print(
            f"{variant:8} {row['rouge1']:6.2f} {row['rouge2']:6.2f} {row['rougeL']:6.2f} "
            f"{row.get('exact_agreement', 1.0):6.2f} {row.get('rougeL_vs_fp32', 100):8.2f} "
            f"{row['rouge1_loss']:6.2f} ({low:5.2f} to {high:5.2f})"
            f"  {'yes' if row['may_be_default'] else 'no'}"
        )
    result: dict[str, object] = {
        "mails": len(mails),
        "variants": rows,
        "load_average": os.getloadavg()[0],
    }
    if args.record:
        figures = {
            name: {
                "rouge1": row["rouge1"],
                LOSS: row["rouge1_loss"],
                LOSS_CI: row[LOSS_CI],
                "mails": len(mails),
                "exact_agreement": row.get("exact_agreement"),
                "measured": time.strftime("%Y-%m-%d"),
            }
            for name, row in rows.items()
            if name != "fp32"
        }
        result["default_variant"] = record(folder, figures)
    print(json.dumps(result))


def _default_model() -> Path:
    from plugin.engine.build import ALL_VARIANTS, DEFAULT_NAME, build

    cache = Path(os.environ.get("DESKDRAFT_MODEL_CACHE", Path.home() / ".cache/deskdraft-bench"))
    folder, _ = build(cache / DEFAULT_NAME, variants=list(ALL_VARIANTS), quiet=True)
    return folder


if __name__ == "__main__":
    main()
