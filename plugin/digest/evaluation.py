"""Category accuracy, confusion table and ask precision/recall on the hand labels.

``bench/digest.py`` prints these for the test split (docs/digest.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.document import Document
from connectors.mailcategory import CATEGORIES
from plugin.drafts.summary.actions import extract_actions
from plugin.drafts.summary.asks import reader_asks
from plugin.drafts.triage.categories import refine_categories
from plugin.drafts.triage.labels import Labelled, reader_addressed


@dataclass(slots=True)
class Scores:
    messages: int = 0
    correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    ask_tp: int = 0
    ask_fp: int = 0
    ask_fn: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.messages if self.messages else 0.0

    @property
    def ask_precision(self) -> float:
        flagged = self.ask_tp + self.ask_fp
        return self.ask_tp / flagged if flagged else 0.0

    @property
    def ask_recall(self) -> float:
        wanted = self.ask_tp + self.ask_fn
        return self.ask_tp / wanted if wanted else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "category_accuracy": round(self.accuracy, 3),
            "ask_precision": round(self.ask_precision, 3),
            "ask_recall": round(self.ask_recall, 3),
            "ask_counts": {"tp": self.ask_tp, "fp": self.ask_fp, "fn": self.ask_fn},
        }

    def confusion_table(self) -> str:
        """Rows: the label; columns: the prediction (Markdown)."""
        present = [c for c in CATEGORIES if any(c in pair for pair in self.confusion)]
        lines = [
            "| label \\ predicted | " + " | ".join(present) + " |",
            "|---|" + "---|" * len(present),
        ]
        for truth in present:
            cells = [str(self.confusion.get((truth, guess), 0) or ".") for guess in present]
            lines.append(f"| {truth} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


def _score(
    pairs: Sequence[tuple[Labelled, Document]], categories: Sequence[str], asks: Sequence[bool]
) -> Scores:
    scores = Scores()
    for (label, _), category, asked in zip(pairs, categories, asks, strict=True):
        scores.messages += 1
        scores.correct += category == label.category
        scores.confusion[(label.category, category)] += 1
        scores.ask_tp += asked and label.asks
        scores.ask_fp += asked and not label.asks
        scores.ask_fn += (not asked) and label.asks
    return scores


def evaluate(pairs: Sequence[tuple[Labelled, Document]], engine: Any) -> Scores:
    """Today's pipeline: categories refined by the model, asks by the ask rules."""
    documents = [doc for _, doc in pairs]
    categories = refine_categories(documents, engine)
    asks = [bool(reader_asks(doc, reader_addressed(doc))) for doc in documents]
    return _score(pairs, categories, asks)


def evaluate_before(pairs: Sequence[tuple[Labelled, Document]]) -> Scores:
    """The digest before categories: every mail one kind (``person``), and "asks something
    of you" whenever ``action_items`` found a request sentence."""
    categories = ["person"] * len(pairs)
    asks = [bool(extract_actions(doc.full_text())) for _, doc in pairs]
    return _score(pairs, categories, asks)


__all__ = ["Scores", "evaluate", "evaluate_before"]
