"""The lean decode loop and Engine.generate on the tiny random model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from plugin.engine.decode import _held_back
from plugin.engine.runtime import TRUNCATION_MARKER, Engine
from tests.engine.tiny import decode_ids, fp32_graph

PROMPTS = [
    "Please review the budget report before Friday.",
    "Can we move our call to Tuesday?",
    "Summary: the deal closes next week, pending legal review of the terms and a call.",
]


def test_generation_is_deterministic(tiny_engine: Engine) -> None:
    first = tiny_engine.generate(PROMPTS, max_new_tokens=12)
    second = tiny_engine.generate(PROMPTS, max_new_tokens=12)
    assert first == second
    assert all(isinstance(text, str) for text in first)
    assert any(text for text in first), "the tiny model produced no text at all"


def test_batched_with_left_padding_equals_one_by_one(tiny_engine: Engine) -> None:
    batched = tiny_engine.generate(PROMPTS, max_new_tokens=12)
    alone = [tiny_engine.generate([p], max_new_tokens=12)[0] for p in PROMPTS]
    assert batched == alone


def test_chat_prompt_uses_the_template(tiny_engine: Engine) -> None:
    prompt = tiny_engine.chat_prompt("Hello there", system="Be brief.")
    assert prompt == (
        "<|im_start|>system\nBe brief.<|im_end|>\n"
        "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n"
    )
    # The templated prompt generates: at most the 4 new tokens asked for, no prompt echoed.
    [answer] = tiny_engine.generate([prompt], max_new_tokens=4)
    assert tiny_engine.count_tokens(answer) <= 4 and "<|im_start|>" not in answer


def test_stop_string_cuts_the_text_before_it(tiny_engine: Engine) -> None:
    [full] = tiny_engine.generate([PROMPTS[0]], max_new_tokens=16)
    assert len(full) >= 4, full
    stop = full[2:4]
    [cut] = tiny_engine.generate([PROMPTS[0]], max_new_tokens=16, stop=[stop])
    assert cut == full[: full.find(stop)]
    assert stop not in cut


def test_streaming_pieces_add_up_to_the_result(tiny_engine: Engine) -> None:
    pieces: dict[int, list[str]] = {}

    def on_token(row: int, text: str) -> None:
        pieces.setdefault(row, []).append(text)

    [full] = tiny_engine.generate([PROMPTS[1]], max_new_tokens=16)
    stop = full[3:5] if len(full) > 5 else None
    results = tiny_engine.generate(
        PROMPTS, max_new_tokens=16, stop=[stop] if stop else None, on_token=on_token
    )
    for row, text in enumerate(results):
        assert "".join(pieces.get(row, [])) == text
    assert sum(len(p) for p in pieces.values()) > 0
    # Streaming means several calls per row, not one at the end.
    assert max(len(p) for p in pieces.values()) > 1


def test_over_long_prompt_keeps_head_and_tail(tiny_engine: Engine) -> None:
    head = "HEADWORD " * 5
    tail = " TAILWORD" * 5
    prompt = head + "filler text " * 2000 + tail
    assert tiny_engine.count_tokens(prompt) > tiny_engine.context_tokens
    ids = tiny_engine._prompt_ids(prompt, 32)
    assert len(ids) <= tiny_engine.context_tokens - 32
    kept = tiny_engine._decode(ids)
    assert kept.startswith("HEADWORD")
    assert kept.endswith("TAILWORD")
    assert TRUNCATION_MARKER.strip() in kept
    [text] = tiny_engine.generate([prompt], max_new_tokens=32)
    assert isinstance(text, str)


@pytest.mark.parametrize("max_new_tokens", [0, 1, 10_000])
def test_token_limits_never_crash(tiny_engine: Engine, max_new_tokens: int) -> None:
    [text] = tiny_engine.generate(["word " * 600], max_new_tokens=max_new_tokens)
    if max_new_tokens == 0:
        assert text == ""
    assert tiny_engine.generate([], max_new_tokens=4) == []
    [from_nothing] = tiny_engine.generate([""], max_new_tokens=2)
    assert tiny_engine.count_tokens(from_nothing) <= 2


def test_generate_rejects_a_bare_string(tiny_engine: Engine) -> None:
    with pytest.raises(TypeError):
        tiny_engine.generate("not a list")  # type: ignore[arg-type]


def test_embeddings_are_unit_rows_and_deterministic(tiny_engine: Engine) -> None:
    texts = ["the budget report", "the budget report", "call on tuesday"]
    vectors = tiny_engine.embed(texts)
    assert vectors.shape[0] == 3 and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[1], rtol=1e-6)
    assert tiny_engine.embed([]).shape == (0, vectors.shape[1])


def test_model_id_and_context(tiny_engine: Engine) -> None:
    digest, variant = tiny_engine.model_id.split(":")
    assert len(digest) == 12 and variant == "fp32"
    assert tiny_engine.context_tokens == 512
    assert tiny_engine.count_tokens("") == 0
    assert tiny_engine.count_tokens("hello world") > 0


def test_held_back_keeps_possible_stop_prefixes() -> None:
    assert _held_back("abc END", ["ENDING"]) == 3
    assert _held_back("abc", ["x"]) == 0
    assert _held_back("abc\ufffd", []) == 1


def test_done_when_ends_a_row_once_its_text_decides(tiny_model_dir: Path) -> None:
    """``done_when`` ends only the row it is true for, at the first token that makes it
    true, batched or alone, with prompt lookup or without; the other rows decode on."""
    graph = fp32_graph(tiny_model_dir)
    prompts = [[5, 9, 13, 40, 41, 5, 9, 13, 40, 41, 5, 9], [60, 61, 62, 63], [3, 4]]

    plain, plain_stats = decode_ids(graph, prompts)
    assert plain_stats["steps"] == 15
    first = plain[0].split()

    def decided(text: str) -> bool:
        return text.split()[:7] == first[:7]  # only the first row's text can match

    cut, _ = decode_ids(graph, prompts, done_when=decided)
    assert cut == [" ".join(first[:7]), plain[1], plain[2]]
    for draft_tokens in (0, 4):
        [alone], alone_stats = decode_ids(
            graph, prompts[:1], done_when=decided, draft_tokens=draft_tokens
        )
        assert alone == cut[0]
        assert alone_stats["steps"] == 6
