"""The shared-prefix KV cache (plugin/engine/prefix.py): exactly the tokens of a full
prefill, batched or alone, on the tiny model; the real model is in test_real_model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plugin.engine.kvcache import CausalGraph, prefill_prefix
from plugin.engine.prefix import MAX_TOKENS, PrefixCache
from plugin.engine.runtime import Engine
from tests.engine.tiny import decode_ids, fp32_graph

PREFIX = [5, 9, 13, 40, 41, 60, 61, 62, 63, 7, 8, 3]
SUFFIXES = [[70, 71, 72], [7], [64, 65, 66, 67, 68, 69, 70, 71, 72, 73], [44, 45]]


def _run(graph: CausalGraph, prompts: list[list[int]], **kwargs: Any) -> list[str]:
    return decode_ids(graph, prompts, **kwargs)[0]


def test_prefix_cache_gives_the_tokens_of_a_full_prefill(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    assert graph.right_padded
    full = [_run(graph, [PREFIX + s])[0] for s in SUFFIXES]
    assert len(set(full)) == len(full), full  # the rows really differ
    kv = prefill_prefix(graph, PREFIX)
    assert kv.arrays[0].shape == (1, graph.kv_heads, len(PREFIX), graph.head_dim)
    alone = [_run(graph, [s], prefix=kv)[0] for s in SUFFIXES]
    batched = _run(graph, SUFFIXES, prefix=kv)
    assert alone == full
    assert batched == full
    # The full prefill batched (right padding) agrees too.
    assert _run(graph, [PREFIX + s for s in SUFFIXES]) == full


def test_a_prefix_needs_a_token_after_it(tiny_model_dir: Path) -> None:
    graph = fp32_graph(tiny_model_dir)
    kv = prefill_prefix(graph, PREFIX)
    with pytest.raises(ValueError, match="token after it"):
        _run(graph, [[]], prefix=kv)


def test_engine_reuses_the_system_turn(tiny_model_dir: Path) -> None:
    cached = Engine(tiny_model_dir, threads=1, context_tokens=512)
    plain = Engine(tiny_model_dir, threads=1, context_tokens=512, prefix_cache=False)
    assert cached.prefixes is not None and plain.prefixes is None
    system = "You write short subject lines for the quarterly budget report."
    users = [
        "Please review the budget report before Friday.",
        "Can we move our call?",
        "Summary: the deal closes next week, pending legal review of the terms.",
    ]
    prompts = [cached.chat_prompt(u, system=system) for u in users]
    seen: list[tuple[int, str]] = []
    texts = cached.generate(
        prompts, max_new_tokens=12, on_token=lambda row, text: seen.append((row, text))
    )
    assert cached.prefixes.prefills == 1 and cached.prefixes.hits == 0
    assert texts == plain.generate(prompts, max_new_tokens=12)
    for row, text in enumerate(texts):
        assert "".join(t for r, t in seen if r == row) == text
    assert [cached.generate([p], max_new_tokens=12)[0] for p in prompts] == texts
    assert cached.prefixes.prefills == 1 and cached.prefixes.hits == 3
    # A prompt without the system turn, or only the turn itself, runs a full prefill.
    head = prompts[0][: prompts[0].index("Please")]
    other = cached.chat_prompt("Hello", system="Another system prompt here.")
    assert cached.generate([head, other], max_new_tokens=4) == plain.generate(
        [head, other], max_new_tokens=4
    )


def test_cache_is_bounded_and_picks_the_longest_prefix() -> None:
    computed: list[tuple[int, ...]] = []

    def prefill(ids: Any) -> Any:
        from plugin.engine.prefix import PrefixKV

        computed.append(tuple(ids))
        return PrefixKV(tuple(ids), ())

    cache = PrefixCache(prefill)
    cache.register([1, 2, 3])  # too short to be worth it
    cache.register([1, 2, 3, 4, 5])
    cache.register([1, 2, 3, 4, 5, 6, 7])
    assert cache.match([1, 2, 3, 4, 5, 6, 7, 8]) == (1, 2, 3, 4, 5, 6, 7)
    assert cache.match([1, 2, 3, 4, 5, 6, 7]) == (1, 2, 3, 4, 5)  # one token must remain
    assert cache.match([1, 2, 3, 9, 9, 9]) is None
    big = [list(range(100 + i, 100 + i + MAX_TOKENS // 2 + 1)) for i in range(3)]
    for ids in big:
        cache.register(ids)
        cache.get(tuple(ids))
    assert sum(len(k) for k in cache._computed) <= MAX_TOKENS
    assert tuple(big[-1]) in cache._computed and tuple(big[0]) not in cache._computed
