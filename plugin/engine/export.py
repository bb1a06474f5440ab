"""ONNX export (Optimum), graph surgery, weight-only quantization and ORT optimization.

Every function here takes a folder or file and writes another; nothing is loaded into a
process-wide state. Heavy libraries are imported inside the functions.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from connectors.errors import BadInputError
from plugin.engine.variants import Variant

CAUSAL_TASK = "text-generation-with-past"
SEQ2SEQ_TASK = "text2text-generation-with-past"
FEATURES_TASK = "feature-extraction"
#: Bumped whenever the graph surgery changes, so older builds are rebuilt (2: fused
#: attention and skip norms; 3: gate/up packed into one MatMul; 4: logits for the last
#: ``logits_count`` positions, for prompt-lookup decoding).
GRAPH_REVISION = 4
#: Files an Optimum export folder holds besides the ONNX graphs.
SIDE_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "chat_template.jinja",
    "vocab.txt",
    "spiece.model",
    "sentence_bert_config.json",
)


#: The integer-zero-point HQQ algorithms and their quantizer classes in ``hqq_int``.
INTEGER_ZERO_HQQ = {
    "hqq-int": "IntegerZeroHQQQuantizer",
}


@contextlib.contextmanager
def library_noise_off() -> Iterator[None]:
    """Silence the tracer/deprecation warnings torch and transformers print while exporting.

    They describe the libraries' internals, not anything a user can act on, and the test
    suite turns every warning into an error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def checkpoint_kind(checkpoint: Path) -> str:
    """``causal-lm`` or ``seq2seq`` for a local HF checkpoint; BadInputError otherwise."""
    import json

    config_file = checkpoint / "config.json"
    if not checkpoint.is_dir():
        raise BadInputError("no such directory", item=str(checkpoint))
    if not config_file.is_file():
        raise BadInputError(
            "this directory is not a Hugging Face model (no config.json)",
            item=str(checkpoint),
            hint="point --model at a folder saved with save_pretrained()",
        )
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"config.json is unreadable: {exc}", item=str(config_file)) from None
    if not isinstance(config, dict) or "model_type" not in config:
        raise BadInputError("config.json has no model_type", item=str(config_file))
    weights = [*checkpoint.glob("*.safetensors"), *checkpoint.glob("*.bin")]
    if not weights:
        raise BadInputError(
            "this directory has a config but no weights (*.safetensors or *.bin)",
            item=str(checkpoint),
        )
    return "seq2seq" if config.get("is_encoder_decoder") else "causal-lm"


def _export(checkpoint: Path, out_dir: Path, task: str) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from optimum.exporters.onnx import main_export

    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with library_noise_off():
            main_export(
                str(checkpoint),
                output=str(out_dir),
                task=task,
                do_validation=False,
                library_name="transformers",
            )
    except OSError:
        raise
    except Exception as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BadInputError(
            f"cannot export this checkpoint to ONNX: {message}"[:500],
            item=str(checkpoint),
            hint="is the folder complete and its weights intact?",
        ) from None


def export_causal(checkpoint: Path, out_dir: Path, *, fuse: bool = True) -> Path:
    """ONNX with KV cache, lm_head untied and computed for the last position only, and
    (for Llama-family models, unless ``fuse`` is False) attention fused into ORT's
    decoder kernels (``fuse.py``)."""
    _export(checkpoint, out_dir, CAUSAL_TASK)
    lean_lm_head(out_dir / "model.onnx")
    if fuse:
        from plugin.engine.fuse import fuse_decoder

        fuse_decoder(out_dir / "model.onnx")
    return out_dir


def export_seq2seq(checkpoint: Path, out_dir: Path) -> Path:
    _export(checkpoint, out_dir, SEQ2SEQ_TASK)
    return out_dir


def export_features(checkpoint: Path, out_dir: Path) -> Path:
    _export(checkpoint, out_dir, FEATURES_TASK)
    return out_dir


