"""Summary quality on AESLC dev (``../shared/data/aeslc-dev``): ROUGE of ``oneline`` drafts.

Each e-mail's ``oneline`` summary is scored with rouge-score (stemming on): F1 against
each of the three annotator subject lines, averaged per e-mail, then over e-mails.
Printed beside two baselines: the first 15 words of the body and the senders' own
subject lines, plus the extractive-only pipeline (no model) for reference. Also: the
faithful share (drafts that pass ``verify.check`` against their e-mail), the same share
among drafts marked ``verified`` (must be 1.0), the abstractive share and p50 ms per
e-mail (the draft's own ``elapsed_ms``: its share of the batch it was decoded in).

    python bench/quality.py [--quick] [--limit N] [--batch-size 8]
    python bench/quality.py --judged-only            # the judged briefs' figures alone
    python bench/quality.py --judged-only --judged A.json --judged B.json
    python bench/quality.py --brief-sample OUT.json  # write fresh briefs of the judged mails
    python bench/quality.py --brief-sample OUT.json --fresh 70 --seed 1  # unjudged test mails
    python bench/quality.py --brief-sample OUT.json --fresh 70 --compress  # with compressions
    python bench/quality.py --rewrite-dev OUT.json   # today's briefs of the judged dev mails

The judged sets (``tests/data/brief_judged.json`` and every judged fresh sample,
``brief_judged_2.json``, ``_3``, …; or each ``--judged`` given): ``brief`` summaries of
AESLC dev and shared-corpus mails, each read against its mail by a person (faithful:
every claim is supported; useful: the main point or request comes through), split
dev/test by mailbox (``bench/brief_judging.py``). Reported on each split, over all files
and per file: the faithful and useful shares, and the claim check's agreement with the
reader (precision of ``verified``: the faithful share among drafts marked verified), with
the share of model-written-and-checked briefs and p50 ms. ``--brief-sample`` prints one
JSON line: p50 ``elapsed_ms``, CPU seconds per brief and the 1-minute load average.

The last stdout line is one JSON object: ``rouge1, rouge2, rougeL, lead15_rouge1,
faithful_share, p50_ms`` and more. Other evaluations join it through ``EXTRA_METRICS``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from brief_judging import (  # noqa: E402  (bench/ is put on the path just above)
    default_judged,
    judged_metrics,
    mail_text,
    mailbox_split,
    write_brief_sample,
)
from brief_rewrite import rewrite_judged  # noqa: E402

__all__ = ["judged_metrics", "mail_text", "mailbox_split", "write_brief_sample"]

QUICK = 200
#: Hooks for other evaluations reported on the same JSON line: (module, function); the
#: function takes the shared data folder (``../shared``) and returns ``{name: float}``,
#: e.g. ``{"calendar_precision": 0.93, "calendar_recall": 0.85}``. A hook whose module
#: is not there yet is skipped with a note on stderr.
EXTRA_METRICS: list[tuple[str, str]] = [("plugin.drafts.calendar.quality_hook", "evaluate")]


def load_aeslc(folder: Path) -> list[dict[str, Any]]:
    """Each ``*.subject`` file: body, the sender's subject and the annotator lines."""
    mails = []
    for path in sorted(folder.glob("*.subject")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        body, _, tail = raw.partition("\n@subject\n")
        parts = tail.split("\n@ann")
        annotations = [p.split("\n", 1)[1].strip() for p in parts[1:] if "\n" in p]
        mails.append(
            {
                "name": path.name,
                "body": body.strip(),
                "subject": parts[0].strip(),
                "annotations": [a for a in annotations if a],
            }
        )
    return [m for m in mails if m["body"] and m["annotations"]]


def score(predictions: list[str], mails: list[dict[str, Any]]) -> dict[str, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": [], "rouge2": [], "rougeL": []}  # type: dict[str, list[float]]
    for prediction, mail in zip(predictions, mails, strict=True):
        per_ref = [scorer.score(ref, prediction) for ref in mail["annotations"]]
        for key, values in totals.items():
            values.append(statistics.mean(s[key].fmeasure for s in per_ref))
    return {key: round(100 * statistics.mean(values), 2) for key, values in totals.items()}


def lead(body: str, words: int = 15) -> str:
    return " ".join(body.split()[:words])


def extra_metrics(shared: Path) -> dict[str, float]:
    found: dict[str, float] = {}
    for module_name, function in EXTRA_METRICS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            print(
                f"note: {module_name} is not available; its metrics are left out", file=sys.stderr
            )
            continue
        found.update(getattr(module, function)(shared))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"a fixed sample of {QUICK} mails")
    parser.add_argument("--limit", type=int, default=0, help="a fixed sample of N mails")
    parser.add_argument("--seed", type=int, default=0, help="which fixed sample (default 0)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--dump", type=Path, help="write each mail's drafts here (JSON Lines)")
    parser.add_argument(
        "--judged",
        type=Path,
        action="append",
        help="a judged briefs file (repeat for several; default: "
        "tests/data/brief_judged.json and every brief_judged_N.json)",
    )
    parser.add_argument(
        "--judged-only", action="store_true", help="print the judged briefs' figures and stop"
    )
    parser.add_argument(
        "--brief-sample", type=Path, help="write fresh briefs of the judged mails here and stop"
    )
    parser.add_argument(
        "--fresh",
        type=int,
        default=0,
        metavar="N",
        help="with --brief-sample: N AESLC mails of test-split mailboxes "
        "that no judged or label file names (sampled with --seed)",
    )
    parser.add_argument(
        "--compress",
        action="store_true",
        help="with --brief-sample or --rewrite-dev: briefs with the model's compressions "
        "(the option the product leaves off by default)",
    )
    parser.add_argument(
        "--rewrite-dev",
        type=Path,
        metavar="OUT.json",
        help="write today's briefs of the judged dev mails beside the judged "
        "drafts (unchanged ones keep their verdicts) and stop",
    )
    args = parser.parse_args(argv)
    judged_files = args.judged or default_judged()
    if args.fresh and not args.brief_sample:
        parser.error("--fresh needs --brief-sample OUT.json")
    if args.brief_sample:
        line = write_brief_sample(
            args.shared,
            args.brief_sample,
            args.batch_size,
            fresh=args.fresh,
            seed=args.seed,
            judged=judged_files,
            compress=args.compress,
        )
        print(json.dumps(line))
        return 0
    if args.rewrite_dev:
        print(
            json.dumps(
                rewrite_judged(
                    args.shared,
                    args.rewrite_dev,
                    args.batch_size,
                    judged=judged_files,
                    compress=args.compress,
                )
            )
        )
        return 0
    judged = {
        **judged_metrics(judged_files, "dev", args.shared),
        **judged_metrics(judged_files, "test", args.shared),
        **judged_metrics(judged_files, "sampled"),
    }
    if args.judged_only:
        print(json.dumps(judged))
        return 0

    from tqdm import tqdm

    from connectors.document import Document
    from plugin.drafts.summary.summarize import SummaryDraft
    from plugin.drafts.text.verify import check
    from plugin.engine.runtime import get_engine

    mails = load_aeslc(args.shared / "data" / "aeslc-dev")
    limit = QUICK if args.quick and not args.limit else args.limit
    if limit and limit < len(mails):
        mails = random.Random(args.seed).sample(mails, limit)
    documents = [
        Document(id=m["name"], kind="email", source=m["name"], text=m["body"]) for m in mails
    ]

    started = time.perf_counter()
    engine = get_engine()
    load_s = time.perf_counter() - started
    extractive = SummaryDraft(engine).draft(documents, {"style": "oneline", "model": False})
    cpu_started = time.process_time()
    with tqdm(total=len(documents), desc="oneline", unit="mail", file=sys.stderr) as bar:
        drafts = SummaryDraft(engine).draft(
            documents, {"style": "oneline", "batch_size": args.batch_size, "progress": bar.update}
        )
    cpu_ms = 1000 * (time.process_time() - cpu_started) / len(documents)
    summaries = [d.data["summary"] for d in drafts]
    passes = [check(s, m["body"]).ok for s, m in zip(summaries, mails, strict=True)]
    verified_pass = [p for p, d in zip(passes, drafts, strict=True) if d.verified]
    elapsed = [d.data["elapsed_ms"] for d in drafts]

    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for mail, draft, ext in zip(mails, drafts, extractive, strict=True):
                out.write(
                    json.dumps(
                        {
                            "name": mail["name"],
                            "annotations": mail["annotations"],
                            "extractive": ext.data["summary"],
                            **draft.to_json(),
                        }
                    )
                    + "\n"
                )
    rows = {
        "lead-15 words": score([lead(m["body"]) for m in mails], mails),
        "sender's subject": score([m["subject"] for m in mails], mails),
        "extractive only": score([d.data["summary"] for d in extractive], mails),
        "deskdraft oneline": score(summaries, mails),
    }
    print(f"AESLC dev, {len(mails)} e-mails, model {engine.model_id} (loaded in {load_s:.1f} s)")
    print(f"{'system':<20} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}")
    for name, row in rows.items():
        print(f"{name:<20} {row['rouge1']:>8.2f} {row['rouge2']:>8.2f} {row['rougeL']:>8.2f}")
    abstractive = sum(d.data["path"] == "abstractive" for d in drafts) / len(drafts)
    faithful = sum(passes) / len(passes)
    verified_faithful = sum(verified_pass) / len(verified_pass) if verified_pass else 1.0
    p50 = statistics.median(elapsed)
    print(
        f"faithful share {faithful:.3f} (among verified drafts {verified_faithful:.3f}); "
        f"abstractive share {abstractive:.3f}; p50 {p50:.0f} ms per e-mail "
        f"(batch {args.batch_size}); p90 {statistics.quantiles(elapsed, n=10)[-1]:.0f} ms"
    )
    system = rows["deskdraft oneline"]
    result: dict[str, Any] = {
        "rouge1": system["rouge1"],
        "rouge2": system["rouge2"],
        "rougeL": system["rougeL"],
        "lead15_rouge1": rows["lead-15 words"]["rouge1"],
        "subject_rouge1": rows["sender's subject"]["rouge1"],
        "extractive_rouge1": rows["extractive only"]["rouge1"],
        "faithful_share": round(faithful, 4),
        "verified_faithful_share": round(verified_faithful, 4),
        "abstractive_share": round(abstractive, 4),
        "p50_ms": round(p50, 1),
        # CPU time of all threads per mail: independent of other load on the machine; on
        # two otherwise idle cores the wall time per mail is between half of it and all.
        "cpu_ms_per_mail": round(cpu_ms, 1),
        "mails": len(mails),
        # Other work on the machine inflates p50_ms; the 1-minute load average tells how much.
        "load_avg": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "model": engine.model_id,
    }
    result.update(judged)
    result.update(extra_metrics(args.shared))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
