"""The named compressed variants of the fp32 graph, and how each is made.

A variant's ``options()`` are part of its build fingerprint: recorded quality figures
(``plugin.engine.quality``) are keyed by them, so an existing recipe is never edited; a
new recipe gets a new name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """How one compressed variant is made from the fp32 graph."""

    name: str
    bits: int
    block_size: int
    accuracy_level: int
    #: Quantize the (untied) lm_head too; it is 113 MB of fp32 read per token.
    include_lm_head: bool = True
    #: MatMuls whose node name contains one of these stay at ``sensitive_bits``.
    sensitive: tuple[str, ...] = ()
    sensitive_bits: int = 8
    #: ``rtn``: ORT's round-to-nearest; ``hqq``: Half-Quadratic Quantization
    #: (asymmetric, zero points optimised per block; ORT's native torch implementation),
    #: whose float zero points take MatMulNBits off its fast int8 path; ``hqq-int``: HQQ
    #: with its zero points kept 4-bit integers (``hqq_int``), which stays on it.
    #: ``offset``: min-max 4-bit blocks with integer zero points and each block's
    #: remaining offset added back exactly (``offset_blocks``: the Q4_1 checkpoint kept);
    #: in 8 bits the zero point holds the offset itself.
    #: GPTQ and ORT's RTN/k-quant configs need Intel Neural Compressor (not installed).
    algo: str = "rtn"
    #: Round-to-nearest's low-bit pass: symmetric (no zero points) or asymmetric (a
    #: uint8 4-bit zero point per block, which MatMulNBits runs on its fast path too).
    symmetric: bool = True

    def options(self) -> dict[str, object]:
        options: dict[str, object] = {
            "bits": self.bits,
            "block_size": self.block_size,
            "accuracy_level": self.accuracy_level,
            "include_lm_head": self.include_lm_head,
            "sensitive": list(self.sensitive),
            "sensitive_bits": self.sensitive_bits,
        }
        # Defaults stay out, so older manifests (and their recorded figures) stay valid.
        if self.algo != "rtn":
            options["algo"] = self.algo
        if not self.symmetric:
            options["symmetric"] = False
        return options


#: The MatMuls whose outputs 4-bit weights disturb most, measured by
#: ``bench/sensitivity.py`` on 8 AESLC *training* mails (relative output error of 4-bit
#: blocks of 32; the top third, 40 of 120: errors 0.094-0.121 against 0.029-0.094 for
#: the rest). Attention output and MLP down projections dominate.
MEASURED_SENSITIVE = {
    "self_attn/o_proj": (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 22, 26),
    "mlp/down_proj": (3, 5, 6, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26),
    "mlp/gate_up_proj": (0, 16, 17, 28),
    "self_attn/qkv_proj": (12, 17),
}
SENSITIVE_4BIT = tuple(
    f"/model/layers.{layer}/{part}/MatMul"
    for part, layers in MEASURED_SENSITIVE.items()
    for layer in layers
)


VARIANTS: dict[str, Variant] = {
    "int8": Variant("int8", bits=8, block_size=32, accuracy_level=4),
    # Issue 19, 4 Dec: 8 bits in longer blocks, fewer scales read per weight (about 10 %
    # faster decode in one 3 Dec run); judged by bench/variants.py like any recipe.
    "int8-b64": Variant("int8-b64", bits=8, block_size=64, accuracy_level=4),
    "int8-b128": Variant("int8-b128", bits=8, block_size=128, accuracy_level=4),
    # 4-bit alone lost 14 ROUGE-1 points in the probes; the MLP output projection
    # and the lm_head stay at 8 bits here.
    "int4": Variant(
        "int4", bits=4, block_size=32, accuracy_level=4, sensitive=("down_proj", "lm_head")
    ),
    # Calibrated 4-bit recipes (issue 19), judged by bench/variants.py (docs/model.md).
    "int4-b16": Variant(
        "int4-b16", bits=4, block_size=16, accuracy_level=4, sensitive=("down_proj", "lm_head")
    ),
    "int4-hqq": Variant(
        "int4-hqq",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=("down_proj", "lm_head"),
        algo="hqq",
    ),
    "int4-mixed": Variant(
        "int4-mixed",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=(*SENSITIVE_4BIT, "lm_head"),
    ),
    "int4-hqq-mixed": Variant(
        "int4-hqq-mixed",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=(*SENSITIVE_4BIT, "lm_head"),
        algo="hqq",
    ),
    # Issue 19, 2 Dec: 4-bit recipes whose zero points are integers, so the kernel stays
    # on its fast int8 path (HQQ's float zero points decode 7x slower than int8).
    "int4-asym": Variant(
        "int4-asym",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=("down_proj", "lm_head"),
        symmetric=False,
    ),
    "int4-asym-mixed": Variant(
        "int4-asym-mixed",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=(*SENSITIVE_4BIT, "lm_head"),
        symmetric=False,
    ),
    "int4-hqq-int-mixed": Variant(
        "int4-hqq-int-mixed",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=(*SENSITIVE_4BIT, "lm_head"),
        algo="hqq-int",
    ),
    # Issue 19, 7 Dec: the bundled Q4_1 blocks exactly, on the fast kernel; only the
    # lm_head (the GGUF's Q8_0 embedding) at 8 bits.
    "int4-offset": Variant(
        "int4-offset",
        bits=4,
        block_size=32,
        accuracy_level=4,
        sensitive=("lm_head",),
        algo="offset",
    ),
    # Issue 19, 7 Dec: the same blocks in 8 bits, the offset held by the zero point, so
    # no node is added; only the lm_head (Q8_0) symmetric.
    "int8-asym": Variant(
        "int8-asym",
        bits=8,
        block_size=32,
        accuracy_level=4,
        sensitive=("lm_head",),
        algo="offset",
    ),
}
