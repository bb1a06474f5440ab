"""The learned decision: which candidate times are meetings or deadlines for the reader.

``features.candidates`` proposes every future date/time in a message; a logistic
regression over the rule features and the TF-IDF of the words around each mention
(``nearby``; ``decision_weights.json``, plain numbers, written by
``plugin.drafts.calendar.training`` from ``tests/data/meetings_labels.json``) scores each
one, and a Platt scaling fitted on out-of-fold scores of the train and dev splits turns
the score into a calibrated ``confidence``: of the suggestions given 0.9, about nine in ten
are right. Candidates at or above the shipped ``threshold`` (the out-of-fold F1 optimum) are
kept; then the same day is merged and alternatives are grouped exactly as the rules do.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from connectors.errors import ConfigError
from plugin.drafts.calendar.cues import (
    BY_BEFORE,
    DEADLINE_CUE,
    MEETING_CUE,
    Suggestion,
    _group_alternatives,
    _location,
    _merge_same_day,
    offered_together,
    sentence_bounds,
)
from plugin.drafts.calendar.features import FEATURES, Candidate, candidates
from plugin.drafts.text.tfidf import TextFeatures

WEIGHTS = Path(__file__).with_name("decision_weights.json")


@dataclass(frozen=True, slots=True)
class WordWeights:
    """The TF-IDF of the words around a mention (``Candidate.nearby``) and their weights,
    which already carry the block's scale."""

    features: TextFeatures
    coef: np.ndarray

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WordWeights:
        features = TextFeatures.from_json(data["blocks"])
        coef = np.asarray(data["coef"], dtype=np.float64)
        if len(coef) != features.width:
            raise ValueError("the words' weights do not match their vocabulary")
        return cls(features, coef)

    def score(self, nearby: str) -> float:
        [(index, values)] = self.features.rows([nearby])
        return float(values @ self.coef[index])


@dataclass(frozen=True, slots=True)
class MeetingModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    #: Platt scaling fitted out of fold: confidence = sigmoid(slope * score + offset).
    slope: float
    offset: float
    #: The calibrated confidence at or above which a candidate is suggested.
    threshold: float
    #: Absent from weights trained without the words.
    words: WordWeights | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MeetingModel:
        names = tuple(data["features"])
        if list(names) != FEATURES or len(data["coef"]) != len(names):
            raise ValueError(
                f"{WEIGHTS.name} was trained on other features; retrain it with "
                "`python bench/train_meetings.py`"
            )
        return cls(
            names,
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["coef"]),
            float(data["intercept"]),
            float(data["calibration"]["slope"]),
            float(data["calibration"]["offset"]),
            float(data["threshold"]),
            WordWeights.from_json(data["words"]) if "words" in data else None,
        )

    def score(self, candidate: Candidate) -> float:
        """The raw logistic-regression score (log-odds before calibration)."""
        total = self.intercept + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.coef, candidate.features, self.mean, self.scale, strict=True)
        )
        if self.words is not None:
            total += self.words.score(candidate.nearby)
        return total

    def confidence(self, candidate: Candidate) -> float:
        return _sigmoid(self.slope * self.score(candidate) + self.offset)


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@cache
def load_model(path: Path = WEIGHTS) -> MeetingModel:
    """The shipped decision (read once per process)."""
    try:
        return MeetingModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"cannot load the calendar decision weights: {exc}",
            item=str(path),
            hint="reinstall deskdraft, or rebuild them with `python bench/train_meetings.py`",
        ) from None


def _kind_and_cue(text: str, candidate: Candidate) -> tuple[str, str]:
    mention = candidate.mention
    left, right = sentence_bounds(text, mention.span_start, mention.span_end)
    before = text[left : mention.span_start]
    sentence = text[left:right]
    if BY_BEFORE.search(before[-20:]) or mention.deadline_hint or DEADLINE_CUE.search(before):
        cue = DEADLINE_CUE.search(sentence)
        return "deadline", cue.group(0) if cue else "deadline"
    cue = MEETING_CUE.search(sentence)
    return "meeting", cue.group(0) if cue else "meeting"


def _refine_vague(suggestions: list[Suggestion]) -> list[Suggestion]:
    """ "This afternoon ... does 3:00 work?": a clock time on the day of a part-of-day guess
    replaces the guess."""
    precise_days = {
        s.mention.start_date()
        for s in suggestions
        if not s.mention.all_day and not s.mention.vague_time
    }
    return [
        s
        for s in suggestions
        if not (s.mention.vague_time and s.mention.start_date() in precise_days)
    ]


