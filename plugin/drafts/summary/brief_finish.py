"""The ``brief`` summary's last step: join the plan's lines (``brief.plan_brief``, and the
compressions ``brief_compress`` kept) and check the whole text with both checks, the
token check (``verify.check``) and the claim check (``claims.check_claims``). A
compression that reads otherwise once joined is quoted instead; ``verified`` is true only
when both checks pass, and ``carries`` says whether the request, its deadline and the
decision made it in with their protected words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from plugin.drafts.summary.brief import BriefPlan, lower_words
from plugin.drafts.summary.brief_text import ended, joined
from plugin.drafts.text.claims import check_claims
from plugin.drafts.text.sentences import Sentence
from plugin.drafts.text.verify import SourceIndex, check


@dataclass(slots=True)
class BriefResult:
    summary: str
    path: str  # abstractive: the model's compression was kept | extractive: quoted
    verified: bool
    check: dict[str, Any]
    carries: list[dict[str, Any]]


def finish_brief(plan: BriefPlan, sentences: Sequence[Sentence], index: SourceIndex) -> BriefResult:
    """Join the plan's lines and check the whole text with both checks."""
    lines = [ended(c.text) for c in plan.chosen]
    positions = {s.index: n for n, s in enumerate(sentences)}
    summary = joined(
        [positions[c.sentence.index] for c in plan.chosen],
        [c.text for c in plan.chosen],
        [c.written for c in plan.chosen],
        sentences,
    )
    tokens = check(summary, index)
    claims = check_claims(lines, sentences)
    if not (tokens.ok and claims.ok) and any(c.written for c in plan.chosen):
        # A compression that reads differently once joined: quote the sentences instead.
        for chosen in plan.chosen:
            chosen.text, chosen.written = chosen.sentence.text, False
        return finish_brief(plan, sentences, index)
    verified = tokens.ok and claims.ok
    written = any(c.written for c in plan.chosen)
    check_data = {
        "method": claims.method if verified else "none",
        "label": claims.label if verified else "not checked",
        "sentences": claims.source_sentences if verified else [],
        "token_check": tokens.ok,
        "claim_check": claims.ok,
    }
    # Each line and the source sentence it was checked against (the lines are checked
    # one by one: re-splitting the joined text can merge two of them).
    check_data["claims"] = [c.to_json() for c in claims.sentences]
    if claims.problems:
        check_data["problems"] = claims.problems
    return BriefResult(
        summary,
        "abstractive" if written else "extractive",
        verified,
        check_data,
        _carries(plan, summary),
    )


def _carries(plan: BriefPlan, summary: str) -> list[dict[str, Any]]:
    """The requests and decisions the brief had to say, and whether it does (due kept)."""
    out = []
    for chosen in plan.chosen:
        if chosen.role in ("request", "deadline", "decision"):
            said = ended(chosen.text) in summary
            kept = lower_words(chosen.text)
            said = said and all(w in kept for p in chosen.protect for w in lower_words(p))
            out.append(
                {
                    "kind": chosen.role,
                    "sentence": chosen.sentence.index + 1,
                    "due": chosen.due,
                    "ok": said,
                }
            )
    return out


__all__ = ["BriefResult", "finish_brief"]
