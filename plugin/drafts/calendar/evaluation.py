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
import inspect
import itertools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugin.drafts.calendar.cues import Suggestion, detect
from plugin.drafts.calendar.mention import localize

# The checkout's root (this module may move within the package; the labels stay in tests/).
REPO = next(
    (p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file()),
    Path(__file__).resolve().parents[2],
)
LABELS = REPO / "tests" / "data" / "meetings_labels.json"

Detector = Callable[[str, datetime, "tzinfo | str | None"], list[Suggestion]]


@dataclass(frozen=True, slots=True)
class Labelling:
    """One reader's labels of a message: the send time they assumed, and the starts."""

    reference: datetime
    zone: tzinfo | None
    expected: list[dict[str, str]]


@dataclass(slots=True)
class LabelledMessage:
    file: str
    text: str
    reference: datetime
    zone: tzinfo | None
    expected: list[dict[str, str]]
    #: "train", "dev" or "test": whole mailboxes (``mailbox``) go to one split.
    split: str = "train"
    subject: str = ""
    #: The labelling round that added the message ("" for the first rounds): fresh test
    #: labels are reported apart from the older ones.
    round: str = ""
    #: Two independent blind labellings (the first, then the second), for messages read
    #: twice; ``expected`` is then the final label (a third reader's where they differed).
    labellings: tuple[Labelling, ...] = ()


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
            body, _, rest = path.read_text(encoding="utf-8", errors="replace").partition(
                "\n@subject"
            )
            subject = next((line.strip() for line in rest.splitlines() if line.strip()), "")
            reference = datetime.fromisoformat(item["reference"])
            zone: tzinfo | None = ZoneInfo(item["zone"])
            reference = reference.replace(tzinfo=zone)
        else:
            raw = path.read_bytes()
            body, reference = _mail_text(raw)
            subject = _mail_subject(raw)
            zone = ZoneInfo(item["zone"]) if item.get("zone") else None
        final = Labelling(reference, zone, item["expected"])
        messages.append(
            LabelledMessage(
                item["file"],
                body,
                reference,
                zone,
                item["expected"],
                item["split"],
                subject,
                item.get("round", ""),
                _labellings(item, final),
            )
        )
    return messages


def _labellings(item: dict[str, Any], final: Labelling) -> tuple[Labelling, ...]:
    """The first and second labelling of a message read twice (the first is stored only
    where a third reader's final label replaced it)."""
    if "second" not in item:
        return ()

    def read(stored: dict[str, Any]) -> Labelling:
        zone = ZoneInfo(stored["zone"])
        reference = datetime.fromisoformat(stored["reference"]).replace(tzinfo=zone)
        return Labelling(reference, zone, stored["expected"])

    return (read(item["first"]) if "first" in item else final, read(item["second"]))


def _mail_subject(raw: bytes) -> str:
    header = email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
    return " ".join(str(header or "").split())


def run_detector(detector: Detector, message: LabelledMessage) -> list[Suggestion]:
    """``detector`` on one message, with its subject line when the detector reads one."""
    if "subject" in inspect.signature(detector).parameters:
        return detector(message.text, message.reference, message.zone, subject=message.subject)  # type: ignore[call-arg]
    return detector(message.text, message.reference, message.zone)


def mailbox(file: str) -> str:
    """The mailbox a labelled file comes from: the AESLC file-name prefix ("allen-p" in
    ``allen-p_inbox_20.subject``), else the corpus folder plus its file-name prefix."""
    path = Path(file)
    if file.startswith("data/aeslc"):
        return path.name.split("_")[0]
    prefix = path.name.split("_")[0] if "_" in path.name else ""
    return f"{path.parent.name}/{prefix}" if prefix else path.parent.name


