"""HQQ with integer zero points: HQQ's quality on MatMulNBits' fast path.

ORT's HQQ (``HQQWeightOnlyQuantizer``) optimises each block's zero point as a float.
``MatMulNBits`` accepts float zero points, but only outside its int8-activation kernels:
int4-hqq-mixed decoded 12 tokens/s against int8's 86 (docs/model.md). Here the zero
point is rounded to a 4-bit unsigned integer *inside* HQQ's proximal loop, so the
weights are re-fitted to the zero point that will actually be stored, and the result is
written as the packed ``uint8`` zero-point input the fast kernels read.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from onnxruntime.quantization.matmul_nbits_quantizer import HQQWeightOnlyQuantizer

from plugin.engine.offset_blocks import pack_nibbles

#: HQQ's own defaults (ORT's ``optimize_weights``).
HQQ_PARAMS = {"lp_norm": 0.7, "beta": 1e1, "kappa": 1.01, "iters": 20}


class IntegerZeroHQQQuantizer(HQQWeightOnlyQuantizer):
    """ORT's HQQ quantizer, with zero points kept integers and stored as packed uint8."""

    @staticmethod
    def optimize_weights(
        tensor: Any,
        scale: Any,
        zero: Any,
        min_max: list[int],
        axis: int = 0,
        opt_params: dict | None = None,
        verbose: bool = False,
    ) -> tuple[Any, Any]:
        """HQQ's half-quadratic solver for ``zero`` (``scale`` fixed, as in HQQ), with
        ``zero`` rounded and clamped to ``min_max`` at every step. Returns the best
        zero point seen (HQQ returns the one after the step that made things worse)."""
        import torch

        params = {**HQQ_PARAMS, **(opt_params or {})}
        lp_norm, beta = float(params["lp_norm"]), float(params["beta"])
        low, high = float(min_max[0]), float(min_max[1])
        w_f = tensor.to(torch.float32)
        scale = scale.to(torch.float32)
        zero = torch.round(zero.to(torch.float32)).clamp(low, high)

        def shrink(x: Any) -> Any:
            return torch.sign(x) * torch.nn.functional.relu(
                torch.abs(x) - (1.0 / beta) * torch.pow(torch.abs(x) + 1e-8, lp_norm - 1)
            )

        best_zero, best_error = zero, float("inf")
        for _ in range(int(params["iters"])):
            w_q = torch.round(w_f * scale + zero).clamp(low, high)
            w_r = (w_q - zero) / scale
            error = float(torch.abs(w_f - w_r).mean())
            if error >= best_error:
                break
            best_zero, best_error = zero, error
            w_e = shrink(w_f - w_r)
            zero = torch.round(torch.mean(w_q - (w_f - w_e) * scale, dim=axis, keepdim=True))
            zero = zero.clamp(low, high)
            beta *= float(params["kappa"])
        return scale, best_zero

    def quantize(self, node: Any, graph_stack: list[Any]) -> list[Any]:
        from onnxruntime.quantization.matmul_nbits_quantizer import get_initializer

        nodes = super().quantize(node, graph_stack)
        for new in nodes:
            if new.op_type != "MatMulNBits" or len(new.input) < 4:
                continue
            attrs = {a.name: a.i for a in new.attribute}
            zp, graph = get_initializer(new.input[3], graph_stack)
            packed = pack_zero_points(zp, attrs["N"], attrs["K"], attrs["block_size"])
            graph.initializer.remove(zp)
            graph.initializer.append(packed)
        return nodes


def pack_zero_points(float_zp: Any, n: int, k: int, block_size: int) -> Any:
    """HQQ's float zero points (``N * k_blocks``, integral values 0-15) as MatMulNBits'
    4-bit packed uint8 input: ``[N, ceil(k_blocks / 2)]``, even blocks in the low nibble."""
    import onnx

    k_blocks = (k + block_size - 1) // block_size
    values = onnx.numpy_helper.to_array(float_zp).reshape(n, k_blocks)
    ints = np.rint(values)
    if not np.array_equal(ints, values) or ints.min() < 0 or ints.max() > 15:
        raise ValueError(f"{float_zp.name}: zero points are not 4-bit unsigned integers")
    return onnx.numpy_helper.from_array(pack_nibbles(ints.astype(np.uint8)), float_zp.name)
