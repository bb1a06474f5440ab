"""The unit that summaries rank and write from, shared by the summarizer and map-reduce."""

from __future__ import annotations

from dataclasses import dataclass

from plugin.drafts.base import Span


@dataclass(slots=True)
class Point:
    """A rankable unit: a source sentence, or a section digest with the spans it rests on."""

    text: str
    spans: list[Span]
    score: float = 0.0
    order: int = 0


__all__ = ["Point"]