def _one_programme_time(suggestions: list[Suggestion], anchored: set[int]) -> list[Suggestion]:
    """A programme under one date ("9:00 breakfast, 10:00 meeting, noon lunch") is one event:
    of the clock times that borrowed the same day, the most confident stays."""
    best: dict[object, Suggestion] = {}
    for suggestion in suggestions:
        if id(suggestion) in anchored:
            day = suggestion.mention.start_date()
            if day not in best or suggestion.confidence > best[day].confidence:
                best[day] = suggestion
    return [s for s in suggestions if id(s) not in anchored or best[s.mention.start_date()] is s]


def _alternatives_share_a_fate(
    text: str, found: list[Candidate], kinds: list[str], confidences: list[float]
) -> list[float]:
    """Days offered as alternatives ("next Tuesday or Wednesday", "December 15 or 16") are
    one proposal: each takes the best confidence of its run, so the reader is offered all of
    them or none (``cues.offered_together``, the test the grouping after the decision uses)."""
    order = sorted(range(len(found)), key=lambda i: found[i].mention.span_start)
    shared = list(confidences)
    run: list[int] = []
    for index in order:
        if run and not offered_together(
            text, found[run[-1]].mention, kinds[run[-1]], found[index].mention, kinds[index]
        ):
            _share(run, confidences, shared)
            run = []
        run.append(index)
    _share(run, confidences, shared)
    return shared


def _a_day_keeps_its_time(found: list[Candidate], confidences: list[float]) -> list[float]:
    """A day named once with its time and again without ("the game is Tuesday @ 6 p.m."
    ... "I will bring them on Tuesday") is one event: when the day has one written clock
    time, its naming takes the day's best confidence, so a kept day keeps its time."""
    timed: dict[object, set[object]] = {}
    best: dict[object, float] = {}
    for candidate, confidence in zip(found, confidences, strict=True):
        day = candidate.mention.start_date()
        best[day] = max(best.get(day, 0.0), confidence)
        if _clocked(candidate):
            timed.setdefault(day, set()).add(candidate.mention.start)
    out = []
    for candidate, confidence in zip(found, confidences, strict=True):
        one_time = _clocked(candidate) and len(timed[candidate.mention.start_date()]) == 1
        out.append(best[candidate.mention.start_date()] if one_time else confidence)
    return out


def _clocked(candidate: Candidate) -> bool:
    """A written clock time: not a whole day, nor a part of the day's guess ("this
    afternoon" is 14:00 only by convention)."""
    return not candidate.mention.all_day and not candidate.mention.vague_time


def _share(run: list[int], confidences: list[float], shared: list[float]) -> None:
    best = max((confidences[i] for i in run), default=0.0)
    for index in run:
        shared[index] = best


def decide(
    text: str, found: list[Candidate], model: MeetingModel, threshold: float | None = None
) -> list[Suggestion]:
    """Suggestions from scored candidates (``threshold`` overrides the model's own)."""
    cut = model.threshold if threshold is None else threshold
    kept: list[Suggestion] = []
    anchored: set[int] = set()
    kinds_and_cues = [_kind_and_cue(text, candidate) for candidate in found]
    confidences = _alternatives_share_a_fate(
        text,
        found,
        [kind for kind, _cue in kinds_and_cues],
        _a_day_keeps_its_time(found, [model.confidence(c) for c in found]),
    )
    for candidate, (kind, cue), confidence in zip(found, kinds_and_cues, confidences, strict=True):
        if confidence < cut:
            continue
        left, right = sentence_bounds(
            text, candidate.mention.span_start, candidate.mention.span_end
        )
        suggestion = Suggestion(
            mention=replace(candidate.mention, confidence=confidence),
            kind=kind,
            confidence=confidence,
            location=_location(text, text[left:right]),
            cue=cue.lower(),
        )
        if candidate.anchored:
            anchored.add(id(suggestion))
        kept.append(suggestion)
    kept.sort(key=lambda s: -s.confidence)
    merged = _merge_same_day(_refine_vague(_one_programme_time(kept, anchored)))
    merged.sort(key=lambda s: s.mention.span_start)
    _group_alternatives(text, merged)
    return merged


def detect_learned(
    text: str,
    reference: datetime,
    zone: tzinfo | str | None = None,
    threshold: float | None = None,
    subject: str = "",
) -> list[Suggestion]:
    """Proposed meetings and deadlines in ``text`` (a mail body; ``subject`` its subject
    line): candidates, then the learned decision."""
    clean, found = candidates(text, reference, zone, subject)
    return decide(clean, found, load_model(), threshold)
