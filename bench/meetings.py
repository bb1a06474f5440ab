"""Calendar suggestions: precision and recall of the start time on the labelled set.

    python bench/meetings.py [SHARED_DIR]

Reads ``tests/data/meetings_labels.json`` (messages in ``../shared`` labelled by hand) and
prints each message with a wrong or missed start on stderr, then the figures for the
whole set and for its ``dev`` and ``holdout`` parts. Also reports the speed of the
deterministic extraction as a ratio against a baseline in the same run (a plain regex
scan for clock times over the same texts). The last stdout line is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _speed_ratio(shared: Path) -> float:
    import re

    from plugin.drafts.calendar.cues import detect
    from plugin.drafts.calendar.evaluation import load_labelled

    messages = load_labelled(shared)
    clock = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b", re.IGNORECASE)
    started = time.perf_counter()
    for _ in range(3):
        for message in messages:
            clock.findall(message.text)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(3):
        for message in messages:
            detect(message.text, message.reference, message.zone)
    ours = time.perf_counter() - started
    return round(ours / baseline, 1) if baseline else 0.0


def main(argv: list[str]) -> int:
    from plugin.drafts.calendar.evaluation import evaluate

    shared = Path(argv[0]) if argv else REPO.parent / "shared"
    result = evaluate(shared)
    for miss in result["misses"]:
        print(json.dumps(miss, default=str), file=sys.stderr)
    summary: dict[str, object] = {
        "messages": result["messages"], "labels": result["labels"],
        "suggestions": result["suggestions"],
        "calendar_precision": round(result["precision"], 4),
        "calendar_recall": round(result["recall"], 4),
    }
    for split in ("dev", "holdout"):
        part = evaluate(shared, split=split)
        summary[f"{split}_messages"] = part["messages"]
        summary[f"{split}_precision"] = round(part["precision"], 4)
        summary[f"{split}_recall"] = round(part["recall"], 4)
    summary["detect_vs_regex_scan_time_ratio"] = _speed_ratio(shared)
    print(f"calendar start times: precision {summary['calendar_precision']:.3f}, "
          f"recall {summary['calendar_recall']:.3f} on {summary['messages']} messages")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
