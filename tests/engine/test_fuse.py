"""The fused decoder graph (plugin/engine/fuse.py) against the graph as exported."""

from __future__ import annotations

import collections
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from plugin.engine import export
from plugin.engine.decode import greedy_decode
from plugin.engine.fuse import fusable, fuse_decoder
from plugin.engine.kvcache import CausalGraph
from plugin.engine.variants import VARIANTS
from tests.engine.tiny import make_tiny_llama

PROMPTS = [[5, 9, 13, 40, 41], [7, 8], [60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70], [3]]


def _session(folder: Path) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(
        str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
    )


def _ops(folder: Path) -> collections.Counter[str]:
    import onnx

    model = onnx.load(str(folder / "model.onnx"))
    return collections.Counter(n.op_type for n in model.graph.node)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuse")
    checkpoint = make_tiny_llama(root / "llama")
    folders = {
        "fused": export.export_causal(checkpoint, root / "fused"),
        "plain": export.export_causal(checkpoint, root / "plain", fuse=False),
    }
    for folder in folders.values():
        export.optimize(folder / "model.onnx")
    folders["int8"] = export.quantize(folders["fused"], root / "int8", VARIANTS["int8"])
    export.optimize(folders["int8"] / "model.onnx")
    return folders


def _decode(
    folder: Path,
    prompts: list[list[int]],
    steps: int = 12,
    draft_tokens: int = 0,
    stats: dict[str, float] | None = None,
) -> list[str]:
    graph = CausalGraph.from_session(_session(folder))
    return greedy_decode(
        graph,
        prompts,
        max_new_tokens=steps,
        eos_ids=set(),
        pad_id=0,
        decode=lambda ids: " ".join(map(str, ids)),
        draft_tokens=draft_tokens,
        stats=stats,
    )


def test_fused_graph_has_one_attention_kernel_per_layer(exports: dict[str, Path]) -> None:
    fused, plain = _ops(exports["fused"]), _ops(exports["plain"])
    assert fused["GroupQueryAttention"] == 2 and plain["GroupQueryAttention"] == 0
    # q/k/v and gate/up packed: 2 layers x (qkv, o, gate_up, down) + lm_head
    assert fused["MatMul"] + fused["FusedMatMul"] == 9
    assert plain["MatMul"] + plain["FusedMatMul"] >= 13
    assert fused["SkipSimplifiedLayerNormalization"] == 4  # every norm after a residual add
    assert sum(fused.values()) < sum(plain.values()) / 3
    session = _session(exports["fused"])
    names = {i.name for i in session.get_inputs()}
    assert "position_ids" not in names and "attention_mask" in names
    assert CausalGraph.from_session(session).right_padded
    assert not CausalGraph.from_session(_session(exports["plain"])).right_padded


def test_fused_graph_decodes_the_same_tokens_alone_and_batched(
    exports: dict[str, Path],
) -> None:
    alone = [_decode(exports["plain"], [p])[0] for p in PROMPTS]
    assert [_decode(exports["fused"], [p])[0] for p in PROMPTS] == alone
    # a right-padded batch of different lengths gives each row what it gives alone
    assert _decode(exports["fused"], PROMPTS) == alone
    assert len(set(alone)) == len(alone)


def test_prompt_lookup_needs_the_fused_graph(exports: dict[str, Path]) -> None:
    """The graph as exported gives one position's logits: guesses cannot be checked, so
    each run takes one token whatever ``draft_tokens`` says; the fused graphs (fp32 and
    int8) check them and keep to the same tokens."""
    repeating = [5, 9, 13, 40, 5, 9, 13, 40, 5, 9]
    assert not CausalGraph.from_session(_session(exports["plain"])).logits_count
    stats: dict[str, float] = {}
    plain = _decode(exports["plain"], [repeating], 16, draft_tokens=4, stats=stats)
    assert stats["runs"] == stats["steps"] == 15
    for name in ("fused", "int8"):
        assert CausalGraph.from_session(_session(exports[name])).logits_count
        guessed = _decode(exports[name], [repeating], 16, draft_tokens=4, stats=stats)
        assert stats["steps"] == 15 and stats["runs"] < stats["steps"], name
        assert guessed == _decode(exports[name], [repeating], 16), name
    assert _decode(exports["fused"], [repeating], 16, draft_tokens=4) == plain


