"""Sentence embeddings from an ONNX BERT-style encoder: mean pooling and L2 norm.

Texts are run in batches of similar token length. A batch pads every row to its longest,
and a mail's sentences range from a few tokens to a few hundred: one batch of them spent
most of its time on padding (measured on 60 AESLC mails, 2 cores: 55–65 ms a mail in one
padded batch, 30–37 ms in length buckets). Padding is masked out, so a row's vector does
not depend on the batch it ran in (the bucketed vectors equal the padded ones bit for bit
on those mails; ``tests/engine/test_embed.py`` checks them against one text at a time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

BATCH = 32
#: A batch takes rows up to this many times its shortest row's length (in tokens, at
#: least ``MIN_BUCKET_TOKENS``): 1.3 ran fastest of 1.3–3.0 on the measurement above.
BUCKET_RATIO = 1.3
MIN_BUCKET_TOKENS = 8
#: Texts tokenized (and bucketed) together.
TOKENIZE_SLICE = 1024


def length_batches(
    lengths: list[int], ratio: float = BUCKET_RATIO, most: int = BATCH
) -> list[list[int]]:
    """Indices of ``lengths`` grouped into batches of similar length, shortest first:
    a batch holds at most ``most`` rows, none longer than ``ratio`` times its first."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    for index in order:
        current = batches[-1] if batches else None
        if (
            current is None
            or len(current) >= most
            or lengths[index] > ratio * max(lengths[current[0]], MIN_BUCKET_TOKENS)
        ):
            batches.append([index])
        else:
            current.append(index)
    return batches


class Embedder:
    def __init__(self, folder: Path, options: Any, max_tokens: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        pad_id = self.tokenizer.token_to_id("[PAD]")
        self.tokenizer.enable_padding(pad_id=pad_id if pad_id is not None else 0)
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text, in the order given."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Tokenized a slice at a time: a slice is padded to its longest text, and a large
        # digest's 100,000 sentences padded at once would take most of a gigabyte.
        for start in range(0, len(texts), TOKENIZE_SLICE):
            encodings = self.tokenizer.encode_batch(texts[start : start + TOKENIZE_SLICE])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            lengths = [int(n) for n in mask.sum(axis=1)]
            for batch in length_batches(lengths):
                width = lengths[batch[-1]]  # shortest first: the last row is the longest
                rows = [start + i for i in batch]
                out[rows] = self._run(ids[batch, :width], mask[batch, :width])
        return out

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
