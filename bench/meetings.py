"""Calendar suggestions: precision, recall and F1 of the start time on the labelled set.

    python bench/meetings.py [SHARED_DIR] [--misses SPLIT]

Reads ``tests/data/meetings_labels.json`` (messages in ``../shared`` labelled by hand, split
by mailbox into train, dev and test) and prints, in one run:

* precision, recall and F1 of the learned decision on train, dev and test (train and dev
  are in the fit: their figures are in-sample), and out of fold on train and dev, as the
  training chose its threshold (the weights file's ``out_of_fold``);
* the same on test for the hand-written rules alone (``meetingcues.detect``);
* the learned decision on test per labelling round (a label's ``round``), so fresh labels
  are seen apart from the older ones;
* two readers against each other, per split and round (``agreement``: the second blind
  labelling scored against the first as a detector is), the ceiling of the figures above;
* calibration: the share of correct suggestions per confidence bucket, on dev (in the fit
  since the decision trains on train and dev) and test;
* milliseconds per e-mail for both, and the ratio against a plain clock-time regex scan
  over the same texts in the same run.

The test split is scored only to report: ``--misses`` prints the wrong and missed starts of
a split on stderr, and refuses ``test`` (a test message looked at moves to dev). The last
stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SPLITS = ("train", "dev", "test")


def _ms_per_mail(messages: list[Any], detector: Callable[..., Any]) -> float:
    from plugin.drafts.calendar.evaluation import run_detector

    started = time.perf_counter()
    for message in messages:
        run_detector(detector, message)
    return 1000 * (time.perf_counter() - started) / max(len(messages), 1)


def _regex_ms_per_mail(messages: list[Any]) -> float:
    clock = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b", re.IGNORECASE)
    started = time.perf_counter()
    for _ in range(20):
        for message in messages:
            clock.findall(message.text)
    return 1000 * (time.perf_counter() - started) / max(20 * len(messages), 1)


def _readers_agree(messages: list[Any], summary: dict[str, Any]) -> None:
    """Two readers scored against each other, per split and labelling round: the first
    readers of the older rounds worked otherwise than the second (blind helper sessions with
    the written convention), those of round s27 the same way, so their agreement is an upper
    bound on what two independent readers reach."""
    from plugin.drafts.calendar.agreement import agreement

    print("two readers, blind, the second scored against the first (messages read twice):")
    for split in ("train", "dev", "test"):
        in_split = [m for m in messages if m.split == split]
        for name in (None, *sorted({m.round for m in in_split})):
            subset = [m for m in in_split if name is None or m.round == name]
            result = agreement(subset)
            if not result["messages"]:
                continue
            label = "all" if name is None else name or "older"
            summary[f"{split}_readers_agree_{label}"] = {
                key: round(value, 4) if isinstance(value, float) else value
                for key, value in result.items()
            }
            print(
                f"  {split:6} {label:6} {result['messages']:5d} {result['first_labels']:6d} "
                f"{result['second_labels']:5d} {result['precision']:6.3f} "
                f"{result['recall']:6.3f} {result['f1']:6.3f}"
            )


def main(argv: list[str]) -> int:
    from plugin.drafts.calendar.cues import detect
    from plugin.drafts.calendar.decision import detect_learned
    from plugin.drafts.calendar.evaluation import calibration, evaluate, f1, load_labelled

    parser = argparse.ArgumentParser(
        prog="bench/meetings.py", description=__doc__.split("\n\n", 1)[0]
    )
    parser.add_argument("shared", nargs="?", type=Path, default=REPO.parent / "shared")
    parser.add_argument(
        "--misses", choices=["train", "dev", "test"], help="print a split's misses on stderr"
    )
    options = parser.parse_args(argv)
    misses_of = options.misses
    if misses_of == "test":
        print("refusing to show test misses: tune on train/dev only", file=sys.stderr)
        return 2
    shared = options.shared
    messages = load_labelled(shared)
    summary: dict[str, Any] = {"messages": len(messages)}
    print(
        f"{'split':6} {'decision':8} {'msgs':>5} {'labels':>6} {'sugg':>5} "
        f"{'P':>6} {'R':>6} {'F1':>6}"
    )
    for split in SPLITS:
        for name, detector in (("learned", detect_learned), ("rules", detect)):
            if name == "rules" and split != "test":
                continue
            result = evaluate(shared, detector, split=split, messages=messages)
            prefix = f"{split}_" if name == "learned" else "test_rules_"
            summary.update(
                {
                    f"{prefix}messages": result["messages"],
                    f"{prefix}labels": result["labels"],
                    f"{prefix}suggestions": result["suggestions"],
                    f"{prefix}precision": round(result["precision"], 4),
                    f"{prefix}recall": round(result["recall"], 4),
                    f"{prefix}f1": round(f1(result), 4),
                }
            )
            print(
                f"{split:6} {name:8} {result['messages']:5d} {result['labels']:6d} "
                f"{result['suggestions']:5d} {result['precision']:6.3f} "
                f"{result['recall']:6.3f} {f1(result):6.3f}"
            )
            if split == misses_of and name == "learned":
                for miss in result["misses"]:
                    print(json.dumps(miss, default=str), file=sys.stderr)

    from plugin.drafts.calendar.decision import WEIGHTS

    held_out = json.loads(WEIGHTS.read_text(encoding="utf-8")).get("out_of_fold")
    if held_out:
        summary["train_dev_out_of_fold"] = held_out
        print(
            f"{'tr+dev':6} {'oof':8} {held_out['messages']:5d} {'':6} {'':5} "
            f"{held_out['precision']:6.3f} {held_out['recall']:6.3f} {held_out['f1']:6.3f}"
            f"  (out of fold, {held_out['folds']} folds by mailbox; train/dev above: in-sample)"
        )

    rounds = sorted({m.round for m in messages if m.split == "test"})
    if len(rounds) > 1:  # fresh test labels apart from the older ones
        print("test by labelling round:")
        for name in rounds:
            subset = [m for m in messages if m.split == "test" and m.round == name]
            result = evaluate(shared, detect_learned, split="test", messages=subset)
            label = name or "older"
            summary[f"test_round_{label}"] = {
                key: round(result[key], 4) if isinstance(result[key], float) else result[key]
                for key in ("messages", "labels", "suggestions", "precision", "recall")
            } | {"f1": round(f1(result), 4)}
            print(
                f"  {label:8} {result['messages']:5d} {result['labels']:6d} "
                f"{result['suggestions']:5d} {result['precision']:6.3f} "
                f"{result['recall']:6.3f} {f1(result):6.3f}"
            )

    _readers_agree(messages, summary)

    def scored(text: str, reference: Any, zone: Any, subject: str = "") -> Any:
        return detect_learned(text, reference, zone, threshold=0.05, subject=subject)

    for split in ("dev", "test"):
        table = calibration(shared, scored, split, messages)
        summary[f"{split}_calibration"] = table
        print(f"calibration on {split} (every candidate scored, threshold 0.05):")
        for row in table:
            accuracy = "-" if row["accuracy"] is None else f"{row['accuracy']:.2f}"
            print(
                f"  confidence {row['low']:.1f}-{row['high']:.2f}: {row['suggestions']:4d} "
                f"suggestions, {accuracy} correct"
            )
    learned_ms = _ms_per_mail(messages, detect_learned)
    rules_ms = _ms_per_mail(messages, detect)
    regex_ms = _regex_ms_per_mail(messages)
    summary.update(
        {
            "learned_ms_per_mail": round(learned_ms, 2),
            "rules_ms_per_mail": round(rules_ms, 2),
            "learned_vs_regex_scan_time_ratio": round(learned_ms / regex_ms, 1)
            if regex_ms
            else 0.0,
        }
    )
    print(
        f"speed: learned {learned_ms:.1f} ms/mail, rules {rules_ms:.1f} ms/mail "
        f"({summary['learned_vs_regex_scan_time_ratio']}x a clock-time regex scan)"
    )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
