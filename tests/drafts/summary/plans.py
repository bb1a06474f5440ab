"""The brief plan of an invented mail, for tests that say which sentences it chooses."""

from __future__ import annotations

from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.text.sentences import split_sentences


def planned(text: str) -> list[tuple[str, str]]:
    """(role, sentence) of each sentence the brief plan chooses, ranked in mail order."""
    sentences = split_sentences(text)
    plan = plan_brief(sentences, [s.index for s in sentences])
    return [(c.role, c.sentence.text) for c in plan.chosen]
