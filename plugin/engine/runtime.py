"""The inference API every draft kind uses: ``get_engine()`` and ``Engine``.

    engine = get_engine()                       # process-wide, loaded once
    prompt = engine.chat_prompt("Summarize: ...", system="You write one line.")
    [text] = engine.generate([prompt], max_new_tokens=64, stop=["\\n\\n"])
    vectors = engine.embed(["a", "b"])          # L2-normalised rows (MiniLM)

``generate`` is greedy and deterministic: the same prompts give the same texts. Padding
is masked (``decode.py``), so batching does not change what a row says, up to the kernels'
rounding for another batch shape (a late near-tie can flip). ``on_token(row, text)``
streams each row's new text as it is decoded (the pieces of a row concatenate to
exactly its returned text).

Truncation policy: a prompt longer than ``context_tokens - max_new_tokens`` tokens keeps
its first quarter and its last three quarters of that budget, joined by a ``…`` marker.
The head holds the system prompt and the start of the request, the tail the end of the
text and the ``assistant`` turn the model must answer, so an over-long e-mail still gets
an answer. ``max_new_tokens`` is itself capped at half the context.

The model: ``[engine] model`` in the config (or ``DESKDRAFT_ENGINE_MODEL``) is
``default`` - the bundled SmolLM2, built into ``data_dir()/models/`` on first use - or
the path of a directory made by ``deskdraft model build``. ``[engine] variant`` ``auto``
takes the manifest's measured default.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from connectors.errors import ConfigError
from plugin.engine import lookup, quality
from plugin.engine import manifest as mf
from plugin.engine.chat import render_chat
from plugin.engine.decode import OnToken, greedy_decode
from plugin.engine.kvcache import CausalGraph, prefill_prefix
from plugin.engine.prefix import MAX_TEXTS, PrefixCache

TRUNCATION_MARKER = "\n…\n"
#: Rows decoded together; larger batches only add padding waste on 2 cores.
BATCH_SIZE = 8
#: Most padded prompt tokens prefilled at once. The prefill's activations (attention
#: scores, MLP) grow with it and ORT's arena keeps that peak: 8 rows of 400 tokens took a
#: worker to 1.46 GB, one row at a time stays near 0.7 GB.
PREFILL_TOKEN_BUDGET = 1536
EMBED_MAX_TOKENS = 256


def session_options(threads: int, spinning: bool) -> Any:
    """ONNX Runtime options for one session: ``threads`` intra-op threads (0: one per
    physical core) and whether idle threads spin."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads <= 0:
        import psutil

        threads = psutil.cpu_count(logical=False) or os.cpu_count() or 1
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    options.log_severity_level = 3
    return options


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Engine:
    """A built model directory loaded for inference. Thread-safe; share one per process."""

    def __init__(
        self,
        model_dir: Path,
        *,
        variant: str = "auto",
        threads: int = 0,
        spinning: bool = True,
        context_tokens: int = 2048,
        prefix_cache: bool = True,
        prompt_lookup: bool | None = None,
    ) -> None:
        data = mf.read(model_dir)
        if data is None:
            raise ConfigError(
                "not a built model directory (no manifest.json)",
                item=str(model_dir),
                hint="build one with `deskdraft model build` and point [engine] model at it",
            )
        self.model_dir = model_dir
        self.manifest = data
        self.kind: str = data.get("kind", "causal-lm")
        variants = data.get("variants", {})
        chosen = quality.default_variant(data) if variant in ("", "auto") else variant
        if chosen not in variants:
            raise ConfigError(
                f"variant {chosen!r} is not built here",
                item=str(model_dir),
                hint=f"built: {', '.join(variants)}; "
                f"run `deskdraft model build --variant {chosen}`",
            )
        self.variant = chosen
        self.model_id = f"{mf.model_hash(data)}:{chosen}"
        self._dir = model_dir / variants[chosen]["path"]
        self._threads = threads
        self._spinning = spinning
        rounding = lookup.needs_wide_steps(variants[chosen])  # auto: lookup where exact
        guessing = not rounding if prompt_lookup is None else prompt_lookup
        self.draft_tokens = lookup.DRAFT_TOKENS if guessing else 0
        self.wide_steps = guessing and rounding
        self._lock = threading.Lock()
        self._embedder: Any = None
        self.prefixes: PrefixCache | None = None
        self.last_stats: dict[str, float] = {}
        config = _read_json(self._dir / "config.json")
        limit = int(config.get("max_position_embeddings") or config.get("n_positions") or 0)
        self.context_tokens = min(context_tokens, limit) if limit else context_tokens
        if self.kind == "seq2seq":
            from plugin.engine.seq2seq import Seq2SeqModel

            self._seq2seq = Seq2SeqModel(self._dir, session_options(threads, spinning))
            self._tokenizer = self._seq2seq.tokenizer_fast
        else:
            self._load_causal(config)
            if prefix_cache and self._graph.right_padded:
                graph = self._graph
                self.prefixes = PrefixCache(lambda ids: prefill_prefix(graph, ids))
        self._chat_template = self._load_chat_template()
        # Every prompt of a draft kind declares the same head again: tokenize (and, for a
        # system turn, render) each head once.
        self._head_ids = functools.lru_cache(maxsize=MAX_TEXTS)(self._encode_head)
        self._system_head = functools.lru_cache(maxsize=MAX_TEXTS)(self._render_system_head)

    # -- loading -------------------------------------------------------------------
    def _load_causal(self, config: dict[str, Any]) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(self._dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        session = ort.InferenceSession(
            str(self._dir / "model.onnx"),
            session_options(self._threads, self._spinning),
            providers=["CPUExecutionProvider"],
        )
        self._graph = CausalGraph.from_session(session)
        tok_config = _read_json(self._dir / "tokenizer_config.json")
        gen_config = _read_json(self._dir / "generation_config.json")
        eos: set[int] = set()
        for source in (gen_config.get("eos_token_id"), config.get("eos_token_id")):
            if isinstance(source, int):
                eos.add(source)
            elif isinstance(source, list):
                eos.update(int(x) for x in source)
        eos_token = tok_config.get("eos_token")
        if isinstance(eos_token, str) and self._tokenizer.token_to_id(eos_token) is not None:
            eos.add(self._tokenizer.token_to_id(eos_token))
        self._eos = eos
        pad = gen_config.get("pad_token_id", config.get("pad_token_id"))
        self._pad = int(pad) if isinstance(pad, int) else (min(eos) if eos else 0)

    def _load_chat_template(self) -> str | None:
        jinja = self._dir / "chat_template.jinja"
        if jinja.is_file():
            return jinja.read_text(encoding="utf-8")
        template = _read_json(self._dir / "tokenizer_config.json").get("chat_template")
        return template if isinstance(template, str) else None

    # -- text ----------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        """The model's chat template around one user turn, ready for ``generate``.

        With a system prompt, the text in front of the user's words is registered as a
        shared prefix (``prefix.py``): the next prompts that start with it reuse its
        keys/values instead of prefilling it again.
        """
        prompt = render_chat(self._chat_template, user, system)
        if system and self.prefixes is not None:
            head = self._system_head(system)
            if head and prompt.startswith(head):
                self.add_prefix(head)
        return prompt

    def _render_system_head(self, system: str) -> str:
        """The chat template's text in front of the user's words, for ``system``."""
        marker = "\x00user\x00"
        head, found, _ = render_chat(self._chat_template, marker, system).partition(marker)
        return head if found else ""

    def add_prefix(self, text: str) -> None:
        """Declare ``text`` (e.g. a system turn plus few-shot examples) as the start of
        many prompts, so its keys/values are computed once and reused."""
        if self.prefixes is not None:
            self.prefixes.register(self._head_ids(text))

    def _encode_head(self, text: str) -> tuple[int, ...]:
        return tuple(self._tokenizer.encode(text, add_special_tokens=True).ids)

    def _prompt_ids(self, prompt: str, max_new_tokens: int) -> list[int]:
        ids = self._tokenizer.encode(prompt, add_special_tokens=True).ids
        budget = self.context_tokens - max_new_tokens
        if len(ids) <= budget:
            return ids or [self._pad]
        marker = self._tokenizer.encode(TRUNCATION_MARKER, add_special_tokens=False).ids
        room = max(budget - len(marker), 2)
        head = room // 4
        return ids[:head] + marker + ids[len(ids) - (room - head) :]

    def generate(
        self,
        prompts: Sequence[str],
        max_new_tokens: int = 64,
        stop: Sequence[str] | None = None,
        on_token: OnToken | None = None,
        *,
        ignore_eos: bool = False,
        done_when: Callable[[str], bool] | None = None,
    ) -> list[str]:
        """Greedy continuations of ``prompts`` (see the module docstring).

        ``ignore_eos`` (benchmarks only) decodes exactly ``max_new_tokens`` tokens.
        ``done_when(text)`` may end a row early (``decode.greedy_decode``; seq2seq decodes
        on). ``last_stats`` afterwards holds the last batch's prefill/decode timings.
        """
        if isinstance(prompts, str):
            raise TypeError("generate() takes a list of prompts")
        max_new_tokens = max(0, min(int(max_new_tokens), self.context_tokens // 2))
        stops = list(stop or [])
        if self.kind == "seq2seq":
            return self._seq2seq.generate(
                list(prompts), max_new_tokens, stops, on_token, self.context_tokens
            )
        encoded = [self._prompt_ids(p, max_new_tokens) for p in prompts]
        results: list[str] = [""] * len(encoded)
        for prefix, indices in self._by_prefix(encoded):
            start = len(prefix)
            kv = self.prefixes.get(prefix) if prefix and self.prefixes is not None else None
            rest = {i: encoded[i][start:] for i in indices}
            # Similar lengths share a batch so little compute goes to padding.
            order = sorted(indices, key=lambda i: len(rest[i]))
            size = 1 if self.wide_steps else BATCH_SIZE  # wide steps: a row at a time
            for chunk in _chunks(order, [len(e) for e in encoded], size):
                callback = None
                if on_token is not None:

                    def callback(row: int, text: str, chunk: list[int] = chunk) -> None:
                        on_token(chunk[row], text)

                texts = greedy_decode(
                    self._graph,
                    [rest[i] for i in chunk],
                    max_new_tokens=max_new_tokens,
                    eos_ids=set() if ignore_eos else self._eos,
                    pad_id=self._pad,
                    decode=self._decode,
                    stop=stops,
                    on_token=callback,
                    stats=self.last_stats,
                    prefix=kv,
                    draft_tokens=self.draft_tokens,
                    done_when=done_when,
                    wide=self.wide_steps,
                )
                for index, text in zip(chunk, texts, strict=True):
                    results[index] = text
        return results

    def _by_prefix(self, encoded: list[list[int]]) -> list[tuple[tuple[int, ...], list[int]]]:
        """Prompt indices grouped by the cached prefix they start with (``()``: none)."""
        groups: dict[tuple[int, ...], list[int]] = {}
        for index, ids in enumerate(encoded):
            key = self.prefixes.match(ids) if self.prefixes is not None else None
            groups.setdefault(key or (), []).append(index)
        return list(groups.items())

    def _decode(self, ids: list[int]) -> str:
        return self._tokenizer.decode(ids, skip_special_tokens=True)

    # -- embeddings ----------------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled, L2-normalised sentence vectors, one row per text."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts")
        with self._lock:
            if self._embedder is None:
                from plugin.engine.embed import Embedder

                folder = self.model_dir / (self.manifest.get("embeddings") or "embed")
                if not (folder / "model.onnx").is_file():
                    raise ConfigError(
                        "this model directory has no embedding model",
                        item=str(self.model_dir),
                        hint="rebuild it with `deskdraft model build` (it exports MiniLM too)",
                    )
                self._embedder = Embedder(
                    folder, session_options(self._threads, self._spinning), EMBED_MAX_TOKENS
                )
        return self._embedder.embed(list(texts))


def _chunks(order: list[int], lengths: list[int], size: int = BATCH_SIZE) -> list[list[int]]:
    """Batches of at most ``size`` rows and PREFILL_TOKEN_BUDGET padded tokens
    (``order`` is sorted by length, so the last row of a chunk is its longest)."""
    chunks: list[list[int]] = []
    current: list[int] = []
    for index in order:
        width = lengths[index]
        if current and (len(current) >= size or (len(current) + 1) * width > PREFILL_TOKEN_BUDGET):
            chunks.append(current)
            current = []
        current.append(index)
    if current:
        chunks.append(current)
    return chunks


_engines: dict[tuple[Any, ...], Engine] = {}
_engines_lock = threading.Lock()


def resolve_model_dir(user: str | None = None) -> Path:
    """The model directory the settings point at (for a job of ``user``: their personal
    default, when they have one and the settings use the default). The default model is
    built first when it is missing, damaged or made by an older graph surgery
    (``build.outdated``)."""
    from plugin.config import settings

    configured = settings().engine.model.strip()
    if configured in ("", "default"):
        from plugin.engine import registry
        from plugin.engine.build import build, default_model_dir, outdated

        personal = registry.current(user) if user is not None else None
        if personal is not None:
            return personal
        chosen = registry.current()  # set by `deskdraft model use`
        if chosen is not None:
            return chosen

        folder = default_model_dir()
        data = mf.read(folder)
        if data is None or not mf.outputs_intact(folder, data, deep=False) or outdated(data):
            build(folder)
        return folder
    folder = Path(configured).expanduser()
    if not (folder / mf.MANIFEST).is_file():
        raise ConfigError(
            "not a built model directory (no manifest.json)",
            item=str(folder),
            hint="set [engine] model (DESKDRAFT_ENGINE_MODEL) to a folder made by "
            "`deskdraft model build`, or to 'default'",
        )
    return folder


def get_engine(folder: Path | None = None) -> Engine:
    """The process-wide engine for the current settings (loaded once, built if needed),
    or for the model in ``folder``."""
    from plugin.config import settings

    cfg = settings().engine
    folder = folder or resolve_model_dir()
    key = (str(folder.resolve()), *dataclasses.astuple(cfg))  # every [engine] setting
    with _engines_lock:
        if key not in _engines:
            _engines[key] = open_engine(folder)
        return _engines[key]


def open_engine(folder: Path) -> Engine:
    """A new engine for ``folder`` with the settings' variant, threads and context (not
    shared: callers that load many models keep their own bounded set)."""
    from plugin.config import settings

    cfg = settings().engine
    return Engine(
        folder,
        variant=cfg.variant,
        threads=cfg.threads,
        spinning=cfg.spinning,
        context_tokens=cfg.context_tokens,
        prompt_lookup=lookup.SETTINGS[cfg.prompt_lookup],
    )
