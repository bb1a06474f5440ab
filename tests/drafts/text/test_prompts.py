"""Prompt templates (plugin/drafts/text/prompts.py): a few-shot prompt declares its fixed
head to the engine as a shared prefix, and that head is exactly where every prompt starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.drafts.text.prompts import few_shot, render, template_head

#: The few-shot templates the draft kinds send (subject lines, briefs, digest lines).
FEW_SHOT = ("subject", "subject_strict", "compress", "digest_line")


class _Recorder:
    def __init__(self) -> None:
        self.prefixes: list[str] = []

    def add_prefix(self, text: str) -> None:
        self.prefixes.append(text)


@pytest.mark.parametrize("name", FEW_SHOT)
def test_the_head_is_the_examples_before_the_first_placeholder(name: str) -> None:
    head = template_head(name)
    values = {"sentence": "Please send the Q3 figures by Friday.", "sender": "Ann", "verb": "asks"}
    prompt = render(name, **values)
    assert prompt.startswith(head)
    assert "$" not in head and head == head.rstrip()
    # The examples are most of the prompt: that is what the cache saves.
    assert len(head) > 0.6 * len(prompt)
    assert prompt[len(head)] == " "  # the value's first word keeps its own leading space


def test_few_shot_declares_the_head_and_renders_the_prompt() -> None:
    engine = _Recorder()
    prompt = few_shot(engine, "subject", sentence="Can we move the call to Monday?")
    assert prompt == render("subject", sentence="Can we move the call to Monday?")
    assert engine.prefixes == [template_head("subject")]
    # An engine without a prefix cache (a scripted one, seq2seq) just gets the prompt.
    assert few_shot(object(), "subject", sentence="x") == render("subject", sentence="x")


def test_subject_lines_reuse_the_examples_and_write_the_same_lines(tiny_model_dir: Path) -> None:
    """On a real engine the examples are prefilled once; the drafts do not change."""
    from connectors.document import Document
    from plugin.drafts.summary.summarize import SummaryDraft
    from plugin.engine.runtime import Engine

    cached = Engine(tiny_model_dir, threads=1, context_tokens=512)
    plain = Engine(tiny_model_dir, threads=1, context_tokens=512, prefix_cache=False)
    texts = [
        "Hi Tom,\nPlease review the budget report before Friday. The totals changed.\nAnn",
        "Can we move our call to Monday at 3 pm? I am travelling on Thursday.",
        "The deal closes next week, pending legal review of the terms. Call me with questions.",
    ]
    documents = [
        Document(id=str(n), kind="text", source=f"{n}.txt", text=t) for n, t in enumerate(texts)
    ]
    options = {"style": "oneline", "batch_size": 1}
    lines = [d.data["summary"] for d in SummaryDraft(cached).draft(documents, options)]
    assert lines == [d.data["summary"] for d in SummaryDraft(plain).draft(documents, options)]
    assert cached.prefixes is not None
    assert cached.prefixes.prefills >= 1
    # Every prompt after the first of each template starts from the cached examples.
    assert cached.prefixes.hits >= len(texts) - 1
