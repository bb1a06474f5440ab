"""The calendar candidates of the labelled train+dev mail, with the texts around each one
and their MiniLM embeddings, for ``bench/meetings_semantic.py``.

The embedding is the one the product ships: the ONNX all-MiniLM-L6-v2 in the built model's
``embed/`` folder, read through ``plugin.engine.embed.Embedder`` as ``Engine.embed`` does.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from plugin.drafts.calendar.cues import sentence_bounds  # noqa: E402
from plugin.drafts.calendar.evaluation import LabelledMessage, load_labelled, mailbox  # noqa: E402
from plugin.drafts.calendar.training import CandidateCache, is_positive  # noqa: E402

CONTEXTS = ("sentence", "previous", "subject", "window", "message", "masked", "lead")


def context_texts(clean: str, found: list[Any], subject: str) -> dict[str, list[str]]:
    """Per candidate, the texts whose embeddings are tried: its sentence, the sentence
    before plus its own, the subject line plus its own, 100 characters either side of the
    mention, and the message's opening (subject and first 600 characters: is the whole mail
    an invitation, news or a diary?), the sentence with the mention replaced by "then" (its
    frame, not its date), and the sentence up to the mention's end."""
    out: dict[str, list[str]] = {name: [] for name in CONTEXTS}
    opening = " ".join(f"{subject}. {clean[:600]}".split())
    for candidate in found:
        mention = candidate.mention
        left, right = sentence_bounds(clean, mention.span_start, mention.span_end)
        sentence = " ".join(clean[left:right].split())
        previous_left, _ = sentence_bounds(clean, max(left - 2, 0), max(left - 1, 0))
        previous = " ".join(clean[previous_left:left].split())
        window = clean[max(0, mention.span_start - 100) : mention.span_end + 100]
        out["sentence"].append(sentence)
        out["previous"].append(f"{previous} {sentence}".strip())
        out["subject"].append(f"{subject}. {sentence}" if subject else sentence)
        out["window"].append(" ".join(window.split()))
        out["message"].append(opening)
        out["masked"].append(
            " ".join(
                (
                    clean[left : mention.span_start] + " then " + clean[mention.span_end : right]
                ).split()
            )
        )
        out["lead"].append(" ".join(clean[left : mention.span_end].split()))
    return out


def cv_messages(shared: Path) -> list[LabelledMessage]:
    """The train and dev messages: the test split is dropped here, before anything else."""
    return [m for m in load_labelled(shared) if m.split in {"train", "dev"}]


class Table:
    """Every candidate of the train+dev messages: features, target, mailbox, texts."""

    def __init__(self, messages: list[LabelledMessage]) -> None:
        cache = CandidateCache()
        #: The cache that found ``candidates``: scores keyed by their ``id`` match them.
        self.cache = cache
        self.messages = messages
        self.rows: list[list[float]] = []
        self.candidates: list[Any] = []
        self.targets: list[int] = []
        self.groups: list[str] = []
        self.texts: dict[str, list[str]] = {name: [] for name in CONTEXTS}
        self.found: list[tuple[str, list[Any]]] = []
        for message in messages:
            clean, found = cache.get(message.text, message.reference, message.zone, message.subject)
            self.found.append((clean, found))
            for name, texts in context_texts(clean, found, message.subject).items():
                self.texts[name].extend(texts)
            for candidate in found:
                self.rows.append(candidate.features)
                self.candidates.append(candidate)
                self.targets.append(int(is_positive(candidate, message)))
                self.groups.append(mailbox(message.file))


def default_model_dir(argv: list[str]) -> Path:
    """``--model-dir``, else the default model built under ``$DESKDRAFT_MODEL_CACHE`` (as the
    other benches find it); only its ``embed/`` folder (the shipped MiniLM, ONNX) is read."""
    from plugin.engine.build import DEFAULT_NAME

    if "--model-dir" in argv:
        return Path(argv[argv.index("--model-dir") + 1])
    cache = Path(os.environ.get("DESKDRAFT_MODEL_CACHE", Path.home() / ".cache/deskdraft-bench"))
    folder = cache / DEFAULT_NAME
    if not (folder / "embed" / "model.onnx").is_file():
        raise SystemExit(
            f"no MiniLM in {folder}/embed: build the model with `deskdraft model build` "
            "or pass --model-dir"
        )
    return folder


def embedder(model_dir: Path) -> Callable[[list[str]], np.ndarray]:
    from plugin.engine.embed import Embedder
    from plugin.engine.runtime import EMBED_MAX_TOKENS, session_options

    folder = model_dir / "embed"
    model = Embedder(folder, session_options(1, False), EMBED_MAX_TOKENS)
    return model.embed


def embed_contexts(table: Table, model_dir: Path, argv: list[str]) -> dict[str, np.ndarray]:
    """Each context's embedding per candidate; ``--embedding-cache FILE`` keeps them between
    runs (a JSON map from text to vector)."""
    cache_path = (
        Path(argv[argv.index("--embedding-cache") + 1]) if "--embedding-cache" in argv else None
    )
    known: dict[str, list[float]] = {}
    if cache_path is not None and cache_path.is_file():
        known = json.loads(cache_path.read_text(encoding="utf-8"))
    wanted = sorted({t for texts in table.texts.values() for t in texts} - set(known))
    if wanted:
        started = time.perf_counter()
        vectors = embedder(model_dir)(wanted)
        print(
            f"embedded {len(wanted)} texts in {time.perf_counter() - started:.1f} s "
            f"({1000 * (time.perf_counter() - started) / len(wanted):.1f} ms each)",
            flush=True,
        )
        known.update({t: v.tolist() for t, v in zip(wanted, vectors, strict=True)})
        if cache_path is not None:
            cache_path.write_text(json.dumps(known), encoding="utf-8")
    return {
        name: np.array([known[t] for t in texts], dtype=np.float64)
        for name, texts in table.texts.items()
    }
