"""One ONNX causal LM session as the decode loop sees it, and how its KV cache is kept.

``CausalGraph`` says what the session takes (a fused, right-padded graph or one as
exported; whether it gives logits for more than the last position). A cache class binds
the keys/values from one step to the next: the exported graph concatenates a fresh
``present`` each step (``GrowingCache``); a fused graph's ``GroupQueryAttention`` writes
into one buffer per layer in place (``SharedCache``), which is also what lets a shared
prefix's keys/values be copied in once and a prompt-lookup step be taken back (a later
run simply writes over the positions of drafted tokens that were not accepted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from plugin.engine.fuse import LOGITS_COUNT, PADDING_KEY
from plugin.engine.prefix import PrefixKV


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
    #: The graph takes ``logits_count`` (fused graphs since revision 4): logits for a
    #: row's last n positions, which a prompt-lookup step needs.
    logits_count: bool = False

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
            logits_count=LOGITS_COUNT in inputs,
        )

    def bind_logits_count(self, binding: Any, count: int = 1) -> None:
        """Ask for logits at each row's last ``count`` positions (graphs that take it)."""
        if self.logits_count:
            binding.bind_cpu_input(LOGITS_COUNT, np.array([count], dtype=np.int64))


class Cache:
    """How one decode step's KV cache reaches the next."""

    def bind_first(self, binding: Any) -> None:
        raise NotImplementedError

    def bind_next(self, binding: Any, outputs: list[Any]) -> None:
        raise NotImplementedError


class GrowingCache(Cache):
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


class SharedCache(Cache):
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
    """The keys/values of ``ids`` alone (a fused graph), for ``decode.greedy_decode(prefix=)``."""
    if not graph.right_padded:
        raise ValueError("a shared prefix needs a fused (right-padded) graph")
    cache = SharedCache(graph, 1, len(ids))
    binding = graph.session.io_binding()
    binding.bind_cpu_input("input_ids", np.array([list(ids)], dtype=np.int64))
    binding.bind_cpu_input("attention_mask", np.ones((1, len(ids)), dtype=np.int64))
    graph.bind_logits_count(binding)
    cache.bind_first(binding)
    graph.session.run_with_iobinding(binding)
    return PrefixKV(tuple(ids), tuple(a.copy() for a in cache.arrays))


def prefill_after_prefix(
    graph: CausalGraph, prefix: PrefixKV, suffixes: Sequence[Sequence[int]], capacity: int
) -> tuple[SharedCache, np.ndarray, np.ndarray]:
    """Copy the prefix's keys/values into every row and prefill each row's own tokens
    after them, one row at a time (``GroupQueryAttention`` takes a continued prompt only
    when every new token of the batch is real, so rows of different lengths cannot share
    a run). Returns the cache, the attention mask so far and the first logits."""
    batch = len(suffixes)
    size = len(prefix)
    cache = SharedCache(graph, batch, capacity)
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
        graph.bind_logits_count(binding)
        cache.bind_row(binding, row)
        graph.session.run_with_iobinding(binding)
        first.append(binding.get_outputs()[0].numpy()[0, -1, :])
    return cache, mask, np.stack(first)
