"""A lean greedy decode loop over an Optimum-exported ONNX causal LM.

Why not ``ORTModelForCausalLM.generate``: at 135M parameters the per-step overhead of
transformers' generation loop (logits processors, Python-side cache objects, numpy <->
torch copies of the whole KV cache) costs as much as the model itself. Here one step is:
bind the new token (IO binding: the cache never leaves ORT's memory), run, copy back
only the last position's logits, argmax.

Two kinds of graph (``CausalGraph.right_padded`` tells them apart):

* **Fused** (``fuse.py``, Llama-family models): ``GroupQueryAttention`` appends each new
  key/value in place, so one buffer per layer, sized for prompt + new tokens, is bound as
  both ``past`` and ``present`` for the whole generation (``SharedCache``): nothing is
  copied or allocated per step. Rows are right-padded; a row's positions are 0..n-1.
* **As exported** (any other causal LM): the graph concatenates ``past`` and the new
  keys/values into a fresh ``present``, which is bound as the next ``past``
  (``GrowingCache``). Rows are left-padded: pad positions get ``attention_mask`` 0 and
  real tokens keep the positions they would have alone.

Either way a row decodes to the same tokens batched or not (up to the kernels' float
rounding, which differs with the batch shape). The graph is also cut (see
``export.lean_lm_head``) to compute logits for one position per row only, so a long
prompt's prefill does not multiply every position by the 49k-word head; a fused graph
takes ``logits_count`` for the last few.

**Prompt lookup** (a batch of one on a fused graph, ``draft_tokens``): a step feeds the
chosen token with the tokens that followed the same words earlier in the prompt
(``lookup.py``) and checks them all in one run, keeping those the model would have
chosen. A run over several positions rounds differently from a one-token run: in fp32 by
about 1e-4 of a logit, so the answer is the plain loop's; with int8 activations the
difference becomes steps of a few tenths and a near-tie can flip.

**Wide steps** (``wide``, fused graphs with ``logits_count``) take that difference away:
every run feeds at least two tokens per row, the chosen token and a guess, and when there
is no guess a filler token whose logits are never read (its cache slot is written over by
the next run, as a rejected guess's is). A position's logits then come out of the
multi-token path whatever follows it, so a row gives the same tokens with prompt lookup
or without. ORT's CPU ``GroupQueryAttention`` takes several new tokens only for a batch
of one, so the engine decodes a batch in wide steps row by row. A two-token run costs
about a fifth more than a one-token step, so the engine takes wide steps only where
prompt lookup is asked for on a variant that rounds activations to 8 bits
(``lookup.needs_wide_steps``).

Stop strings end a row as soon as its decoded text contains one; the stop string itself
is not returned. ``done_when(text)`` ends a row whose text already decides what the caller
will do with it (a subject line already too long to keep): the caller must get the same
result from that text as from the rest of the decode. The streaming callback gets
``(row, text)`` pieces; text that could still turn into a stop string (or an incomplete
UTF-8 character) is held back until it is known not to, so the concatenated pieces always
equal the returned text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from plugin.engine import lookup
from plugin.engine.kvcache import (
    Cache,
    CausalGraph,
    GrowingCache,
    SharedCache,
    prefill_after_prefix,
)
from plugin.engine.prefix import PrefixKV

OnToken = Callable[[int, str], None]


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
    prefix: PrefixKV | None = None,
    draft_tokens: int = 0,
    done_when: Callable[[str], bool] | None = None,
    wide: bool = False,
) -> list[str]:
    """Greedy continuation of each token list in ``prompts`` (one batch).

    ``prefix`` (fused graphs only): every prompt is ``prefix.ids`` followed by its entry
    in ``prompts`` (at least one token each); the prefix's keys/values are reused.
    ``draft_tokens`` > 0: a batch of one on a graph that takes ``logits_count`` checks up
    to that many prompt-lookup guesses per run (``lookup.py``).
    ``wide``: every run after the prefill feeds at least two tokens (see the module
    docstring); a batch of one only; ignored on a graph without ``logits_count``.
    ``stats``, if given, receives ``prefill_s``, ``decode_s``, ``steps`` (tokens
    decoded after the first) and ``runs`` (model runs after the prefill) for benchmarks.
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
    wide = wide and graph.right_padded and graph.logits_count
    if wide and batch > 1:
        raise ValueError("wide steps decode one row at a time (GroupQueryAttention on the CPU)")
    spare = int(wide)  # the filler's slot after the last token
    first_logits: np.ndarray | None = None
    cache: Cache
    if prefix is not None:
        if not graph.right_padded or min(len(p) for p in prompts) == 0:
            raise ValueError("a shared prefix needs a fused graph and a token after it")
        width = len(prefix) + max(len(p) for p in prompts)
        cache, mask, first_logits = prefill_after_prefix(
            graph, prefix, prompts, width + max_new_tokens + spare
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
            SharedCache(graph, batch, width + max_new_tokens + spare)
            if graph.right_padded
            else GrowingCache(graph, batch)
        )
        binding.bind_cpu_input("input_ids", input_ids)
        binding.bind_cpu_input("attention_mask", mask)
        if graph.has_position_ids:
            binding.bind_cpu_input("position_ids", positions)
        cache.bind_first(binding)
        next_position = positions[:, -1:] + 1
    prefill_end = started
    steps = runs = 0
    outputs: list[Any] = []
    use_lookup = draft_tokens > 0 and batch == 1 and graph.right_padded and graph.logits_count
    use_lookup = use_lookup or wide  # wide steps: lookup's runs, a filler for no guess
    graph.bind_logits_count(binding)

    for step in range(max_new_tokens):
        if step == 0 and first_logits is not None:
            logits = first_logits
        else:
            session.run_with_iobinding(binding)
            runs += int(step > 0)
            outputs = binding.get_outputs()
            logits = outputs[0].numpy()[:, -1, :]
        tokens = logits.argmax(axis=-1)
        if step == 0:
            prefill_end = time.perf_counter()
        else:
            steps += 1
        _advance(rows, tokens, eos_ids, stops, decode, on_token, done_when)
        if all(r.done for r in rows) or step == max_new_tokens - 1:
            break
        if use_lookup:
            context = [*(prefix.ids if prefix is not None else ()), *prompts[0]]
            decoded, lookup_runs = _decode_with_lookup(
                graph,
                binding,
                rows[0],
                context,
                int(mask.sum()),
                max_new_tokens - 1,
                draft_tokens,
                pad_id if wide else None,
                lambda token: _advance(
                    rows, np.array([token]), eos_ids, stops, decode, on_token, done_when
                ),
            )
            steps += decoded
            runs += lookup_runs
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
            runs=float(runs),
        )
    return [r.text for r in rows]


