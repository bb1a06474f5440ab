"""4-bit blocks whose offsets are kept exactly: the bundled Q4_1 model on the fast kernel.

The bundled SmolLM2 is a Q4_1 GGUF: every linear weight is a block of 32 values
``d·q + m`` (q 0–15, a float step ``d`` and a float offset ``m``), and its embedding (the
tied lm_head) is Q8_0. So the fp32 graph holds those blocks dequantized, and a block's
min-max gives ``d`` and ``m`` back exactly. ``MatMulNBits`` stores such a block as
``s·(q − z)``, but only an *integer* zero point ``z`` keeps it on the int8-activation fast
path, and ``−m/d`` is almost never an integer: rounding it shifts all 32 weights of a
block by the same amount, and those shifts add up in every dot product (the
``int4-asym`` recipes lost the model that way, docs/model.md).

Here the rounded part goes to the kernel and the rest is added back::

    x·w = d·(x·(q − z)) + r·Σx_block,    z = round(−m/d),  r = d·(z + m/d)

``Σx_block`` is one ``Reshape`` + ``ReduceSum`` per MatMul input, and ``r`` (one value per
block and output column, 1/32 of the weights) an fp32 ``MatMul`` and an ``Add``: the
weights are exact. The lm_head stays 8-bit symmetric in blocks of 32, which is Q8_0
itself. On any other checkpoint this is asymmetric min-max 4-bit with exact offsets.

Measured on 7 Dec 2026 (docs/model.md): as close to fp32 as int8 or closer, but no
faster, because the offsets' small nodes cost what the 4-bit weights save; so it is a
recipe built on request, not the default. (An 8-bit offsets table in a ``MatMulNBits``
of its own reads a quarter of the bytes and was no faster.)

In 8 bits (``int8-asym``) a zero point holds the offset with no extra node: a Q4_1 block
``d·q + m`` is ``s·(a·q + c − z)`` with ``s = d/a``, where ``a`` (1–17, so that ``a·q``
fits a byte) is chosen so that ``m·a/d`` is nearest an integer; what is left is a shift of
the block, in the bundled model 0.4 % of ``d`` on average and under 1 % for nine blocks
in ten. ``symmetric_8bit`` (int8) instead rounds every weight to
``max|w|/127``, about a twentieth of ``d``. A block that is not Q4_1's is min-max 8-bit
with a zero point.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from plugin.engine.variants import Variant


def quantize_model(model: Any, variant: Variant) -> int:
    """Rewrite every constant-weight MatMul of ``model`` (an ``onnx.ModelProto``) in place:
    the ``variant.sensitive`` ones 8-bit symmetric, the others in ``variant.bits`` with
    their offsets kept.
    A MatMul whose input size is not a whole number of blocks stays fp32. Returns how
    many were rewritten."""
    from onnx import numpy_helper

    graph = model.graph
    weights = {t.name: t for t in graph.initializer}
    block_sums: dict[str, str] = {}
    nodes: list[Any] = []
    count = 0
    for node in list(graph.node):
        weight = weights.get(node.input[1]) if node.op_type == "MatMul" else None
        if weight is None or len(weight.dims) != 2 or weight.dims[0] % variant.block_size:
            nodes.append(node)
            continue
        array = numpy_helper.to_array(weight)
        graph.initializer.remove(weight)
        if any(part in node.name for part in variant.sensitive):
            nodes.append(_symmetric_8bit(graph, node, array, variant))
        elif variant.bits == 8:
            nodes.append(_offset_8bit(graph, node, array, variant))
        else:
            nodes += _offset_4bit(graph, node, array, variant, block_sums)
        count += 1
    del graph.node[:]
    graph.node.extend(nodes)
    return count


def split_blocks(weight: np.ndarray, block: int) -> np.ndarray:
    """``[K, N]`` -> ``[N, K/block, block]``: MatMulNBits' blocks run along the input."""
    k, n = weight.shape
    return np.ascontiguousarray(weight.T).reshape(n, k // block, block)


def min_max_blocks(weight: np.ndarray, block: int) -> tuple[np.ndarray, ...]:
    """Per block: 4-bit codes ``q``, step ``d``, integer zero point ``z`` and the offset
    ``r`` with ``w = d·(q − z) + r`` (exact when the block is Q4_1's ``d·q + m``)."""
    blocks = split_blocks(weight, block).astype(np.float64)
    low, high = blocks.min(-1), blocks.max(-1)
    # A constant block (zero padding, a tied bias row) spans zero too, so its value is
    # a code, not an offset the step cannot carry.
    flat = low == high
    low, high = np.where(flat, np.minimum(low, 0), low), np.where(flat, np.maximum(high, 0), high)
    step = (high - low) / 15.0
    safe = np.where(step == 0, 1.0, step)
    codes = np.clip(np.rint((blocks - low[..., None]) / safe[..., None]), 0, 15)
    exact_zero = -low / safe
    zero = np.clip(np.rint(exact_zero), 0, 15)
    offset = step * (zero - exact_zero)
    return codes.astype(np.uint8), step, zero.astype(np.uint8), offset


def offset_8bit(weight: np.ndarray, block: int) -> tuple[np.ndarray, ...]:
    """8-bit codes ``[N, K/block, block]``, scales and zero points (one per block) with
    ``w ≈ s·(code − z)``: a Q4_1 block to within a shift of the whole block (mostly under
    1 % of its step), any
    other block min-max (its range widened to hold zero, so the zero point is a byte)."""
    blocks = split_blocks(weight, block).astype(np.float64)
    low, high = blocks.min(-1), blocks.max(-1)
    step = (high - low) / 15.0
    safe = np.where(step == 0, 1.0, step)
    q4 = np.rint((blocks - low[..., None]) / safe[..., None])
    rebuilt = low[..., None] + q4 * safe[..., None]
    q41 = (step > 0) & (np.abs(rebuilt - blocks).max(-1) <= 1e-3 * safe)
    # Min-max first; a Q4_1 block then takes the code spacing a that leaves the least shift.
    lowest, highest = np.minimum(low, 0), np.maximum(high, 0)
    scale = np.where(highest > lowest, (highest - lowest) / 255.0, 1.0)
    zero = np.clip(np.rint(-lowest / scale), 0, 255)
    codes = np.clip(np.rint(blocks / scale[..., None]) + zero[..., None], 0, 255)
    shift = np.full(low.shape, np.inf)
    for spacing in range(17, 0, -1):
        s = safe / spacing
        whole = np.rint(low / s)
        left = np.abs(low - s * whole)
        first = np.maximum(0, whole)  # the code of q = 0, so that the zero point is >= 0
        better = q41 & (first <= np.minimum(255 - 15 * spacing, 255 + whole)) & (left < shift)
        shift = np.where(better, left, shift)
        scale = np.where(better, s, scale)
        zero = np.where(better, first - whole, zero)
        codes = np.where(better[..., None], spacing * q4 + first[..., None], codes)
    return (
        codes.astype(np.uint8),
        scale.astype(np.float32).reshape(-1),
        zero.astype(np.uint8).reshape(-1),
    )


def pack_nibbles(values: np.ndarray) -> np.ndarray:
    """Pairs along the last axis into one byte each, the first in the low nibble."""
    if values.shape[-1] % 2:
        pad = np.zeros((*values.shape[:-1], 1), np.uint8)
        values = np.concatenate([values, pad], -1)
    return np.ascontiguousarray(values[..., 0::2] | (values[..., 1::2] << 4))


def symmetric_8bit(weight: np.ndarray, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes (stored +128, MatMulNBits' default zero point) and scales, ``max|w| / 127``."""
    blocks = split_blocks(weight, block).astype(np.float64)
    scale = np.abs(blocks).max(-1) / 127.0
    safe = np.where(scale == 0, 1.0, scale)
    codes = np.clip(np.rint(blocks / safe[..., None]), -128, 127) + 128
    return codes.astype(np.uint8), scale.astype(np.float32).reshape(-1)


def _matmul_nbits(inputs: list[str], output: str, name: str, k: int, n: int, **attrs: int) -> Any:
    from onnx import helper

    return helper.make_node(
        "MatMulNBits", inputs, [output], name=name, domain="com.microsoft", K=k, N=n, **attrs
    )


def _symmetric_8bit(graph: Any, node: Any, weight: np.ndarray, variant: Variant) -> Any:
    return _node_8bit(graph, node, variant, *symmetric_8bit(weight, variant.block_size))


def _offset_8bit(graph: Any, node: Any, weight: np.ndarray, variant: Variant) -> Any:
    return _node_8bit(graph, node, variant, *offset_8bit(weight, variant.block_size))


def _node_8bit(
    graph: Any,
    node: Any,
    variant: Variant,
    codes: np.ndarray,
    scales: np.ndarray,
    zero_points: np.ndarray | None = None,
) -> Any:
    """The ``MatMulNBits`` that replaces ``node`` with 8-bit ``codes`` (stored beside it);
    without ``zero_points`` the kernel's own, 128."""
    from onnx import numpy_helper

    prefix = node.name
    arrays = {"_Q8": codes, "_scales": scales, "_zero_points": zero_points}
    stored = {suffix: value for suffix, value in arrays.items() if value is not None}
    graph.initializer.extend(
        numpy_helper.from_array(value, prefix + suffix) for suffix, value in stored.items()
    )
    k, n = codes.shape[1] * codes.shape[2], codes.shape[0]
    return _matmul_nbits(
        [node.input[0], *(prefix + suffix for suffix in stored)],
        node.output[0],
        prefix + "_Q8",
        k,
        n,
        bits=8,
        block_size=variant.block_size,
        accuracy_level=variant.accuracy_level,
    )


def _offset_4bit(
    graph: Any, node: Any, weight: np.ndarray, variant: Variant, block_sums: dict[str, str]
) -> list[Any]:
    from onnx import helper, numpy_helper

    k, n = weight.shape
    block = variant.block_size
    codes, step, zero, offset = min_max_blocks(weight, block)
    prefix, source, output = node.name, node.input[0], node.output[0]
    graph.initializer.extend(
        [
            numpy_helper.from_array(pack_nibbles(codes), prefix + "_Q4"),
            numpy_helper.from_array(step.astype(np.float32).reshape(-1), prefix + "_scales"),
            numpy_helper.from_array(pack_nibbles(zero).reshape(-1), prefix + "_zero_points"),
        ]
    )
    nodes = [
        _matmul_nbits(
            [source, prefix + "_Q4", prefix + "_scales", prefix + "_zero_points"],
            output + "_blocks",
            prefix + "_Q4",
            k,
            n,
            bits=4,
            block_size=block,
            accuracy_level=variant.accuracy_level,
        )
    ]
    if source not in block_sums:
        # The decoder's MatMul inputs are [batch, sequence, K]: 0 keeps those two dims.
        sums = block_sums[source] = source + "_block_sums"
        graph.initializer.extend(
            [
                numpy_helper.from_array(
                    np.array([0, 0, k // block, block], np.int64), sums + "_shape"
                ),
                numpy_helper.from_array(np.array([-1], np.int64), sums + "_axis"),
            ]
        )
        nodes += [
            helper.make_node("Reshape", [source, sums + "_shape"], [sums + "_split"]),
            helper.make_node("ReduceSum", [sums + "_split", sums + "_axis"], [sums], keepdims=0),
        ]
    graph.initializer.append(
        numpy_helper.from_array(
            np.ascontiguousarray(offset.T.astype(np.float32)), prefix + "_offsets"
        )
    )
    nodes += [
        helper.make_node(
            "MatMul", [block_sums[source], prefix + "_offsets"], [output + "_offsets"]
        ),
        helper.make_node("Add", [output + "_blocks", output + "_offsets"], [output]),
    ]
    return nodes
