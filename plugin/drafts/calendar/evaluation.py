"""Precision and recall of suggested start times on the labelled set in ``tests/data``.

The labels (``tests/data/meetings_labels.json``) name messages in ``../shared`` by path and
list the start of every proposed meeting, call or deadline (an empty list for a negative).
A suggestion counts as correct when it matches an unmatched label of its message: the same
instant for a timed label, the same calendar day for a day-only label. Precision is over all
suggestions, recall over all labels (micro-averaged), so negatives cost precision only.
``bench/quality.py`` imports ``evaluate``;
``python -m plugin.drafts.calendar.evaluation`` prints it.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugin.drafts.calendar.cues import Suggestion, detect
from plugin.drafts.calendar.parse import localize

REPO = Path(__file__).resolve().parents[3]
LABELS = REPO / "tests" / "data" / "meetings_labels.json"

Detector = Callable[[str, datetime, "tzinfo | str | None"], list[Suggestion]]


@dataclass(slots=True)
class LabelledMessage:
    file: str
    text: str
    reference: datetime
    zone: tzinfo | None
    expected: list[dict[str, str]]
    #: "dev" (rules were tuned while looking at it) or "holdout" (labelled afterwards).
    split: str = "dev"


def _mail_text(raw: bytes) -> tuple[str, datetime]:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    sent = email.utils.parsedate_to_datetime(message["Date"])
    if sent.tzinfo is None:  # "-0000": RFC 5322's "zone unknown", read as UTC
        sent = sent.replace(tzinfo=UTC)
    for part in message.walk():
        if part.get_content_type() in {"text/plain", "text/html"}:
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "latin-1"
            try:
                body = payload.decode(charset, errors="replace")
            except LookupError:
                body = payload.decode("latin-1")
            if part.get_content_type() == "text/html":
                from bs4 import BeautifulSoup

                body = BeautifulSoup(body, "lxml").get_text("\n")
            return body, sent
    return "", sent


def load_labelled(shared_dir: Path, labels_path: Path = LABELS) -> list[LabelledMessage]:
    """The labelled messages with their text and reference time, read from ``shared_dir``."""
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    messages = []
    for item in labels["messages"]:
        path = shared_dir / item["file"]
        if path.suffix == ".subject":
            body = path.read_text(encoding="utf-8", errors="replace").split("\n@subject")[0]
            reference = datetime.fromisoformat(item["reference"])
            zone: tzinfo | None = ZoneInfo(item["zone"])
            reference = reference.replace(tzinfo=zone)
        else:
            body, reference = _mail_text(path.read_bytes())
            zone = ZoneInfo(item["zone"]) if item.get("zone") else None
        messages.append(LabelledMessage(item["file"], body, reference, zone, item["expected"],
                                        item.get("split", "dev")))
    return messages


def _matches(suggestion: Suggestion, label: dict[str, str], message: LabelledMessage) -> bool:
    start = suggestion.mention.start
    if "date" in label:
        day = start.date() if isinstance(start, datetime) else start
        return day == date.fromisoformat(label["date"])
    if not isinstance(start, datetime):
        return False
    wall = datetime.fromisoformat(label["start"])
    zone = (ZoneInfo(label["zone"]) if label.get("zone")
            else message.zone or message.reference.tzinfo)
    assert zone is not None
    return start == localize(wall.date(), (wall.hour, wall.minute), zone)


def evaluate(
    shared_dir: Path, detector: Detector = detect, split: str | None = None
) -> dict[str, Any]:
    """Precision/recall of start times over the labelled set (or one ``split`` of it),
    with per-message misses."""
    true_pos = predicted = expected = 0
    misses: list[dict[str, Any]] = []
    messages = [m for m in load_labelled(shared_dir) if split is None or m.split == split]
    for message in messages:
        suggestions = detector(message.text, message.reference, message.zone)
        open_labels = list(message.expected)
        wrong = []
        for suggestion in suggestions:
            hit = next((lab for lab in open_labels if _matches(suggestion, lab, message)), None)
            if hit is None:
                wrong.append(suggestion.mention.to_json())
            else:
                open_labels.remove(hit)
                true_pos += 1
        predicted += len(suggestions)
        expected += len(message.expected)
        if wrong or open_labels:
            misses.append({"file": message.file, "false": wrong, "missed": open_labels})
    return {
        "messages": len(messages),
        "labels": expected,
        "suggestions": predicted,
        "precision": true_pos / predicted if predicted else 1.0,
        "recall": true_pos / expected if expected else 1.0,
        "misses": misses,
    }


def metrics(shared_dir: Path) -> dict[str, float]:
    """The figures ``bench/quality.py`` adds to its JSON line."""
    result = evaluate(Path(shared_dir))
    return {"calendar_precision": round(result["precision"], 4),
            "calendar_recall": round(result["recall"], 4)}


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    result = evaluate(shared)
    for miss in result["misses"]:
        print(json.dumps(miss, default=str), file=sys.stderr)
    summary = {key: result[key] for key in ("messages", "labels", "suggestions")}
    summary["calendar_precision"] = round(result["precision"], 4)
    summary["calendar_recall"] = round(result["recall"], 4)
    for split in ("dev", "holdout"):
        part = evaluate(shared, split=split)
        summary[f"{split}_messages"] = part["messages"]
        summary[f"{split}_precision"] = round(part["precision"], 4)
        summary[f"{split}_recall"] = round(part["recall"], 4)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
