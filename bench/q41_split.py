"""Prototype of the exact Q4_1 split (issue 19, docs/model.md "Recipes with integer
zero points"): rewrite a built int4-hqq-mixed variant so its 4-bit MatMulNBits nodes
use 4-bit integer zero points (the fast path) plus a per-block offset correction.

    python bench/q41_split.py --model-dir DIR [--source int4-hqq-mixed] [--name q41-split]

``x·w = s·(x·(q − z)) + r·Σx_block`` with ``z`` HQQ's float zero point rounded and
``r = s·(z − z_float)``: a Reshape to blocks, a ReduceSum and a MatMul by the
``[K/block, N]`` residual table, added to the kernel's output. Writes ``llm/NAME`` and a
manifest entry, so ``bench/variants.py --variants NAME`` and ``bench/model.py
--backends NAME`` measure it. Not a build recipe: it costs about half of int8's decode
speed as it stands.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np


def split(model_dir: Path, source: str, name: str) -> int:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    src, dst = model_dir / "llm" / source, model_dir / "llm" / name
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        if path.suffix != ".onnx":
            shutil.copy2(path, dst / path.name)
    model = onnx.load(str(src / "model.onnx"))
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    nodes, count = [], 0
    for node in list(graph.node):
        nodes.append(node)
        if node.op_type != "MatMulNBits" or len(node.input) < 4 or not node.input[3]:
            continue
        zp = inits[node.input[3]]
        if zp.data_type != TensorProto.FLOAT:
            continue
        attrs = {a.name: a.i for a in node.attribute}
        k, n, block = attrs["K"], attrs["N"], attrs["block_size"]
        k_blocks = k // block
        zero = numpy_helper.to_array(zp).reshape(n, k_blocks)
        scale = numpy_helper.to_array(inits[node.input[2]]).reshape(n, k_blocks)
        rounded = np.clip(np.round(zero), 0, 15)
        residual = (scale * (rounded - zero)).astype(np.float32)
        nibbles = rounded.astype(np.uint8)
        packed = nibbles[:, 0::2] | (nibbles[:, 1::2] << 4)
        graph.initializer.remove(zp)
        graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(packed), zp.name))
        p = node.name
        graph.initializer.extend(
            [
                numpy_helper.from_array(np.ascontiguousarray(residual.T), p + "_offsets"),
                numpy_helper.from_array(np.array([0, 0, k_blocks, block], np.int64), p + "_blocks"),
                numpy_helper.from_array(np.array([-1], np.int64), p + "_axes"),
            ]
        )
        out = node.output[0]
        node.output[0] = out + "_main"
        nodes += [
            helper.make_node("Reshape", [node.input[0], p + "_blocks"], [p + "_blk"]),
            helper.make_node("ReduceSum", [p + "_blk", p + "_axes"], [p + "_bsum"], keepdims=0),
            helper.make_node("MatMul", [p + "_bsum", p + "_offsets"], [p + "_corr"]),
            helper.make_node("Add", [out + "_main", p + "_corr"], [out]),
        ]
        count += 1
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, str(dst / "model.onnx"))
    manifest = model_dir / "manifest.json"
    data = json.loads(manifest.read_text())
    data["variants"][name] = {"path": f"llm/{name}"}
    manifest.write_text(json.dumps(data, indent=1))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--source", default="int4-hqq-mixed")
    parser.add_argument("--name", default="q41-split")
    args = parser.parse_args()
    count = split(Path(args.model_dir), args.source, args.name)
    print(f"{count} 4-bit nodes split into llm/{args.name}")


if __name__ == "__main__":
    main()
