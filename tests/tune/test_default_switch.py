"""A new default reaches running workers without a restart; drafts use the tuned prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugin.tune.data import Pair
from tests.tune.conftest import topic_pairs


def test_a_worker_picks_up_a_new_default_and_its_cache_key_changes(
    tiny_parent: Path, tuned: dict[str, Any], deskdraft_home: Path
) -> None:
    from plugin.engine import registry
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import cache_key
    from plugin.jobs.worker import make_runner

    registry.switch(tiny_parent, tiny_parent)
    runner = make_runner(open_queue())
    first = runner.engine()
    assert first.model_dir.resolve() == tiny_parent.resolve()
    assert runner.engine() is first  # no reload while the default stays
    registry.switch(Path(tuned["model"]), tiny_parent)
    second = runner.engine()
    assert second.model_dir == Path(tuned["model"])
    assert second.model_id != first.model_id
    job = ("summarize", {"text": "Hello"}, {"style": "oneline"})
    assert cache_key(*job, first.model_id) != cache_key(*job, second.model_id)
    assert runner.store.meta_get("model_id") == second.model_id


def test_summarize_sends_a_subject_tuned_model_the_training_prompt(tuned: dict[str, Any]) -> None:
    from plugin.drafts.inputs import text_document
    from plugin.drafts.summary import SummaryDraft
    from plugin.drafts.text.prompts import task_prompt
    from plugin.engine.runtime import Engine
    from plugin.tune.examples import encode

    engine = Engine(Path(tuned["model"]), threads=1, context_tokens=512)
    seen: list[str] = []
    generate = engine.generate

    def spy(prompts: list[str], *args: Any, **kwargs: Any) -> list[str]:
        seen.extend(prompts)
        return generate(prompts, *args, **kwargs)

    engine.generate = spy  # type: ignore[method-assign]
    text = topic_pairs(1)[0].input
    SummaryDraft(engine).draft([text_document(text)], {"style": "oneline"})
    assert seen[0] == task_prompt(engine.chat_prompt, "subject", text)
    # ... and that text is exactly the prompt part of a training example.
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(Path(tuned["model"]) / "hf")
    [example], _ = encode([Pair("subject", text, "x")], tokenizer, 256)
    prompt_ids = [i for i, label in zip(example.ids, example.labels, strict=True) if label < 0]
    assert tokenizer.decode(prompt_ids) == seen[0]