def _decode_with_lookup(
    graph: CausalGraph,
    binding: Any,
    row: _Row,
    context: list[int],
    length: int,
    budget: int,
    draft_tokens: int,
    filler: int | None,
    advance: Callable[[int], None],
) -> tuple[int, int]:
    """Go on decoding one row whose last chosen token is not fed yet: each run feeds it
    with up to ``draft_tokens`` guesses (``lookup.draft``) and keeps the guesses the
    model's own choices confirm, then the choice after them. ``length``: tokens in the
    cache. Returns the tokens decoded (at most ``budget``) and the runs it took.

    The cache buffer needs no undoing: the next run's ``attention_mask`` ends after the
    kept tokens, so ``GroupQueryAttention`` writes over the rejected guesses' slots.
    ``filler`` (wide steps): fed after the chosen token when there is no guess; its
    logits are never read."""
    decoded = runs = 0
    while not row.done and decoded < budget:
        guess = lookup.draft(context + row.ids, min(draft_tokens, budget - decoded - 1))
        if not guess and filler is not None and draft_tokens:
            # The run is two tokens wide anyway: a weaker guess (what followed the last
            # token itself before) costs nothing more than the filler.
            guess = lookup.draft(context + row.ids, 1, longest=1, shortest=1)
        feed = [row.ids[-1], *guess] + ([filler] if filler is not None and not guess else [])
        binding.bind_cpu_input("input_ids", np.array([feed], dtype=np.int64))
        binding.bind_cpu_input("attention_mask", np.ones((1, length + len(feed)), np.int64))
        graph.bind_logits_count(binding, len(feed))
        binding.bind_output("logits", "cpu")  # a fresh buffer: its width changes per run
        graph.session.run_with_iobinding(binding)
        runs += 1
        chosen = [int(t) for t in binding.get_outputs()[0].numpy()[0].argmax(axis=-1)]
        kept = 0
        while kept < len(guess) and guess[kept] == chosen[kept]:
            kept += 1
        length += kept + 1
        for token in chosen[: kept + 1]:
            advance(token)
            decoded += 1
            if row.done or decoded >= budget:
                break
    return decoded, runs


def _advance(
    rows: list[_Row],
    tokens: np.ndarray,
    eos_ids: set[int],
    stops: Sequence[str],
    decode: Callable[[list[int]], str],
    on_token: OnToken | None,
    done_when: Callable[[str], bool] | None,
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
        if done_when is not None and done_when(row.text):
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