def start_matches(
    start: date | datetime, label: dict[str, str], message: LabelledMessage | Labelling
) -> bool:
    """Whether a suggested ``start`` (a whole day, or an instant) matches ``label`` of
    ``message``: the same day for a day-only label (the day in the message's zone), the same
    instant for a timed one."""
    zone = message.zone or message.reference.tzinfo
    if "date" in label:
        if isinstance(start, datetime):
            start = (start.astimezone(zone) if zone else start).date()
        return start == date.fromisoformat(label["date"])
    if not isinstance(start, datetime):
        return False
    return start == label_start(label, zone)


def claim_label(
    start: date | datetime,
    open_labels: list[dict[str, str]],
    message: LabelledMessage | Labelling,
) -> bool:
    """Whether ``start`` matches one of the ``open_labels`` of ``message``; the label it
    matches is taken off the list, so each label is found once."""
    hit = next((label for label in open_labels if start_matches(start, label, message)), None)
    if hit is None:
        return False
    open_labels.remove(hit)
    return True


def label_start(label: dict[str, str], zone: tzinfo | None) -> date | datetime:
    """A label as a start: its day, or its wall time as an instant (in the label's own zone
    when it names one, else ``zone``)."""
    if "date" in label:
        return date.fromisoformat(label["date"])
    wall = datetime.fromisoformat(label["start"])
    where = ZoneInfo(label["zone"]) if label.get("zone") else zone
    assert where is not None
    return localize(wall.date(), (wall.hour, wall.minute), where)


def evaluate(
    shared_dir: Path,
    detector: Detector = detect,
    split: str | None = None,
    messages: list[LabelledMessage] | None = None,
) -> dict[str, Any]:
    """Precision/recall of start times over the labelled set (or one ``split`` of it),
    with per-message misses. ``messages`` saves reading them again."""
    true_pos = predicted = expected = 0
    misses: list[dict[str, Any]] = []
    if messages is None:
        messages = load_labelled(shared_dir)
    messages = [m for m in messages if split is None or m.split == split]
    for message in messages:
        suggestions = run_detector(detector, message)
        open_labels = list(message.expected)
        wrong = []
        for suggestion in suggestions:
            if claim_label(suggestion.mention.start, open_labels, message):
                true_pos += 1
            else:
                wrong.append(suggestion.mention.to_json())
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


def f1(result: dict[str, Any]) -> float:
    precision, recall = result["precision"], result["recall"]
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def calibration(
    shared_dir: Path,
    detector: Detector,
    split: str,
    messages: list[LabelledMessage] | None = None,
    edges: tuple[float, ...] = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01),
) -> list[dict[str, Any]]:
    """Per confidence bucket: how many suggestions, and the share that match a label."""
    buckets = [
        {"low": low, "high": min(high, 1.0), "suggestions": 0, "correct": 0}
        for low, high in itertools.pairwise(edges)
    ]
    if messages is None:
        messages = load_labelled(shared_dir)
    for message in (m for m in messages if m.split == split):
        open_labels = list(message.expected)
        for suggestion in run_detector(detector, message):
            bucket = next(
                b
                for b, high in zip(buckets, edges[1:], strict=False)
                if suggestion.confidence < high
            )
            bucket["suggestions"] += 1
            if claim_label(suggestion.mention.start, open_labels, message):
                bucket["correct"] += 1
    for bucket in buckets:
        bucket["accuracy"] = (
            round(bucket["correct"] / bucket["suggestions"], 3) if bucket["suggestions"] else None
        )
    return buckets


def metrics(shared_dir: Path) -> dict[str, float]:
    """The figures ``bench/quality.py`` adds to its JSON line: the learned decision on the
    test split (never tuned on)."""
    from plugin.drafts.calendar.decision import detect_learned

    result = evaluate(Path(shared_dir), detect_learned, split="test")
    return {
        "calendar_precision": round(result["precision"], 4),
        "calendar_recall": round(result["recall"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m plugin.drafts.calendar.evaluation [SHARED]``: the figures of
    ``bench/meetings.py`` without its timing."""
    args = argv if argv is not None else sys.argv[1:]
    shared = Path(args[0]) if args else REPO.parent / "shared"
    print(json.dumps(metrics(shared)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
