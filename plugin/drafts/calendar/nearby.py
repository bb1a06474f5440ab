"""The words around a candidate time, as the calendar decision reads them.

The rule features (``features``) look for words they were written to find; the decision
also reads the words near the mention through a TF-IDF block (``text.tfidf``), so that
what the rules never named ("to be placed into Raptor 2 on December 1", "look forward to
seeing you out at Tully Stadium on the 20th") can still move a candidate's score. The
mention itself becomes one placeholder word: the decision learns how times are framed,
not which times.
"""

from __future__ import annotations

from plugin.drafts.calendar.mention import TimeMention

#: Characters read on each side of the mention. In grouped cross-validation on the train
#: labels 100 scored above the mention's sentence and above 60 or 160 (docs/calendar.md).
REACH = 100
PLACEHOLDER = "timemention"


def nearby_words(text: str, mention: TimeMention) -> str:
    """The ``REACH`` characters either side of the mention, the mention replaced."""
    left = text[max(0, mention.span_start - REACH) : mention.span_start]
    right = text[mention.span_end : mention.span_end + REACH]
    return " ".join(f"{left} {PLACEHOLDER} {right}".split())