def _first_logits(folder: Path, right: bool) -> np.ndarray:
    """Prefill logits of PROMPTS as one batch, right- or left-padded."""
    session = _session(folder)
    graph = CausalGraph.from_session(session)
    width = max(map(len, PROMPTS))
    ids = np.zeros((len(PROMPTS), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, prompt in enumerate(PROMPTS):
        start = 0 if right else width - len(prompt)
        ids[row, start : start + len(prompt)] = prompt
        mask[row, start : start + len(prompt)] = 1
    feed: dict[str, np.ndarray] = {"input_ids": ids, "attention_mask": mask}
    if graph.has_position_ids:
        feed["position_ids"] = np.clip(np.cumsum(mask, axis=1) - 1, 0, None)
    empty = np.zeros((len(PROMPTS), graph.kv_heads, 0, graph.head_dim), np.float32)
    feed.update({name: empty for name in graph.past_names})
    if graph.logits_count:
        feed["logits_count"] = np.array([1], dtype=np.int64)
    return session.run(["logits"], feed)[0][:, -1, :]


def test_fused_first_step_logits_match_the_export(exports: dict[str, Path]) -> None:
    np.testing.assert_allclose(
        _first_logits(exports["fused"], right=True),
        _first_logits(exports["plain"], right=False),
        rtol=1e-4,
        atol=1e-3,
    )


@pytest.mark.parametrize(
    "rope_scaling",
    [
        {"rope_type": "linear", "factor": 4.0},
        {
            "rope_type": "llama3",
            "factor": 8.0,
            "low_freq_factor": 1.0,
            "high_freq_factor": 4.0,
            "original_max_position_embeddings": 16,
        },
    ],
)
def test_scaled_rotary_embeddings_match_the_export(
    rope_scaling: dict[str, Any], tmp_path: Path
) -> None:
    checkpoint = make_tiny_llama(tmp_path / "llama", rope_scaling=rope_scaling)
    fused = export.export_causal(checkpoint, tmp_path / "fused")
    plain = export.export_causal(checkpoint, tmp_path / "plain", fuse=False)
    assert _ops(fused)["GroupQueryAttention"] == 2
    np.testing.assert_allclose(
        _first_logits(fused, right=True), _first_logits(plain, right=False), rtol=1e-4, atol=1e-3
    )
    long_prompt = [list(range(5, 45))]  # positions past the llama3 original window
    assert _decode(fused, long_prompt, steps=20) == _decode(plain, long_prompt, steps=20)


def test_quantized_fused_graph_runs(exports: dict[str, Path]) -> None:
    ops = _ops(exports["int8"])
    assert ops["MatMulNBits"] == 9 and ops["GroupQueryAttention"] == 2
    texts = _decode(exports["int8"], PROMPTS)
    assert all(len(t.split()) == 12 for t in texts)


def test_unknown_graph_is_left_as_exported(exports: dict[str, Path], tmp_path: Path) -> None:
    """An export whose nodes are not named as expected is not touched."""
    import onnx

    folder = tmp_path / "renamed"
    shutil.copytree(exports["plain"], folder)
    model = onnx.load(str(folder / "model.onnx"))
    for node in model.graph.node:
        node.name = node.name.replace("q_proj", "query")
    onnx.save(model, str(folder / "model.onnx"))
    before = (folder / "model.onnx").read_bytes()
    assert fuse_decoder(folder / "model.onnx") is False
    assert (folder / "model.onnx").read_bytes() == before


def test_unfusable_heads_keep_the_exported_graph(tmp_path: Path) -> None:
    checkpoint = make_tiny_llama(tmp_path / "llama", head_dim=8)
    folder = export.export_causal(checkpoint, tmp_path / "onnx")
    assert _ops(folder)["GroupQueryAttention"] == 0
    graph = CausalGraph.from_session(_session(folder))
    assert not graph.right_padded
    batched = _decode(folder, PROMPTS, steps=6)
    assert batched == [_decode(folder, [p], steps=6)[0] for p in PROMPTS]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, True),
        ({"model_type": "mistral", "sliding_window": None}, True),
        ({"model_type": "mistral", "sliding_window": 4096}, False),
        ({"model_type": "qwen2"}, False),
        ({"attention_bias": True}, False),
        ({"rope_scaling": {"rope_type": "dynamic", "factor": 2.0}}, False),
        ({"rope_scaling": {"rope_type": "llama3", "factor": 8.0}}, True),
        ({"head_dim": 40}, False),
    ],
)
def test_which_configs_are_fused(change: dict[str, Any], expected: bool) -> None:
    config = {
        "model_type": "llama",
        "hidden_size": 576,
        "num_attention_heads": 9,
        "attention_bias": False,
        "rope_scaling": None,
        **change,
    }
    assert fusable(json.loads(json.dumps(config))) is expected


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_decodes_the_same_batched_and_alone(
    exports: dict[str, Path], tmp_path: Path, name: str
) -> None:
    """Each recipe of the variants table (RTN, HQQ, small blocks, mixed precision) keeps
    the fused graph's contract: a right-padded batch gives each row what it gives alone."""
    folder = export.quantize(exports["fused"], tmp_path / name, VARIANTS[name])
    export.optimize(folder / "model.onnx")
    ops = _ops(folder)
    # The 4-bit offset recipe adds an fp32 offsets table beside each of its 8 4-bit
    # MatMuls; in 8 bits the zero points hold the offsets (int8-asym).
    recipe = VARIANTS[name]
    offsets = 8 if recipe.algo == "offset" and recipe.bits == 4 else 0
    assert ops["MatMulNBits"] == 9 and ops["MatMul"] == offsets
    alone = [_decode(folder, [p])[0] for p in PROMPTS]
    assert _decode(folder, PROMPTS) == alone
    assert all(len(t.split()) == 12 for t in alone)


def test_hqq_variant_stores_zero_points_and_int8_compute(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    import onnx

    folder = export.quantize(exports["fused"], tmp_path / "hqq", VARIANTS["int4-hqq"])
    model = onnx.load(str(folder / "model.onnx"))
    nodes = [n for n in model.graph.node if n.op_type == "MatMulNBits"]
    bits = {next(a.i for a in n.attribute if a.name == "bits") for n in nodes}
    assert bits == {4, 8}
    for node in nodes:
        attrs = {a.name: a.i for a in node.attribute if a.type == onnx.AttributeProto.INT}
        assert attrs["accuracy_level"] == 4
        if attrs["bits"] == 4:
            assert len(node.input) >= 4 and node.input[3], node.name  # HQQ's zero points
