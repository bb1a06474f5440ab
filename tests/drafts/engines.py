"""Stand-in engines for the drafts' tests: one that gives every prompt the same answer, for
the fallback paths (nonsense must never count as model work; an echo of the subject is the
subject), and one that answers from a script, to steer retries and fallbacks to each
outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

JUNK = "zzz qqq xyzzy"


class FixedAnswerEngine:
    """Answers every prompt with ``answer`` and records the prompts it was given."""

    model_id = "fixed:fp32"
    context_tokens = 2048

    def __init__(self, answer: str = JUNK) -> None:
        self.answer = answer
        self.prompts: list[str] = []

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        return f"{system}\n{user}" if system else user

    def generate(
        self,
        prompts: list[str],
        max_new_tokens: int = 64,
        stop: list[str] | None = None,
        on_token: Any = None,
        done_when: Any = None,
    ) -> list[str]:
        self.prompts.extend(prompts)
        return [self.next_answer() for _ in prompts]

    def next_answer(self) -> str:
        return self.answer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.ones((len(texts), 4), dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


class ScriptedEngine(FixedAnswerEngine):
    """Answers prompts from a script, in order, to drive the retry and fallback branches.

    Only the branch logic is tested with it; the real model is tested in
    ``tests/drafts/summary/test_summarize.py``.
    """

    model_id = "scripted:fp32"

    def __init__(self, answers: Sequence[str]) -> None:
        super().__init__()
        self.answers = list(answers)

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        return f"{system}\n{user}"

    def next_answer(self) -> str:
        return self.answers.pop(0)
