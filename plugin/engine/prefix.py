"""A shared-prefix KV cache: a system prompt's keys and values, computed once per process.

Every mail of a draft kind starts with the same tokens (the chat template's system turn,
few-shot examples). Prefilling them again for each mail is pure waste, so the engine
keeps their per-layer keys/values here and each generation that starts with them copies
them into its in-place cache buffers (``kvcache.SharedCache``) and prefills only the
rest of its prompt.

Which prefixes: ``Engine.chat_prompt`` registers the text in front of the user turn, and
``Engine.add_prefix`` any other shared head (few-shot examples). A prompt uses the
longest registered prefix whose *tokens* start its own tokens (a BPE merge across the
boundary makes it ineligible, so the cache can never change what is generated) and that
leaves at least one token of its own to prefill.

Bounded: at most ``MAX_TOKENS`` cached tokens in all (about 46 KB each on SmolLM2-135M:
30 layers x keys and values x 3 heads x 64 floats), least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: Cached prefix tokens in all (about 47 MB of keys/values on SmolLM2-135M).
MAX_TOKENS = 1024
#: Registered prefix texts kept (the tokens of each are small).
MAX_TEXTS = 64
#: Shorter prefixes are not worth a separate prefill pass.
MIN_TOKENS = 4


@dataclass(frozen=True)
class PrefixKV:
    """The keys/values of ``ids``: one ``[1, kv_heads, len(ids), head_dim]`` array per
    ``past_key_values.*`` input, in the graph's order."""

    ids: tuple[int, ...]
    arrays: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return len(self.ids)


class PrefixCache:
    """Registered prefix token lists and the keys/values computed for them (thread-safe)."""

    def __init__(self, prefill: Callable[[Sequence[int]], PrefixKV]) -> None:
        self._prefill = prefill
        self._texts: OrderedDict[tuple[int, ...], None] = OrderedDict()
        self._computed: OrderedDict[tuple[int, ...], PrefixKV] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.prefills = 0

    def register(self, ids: Sequence[int]) -> None:
        key = tuple(ids)
        if len(key) < MIN_TOKENS or len(key) > MAX_TOKENS:
            return
        with self._lock:
            self._texts[key] = None
            self._texts.move_to_end(key)
            while len(self._texts) > MAX_TEXTS:
                self._texts.popitem(last=False)

    def match(self, ids: Sequence[int]) -> tuple[int, ...] | None:
        """The longest registered prefix of ``ids`` that leaves at least one token."""
        best: tuple[int, ...] | None = None
        with self._lock:
            for key in self._texts:
                longer = best is None or len(key) > len(best)
                if longer and len(key) < len(ids) and tuple(ids[: len(key)]) == key:
                    best = key
        return best

    def get(self, key: tuple[int, ...]) -> PrefixKV:
        """The keys/values of a registered prefix, prefilled on first use."""
        with self._lock:
            found = self._computed.get(key)
            if found is not None:
                self._computed.move_to_end(key)
                self.hits += 1
                return found
            found = self._prefill(key)
            self.prefills += 1
            self._computed[key] = found
            while sum(map(len, self._computed.values())) > MAX_TOKENS:
                self._computed.popitem(last=False)
            return found
