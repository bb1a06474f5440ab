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
from plugin.drafts.report.findings import Finding, ReportContent
from plugin.drafts.report.stats import format_number as _n
from plugin.drafts.report.stats import format_percent
from plugin.drafts.text.sentences import word_set
from plugin.drafts.text.verify import SourceIndex, check, stem

log = logging.getLogger(__name__)

#: Facts given to the model: a 135M model follows a short list far better than a long one
#: (measured: with six facts it echoed the list or looped; see docs/reports.md).
MAX_PROMPT_FACTS = 3
MAX_NEW_TOKENS = 100
_PROMPT_KINDS = ("stats", "group", "trend", "top", "outlier")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: Words a narrative may use beyond the facts' own: plain words for describing numbers.
#: Anything else ("water", "household income") is the model inventing what the data is.
PLAIN_WORDS = word_set(
    """a an the and or but of in on at by for with from to as is are was were be been has have
    had this that these those it its their there which while than then also into
    total totals totalled totaled sum average mean median minimum maximum min max value values
    row rows column columns table tables sheet spreadsheet workbook data report shows show
    showed shown highest lowest largest smallest biggest top bottom most least more less over
    under above below rise rose rises fall fell falls increase increased increases decrease
    decreased decreases grew growth change changed changes up down against compared previous
    last first next period month months year years day days share percent leads led leading
    stands stand stood out outlier outliers high low number numbers count missing group groups
    category categories across each per all both only about around nearly almost reached
    amounted came with at"""
)


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
    """The few findings the model is asked to write about: the first of each kind."""
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
        return (
            f"{v['column']} totals {_n(v['total'])} over {v['count']} values (mean "
            f"{_n(v['mean'])}, median {_n(v['median'])})."
        )
    if finding.kind == "group" and v.get("leader_share_pct") and v.get("totals"):
        leader, total = next(iter(v["totals"].items()))
        return (
            f"{leader} leads {v['measure']} by {v['by']} with {_n(total)}, "
            f"{v['leader_share_pct']:.1f}% of the total."
        )
    if finding.kind == "trend" and v.get("points"):
        (prev_label, prev), (last_label, last) = list(v["points"].items())[-2:]
        pct = v.get("change_pct")
        change = f"{format_percent(pct)} against" if pct is not None else "after"
        return (
            f"{v['measure']} was {_n(last)} in {last_label}, {change} {_n(prev)} in {prev_label}."
        )
    if finding.kind == "outlier" and "value" in v:
        return f"{v['label']} (row {v['row']}) stands out in {v['measure']} at {_n(v['value'])}."
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


_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z][A-Za-z'/-]*")
#: Words between a label and its number that carry no meaning ("West leads with 57.1%").
_LINKING = word_set("""the a an of with at was were is are by to in and had has have its their
    for on from about around nearly almost""")
#: How far before a number its label may stand, in words.
_ANCHOR_WINDOW = 4


def _tokens(text: str) -> list[str]:
    return [t.lower().rstrip(",").strip("'-") for t in _TOKEN.findall(text)]


def _number_anchors(text: str, every_word: bool) -> set[tuple[str | None, float]]:
    """(label stem, number) pairs: the words just before each number, up to the previous
    number. With ``every_word`` all words in that window count (the facts); otherwise only
    the nearest meaningful one (a narrative's claim of what the number is)."""
    tokens = _tokens(text)
    pairs: set[tuple[str | None, float]] = set()
    for i, token in enumerate(tokens):
        if not token[:1].isdigit():
            continue
        value = float(token.replace(",", ""))
        window: list[str] = []
        for j in range(i - 1, max(-1, i - 1 - _ANCHOR_WINDOW), -1):
            if tokens[j][:1].isdigit():
                break
            if tokens[j] not in _LINKING:
                window.append(stem(tokens[j]))
        if every_word:
            pairs.update((word, value) for word in window)
        else:
            pairs.add((window[0] if window else None, value))
    return pairs


def wording_problems(text: str, facts: str) -> list[str]:
    """Why ``text`` is no usable narrative, beyond unsupported facts (``verify.check``)."""
    problems: list[str] = []
    if len(text.split()) < 5:
        problems.append("too short")
    if not text or text[-1] not in ".!?":
        problems.append("unfinished sentence")
    if re.search(r"(?:^|\s)[-*•]\s", text):
        problems.append("a list, not sentences")
    words = [w.strip("'-").lower() for w in _WORD.findall(text)]
    tokens = _tokens(text)
    grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
    if len(grams) != len(set(grams)):
        problems.append("repeats itself")
    stated = _number_anchors(facts, every_word=True)
    for anchor, value in _number_anchors(text, every_word=False):
        if anchor is not None and (anchor, value) not in stated:
            problems.append(f"{_n(value)} is not stated for '{anchor}'")
    fact_words = {w.strip("'-").lower() for w in _WORD.findall(facts)}
    fact_stems = {stem(w) for w in fact_words}
    unknown = sorted(
        {
            w
            for w in words
            if w and w not in PLAIN_WORDS and w not in fact_words and stem(w) not in fact_stems
        }
    )
    if unknown:
        problems.append("words not in the facts: " + ", ".join(unknown[:8]))
    return problems


def write_narrative(engine: Any | None, content: ReportContent) -> Narrative:
    """The verified model narrative, else the facts' own sentences (``path`` says which)."""
    facts_text = content.facts_text()
    index = SourceIndex(facts_text)
    attempts: list[dict[str, Any]] = []
    chosen = prompt_facts(content)
    if engine is not None and chosen:
        # The retry is stricter in what it asks: one fact, one sentence, and the answer
        # started with the fact's subject so that the model writes prose, not a preamble.
        subject = str(chosen[0].values.get("column") or chosen[0].values.get("measure") or "")
        for name, given, start in (
            ("narrative.txt", chosen, ""),
            ("narrative_strict.txt", chosen[:1], subject),
        ):
            listed = "\n".join(f"- {f.text}" for f in given)
            prompt = engine.chat_prompt(_template(name).replace("{facts}", listed)) + start
            raw = engine.generate([prompt], max_new_tokens=MAX_NEW_TOKENS, stop=["\n\n"])[0]
            text = clean_output(start + raw)
            result = check(text, index)
            problems = wording_problems(text, facts_text)
            ok = result.ok and not problems
            attempts.append(
                {
                    "prompt": name.removesuffix(".txt"),
                    "ok": ok,
                    "text": text,
                    "unsupported": result.unsupported,
                    "problems": problems,
                }
            )
            if ok:
                return Narrative(text, "abstractive", True, str(engine.model_id), attempts)
            log.info(
                "report narrative rejected (%s): unsupported %s, %s",
                name,
                result.unsupported,
                problems,
            )
    text = fact_narrative(content)
    return Narrative(text, "extractive", check(text, index).ok, "none", attempts)
