"""A lean greedy decode loop over an Optimum-exported ONNX causal LM.

Why not ``ORTModelForCausalLM.generate``: at 135M parameters the per-step overhead of
transformers' generation loop (logits processors, Python-side cache objects, numpy <->
torch copies of the whole KV cache) costs as much as the model itself. Here one step is:
bind the new token (IO binding: the cache never leaves ORT's memory), run, copy back
only the last position's logits, argmax.

Two kinds of graph (``CausalGraph.right_padded`` tells them apart):

* **Fused** (``fuse.py``, Llama-family models): ``GroupQueryAttention`` appends each new
  key/value in place, so one buffer per layer, sized for prompt + new tokens, is bound as
  both ``past`` and ``present`` for the whole generation (``_SharedCache``): nothing is
  copied or allocated per step. Rows are right-padded; a row's positions are 0..n-1.
* **As exported** (any other causal LM): the graph concatenates ``past`` and the new
  keys/values into a fresh ``present``, which is bound as the next ``past``
  (``_GrowingCache``). Rows are left-padded: pad positions get ``attention_mask`` 0 and
  real tokens keep the positions they would have alone.

Either way a row decodes to the same tokens batched or not (up to the kernels' float
rounding, which differs with the batch shape). The graph is also cut (see
``export.lean_lm_head``) to compute logits for one position per row only, so a long
prompt's prefill does not multiply every position by the 49k-word head.

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

from plugin.engine.fuse import PADDING_KEY
from plugin.engine.prefix import PrefixKV

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
    #: A fused graph (``fuse.py``): rows are right-padded, positions implied.
    right_padded: bool = False

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
            right_padded=session.get_modelmeta().custom_metadata_map.get(PADDING_KEY) == "right",
        )


@dataclass
class _Row:
    ids: list[int] = field(default_factory=list)
    text: str = ""
    emitted: int = 0
    done: bool = False


class _Cache:
    """How one decode step's KV cache reaches the next."""

    def bind_first(self, binding: Any) -> None:
        raise NotImplementedError

    def bind_next(self, binding: Any, outputs: list[Any]) -> None:
        raise NotImplementedError


class _GrowingCache(_Cache):
    """The exported graph concatenates ``past`` and the new keys into a fresh ``present``
    each step; that ``present`` OrtValue is bound as the next ``past`` (no host copy)."""

    def __init__(self, graph: CausalGraph, batch: int) -> None:
        self.graph = graph
        self.empty = np.zeros((batch, graph.kv_heads, 0, graph.head_dim), dtype=graph.kv_dtype)

    def _bind_outputs(self, binding: Any) -> None:
        binding.bind_output("logits", "cpu")
        for name in self.graph.present_names:
            binding.bind_output(name, "cpu")

    def bind_first(self, binding: Any) -> None:
        for name in self.graph.past_names:
            binding.bind_cpu_input(name, self.empty)
        self._bind_outputs(binding)

    def bind_next(self, binding: Any, outputs: list[Any]) -> None:
        for name, value in zip(self.graph.past_names, outputs[1:], strict=True):
            binding.bind_ortvalue_input(name, value)
        binding.clear_binding_outputs()
        self._bind_outputs(binding)


class _SharedCache(_Cache):
    """A fused graph's ``GroupQueryAttention`` writes each new key/value in place when
    ``past`` and ``present`` are the same buffer: one buffer per layer, sized for the
    whole generation, is bound once to both, so no step copies or allocates the cache.

    The buffers are numpy arrays wrapped without a copy (a CPU ``OrtValue`` from numpy
    shares its memory), so a shared prefix's keys/values can be written into every row
    and one row at a time can be bound (``arrays[i][b : b + 1]`` is a contiguous view).
    """

    def __init__(self, graph: CausalGraph, batch: int, capacity: int) -> None:
        import onnxruntime as ort

        self.graph = graph
        shape = (batch, graph.kv_heads, capacity, graph.head_dim)
        self.arrays = [np.zeros(shape, dtype=graph.kv_dtype) for _ in graph.past_names]
        self.buffers = [ort.OrtValue.ortvalue_from_numpy(a) for a in self.arrays]

    def bind_row(self, binding: Any, row: int) -> None:
        """Bind only row ``row`` of every buffer (a batch-of-one run writes into it)."""
        import onnxruntime as ort

        names = zip(self.graph.past_names, self.graph.present_names, self.arrays, strict=True)
        for past, present, array in names:
            view = ort.OrtValue.ortvalue_from_numpy(array[row : row + 1])
            binding.bind_ortvalue_input(past, view)
            binding.bind_ortvalue_output(present, view)

    def bind_first(self, binding: Any) -> None:
        binding.bind_output("logits", "cpu")
        names = zip(self.graph.past_names, self.graph.present_names, self.buffers, strict=True)
        for past, present, buffer in names:
            binding.bind_ortvalue_input(past, buffer)
            binding.bind_ortvalue_output(present, buffer)

    def bind_next(self, binding: Any, outputs: list[Any]) -> None:
        pass  # the buffers stay bound; GroupQueryAttention appends in place


