"""The report's narrative: written by the model from the computed facts only, checked
against them (``verify.check``), retried once with a stricter prompt, and otherwise built
from the facts by code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from plugin.drafts.base import Span
from plugin.drafts.findings import Finding, ReportContent
from plugin.drafts.stats import format_number as _n
from plugin.drafts.stats import format_percent
from plugin.drafts.verify import SourceIndex, check

log = logging.getLogger(__name__)

#: Facts given to the model: a 135M model follows a short list far better than a long one.
MAX_PROMPT_FACTS = 6
MAX_NEW_TOKENS = 140
_PROMPT_KINDS = ("stats", "group", "trend", "top", "outlier")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(slots=True)
class Narrative:
    text: str
    path: str  # abstractive (model, verified) | extractive (built from the facts by code)
    verified: bool
    model: str  # "<hash>:<variant>" when the model's text is used, else "none"
    attempts: list[dict[str, Any]] = field(default_factory=list)


def _template(name: str) -> str:
    return resources.files("templates").joinpath(f"report/{name}").read_text("utf-8")


def prompt_facts(content: ReportContent) -> list[Finding]:
    """The few findings the model is asked to write about: one of each kind, first table."""
    chosen: list[Finding] = []
    for kind in _PROMPT_KINDS:
        found = next((f for f in content.findings if f.kind == kind and f.values), None)
        if found is not None:
            chosen.append(found)
    return chosen[:MAX_PROMPT_FACTS]


def clean_output(raw: str) -> str:
    """The model's paragraph without chat leftovers, lead-ins or a trailing cut sentence."""
    text = raw.strip().split("\n\n")[0].strip()
    text = re.sub(r"^(summary|narrative|paragraph|answer)\s*:\s*", "", text, flags=re.I)
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
        text = text[: cut + 1] if cut > 0 else text
    return text


def _sentence(finding: Finding) -> str:
    """One plain sentence from a finding's values, in the facts' own number format."""
    v = finding.values
    if finding.kind == "stats" and "total" in v:
        return (f"{v['column']} totals {_n(v['total'])} over {v['count']} values (mean "
                f"{_n(v['mean'])}, median {_n(v['median'])}).")
    if finding.kind == "group" and v.get("leader_share_pct") and v.get("totals"):
        leader, total = next(iter(v["totals"].items()))
        return (f"{leader} leads {v['measure']} by {v['by']} with {_n(total)}, "
                f"{v['leader_share_pct']:.1f}% of the total.")
    if finding.kind == "trend" and v.get("points"):
        (prev_label, prev), (last_label, last) = list(v["points"].items())[-2:]
        pct = v.get("change_pct")
        change = f"{format_percent(pct)} against" if pct is not None else "after"
        return (f"{v['measure']} was {_n(last)} in {last_label}, {change} {_n(prev)} in "
                f"{prev_label}.")
    if finding.kind == "outlier" and "value" in v:
        return (f"{v['label']} (row {v['row']}) stands out in {v['measure']} at "
                f"{_n(v['value'])}.")
    return finding.text


def fact_narrative(content: ReportContent) -> str:
    """A narrative assembled from the computed findings by code: true by construction."""
    sentences = [_sentence(f) for f in prompt_facts(content) if f.kind != "top"][:4]
    tables = [f for f in content.findings if f.kind == "table"]
    if len(tables) > 1:
        sentences.append(f"The report covers {len(tables)} tables.")
    return " ".join(sentences) or "No findings."


def numbers_of(text: str) -> list[str]:
    """The numbers written in ``text``, as written (used to show what a check rejected)."""
    return _NUMBER.findall(text)


def attribute(narrative: str, facts: str, document_id: str | None = None) -> list[Span]:
    """Spans of ``facts`` (lines) sharing a number with the narrative: its evidence."""
    wanted = {n.replace(",", "") for n in numbers_of(narrative)}
    spans: list[Span] = []
    start = 0
    for line in facts.split("\n"):
        end = start + len(line)
        if wanted & {n.replace(",", "") for n in numbers_of(line)}:
            spans.append(Span(start, end, document_id))
        start = end + 1
    return spans


def write_narrative(engine: Any | None, content: ReportContent) -> Narrative:
    """The verified model narrative, else the facts' own sentences (``path`` says which)."""
    facts_text = content.facts_text()
    index = SourceIndex(facts_text)
    attempts: list[dict[str, Any]] = []
    chosen = prompt_facts(content)
    if engine is not None and chosen:
        listed = "\n".join(f"- {f.text}" for f in chosen)
        for name in ("narrative.txt", "narrative_strict.txt"):
            prompt = engine.chat_prompt(_template(name).replace("{facts}", listed))
            raw = engine.generate([prompt], max_new_tokens=MAX_NEW_TOKENS)[0]
            text = clean_output(raw)
            result = check(text, index)
            ok = result.ok and len(text.split()) >= 5
            attempts.append({"prompt": name.removesuffix(".txt"), "ok": ok,
                             "unsupported": result.unsupported})
            if ok:
                return Narrative(text, "abstractive", True, str(engine.model_id), attempts)
            log.info("report narrative rejected (%s): unsupported %s", name, result.unsupported)
    text = fact_narrative(content)
    return Narrative(text, "extractive", check(text, index).ok, "none", attempts)
