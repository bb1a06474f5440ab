"""4-bit recipes with integer zero points (issue 19): asymmetric RTN and HQQ whose zero
points are rounded inside its loop. Both must store MatMulNBits' packed uint8 zero points
(the input its fast int8 kernels read), never HQQ's float ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from plugin.engine import export
from plugin.engine.hqq_int import IntegerZeroHQQQuantizer, pack_zero_points
from plugin.engine.variants import VARIANTS
from tests.engine.tiny import make_tiny_llama

K, N, BLOCK = 96, 40, 32


def _matmul_model(weight: np.ndarray) -> Any:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="/proj/MatMul")],
        "one_matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", N])],
        [numpy_helper.from_array(weight, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    return model


def _quantize_hqq_int(weight: np.ndarray, kind: type = IntegerZeroHQQQuantizer) -> Any:
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        HQQWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )

    config = HQQWeightOnlyQuantConfig(block_size=BLOCK, bits=4)
    quantizer = MatMulNBitsQuantizer(_matmul_model(weight), algo_config=config)
    quantizer.node_quantizer = kind(config)
    with export.library_noise_off():
        quantizer.process()
    return quantizer.model.model


def _initializers(model: Any) -> dict[str, np.ndarray]:
    from onnx import numpy_helper

    return {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}


def _dequantize(model: Any) -> np.ndarray:
    """The [K, N] weight MatMulNBits computes with, from its packed inputs."""
    [node] = [n for n in model.graph.node if n.op_type == "MatMulNBits"]
    inits = _initializers(model)
    packed, scales, zp = (inits[name] for name in node.input[1:4])
    k_blocks = K // BLOCK
    codes = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(N, k_blocks, BLOCK)
    zeros = np.stack([zp & 0x0F, zp >> 4], axis=-1).reshape(N, -1)[:, :k_blocks]
    values = (codes.astype(np.float32) - zeros[..., None]) * scales.reshape(N, k_blocks, 1)
    return values.reshape(N, K).T


def _heavy_tailed_weight(seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_t(df=3, size=(K, N)) * 0.02).astype(np.float32)


def test_integer_zero_hqq_writes_uint8_zero_points_the_kernel_reads_as_written() -> None:
    import onnxruntime as ort

    weight = _heavy_tailed_weight()
    model = _quantize_hqq_int(weight)
    [node] = [n for n in model.graph.node if n.op_type == "MatMulNBits"]
    zp = _initializers(model)[node.input[3]]
    assert zp.dtype == np.uint8 and zp.shape == (N, (K // BLOCK + 1) // 2)

    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(1).standard_normal((3, K)).astype(np.float32)
    [y] = session.run(None, {"x": x})
    # The nibble order and the zero points are what ORT reads: its output is exactly the
    # product with the weights dequantized from the stored bytes.
    np.testing.assert_allclose(y, x @ _dequantize(model), rtol=1e-4, atol=1e-5)
    # And those weights are a 4-bit approximation of the original ones.
    assert np.abs(_dequantize(model) - weight).max() < np.abs(weight).max() / 4


def test_integer_zero_hqq_is_never_worse_than_min_max_rounding() -> None:
    """It keeps the best zero point it sees, starting from min-max rounding. (With the
    zero point an integer and the scale fixed, that is all it finds on these weights.)"""
    weight = _heavy_tailed_weight()
    blocks = weight.T.reshape(N * K // BLOCK, BLOCK)
    low, high = blocks.min(-1, keepdims=True), blocks.max(-1, keepdims=True)
    step = (high - low) / 15
    zero = np.clip(np.round(-low / step), 0, 15)
    codes = np.clip(np.round(blocks / step + zero), 0, 15)
    min_max = np.square((codes - zero) * step - blocks).mean()
    hqq_int = np.square(_dequantize(_quantize_hqq_int(weight)) - weight).mean()
    assert hqq_int <= min_max * (1 + 1e-5)


def test_zero_points_that_are_not_4bit_integers_are_refused() -> None:
    from onnx import numpy_helper

    fractional = numpy_helper.from_array(np.array([1.0, 2.5], np.float32), "w_zero_points")
    with pytest.raises(ValueError, match="w_zero_points"):
        pack_zero_points(fractional, n=1, k=64, block_size=32)
    too_large = numpy_helper.from_array(np.array([1.0, 16.0], np.float32), "w_zero_points")
    with pytest.raises(ValueError, match="not 4-bit"):
        pack_zero_points(too_large, n=1, k=64, block_size=32)
    odd = numpy_helper.from_array(np.array([3.0, 4.0, 5.0], np.float32), "w_zero_points")
    assert numpy_helper.to_array(pack_zero_points(odd, n=1, k=96, block_size=32)).tolist() == [
        [0x43, 0x05]
    ]


@pytest.fixture(scope="module")
def tiny_fp32(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hqq-int")
    return export.export_causal(make_tiny_llama(root / "llama"), root / "fp32")


@pytest.mark.parametrize("name", ["int4-asym", "int4-asym-mixed", "int4-hqq-int-mixed"])
def test_integer_zero_point_recipes_stay_on_the_fast_kernel(
    tiny_fp32: Path, tmp_path: Path, name: str
) -> None:
    """Every 4-bit MatMulNBits carries uint8 zero points and int8 compute (accuracy
    level 4); the 8-bit part stays symmetric, as in int8."""
    import onnx

    folder = export.quantize(tiny_fp32, tmp_path / name, VARIANTS[name])
    model = onnx.load(str(folder / "model.onnx"))
    dtypes = {t.name: t.data_type for t in model.graph.initializer}
    seen = set()
    for node in model.graph.node:
        if node.op_type != "MatMulNBits":
            continue
        attrs = {a.name: a.i for a in node.attribute if a.type == onnx.AttributeProto.INT}
        assert attrs["accuracy_level"] == 4, node.name
        has_zero_points = len(node.input) >= 4 and bool(node.input[3])
        if attrs["bits"] == 4:
            assert has_zero_points and dtypes[node.input[3]] == onnx.TensorProto.UINT8, node.name
        else:
            assert not has_zero_points, node.name
        seen.add(attrs["bits"])
    assert seen == {4, 8}


def test_new_recipes_leave_the_recorded_fingerprints_alone() -> None:
    """The options of the recipes measured before stay byte-for-byte what they were."""
    assert "symmetric" not in VARIANTS["int4"].options()
    assert VARIANTS["int4-asym"].options() == {
        **VARIANTS["int4"].options(),
        "symmetric": False,
    }
    assert VARIANTS["int4-hqq-int-mixed"].options() == {
        **VARIANTS["int4-hqq-mixed"].options(),
        "algo": "hqq-int",
    }
