"""The brief plan of an invented mail, for tests that say which sentences it chooses."""

from __future__ import annotations

from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.text.sentences import split_sentences

#: The priority tests were written when a brief said at most two sentences; under that
#: budget they show which sentence wins (the default is three: ``brief_budget.MAX_SENTENCES``).
TIGHT = 2


def planned(text: str, limit: int = TIGHT) -> list[tuple[str, str]]:
    """(role, sentence) of each sentence the brief plan chooses, ranked in mail order."""
    sentences = split_sentences(text)
    plan = plan_brief(sentences, [s.index for s in sentences], limit)
    return [(c.role, c.sentence.text) for c in plan.chosen]


def planned_roles(text: str, limit: int = TIGHT) -> dict[str, str]:
    """The role of each sentence the brief plan chooses, by the sentence's text."""
    return {sentence: role for role, sentence in planned(text, limit)}
