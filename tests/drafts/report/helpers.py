"""What the narrative tests share with the ``deskdraft report`` command tests: a scripted
engine that answers with prepared texts (to drive the narrative's retry logic to each of its
outcomes without a model), and ``GOOD``, a model paragraph faithful to the facts of the
sales workbook in ``report_data.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

GOOD = "Revenue totals 54,963, and West leads with 57.1% of the total. SO-1029 stands out."


class ScriptedEngine:
    """Answers with prepared texts, to drive the retry logic to each of its outcomes."""

    model_id = "scripted:fp32"

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        return user

    def generate(self, prompts: Sequence[str], max_new_tokens: int = 64, **_: Any) -> list[str]:
        self.prompts.extend(prompts)
        return [self.answers.pop(0) for _ in prompts]
