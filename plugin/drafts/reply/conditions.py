"""Fallback requests that the user's answer settles.

"If for any reason you cannot take this test by tomorrow, please advise." asks something
only of a reader who could not: when the user's own words say they did ("I took the drug
test yesterday"), the request is settled, and a placeholder for it would ask the user to
answer what they already answered. A request is such a fallback when its condition is the
reader *not* doing something ("if you cannot / have not / are unable to …"); it is settled
by a clause of the intent that names what the condition names (a content word in common)
and says it without a negation.
"""

from __future__ import annotations

import re

from plugin.drafts.reply.clauses import Clause, split_clauses, stemmed_words

#: "If (for any reason) you cannot / have not (yet) / are unable to <what> …"
_NOT_DONE = re.compile(
    r"\bif\s+(?:for\s+any\s+reason\s+)?you\s+(?:cannot|can't|can\s+not|are\s+(?:not|unable\s+to)|"
    r"have\s+not|haven't|do\s+not|don't|did\s+not|didn't|will\s+not|won't|could\s+not|"
    r"couldn't)\s+(?:(?:yet|already)\s+)?(?P<what>[^,.;?!]+)",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|unable|cannot|neither|nor)\b|n't\b", re.I)


def settling_clause(ask_text: str, intent_text: str) -> Clause | None:
    """The clause of the intent that settles the fallback request ``ask_text``, if any."""
    condition = _NOT_DONE.search(ask_text)
    if condition is None:
        return None
    named = stemmed_words(condition.group("what"))
    _sentences, clauses = split_clauses(intent_text)
    for clause in clauses:
        if named & stemmed_words(clause.text) and not _NEGATION.search(clause.text):
            return clause
    return None


__all__ = ["settling_clause"]