def prefill_prefix(graph: CausalGraph, ids: Sequence[int]) -> PrefixKV:
    """The keys/values of ``ids`` alone (a fused graph), for ``greedy_decode(prefix=)``."""
    if not graph.right_padded:
        raise ValueError("a shared prefix needs a fused (right-padded) graph")
    cache = _SharedCache(graph, 1, len(ids))
    binding = graph.session.io_binding()
    binding.bind_cpu_input("input_ids", np.array([list(ids)], dtype=np.int64))
    binding.bind_cpu_input("attention_mask", np.ones((1, len(ids)), dtype=np.int64))
    cache.bind_first(binding)
    graph.session.run_with_iobinding(binding)
    return PrefixKV(tuple(ids), tuple(a.copy() for a in cache.arrays))


def _prefill_after_prefix(
    graph: CausalGraph, prefix: PrefixKV, suffixes: Sequence[Sequence[int]], capacity: int
) -> tuple[_SharedCache, np.ndarray, np.ndarray]:
    """Copy the prefix's keys/values into every row and prefill each row's own tokens
    after them, one row at a time (``GroupQueryAttention`` takes a continued prompt only
    when every new token of the batch is real, so rows of different lengths cannot share
    a run). Returns the cache, the attention mask so far and the first logits."""
    batch = len(suffixes)
    size = len(prefix)
    cache = _SharedCache(graph, batch, capacity)
    for array, cached in zip(cache.arrays, prefix.arrays, strict=True):
        array[:, :, :size, :] = cached
    width = size + max(len(s) for s in suffixes)
    mask = np.zeros((batch, width), dtype=np.int64)
    first: list[np.ndarray] = []
    for row, suffix in enumerate(suffixes):
        mask[row, : size + len(suffix)] = 1
        binding = graph.session.io_binding()
        binding.bind_cpu_input("input_ids", np.array([list(suffix)], dtype=np.int64))
        binding.bind_cpu_input("attention_mask", np.ones((1, size + len(suffix)), np.int64))
        binding.bind_output("logits", "cpu")
        cache.bind_row(binding, row)
        graph.session.run_with_iobinding(binding)
        first.append(binding.get_outputs()[0].numpy()[0, -1, :])
    return cache, mask, np.stack(first)


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
    prefix: PrefixKV | None = None,
) -> list[str]:
    """Greedy continuation of each token list in ``prompts`` (one batch).

    ``prefix`` (fused graphs only): every prompt is ``prefix.ids`` followed by its entry
    in ``prompts`` (at least one token each); the prefix's keys/values are reused.
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
    session = graph.session
    binding = session.io_binding()
    started = time.perf_counter()
    first_logits: np.ndarray | None = None
    cache: _Cache
    if prefix is not None:
        if not graph.right_padded or min(len(p) for p in prompts) == 0:
            raise ValueError("a shared prefix needs a fused graph and a token after it")
        width = len(prefix) + max(len(p) for p in prompts)
        cache, mask, first_logits = _prefill_after_prefix(
            graph, prefix, prompts, width + max_new_tokens
        )
        binding.bind_output("logits", "cpu")
        cache.bind_first(binding)
        next_position = mask.sum(axis=1, keepdims=True)
    else:
        width = max(len(p) for p in prompts)
        input_ids = np.full((batch, width), pad_id, dtype=np.int64)
        mask = np.zeros((batch, width), dtype=np.int64)
        for i, ids in enumerate(prompts):
            start = 0 if graph.right_padded else width - len(ids)
            input_ids[i, start : start + len(ids)] = ids
            mask[i, start : start + len(ids)] = 1
        positions = np.clip(np.cumsum(mask, axis=1) - 1, 0, None)
        cache = (
            _SharedCache(graph, batch, width + max_new_tokens)
            if graph.right_padded
            else _GrowingCache(graph, batch)
        )
        binding.bind_cpu_input("input_ids", input_ids)
        binding.bind_cpu_input("attention_mask", mask)
        if graph.has_position_ids:
            binding.bind_cpu_input("position_ids", positions)
        cache.bind_first(binding)
        next_position = positions[:, -1:] + 1
    prefill_end = started
    steps = 0
    outputs: list[Any] = []

    for step in range(max_new_tokens):
        if step == 0 and first_logits is not None:
            logits = first_logits
        else:
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
        binding.bind_cpu_input("input_ids", feed)
        binding.bind_cpu_input("attention_mask", mask)
        if graph.has_position_ids:
            binding.bind_cpu_input("position_ids", next_position)
            next_position = next_position + 1
        cache.bind_next(binding, outputs)

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
