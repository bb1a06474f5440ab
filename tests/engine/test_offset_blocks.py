"""4-bit blocks with exact offsets (``plugin/engine/offset_blocks.py``): a Q4_1 weight
comes back exactly, and the rewritten graph computes what the fp32 MatMul did."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from plugin.engine import offset_blocks
from plugin.engine.variants import VARIANTS

RECIPE = VARIANTS["int4-offset"]


def q4_1_weight(k: int, n: int, seed: int = 0) -> np.ndarray:
    """A ``[K, N]`` weight made as llama.cpp's Q4_1 makes it: per block of 32 along K,
    ``d·q + m`` with a float step and a float offset that is no multiple of the step."""
    rng = np.random.default_rng(seed)
    step = rng.uniform(0.002, 0.02, size=(n, k // 32, 1))
    low = -step * rng.uniform(3.0, 12.0, size=(n, k // 32, 1))
    codes = rng.integers(0, 16, size=(n, k // 32, 32))
    codes[..., 0], codes[..., 1] = 0, 15  # Q4_1's min-max: each block spans 0..15
    return (step * codes + low).astype(np.float32).reshape(n, k).T.copy()


def q8_0_weight(k: int, n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.001, 0.01, size=(n, k // 32, 1))
    codes = rng.integers(-127, 128, size=(n, k // 32, 32))
    codes[..., 0] = 127
    return (scale * codes).astype(np.float32).reshape(n, k).T.copy()


def test_a_q4_1_block_comes_back_exactly_with_an_integer_zero_point() -> None:
    weight = q4_1_weight(96, 24)
    codes, step, zero, offset = offset_blocks.min_max_blocks(weight, 32)
    assert codes.max() <= 15 and zero.max() <= 15 and zero.dtype == np.uint8
    rebuilt = step[..., None] * (codes - zero[..., None].astype(np.float64)) + offset[..., None]
    blocks = offset_blocks.split_blocks(weight, 32)
    np.testing.assert_allclose(rebuilt, blocks, rtol=0, atol=1e-7)
    # The offsets are what an integer zero point cannot hold: without them the blocks shift.
    assert np.abs(offset).max() > 0.1 * step.min()
    assert (np.abs(offset) <= step / 2 + 1e-12).all()


def test_constant_blocks_come_back_exactly() -> None:
    weight = np.zeros((64, 3), np.float32)
    weight[:32, 0], weight[32:, 1], weight[:, 2] = 0.75, -0.5, 0.0
    codes, step, zero, offset = offset_blocks.min_max_blocks(weight, 32)
    rebuilt = step[..., None] * (codes - zero[..., None].astype(np.float64)) + offset[..., None]
    np.testing.assert_allclose(rebuilt, offset_blocks.split_blocks(weight, 32), atol=1e-12)


def test_symmetric_8bit_holds_a_q8_0_weight_exactly() -> None:
    weight = q8_0_weight(64, 16)
    codes, scales = offset_blocks.symmetric_8bit(weight, 32)
    rebuilt = scales.reshape(16, 2, 1) * (codes.astype(np.float64) - 128)
    np.testing.assert_allclose(rebuilt, offset_blocks.split_blocks(weight, 32), atol=1e-7)


def test_nibbles_pack_low_first_and_pad_an_odd_count() -> None:
    packed = offset_blocks.pack_nibbles(np.array([[1, 2, 3]], np.uint8))
    assert packed.tolist() == [[0x21, 0x03]]


def _graph(path: Path, weights: dict[str, np.ndarray], shared_input: bool = False) -> Path:
    """``y_i = x_i · W_i`` for each weight; with ``shared_input`` every MatMul reads ``x``."""
    from onnx import TensorProto, helper, numpy_helper

    inputs, outputs, nodes = [], [], []
    for name, weight in weights.items():
        source = "x" if shared_input else f"x_{name}"
        if not any(i.name == source for i in inputs):
            inputs.append(
                helper.make_tensor_value_info(source, TensorProto.FLOAT, [1, None, weight.shape[0]])
            )
        outputs.append(
            helper.make_tensor_value_info(
                f"y_{name}", TensorProto.FLOAT, [1, None, weight.shape[1]]
            )
        )
        nodes.append(
            helper.make_node("MatMul", [source, f"w_{name}"], [f"y_{name}"], name=f"/{name}/MatMul")
        )
    graph = helper.make_graph(
        nodes,
        "g",
        inputs,
        outputs,
        [numpy_helper.from_array(w, f"w_{n}") for n, w in weights.items()],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    onnx.save(model, str(path))
    return path


def _run(path: Path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds), strict=True))


def _rewrite(source: Path, target: Path, accuracy_level: int) -> tuple[int, dict[str, int]]:
    model = onnx.load(str(source))
    count = offset_blocks.quantize_model(model, replace(RECIPE, accuracy_level=accuracy_level))
    onnx.save(model, str(target))
    ops: dict[str, int] = {}
    for node in model.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    return count, ops


@pytest.mark.parametrize("accuracy_level", [1, 4])
def test_the_rewritten_graph_computes_the_fp32_matmuls(tmp_path: Path, accuracy_level: int) -> None:
    """fp32 compute gives the fp32 products (the weights are kept exactly); the fast
    path's int8 activations (level 4) stay within two percent of them."""
    weights = {
        "layer/proj": q4_1_weight(64, 48),
        "layer/down": q4_1_weight(128, 32, seed=2),
        "lm_head": q8_0_weight(64, 40),
        "odd": q4_1_weight(64, 16, seed=3)[:40],  # 40 inputs: no whole blocks, stays fp32
    }
    source = _graph(tmp_path / "fp32.onnx", weights)
    rng = np.random.default_rng(5)
    feeds = {
        f"x_{n}": rng.normal(size=(1, 3, w.shape[0])).astype(np.float32) for n, w in weights.items()
    }
    expected = _run(source, feeds)
    count, ops = _rewrite(source, tmp_path / "offset.onnx", accuracy_level)
    assert count == 3
    assert ops == {"MatMulNBits": 3, "MatMul": 3, "Reshape": 2, "ReduceSum": 2, "Add": 2}
    got = _run(tmp_path / "offset.onnx", feeds)
    for name, value in expected.items():
        error = np.abs(got[name] - value).max() / np.abs(value).max()
        assert error < (1e-5 if accuracy_level == 1 else 0.02), (name, error)


