"""Prompt-lookup decoding (plugin/engine/lookup.py and decode.greedy_decode's
``draft_tokens``): the guesses, and that checking them in one run changes no token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from plugin.engine import lookup
from plugin.engine.kvcache import CausalGraph, prefill_prefix
from plugin.engine.runtime import Engine
from tests.engine.tiny import decode_ids, fp32_graph

#: Token prompts for the tiny model; the repeated runs give the guesses something to find.
PROMPTS = [
    [5, 9, 13, 40, 41, 5, 9, 13, 40, 41, 5, 9],
    [60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70],
    [7, 8, 7, 8, 7, 8, 7],
    [3, 4],
]


def test_draft_continues_the_latest_earlier_occurrence() -> None:
    #                 0   1   2   3   4   5   6   7   8   9  10  11
    context = [1, 2, 3, 10, 11, 1, 2, 3, 20, 21, 22, 1, 2, 3]
    assert lookup.draft(context, 2) == [20, 21]
    assert lookup.draft(context, 10) == [20, 21, 22, 1, 2, 3]


def test_draft_prefers_the_longest_match() -> None:
    # "2 3" last occurred before 30, but "1 2 3" only before 10.
    context = [1, 2, 3, 10, 9, 2, 3, 30, 1, 2, 3]
    assert lookup.draft(context, 1) == [10]
    assert lookup.draft(context, 1, longest=2) == [30]


def test_draft_needs_two_tokens_repeated() -> None:
    assert lookup.draft([1, 2, 3, 4, 3], 4) == []  # only "3" repeats
    assert lookup.draft([1, 2, 3, 4, 3], 4, shortest=1) == [4, 3]
    assert lookup.draft([5, 6, 5, 6], 0) == []
    assert lookup.draft([], 4) == [] and lookup.draft([7], 4) == []
    assert lookup.draft([5, 6, 5, 6], 4) == [5, 6]  # not the key itself


def _run(graph: CausalGraph, prompt: list[int], **kwargs: Any) -> tuple[str, dict[str, float]]:
    kwargs.setdefault("max_new_tokens", 24)
    [text], stats = decode_ids(graph, [prompt], **kwargs)
    return text, stats


def test_lookup_gives_the_tokens_of_plain_decoding_in_fewer_runs(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    assert graph.right_padded and graph.logits_count
    saved = 0.0
    for prompt in PROMPTS:
        plain, plain_stats = _run(graph, prompt)
        guessed, stats = _run(graph, prompt, draft_tokens=4)
        assert guessed == plain
        assert plain_stats["runs"] == plain_stats["steps"] == 23
        assert stats["steps"] == 23 and stats["runs"] <= stats["steps"]
        saved += stats["steps"] - stats["runs"]
    assert saved > 10, "no guess was ever kept"


@pytest.mark.parametrize("max_new_tokens", [1, 2, 3, 5, 8, 13])
def test_lookup_keeps_to_the_token_budget(tiny_model_dir: Path, max_new_tokens: int) -> None:
    graph = fp32_graph(tiny_model_dir)
    for prompt in PROMPTS:
        plain, _ = _run(graph, prompt, max_new_tokens=max_new_tokens)
        guessed, _ = _run(graph, prompt, max_new_tokens=max_new_tokens, draft_tokens=4)
        assert guessed == plain
        assert len(guessed.split()) == max_new_tokens


def test_lookup_after_a_cached_prefix(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    head = [11, 12, 13, 14, 15, 16]
    kv = prefill_prefix(graph, head)
    runs = 0.0
    for prompt in PROMPTS:
        full, _ = _run(graph, head + prompt)
        cached, stats = _run(graph, prompt, prefix=kv, draft_tokens=4)
        assert cached == full
        runs += stats["runs"]
    assert runs < 23 * len(PROMPTS)


def test_lookup_stops_at_the_end_token_and_at_a_stop_string(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    plain, _ = _run(graph, PROMPTS[0])
    tokens = [int(t) for t in plain.split()]
    end = tokens[9]
    cut_plain, _ = _run(graph, PROMPTS[0], eos_ids={end})
    cut, _ = _run(graph, PROMPTS[0], eos_ids={end}, draft_tokens=4)
    assert cut == cut_plain == " ".join(map(str, tokens[: tokens.index(end)]))
    stop = " ".join(map(str, tokens[5:7]))
    stopped_plain, _ = _run(graph, PROMPTS[0], stop=[stop])
    stopped, _ = _run(graph, PROMPTS[0], stop=[stop], draft_tokens=4)
    assert stopped == stopped_plain == plain[: plain.find(stop)]


def test_lookup_streams_the_same_pieces_as_the_result(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    pieces: list[str] = []
    text, _ = _run(
        graph, PROMPTS[2], draft_tokens=4, on_token=lambda _row, piece: pieces.append(piece)
    )
    assert "".join(pieces) == text and len(pieces) > 1


def test_wide_steps_where_activations_are_rounded_to_8_bits() -> None:
    assert not lookup.needs_wide_steps({"path": "llm/fp32"})
    int8 = {"path": "llm/int8", "options": {"bits": 8, "accuracy_level": 4}}
    assert lookup.needs_wide_steps(int8)
    assert not lookup.needs_wide_steps({"path": "llm/int4", "options": {"accuracy_level": 0}})


@pytest.mark.parametrize("max_new_tokens", [1, 2, 3, 5, 24])
def test_wide_steps_give_the_same_tokens_with_lookup_or_without(
    tiny_model_dir: Path, max_new_tokens: int
) -> None:
    """Every run after the prefill feeds two tokens or more (a filler when there is no
    guess), so each position's logits come from the same multi-token path whatever is
    guessed: lookup changes the runs, never the tokens; the filler's slot fits the
    cache at any budget."""
    graph = fp32_graph(tiny_model_dir)
    saved = 0.0
    for prompt in PROMPTS:
        wide, wide_stats = _run(graph, prompt, wide=True, max_new_tokens=max_new_tokens)
        guessed, stats = _run(
            graph, prompt, wide=True, draft_tokens=4, max_new_tokens=max_new_tokens
        )
        assert guessed == wide
        assert len(wide.split()) == max_new_tokens
        assert wide_stats["runs"] == wide_stats["steps"] == max_new_tokens - 1
        saved += stats["steps"] - stats["runs"]
    assert saved > 10 or max_new_tokens < 24


def test_wide_steps_after_a_prefix_and_at_stops(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    head = [11, 12, 13, 14, 15, 16]
    kv = prefill_prefix(graph, head)
    for prompt in PROMPTS:
        full, _ = _run(graph, head + prompt, wide=True)
        assert _run(graph, prompt, prefix=kv, wide=True)[0] == full
        assert _run(graph, prompt, prefix=kv, wide=True, draft_tokens=4)[0] == full
    tokens = [int(t) for t in _run(graph, PROMPTS[0], wide=True)[0].split()]
    cut, _ = _run(graph, PROMPTS[0], wide=True, eos_ids={tokens[9]})
    assert cut == " ".join(map(str, tokens[: tokens.index(tokens[9])]))


def test_wide_steps_take_one_row_at_a_time(tiny_model_dir: Path) -> None:
    """ORT's GroupQueryAttention continues a batch only one token per row."""
    graph = fp32_graph(tiny_model_dir)
    with pytest.raises(ValueError, match="one row at a time"):
        decode_ids(graph, PROMPTS[:2], wide=True)


