"""A lean greedy decode loop over an Optimum-exported ONNX causal LM.

Why not ``ORTModelForCausalLM.generate``: at 135M parameters the per-step overhead of
transformers' generation loop (logits processors, Python-side cache objects, numpy <->
torch copies of the whole KV cache) costs as much as the model itself. Here one step is:
bind the new token, bind the previous step's ``present.*`` OrtValues as ``past.*`` (IO
binding: the cache never leaves ORT's memory, no host copy per step), run, copy back only
the last position's logits, argmax.

The exported graph concatenates ``past`` and the new keys/values into ``present`` itself,
so ORT allocates each step's cache; what we avoid is every copy outside the graph. The
graph is also cut (see ``export.lean_lm_head``) to compute logits for the last position
only, so a long prompt's prefill does not multiply every position by the 49k-word head.

Batches are left-padded: pad positions get ``attention_mask`` 0 and the real tokens keep
the positions they would have alone, so a row decodes to the same tokens batched or not
(up to the kernels' float rounding, which differs with the batch shape).

Stop strings end a row as soon as its decoded text contains one; the stop string itself
is not returned. The streaming callback gets ``(row, text)`` pieces; text that could
still turn into a stop string (or an incomplete UTF-8 character) is held back until it
is known not to, so the concatenated pieces always equal the returned text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

OnToken = Callable[[int, str], None]


@dataclass
class CausalGraph:
    """What the decode loop needs to know about one ONNX session."""

    session: Any
    past_names: list[str]
    present_names: list[str]
    kv_heads: int
    head_dim: int
    kv_dtype: Any
    has_position_ids: bool

    @classmethod
    def from_session(cls, session: Any) -> CausalGraph:
        inputs = {i.name: i for i in session.get_inputs()}
        past = [n for n in inputs if n.startswith("past_key_values.")]
        present = [n.replace("past_key_values.", "present.") for n in past]
        outputs = {o.name for o in session.get_outputs()}
        missing = [n for n in present if n not in outputs]
        if not past or missing or "logits" not in outputs:
            raise ValueError("the ONNX model was not exported with a KV cache (with-past)")
        shape = inputs[past[0]].shape
        dtype = np.float16 if "float16" in inputs[past[0]].type else np.float32
        return cls(
            session=session,
            past_names=past,
            present_names=present,
            kv_heads=int(shape[1]),
            head_dim=int(shape[3]),
            kv_dtype=dtype,
            has_position_ids="position_ids" in inputs,
        )


@dataclass
class _Row:
    ids: list[int] = field(default_factory=list)
    text: str = ""
    emitted: int = 0
    done: bool = False


def _held_back(text: str, stops: Sequence[str]) -> int:
    """How many trailing characters might still be the start of a stop string."""
    keep = 0
    for stop in stops:
        for size in range(min(len(stop) - 1, len(text)), keep, -1):
            if text.endswith(stop[:size]):
                keep = size
                break
    if text.endswith("\ufffd"):  # an incomplete multi-byte character
        keep = max(keep, 1)
    return keep


def greedy_decode(
    graph: CausalGraph,
    prompts: Sequence[Sequence[int]],
    *,
    max_new_tokens: int,
    eos_ids: set[int],
    pad_id: int,
    decode: Callable[[list[int]], str],
    stop: Sequence[str] = (),
    on_token: OnToken | None = None,
    stats: dict[str, float] | None = None,
) -> list[str]:
    """Greedy continuation of each token list in ``prompts`` (one batch).

    ``stats``, if given, receives ``prefill_s``, ``decode_s`` and ``steps`` (tokens
    decoded after the first) for benchmarks.
    """
    batch = len(prompts)
    if batch == 0:
        return []
    rows = [_Row() for _ in range(batch)]
    stops = [s for s in stop if s]
    if max_new_tokens <= 0:
        return ["" for _ in rows]
    width = max(len(p) for p in prompts)
    input_ids = np.full((batch, width), pad_id, dtype=np.int64)
    mask = np.zeros((batch, width), dtype=np.int64)
    for i, ids in enumerate(prompts):
        input_ids[i, width - len(ids) :] = ids
        mask[i, width - len(ids) :] = 1
    positions = np.clip(np.cumsum(mask, axis=1) - 1, 0, None)
    empty = np.zeros((batch, graph.kv_heads, 0, graph.head_dim), dtype=graph.kv_dtype)

    session = graph.session
    binding = session.io_binding()
    binding.bind_cpu_input("input_ids", input_ids)
    binding.bind_cpu_input("attention_mask", mask)
    if graph.has_position_ids:
        binding.bind_cpu_input("position_ids", positions)
    for name in graph.past_names:
        binding.bind_cpu_input(name, empty)
    next_position = positions[:, -1:] + 1
    started = time.perf_counter()
    prefill_end = started
    steps = 0

    for step in range(max_new_tokens):
        binding.bind_output("logits", "cpu")
        for name in graph.present_names:
            binding.bind_output(name, "cpu")
        session.run_with_iobinding(binding)
        outputs = binding.get_outputs()
        logits = outputs[0].numpy()[:, -1, :]
        tokens = logits.argmax(axis=-1)
        if step == 0:
            prefill_end = time.perf_counter()
        else:
            steps += 1
        _advance(rows, tokens, eos_ids, stops, decode, on_token)
        if all(r.done for r in rows) or step == max_new_tokens - 1:
            break
        feed = np.array(
            [[pad_id if r.done else int(t)] for r, t in zip(rows, tokens, strict=True)],
            dtype=np.int64,
        )
        mask = np.concatenate([mask, np.ones((batch, 1), dtype=np.int64)], axis=1)
        binding.clear_binding_inputs()
        binding.clear_binding_outputs()
        binding.bind_cpu_input("input_ids", feed)
        binding.bind_cpu_input("attention_mask", mask)
        if graph.has_position_ids:
            binding.bind_cpu_input("position_ids", next_position)
            next_position = next_position + 1
        for name, value in zip(graph.past_names, outputs[1:], strict=True):
            binding.bind_ortvalue_input(name, value)

    for index, row in enumerate(rows):
        _finish(index, row, on_token)
    if stats is not None:
        stats.update(
            prefill_s=prefill_end - started,
            decode_s=time.perf_counter() - prefill_end,
            steps=float(steps),
        )
    return [r.text for r in rows]


def _advance(
    rows: list[_Row],
    tokens: np.ndarray,
    eos_ids: set[int],
    stops: Sequence[str],
    decode: Callable[[list[int]], str],
    on_token: OnToken | None,
) -> None:
    for index, (row, token) in enumerate(zip(rows, tokens, strict=True)):
        if row.done:
            continue
        token = int(token)
        if token in eos_ids:
            row.done = True
            _finish(index, row, on_token)
            continue
        previous = len(row.text)
        row.ids.append(token)
        row.text = decode(row.ids)
        if stops:
            start = max(0, previous - max(len(s) for s in stops))
            hits = [i for i in (row.text.find(s, start) for s in stops) if i >= 0]
            if hits:
                row.text = row.text[: min(hits)]
                row.done = True
                _finish(index, row, on_token)
                continue
        if on_token is not None:
            safe = len(row.text) - _held_back(row.text, stops)
            if safe > row.emitted:
                on_token(index, row.text[row.emitted : safe])
                row.emitted = safe


def _finish(index: int, row: _Row, on_token: OnToken | None) -> None:
    row.done = True
    if row.text.endswith("\ufffd"):
        row.text = row.text.rstrip("\ufffd")
    if on_token is not None and len(row.text) > row.emitted:
        on_token(index, row.text[row.emitted :])
    row.emitted = max(row.emitted, len(row.text))
