"""Steps 2 and 3 of the ``brief`` summary: compress the chosen sentences, check each line.

``brief.plan_brief`` chooses the sentences; here each one of ten words or more (not a
gap's sentence said for context, a "bridge": it is quoted) is compressed by the model
(few-shot prompt ``compress.txt``) and the compression is kept only when the token check
and the claim check (a guarded deletion of that very sentence, its protected words
intact) both pass; ``brief_finish.finish_brief`` then checks the whole text.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from plugin.drafts.summary.brief import BriefPlan, Chosen, lower_words
from plugin.drafts.text.claims import align, same_words
from plugin.drafts.text.prompts import few_shot
from plugin.drafts.text.verify import SourceIndex, check

#: Sentences shorter than this are quoted whole: there is little to cut.
MIN_COMPRESS_WORDS = 10
#: A compression must keep this share of the sentence's words, or six words.
MIN_KEPT_SHARE = 0.35
#: A compression is shorter than its sentence; longer sentences are cut off, then rejected.
MAX_NEW_TOKENS = 48


def clean_compression(raw: str, sentence: str) -> str:
    """The model's line without labels or quotes, ending like its sentence."""
    text = raw.strip().split("\n", 1)[0]
    text = re.sub(r"^(?:short|shorter|sentence|summary)\s*:\s*", "", text, flags=re.IGNORECASE)
    text = text.strip(" \"'*`")
    if text and text[-1] not in ".?!":
        text += "?" if sentence.rstrip().endswith("?") else "."
    return text


def accept_compression(candidate: str, chosen: Chosen, index: SourceIndex) -> dict[str, Any] | None:
    """Why ``candidate`` cannot stand for its sentence, or None when both checks pass."""
    mine, theirs = lower_words(candidate), lower_words(chosen.sentence.text)
    if not mine:
        return {"reason": "empty", "unsupported": []}
    tokens = check(candidate, index)
    if not tokens.ok:
        return {"reason": "unsupported names, dates or numbers", "unsupported": tokens.unsupported}
    if len(mine) < min(6, len(theirs)) or len(mine) < MIN_KEPT_SHARE * len(theirs):
        return {"reason": "drops too much", "unsupported": []}
    if not align(candidate, chosen.sentence.text, protect_words=chosen.protect):
        return {"reason": "not a guarded compression of its sentence", "unsupported": []}
    return None


class BriefWriter:
    """Compresses the chosen sentences of many items in batches.

    No retry: on the development mails a rejected compression was rejected again for the
    same reason (a reworded phrase), and a retry doubles the time of a brief.
    """

    def __init__(
        self, engine: Any, batch_size: int, progress: Callable[[int], None] | None = None
    ) -> None:
        self.engine = engine
        self.batch_size = batch_size
        self.progress = progress

    def run(
        self, plans: Sequence[BriefPlan], indexes: Sequence[SourceIndex], elapsed: list[float]
    ) -> set[int]:
        """Compress the plans' lines; ``progress`` counts the plans whose lines are all
        done. Returns the numbers of the plans that had a line to compress."""
        jobs = [
            (n, c)
            for n, plan in enumerate(plans)
            for c in plan.chosen
            # A gap's sentence said for context is quoted: it stands for what lay between.
            if c.role != "bridge" and len(lower_words(c.sentence.text)) >= MIN_COMPRESS_WORDS
        ]
        if not jobs:
            return set()
        prompts = [
            few_shot(self.engine, "compress", sentence=" ".join(c.sentence.text.split()))
            for _, c in jobs
        ]
        outputs = self._generate(prompts, [n for n, _ in jobs], elapsed)
        for (n, chosen), raw in zip(jobs, outputs, strict=True):
            candidate = clean_compression(raw, chosen.sentence.text)
            refusal = accept_compression(candidate, chosen, indexes[n])
            if refusal is None and not same_words(candidate, chosen.sentence.text):
                chosen.text, chosen.written = candidate, True
            elif refusal is None:  # the model copied its sentence: a quote, in its own words
                chosen.text = chosen.sentence.text
            else:
                plans[n].rejected.append(
                    {"text": candidate, **refusal, "sentence": chosen.sentence.index + 1}
                )
        return {n for n, _ in jobs}

    def _generate(self, prompts: list[str], owners: list[int], elapsed: list[float]) -> list[str]:
        outputs: list[str] = []
        left = Counter(owners)  # lines still to compress, per plan
        for begin in range(0, len(prompts), self.batch_size):
            started = time.perf_counter()
            chunk = prompts[begin : begin + self.batch_size]
            outputs.extend(self.engine.generate(chunk, max_new_tokens=MAX_NEW_TOKENS, stop=["\n"]))
            share = (time.perf_counter() - started) / len(chunk)
            done = 0
            for owner in owners[begin : begin + len(chunk)]:
                elapsed[owner] += share
                left[owner] -= 1
                done += left[owner] == 0
            if self.progress and done:
                self.progress(done)
        return outputs


__all__ = ["BriefWriter", "accept_compression", "clean_compression"]
