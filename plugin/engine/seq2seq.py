"""Encoder-decoder checkpoints (T5, BART...) through Optimum's ``ORTModelForSeq2SeqLM``.

The lean loop in ``decode.py`` is written for the decoder-only default model; a
seq2seq model built with ``deskdraft model build --model DIR`` runs through Optimum's
greedy ``generate`` instead. Stop strings cut the text afterwards, and ``on_token`` is
called once per row with the whole text (this path does not stream).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from plugin.engine.decode import OnToken


class Seq2SeqModel:
    def __init__(self, folder: Path, options: Any) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from optimum.onnxruntime import ORTModelForSeq2SeqLM
        from tokenizers import Tokenizer
        from transformers import AutoTokenizer

        from plugin.engine.export import library_noise_off

        self._quiet = library_noise_off
        with library_noise_off():
            self.tokenizer = AutoTokenizer.from_pretrained(folder)
            self.tokenizer_fast = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.model = ORTModelForSeq2SeqLM.from_pretrained(
                folder, session_options=options, provider="CPUExecutionProvider"
            )

    def generate(
        self,
        prompts: list[str],
        max_new_tokens: int,
        stop: Sequence[str],
        on_token: OnToken | None,
        context_tokens: int,
    ) -> list[str]:
        if not prompts:
            return []
        batch = self.tokenizer(
            prompts, return_tensors="pt", padding=True, truncation=True, max_length=context_tokens
        )
        with self._quiet():
            output = self.model.generate(
                **batch, max_new_tokens=max(max_new_tokens, 1), do_sample=False, num_beams=1
            )
        texts = self.tokenizer.batch_decode(output, skip_special_tokens=True)
        if max_new_tokens == 0:
            texts = ["" for _ in texts]
        results = []
        for row, text in enumerate(texts):
            cuts = [i for i in (text.find(s) for s in stop if s) if i >= 0]
            text = text[: min(cuts)] if cuts else text
            if on_token is not None and text:
                on_token(row, text)
            results.append(text)
        return results