def lean_lm_head(model_path: Path) -> None:
    """Untie the lm_head (own initializer, so it can be quantized) and run it on the last
    position only.

    The export ties lm_head to the embedding through a run-time ``Transpose``; ORT then
    folds that into a second 113 MB copy at load and the quantizer cannot touch it. The
    decode loop only ever needs the last position's logits, so a ``Slice`` before the head
    also spares the prefill ``sequence_length x 49152`` multiplications.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(model_path))
    graph = model.graph
    head = next((n for n in graph.node if n.op_type == "MatMul" and "logits" in n.output), None)
    if head is None:
        return
    inits = {i.name: i for i in graph.initializer}
    producers = {out: n for n in graph.node for out in n.output}
    weight_name = head.input[1]
    transpose = producers.get(weight_name)
    if transpose is not None and transpose.op_type == "Transpose" and transpose.input[0] in inits:
        tied = numpy_helper.to_array(inits[transpose.input[0]])
        untied = numpy_helper.from_array(np.ascontiguousarray(tied.T), name="lm_head.weight")
        graph.initializer.append(untied)
        head.input[1] = "lm_head.weight"
        still_used = any(weight_name in n.input for n in graph.node if n is not head)
        if not still_used:
            graph.node.remove(transpose)
    sliced = head.input[0] + "_last"
    consts = [
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "lm_head_slice_start"),
        numpy_helper.from_array(
            np.array([np.iinfo(np.int64).max], dtype=np.int64), "lm_head_slice_end"
        ),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "lm_head_slice_axis"),
    ]
    graph.initializer.extend(consts)
    slice_node = helper.make_node(
        "Slice",
        [head.input[0], "lm_head_slice_start", "lm_head_slice_end", "lm_head_slice_axis"],
        [sliced],
        name="/lm_head/LastPosition",
    )
    index = list(graph.node).index(head)
    graph.node.insert(index, slice_node)
    head.input[0] = sliced
    for output in graph.output:
        if output.name == "logits":
            output.type.tensor_type.shape.dim[1].ClearField("dim_param")
            output.type.tensor_type.shape.dim[1].dim_value = 1
    onnx.save(model, str(model_path))
    model_path.with_suffix(".onnx_data").unlink(missing_ok=True)


def quantize(src_dir: Path, dst_dir: Path, variant: Variant) -> Path:
    """Weight-only MatMulNBits quantization of ``src_dir/model.onnx`` into ``dst_dir``."""
    import logging

    import onnx

    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    dst_dir.mkdir(parents=True, exist_ok=True)
    copy_side_files(src_dir, dst_dir)
    model = onnx.load(str(src_dir / "model.onnx"))
    if variant.algo == "offset":
        from plugin.engine import offset_blocks

        offset_blocks.quantize_model(model, variant)
        onnx.save(model, str(dst_dir / "model.onnx"))
        return dst_dir
    matmuls = [n.name for n in model.graph.node if n.op_type == "MatMul"]
    excluded = [] if variant.include_lm_head else [n for n in matmuls if "lm_head" in n]
    sensitive = [n for n in matmuls if n not in excluded and any(s in n for s in variant.sensitive)]
    if sensitive:
        # The quantizer takes every MatMul not excluded, so each pass excludes the others.
        others = [n for n in matmuls if n not in sensitive]
        model = _quantize_pass(model, variant, variant.sensitive_bits, exclude=others).model
    quantizer = _quantize_pass(model, variant, variant.bits, exclude=excluded + sensitive)
    quantizer.save_model_to_file(str(dst_dir / "model.onnx"), use_external_data_format=False)
    return dst_dir


def _quantize_pass(
    model: Any,
    variant: Variant,
    bits: int,
    exclude: list[str] | None = None,
) -> Any:
    """One MatMulNBits pass; returns the quantized ``ONNXModel`` wrapper."""
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        DefaultWeightOnlyQuantConfig,
        HQQWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )

    config: Any
    low_bits = bits == variant.bits
    hqq_family = variant.algo in ("hqq", *INTEGER_ZERO_HQQ)
    if hqq_family and low_bits:
        config = HQQWeightOnlyQuantConfig(block_size=variant.block_size, bits=bits)
    elif variant.algo == "rtn" or hqq_family:
        config = DefaultWeightOnlyQuantConfig(
            block_size=variant.block_size,
            # The 8-bit pass of a mixed recipe stays symmetric, as in int8.
            is_symmetric=variant.symmetric or not low_bits,
            accuracy_level=variant.accuracy_level,
            bits=bits,
        )
    else:
        raise ValueError(f"unknown quantization algorithm {variant.algo!r}")
    quantizer = MatMulNBitsQuantizer(
        model,
        bits=bits,
        block_size=variant.block_size,
        is_symmetric=getattr(config, "is_symmetric", True),
        accuracy_level=variant.accuracy_level,
        nodes_to_exclude=exclude or [],
        algo_config=config,
    )
    if variant.algo in INTEGER_ZERO_HQQ and low_bits:
        from plugin.engine import hqq_int

        quantizer.node_quantizer = getattr(hqq_int, INTEGER_ZERO_HQQ[variant.algo])(config)
    with library_noise_off():
        quantizer.process()
    if hqq_family:
        _set_accuracy_level(quantizer.model.model, variant.accuracy_level)
    return quantizer.model


def _set_accuracy_level(model: Any, level: int) -> None:
    """HQQ's config takes no accuracy level; without one the kernel computes in fp32."""
    from onnx import helper

    for node in model.graph.node:
        if node.op_type == "MatMulNBits" and not any(
            a.name == "accuracy_level" for a in node.attribute
        ):
            node.attribute.append(helper.make_attribute("accuracy_level", level))


def optimize(model_path: Path) -> None:
    """Apply ORT's graph optimizations once, offline, so each load skips them.

    ``ORT_ENABLE_EXTENDED`` only: the layout-specific level-99 rewrites are tied to the
    machine that made them, and a model folder may be copied to another CPU. ORT fuses
    the RMS norms; the residual adds in front of them are folded in afterwards
    (``fuse.fuse_skip_norms``), which ORT's own pass does only for LayerNorm.
    """
    import onnxruntime as ort

    from plugin.engine.fuse import fuse_skip_norms

    tmp = model_path.with_name(model_path.stem + ".opt.onnx")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(tmp)
    options.log_severity_level = 3
    ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    os.replace(tmp, model_path)
    fuse_skip_norms(model_path)


def copy_side_files(src_dir: Path, dst_dir: Path) -> None:
    for name in SIDE_FILES:
        if (src_dir / name).is_file():
            shutil.copy2(src_dir / name, dst_dir / name)
