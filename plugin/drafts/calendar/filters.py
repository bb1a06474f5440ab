"""Candidate times no reader wants, whatever the learned weights say.

Two kinds are ruled out before the decision: the old time of a reschedule ("moved from
Tuesday at 3pm to Thursday", "instead of Monday") and the writer's own whereabouts and
appointments ("I will be out Thursday", "I have a doctor's appointment at 3", "in case
I am not in the office tomorrow") when the sentence asks nothing of the reader.
"""

from __future__ import annotations

import re

from plugin.drafts.calendar.cues import sentence_bounds
from plugin.drafts.calendar.parse import TimeMention

# The old time of a reschedule: "moved from Tuesday at 3pm to Thursday", "instead of Monday".
_REPLACED_BEFORE = re.compile(
    r"(?:\b(?:moved|moving|rescheduled?|postponed|changed|pushed|shifted|delayed|switched)\b"
    r"[^.!?\n]{0,40}\bfrom|\binstead\s+of|\brather\s+than)\s+(?:the\s+|our\s+)?$",
    re.IGNORECASE,
)
_REPLACED_AFTER = re.compile(r"^[\s,]*(?:\w+[\s,]+){0,3}?(?:to|until|till)\b", re.IGNORECASE)
# The writer's own whereabouts and appointments: "I will be out Thursday", "I have a
# doctor's appointment at 3", "I am in London next week" - unless the sentence also asks
# the reader ("I'm in London Tuesday; can we meet?").
_WRITER_ONLY = re.compile(
    r"^[\W_]*(?:\w+[\s,]+){0,3}?I(?:'ll|\s+will|\s+am|'m|\s+shall)?\s+(?:be\s+|also\s+)?"
    r"(?:out|off|away|gone|travel\w*|on\s+(?:vacation|holiday|leave)|in\s+[A-Z]\w+|"
    r"at\s+(?:a|an|the|my)\s+\w+|not\s+(?:be\s+)?in\b)"
    r"|^[\W_]*(?:\w+[\s,]+){0,3}?I\s+(?:have|had|'ve\s+got)\s+(?:a|an|my)\s+",
)
# The writer (or the writer's party) travelling or away, anywhere before the time in its
# sentence: "in case I am not in the office tomorrow", "I will be going to NYC on Wednesday".
_WRITER_TRAVELS = re.compile(
    r"\b(?:I|we)(?:'m|'re|\s+am|\s+are|\s+will\s+be|'ll\s+be|\s+will)\s+(?:not\s+)?"
    r"(?:be\s+)?(?:(?:arriving|leaving|flying|driving|travel+ing|returning|heading|"
    r"back|out|off|away)\b|going\s+(?:to\s+(?-i:[A-Z])|home|out\s+of\s+town)|in\s+the\s+office\b)"
    r"[^.?!\n]{0,60}$",
    re.IGNORECASE,
)
_ASKS_READER = re.compile(
    r"\b(?:can|could|would|shall|will)\s+(?:you|we)\b|\bwe\s+(?:can|could|should|will)\b|"
    r"\blet'?s\b|\bjoin\b|"
    r"\b(?:with|see|meet)\s+(?:you|us)\b|\bmeet\b|\?",
    re.IGNORECASE,
)


def ruled_out(text: str, mention: TimeMention) -> bool:
    """Candidates no reader wants, whatever the weights say: the old time of a reschedule,
    and the writer's own whereabouts."""
    before = text[max(0, mention.span_start - 80) : mention.span_start]
    if _REPLACED_BEFORE.search(before) and (
        "instead" in before.lower()
        or "rather" in before.lower()
        or _REPLACED_AFTER.match(text[mention.span_end : mention.span_end + 60])
    ):
        return True
    left, right = sentence_bounds(text, mention.span_start, mention.span_end)
    return bool(
        (
            _WRITER_ONLY.match(text[left : mention.span_start])
            or _WRITER_TRAVELS.search(text[left : mention.span_start])
        )
        and not _ASKS_READER.search(text[left:right])
    )
