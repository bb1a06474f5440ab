"""What the summary tests share to drive the drafting branches without a model: a
scripted engine that answers each prompt from a prepared list (so the retry and fallback
logic can be steered to each outcome), and an invented planning mail (``MAIL``) wrapped as
a ``Document`` by ``mail``. Used by ``test_summarize.py``, ``test_brief.py``,
``test_brief_chain.py`` and ``test_useful.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from connectors.document import Document

MAIL = (
    "Hi Sam,\n\n"
    "Our planning review is on Thursday, September 17 at 2:30 pm in room B-204.\n"
    "We will go through the draft budget of $48,500.\n"
    "Could you please send me the headcount estimate by Wednesday?\n"
    "Best regards,\nMaria"
)


class ScriptedEngine:
    """Answers prompts from a script, to drive the retry and fallback branches.

    Only the branch logic is tested with it; the real model is tested in
    ``test_summarize.py``.
    """

    model_id = "scripted:fp32"
    context_tokens = 2048

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def generate(
        self,
        prompts: list[str],
        max_new_tokens: int = 64,
        stop: list[str] | None = None,
        on_token: Any = None,
        done_when: Any = None,
    ) -> list[str]:
        self.prompts.extend(prompts)
        return [self.answers.pop(0) for _ in prompts]

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        return f"{system}\n{user}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.ones((len(texts), 4), dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def mail(text: str = MAIL, **fields: Any) -> Document:
    return Document(id="m1", kind="email", source="mail.eml", text=text, **fields)
