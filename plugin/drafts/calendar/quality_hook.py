"""The hook ``bench/quality.py`` calls (``EXTRA_METRICS``): calendar precision and recall.

The evaluation itself lives in ``plugin.drafts.calendar.evaluation``.
"""

from __future__ import annotations

from pathlib import Path

from plugin.drafts.calendar.evaluation import metrics


def evaluate(shared_dir: Path) -> dict[str, float]:
    """``{"calendar_precision": ..., "calendar_recall": ...}`` on the labelled set."""
    return metrics(shared_dir)