def test_engine_decodes_in_wide_steps_one_row_at_a_time(tiny_model_dir: Path) -> None:
    """A batch asked of an engine in wide steps runs row by row (a batch would fail in
    ``greedy_decode``), each row as it runs alone."""
    engine = Engine(tiny_model_dir, threads=1, context_tokens=512)
    assert not engine.wide_steps  # fp32
    engine.wide_steps = True
    prompts = ["Budget report, budget report, budget", "Status", "Meeting at noon, at noon"]
    wide = engine.generate(prompts, max_new_tokens=12)
    assert wide == [engine.generate([p], max_new_tokens=12)[0] for p in prompts]
    assert len(set(wide)) == len(prompts)


def test_engine_setting_of_lookup(
    tiny_model_dir: Path, deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.config import settings
    from plugin.engine.runtime import open_engine

    auto = Engine(tiny_model_dir, threads=1, context_tokens=512)  # fp32: exact, so on
    off = Engine(tiny_model_dir, threads=1, context_tokens=512, prompt_lookup=False)
    assert auto.draft_tokens == lookup.DRAFT_TOKENS and off.draft_tokens == 0
    prompt = "Budget report, budget report, budget report, budget"
    assert auto.generate([prompt], max_new_tokens=16) == off.generate([prompt], max_new_tokens=16)
    assert auto.last_stats["runs"] <= off.last_stats["runs"] == off.last_stats["steps"]
    for value, tokens in (("off", 0), ("on", lookup.DRAFT_TOKENS), ("auto", lookup.DRAFT_TOKENS)):
        monkeypatch.setenv("DESKDRAFT_ENGINE_PROMPT_LOOKUP", value)
        settings.cache_clear()
        assert open_engine(tiny_model_dir).draft_tokens == tokens, value
    settings.cache_clear()


def test_fused_graph_gives_logits_for_the_last_positions(tiny_model_dir: Path) -> None:
    """``logits_count`` n: the logits of each of the last n positions, as n one-token
    runs would give them."""
    graph = fp32_graph(tiny_model_dir)
    prompt = PROMPTS[1]
    empty = np.zeros((1, graph.kv_heads, 0, graph.head_dim), np.float32)

    def logits(ids: list[int], count: int) -> np.ndarray:
        feed: dict[str, np.ndarray] = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "logits_count": np.array([count], dtype=np.int64),
        }
        feed.update({name: empty for name in graph.past_names})
        return graph.session.run(["logits"], feed)[0][0]

    last_four = logits(prompt, 4)
    assert last_four.shape[0] == 4
    for back in range(4):
        alone = logits(prompt[: len(prompt) - back], 1)[-1]
        np.testing.assert_allclose(last_four[3 - back], alone, rtol=1e-4, atol=1e-5)