def test_projections_of_one_input_share_its_block_sums(tmp_path: Path) -> None:
    weights = {"q": q4_1_weight(64, 32), "k": q4_1_weight(64, 16, seed=4)}
    source = _graph(tmp_path / "fp32.onnx", weights, shared_input=True)
    _, ops = _rewrite(source, tmp_path / "offset.onnx", 1)
    assert ops["ReduceSum"] == 1 and ops["MatMulNBits"] == 2
    feeds = {"x": np.random.default_rng(6).normal(size=(1, 2, 64)).astype(np.float32)}
    expected, got = _run(source, feeds), _run(tmp_path / "offset.onnx", feeds)
    for name, value in expected.items():
        assert np.abs(got[name] - value).max() < 1e-5 * np.abs(value).max(), name


def _rebuilt_8bit(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, scales, zero = offset_blocks.offset_8bit(weight, 32)
    shape = codes.shape[:2]
    rebuilt = scales.reshape(*shape, 1).astype(np.float64) * (
        codes.astype(np.float64) - zero.reshape(*shape, 1)
    )
    return rebuilt, offset_blocks.split_blocks(weight, 32).astype(np.float64)


def test_8bit_zero_points_hold_a_q4_1_block_within_a_hundredth_of_its_step() -> None:
    """int8 rounds each weight to max|w|/127 (about a twentieth of the Q4_1 step here);
    the 8-bit codes with a zero point keep the block's 16 levels and shift them by far
    less, the same shift for the whole block (on average a third of int8's error or less)."""
    weight = q4_1_weight(256, 64)
    rebuilt, blocks = _rebuilt_8bit(weight)
    step = (blocks.max(-1) - blocks.min(-1)) / 15
    shift = rebuilt - blocks
    assert np.abs(shift).max(-1).max() / step.min() < 0.5
    assert (np.abs(shift).max(-1) <= 0.01 * step + 1e-9).mean() > 0.9
    np.testing.assert_allclose(shift.max(-1), shift.min(-1), atol=1e-7)  # one shift a block
    codes, scales = offset_blocks.symmetric_8bit(weight, 32)
    symmetric = scales.reshape(64, 8, 1) * (codes.astype(np.float64) - 128)
    assert np.abs(shift).mean() < np.abs(symmetric - blocks).mean() / 3


def test_8bit_zero_points_take_any_other_block_min_max() -> None:
    """A block that is not Q4_1's (random floats, all positive, all negative, constant)
    is 8-bit min-max with its range widened to zero: within half a code of each weight."""
    rng = np.random.default_rng(7)
    weight = rng.normal(size=(128, 6)).astype(np.float32)
    weight[:, 1] = np.abs(weight[:, 1]) + 2.0
    weight[:, 2] = -np.abs(weight[:, 2]) - 2.0
    weight[:, 3], weight[:, 4] = 0.25, 0.0
    rebuilt, blocks = _rebuilt_8bit(weight)
    span = np.maximum(blocks.max(-1), 0) - np.minimum(blocks.min(-1), 0)
    assert (np.abs(rebuilt - blocks).max(-1) <= span / 255 / 2 + 1e-7).all()


@pytest.mark.parametrize("accuracy_level", [1, 4])
def test_the_8bit_graph_is_one_node_a_matmul(tmp_path: Path, accuracy_level: int) -> None:
    """``int8-asym``: no block sums, no offsets table; each MatMul one ``MatMulNBits``
    with a zero point, as close to fp32 as the 4-bit graph with its exact offsets."""
    weights = {
        "layer/proj": q4_1_weight(64, 48),
        "lm_head": q8_0_weight(64, 40),
        "odd": q4_1_weight(64, 16, seed=3)[:40],
    }
    source = _graph(tmp_path / "fp32.onnx", weights)
    rng = np.random.default_rng(8)
    feeds = {
        f"x_{n}": rng.normal(size=(1, 3, w.shape[0])).astype(np.float32) for n, w in weights.items()
    }
    model = onnx.load(str(source))
    recipe = replace(VARIANTS["int8-asym"], accuracy_level=accuracy_level)
    assert offset_blocks.quantize_model(model, recipe) == 2
    assert sorted(n.op_type for n in model.graph.node) == ["MatMul", "MatMulNBits", "MatMulNBits"]
    projection = next(n for n in model.graph.node if n.name.startswith("/layer/proj"))
    assert len(projection.input) == 4  # codes, scales and a zero point per block
    onnx.save(model, str(tmp_path / "int8.onnx"))
    expected, got = _run(source, feeds), _run(tmp_path / "int8.onnx", feeds)
    for name, value in expected.items():
        error = np.abs(got[name] - value).max() / np.abs(value).max()
        assert error < (2e-3 if accuracy_level == 1 else 0.02), (name, error)
