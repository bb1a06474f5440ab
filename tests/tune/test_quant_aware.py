"""Quantization-aware healing (``model tune --quant-aware int4``) on the tiny 4-layer Llama:
the simulated rounding is ONNX Runtime's own, gradients pass it, and the tuned model is
built with the 4-bit variant judged against the parent's fp32 answers."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from connectors.errors import UsageError
from plugin.engine.variants import VARIANTS
from tests.tune.conftest import FAST, topic_pairs, tune_in

LAYERS = replace(FAST, full_layers=True, learning_rate=3e-5, max_steps=24, eval_every=8)


def _ort_dequantized(weight: np.ndarray, block_size: int) -> np.ndarray:
    """``weight`` ([out, in], as torch holds it) through the int4 variant's own quantizer,
    read back by multiplying the quantized graph with the identity (fp32 compute)."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    from plugin.engine.export import _quantize_pass

    rows, columns = weight.shape
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="/model/layers.0/mlp/up_proj/MatMul")],
        "one",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, columns])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, rows])],
        [numpy_helper.from_array(weight.T.copy(), "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    variant = replace(VARIANTS["int4"], accuracy_level=0, block_size=block_size)
    quantized = _quantize_pass(model, variant, variant.bits).model
    assert [n.op_type for n in quantized.graph.node] == ["MatMulNBits"]
    session = ort.InferenceSession(
        quantized.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    (product,) = session.run(None, {"x": np.eye(columns, dtype=np.float32)})
    return product.T


def test_the_simulated_rounding_is_onnx_runtimes_own() -> None:
    import torch

    from plugin.tune.quant_aware import round_to_nearest

    generator = np.random.default_rng(5)
    weight = generator.normal(0, 0.05, (24, 64)).astype(np.float32)
    weight[0, :32] = 0.0  # an all-zero block keeps its zeros
    weight[1, 3] = 0.9  # an outlier sets its block's scale
    simulated = round_to_nearest(torch.from_numpy(weight), 4, 32).numpy()
    assert np.allclose(simulated, _ort_dequantized(weight, 32), rtol=0, atol=1e-6)
    assert np.all(simulated[0, :32] == 0)
    assert len(np.unique(simulated[1, :32])) <= 16  # 4 bits: at most 16 levels a block
    assert not np.allclose(simulated, weight, atol=1e-4)


def test_the_rounded_forward_passes_gradients_to_the_latent_weights(tiny_parent: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    from plugin.tune.output import parent_checkpoint
    from plugin.tune.quant_aware import (
        fake_quantize,
        remove_fake_quant,
        round_to_nearest,
        simulated_modules,
    )

    model = AutoModelForCausalLM.from_pretrained(parent_checkpoint(tiny_parent))
    names = simulated_modules(model, VARIANTS["int4"])
    # q, k, v, o, gate, up in each of the 4 layers; down_proj and the head stay 8-bit.
    assert len(names) == 24 and not any("down_proj" in n or "lm_head" in n for n in names)
    inputs = torch.randn(3, model.config.hidden_size, requires_grad=True)
    up = model.model.layers[0].mlp.up_proj
    plain = up(inputs)
    assert fake_quantize(model, VARIANTS["int4"]) == 24
    rounded = up(inputs)
    expected = torch.nn.functional.linear(inputs, round_to_nearest(up.weight, 4, 32))
    assert torch.allclose(rounded, expected) and not torch.allclose(rounded, plain)
    rounded.sum().backward()
    assert up.weight.grad is not None and float(up.weight.grad.abs().sum()) > 0
    assert remove_fake_quant(model) == 24
    assert torch.allclose(up(inputs), plain)
    assert "forward" not in vars(up)


def test_quant_aware_tuning_builds_and_judges_the_4bit_variant(
    tiny_parent: Path, tmp_path: Path
) -> None:
    import torch

    from plugin.engine import manifest as mf
    from plugin.tune.logit_distill import kl_loss
    from plugin.tune.quant_aware import fake_quantize
    from tests.tune.logit_helpers import model_and_tokenizer, topic_batch

    result = tune_in(
        tmp_path / "home",
        tiny_parent,
        pairs=topic_pairs(96),
        name="healed-int4",
        quant_aware="int4",
        recipe=LAYERS,
    )
    info = result["tuned"]
    assert info["quant_aware"]["variant"] == "int4"
    assert info["quant_aware"]["simulated"] == 24
    assert info["quant_aware"]["recipe"] == VARIANTS["int4"].options()
    assert info["training"]["eval_measure"] == "KL to the teacher"
    assert info["training"]["weights"] == "decoder layers"
    folder = Path(result["model"])
    data = mf.read(folder) or {}
    from plugin.engine.runtime import Engine
    from plugin.tune.data import read_pairs
    from plugin.tune.pipeline import HELDOUT

    test_pairs = read_pairs(folder / HELDOUT)
    assert {"fp32", "int8", "int4"} <= set(data["variants"])
    figures = info["variants"]["variants"]["int4"]
    assert figures["against"] == {"path": str(tiny_parent), "hash": info["parent"]["hash"]}
    assert "rouge1_loss" in figures
    from plugin.tune.gate import answers, score

    parent_fp32 = score(answers(Engine(tiny_parent, variant="fp32"), test_pairs), test_pairs)
    int4 = score(answers(Engine(folder, variant="int4"), test_pairs), test_pairs)
    assert figures["rouge1_loss"] == round(parent_fp32.rouge1 - int4.rouge1, 2)
    assert data["variants"]["int4"]["quality"]["rouge1_loss"] == figures["rouge1_loss"]
    # Seen through the rounding, the healed weights are closer to the teacher than the
    # parent's own weights rounded the same way.
    teacher, tokenizer = model_and_tokenizer(tiny_parent)
    healed, _ = model_and_tokenizer(folder)
    rounded_parent, _ = model_and_tokenizer(tiny_parent)
    fake_quantize(healed, VARIANTS["int4"])
    fake_quantize(rounded_parent, VARIANTS["int4"])
    batch = topic_batch(tokenizer, 16, seed=99)
    with torch.no_grad():
        before = float(kl_loss(rounded_parent, teacher, batch))
        after = float(kl_loss(healed, teacher, batch))
    assert after < 0.5 * before, (before, after)


def test_quant_aware_healing_can_run_the_parents_logits_over_another_models_lines(
    tiny_parent: Path, tuned: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--quant-aware int4 --distill-from MODEL``: the loss is the KL to the parent's
    logits, and the text it runs over holds MODEL's answers, not the data's targets."""
    from transformers import AutoTokenizer

    from plugin.tune import distill, logit_distill
    from plugin.tune import train as train_module
    from plugin.tune.examples import IGNORE
    from plugin.tune.output import parent_checkpoint

    seen: dict[str, Any] = {}
    real_pairs, real_teacher, real_train = (
        distill.teacher_pairs,
        logit_distill.load_teacher,
        train_module.train,
    )

    def pairs_spy(*args: Any, **kwargs: Any) -> Any:
        seen["pairs"], counts = real_pairs(*args, **kwargs)
        return seen["pairs"], counts

    def teacher_spy(folder: Path, *args: Any) -> Any:
        seen["logits_from"] = folder
        return real_teacher(folder, *args)

    def train_spy(base: Any, train_set: Any, *args: Any, **kwargs: Any) -> Any:
        seen["train"] = train_set
        return real_train(base, train_set, *args, **kwargs)

    monkeypatch.setattr(distill, "teacher_pairs", pairs_spy)
    monkeypatch.setattr(logit_distill, "load_teacher", teacher_spy)
    monkeypatch.setattr(train_module, "train", train_spy)
    lines_from = Path(tuned["model"])
    pairs = topic_pairs(48)
    result = tune_in(
        tmp_path / "home",
        tiny_parent,
        pairs=pairs,
        name="healed-on-lines",
        quant_aware="int4",
        distill_from=lines_from,
        recipe=replace(LAYERS, max_steps=4),
    )
    info = result["tuned"]
    assert info["quant_aware"]["sequences"] == "teacher answers"
    assert info["distilled"]["kind"] == "answers"
    # The parent's logits, not those of the model whose lines were used.
    assert Path(seen["logits_from"]).resolve() == tiny_parent.resolve()
    taught = {p.target for p in seen["pairs"]} - {p.target for p in pairs}
    assert info["distilled"]["targets"]["teacher"] > 0 and taught
    tokenizer = AutoTokenizer.from_pretrained(parent_checkpoint(tiny_parent))
    trained_on = {
        tokenizer.decode([t for t in example.labels if t != IGNORE], skip_special_tokens=True)
        for example in seen["train"]
    }
    assert {t.strip() for t in trained_on} & taught


def test_quant_aware_requests_are_checked(tuned: dict[str, Any]) -> None:
    from plugin.commands.model_tune import full_layers
    from plugin.tune.pipeline import Request, quant_aware_record

    assert full_layers(None, "answers", quant_aware=True)
    assert not full_layers("adapters", "answers", quant_aware=True)
    tiny = Path(tuned["model"])
    request = Request(tiny, [], Counter(), "t", LAYERS, quant_aware="int4")
    assert quant_aware_record(request) is not None
    with pytest.raises(UsageError, match="--quant-aware takes int4"):
        quant_aware_record(replace(request, quant_aware="int4-hqq"))
    with pytest.raises(UsageError, match="not adapters"):
        quant_aware_record(replace(request, recipe=FAST))
    # The parent's logits stay the loss; another model's lines only give the text it runs on.
    over_answers = quant_aware_record(replace(request, distill_from=tiny))
    assert over_answers is not None
    assert over_answers["sequences"] == "teacher answers"
    assert over_answers["teacher"] == quant_aware_record(request)["teacher"]


def test_losses_are_against_the_reference_and_fp32_scores_are_the_models_own(
    tiny_parent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The latent fp32 serves when no variant is within the bound, so the gate must judge
    its own answers, never the reference's."""
    import shutil

    from plugin.engine import manifest as mf
    from plugin.engine import runtime
    from plugin.tune import gate
    from plugin.tune.data import Pair

    folder = tmp_path / "healed"
    shutil.copytree(tiny_parent, folder)
    manifest = mf.read(folder) or {}
    manifest["variants"]["int8"] = dict(manifest["variants"]["fp32"])
    mf.write(folder, manifest)
    pairs = [Pair("subject", f"mail {i}", "quarterly budget review", f"g{i}") for i in range(4)]
    said = {
        (folder, "fp32"): "quarterly",  # the latent weights: poor
        (folder, "int8"): "quarterly",
        (tiny_parent, "fp32"): "quarterly budget review",  # the reference: perfect
    }

    class Recorded:
        def __init__(self, model_dir: Path, variant: str, threads: int = 0) -> None:
            self.key = (Path(model_dir), variant)

    monkeypatch.setattr(runtime, "Engine", Recorded)
    monkeypatch.setattr(
        gate, "answers", lambda engine, given, label=None: [said[engine.key]] * len(given)
    )
    measured = gate.measure_variants(folder, pairs, reference=tiny_parent)
    assert measured.scores["fp32"].rouge1 == gate.score(["quarterly"] * 4, pairs).rouge1 < 100
    assert measured.figures["int8"]["rouge1_loss"] == round(
        100.0 - measured.scores["int8"].rouge1, 2
    )
    assert measured.figures["int8"]["exact_agreement"] == 0.0  # not the reference's text
