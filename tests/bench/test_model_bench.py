"""bench/model.py's llama.cpp backend: the same token ids as our engine (the prompts of
bench/model_backends.py), a faithful Q8_0 conversion of our checkpoint, and a one-line
notice when llama-cpp-python is absent."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import llamacpp
import model_backends as model_bench

from plugin.engine.evaluate import load_aeslc
from plugin.engine.runtime import Engine


def test_missing_llama_cpp_is_one_line() -> None:
    assert llamacpp.available() is (importlib.util.find_spec("llama_cpp") is not None)
    assert "\n" not in llamacpp.MISSING and "[bench]" in llamacpp.MISSING


def test_llama_cpp_gets_the_token_ids_our_engine_prefills(
    tiny_model_dir: Path, tiny_engine: Engine, shared_dir: Path
) -> None:
    # Short mails: the tiny model's 512-token context would truncate long ones.
    mails = [m for m in load_aeslc(shared_dir / "data" / "aeslc-dev", 60) if len(m.body) < 300]
    mails = mails[:3]
    assert len(mails) == 3
    ours = [
        tiny_engine._prompt_ids(
            tiny_engine.chat_prompt(
                model_bench.ASK.format(body=m.body[:1500]), system=model_bench.SYSTEM
            ),
            model_bench.NEW_TOKENS,
        )
        for m in mails
    ]
    assert model_bench.prompt_ids(tiny_model_dir, mails) == ours
    assert all(len(ids) > 20 for ids in ours)


@pytest.mark.integration
def test_q8_0_gguf_holds_our_weights_and_metadata(tmp_path: Path) -> None:
    import gguf

    from plugin.engine.locate import find_gguf

    path = llamacpp.q8_0_gguf(tmp_path)
    assert llamacpp.q8_0_gguf(tmp_path) == path  # made once
    source, converted = gguf.GGUFReader(str(find_gguf())), gguf.GGUFReader(str(path))
    keys = {k for k in source.fields if not k.startswith("GGUF.")}
    assert keys == {k for k in converted.fields if not k.startswith("GGUF.")}
    assert converted.fields["general.file_type"].contents() == gguf.LlamaFileType.MOSTLY_Q8_0
    assert (
        converted.fields["tokenizer.ggml.tokens"].contents()
        == source.fields["tokenizer.ggml.tokens"].contents()
    )
    originals = {t.name: t for t in source.tensors}
    assert len(converted.tensors) == len(originals)
    quantized = 0
    for tensor in converted.tensors:
        original = originals[tensor.name]
        weights = gguf.quants.dequantize(original.data, original.tensor_type)
        again = gguf.quants.dequantize(tensor.data, tensor.tensor_type)
        assert again.shape == weights.shape
        if tensor.tensor_type == gguf.GGMLQuantizationType.Q8_0:
            quantized += 1
            # 8-bit blocks of 32: half a step of the block's scale (absmax/127), plus the
            # fp16 rounding of the stored scale (2^-11 relative, times |q| <= 127)
            step = np.abs(weights).reshape(-1, 32).max(axis=1, keepdims=True) / 127
            assert (np.abs(again - weights).reshape(-1, 32) <= 0.6 * step + 1e-6).all()
        else:
            np.testing.assert_array_equal(again, weights)
    assert quantized >= 30 * 7  # every projection of every layer


def test_oneline_worker_times_the_products_line_in_each_mode(
    tiny_model_dir: Path, shared_dir: Path
) -> None:
    mails = [m for m in load_aeslc(shared_dir / "data" / "aeslc-dev", 60) if len(m.body) < 300]
    mails = mails[:3]
    shipped = model_bench.oneline_worker(tiny_model_dir, "fp32", mails, 1)
    cached = model_bench.oneline_worker(tiny_model_dir, "fp32", mails, 1, prompt_lookup=False)
    full = model_bench.oneline_worker(
        tiny_model_dir, "fp32", mails, 1, prefix_cache=False, prompt_lookup=False
    )
    assert len(cached["oneline_s"]) == len(mails) and all(t > 0 for t in cached["oneline_s"])
    # fp32 rounds a run over several positions as it rounds one: no line changes.
    assert shipped["lines"] == cached["lines"] == full["lines"] and all(cached["lines"])
    assert set(cached["paths"]) <= {"abstractive", "extractive"}


def test_the_table_decodes_one_token_per_run_unless_asked(
    tiny_model_dir: Path, shared_dir: Path
) -> None:
    mails = load_aeslc(shared_dir / "data" / "aeslc-dev", 2)
    plain = model_bench.ort_worker(tiny_model_dir, "fp32", mails, 1)
    guessed = model_bench.ort_worker(tiny_model_dir, "fp32", mails, 1, prompt_lookup=True)
    assert [r[3] for r in plain["rows"]] == [r[3] for r in guessed["rows"]]
    assert plain["answers"] == guessed["answers"]
    assert plain["runs"] == [model_bench.NEW_TOKENS - 1] * len(mails)
    assert sum(guessed["runs"]) < sum(plain["runs"])


def test_llama_cpp_ratios_pair_like_with_like() -> None:
    """Each as it runs by default, or prompt lookup on both sides."""
    import model as bench

    def row(tok_s: float, prefill: float, p50: float, rss: float) -> dict[str, float]:
        return {"decode_tokens_per_s": tok_s, "prefill_ms": prefill, "p50_ms": p50, "rss_mb": rss}

    results = {
        "int8-asym": row(80.0, 250.0, 700.0, 500.0),
        "int8-asym+lookup": row(140.0, 250.0, 500.0, 500.0),
        "llama.cpp-q8_0": row(80.0, 340.0, 760.0, 300.0),
        "llama.cpp-q8_0+lookup": row(100.0, 400.0, 600.0, 700.0),
    }
    plain = bench._llama_ratios(results["int8-asym"], results)
    lookup = bench._llama_ratios(results["int8-asym+lookup"], results, "+lookup")
    assert plain == {
        "llama.cpp-q8_0": {"decode_tokens_per_s": 1.0, "prefill": 1.36, "p50": 1.09, "rss": 0.6}
    }
    assert lookup["llama.cpp-q8_0"]["decode_tokens_per_s"] == 1.4
    assert lookup["llama.cpp-q8_0"]["rss"] == 1.4
    assert "llama.cpp-q4_1" not in plain  # a build that did not run has no ratio
