"""Fuse an Optimum-exported Llama graph into ONNX Runtime's decoder kernels.

Why: at 135M parameters a decode step is bound by per-operator overhead, not by
arithmetic. Optimum's export spells attention out as ~100 small ops per layer (rotary
slices, mask building, KV concatenation, repeat-kv expands, softmax); 30 layers make
over 3,000 kernel launches and thread barriers per token. Here each layer's attention
becomes one ``GroupQueryAttention`` (rotary, causal mask, grouped heads and the KV
cache update in one kernel), q/k/v become one packed MatMul (and the MLP's gate/up
another), and a residual ``Add``
followed by an RMS norm becomes one ``SkipSimplifiedLayerNormalization``: about ten ops
per layer remain.

The rewrite is anchored on the module names torch gives the nodes
(``/model/layers.{i}/self_attn/q_proj/MatMul`` ...) and on the ``past_key_values.{i}.*``
/ ``present.{i}.*`` names Optimum gives the cache, not on the exact shape of the ops in
between, which change with every transformers release. Anything unexpected leaves the
graph as exported (``fuse_decoder`` returns False) and the generic decode path runs it.

Interface of a fused graph: the same ``input_ids``, ``attention_mask`` and
``past_key_values.*`` inputs and ``logits``/``present.*`` outputs, no ``position_ids``,
one more input, ``logits_count`` (how many of each row's last positions get logits),
and **right padding**: ``GroupQueryAttention`` keeps each row's cache as a prefix of the
buffer, so row ``b`` holds ``attention_mask[b].sum()`` tokens (its positions are
``0 .. n-1``) and the logits come from each row's last real token. The graph's metadata
says ``deskdraft.padding = right``; ``kvcache.CausalGraph`` reads it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

#: Architectures whose export this rewrite understands (no attention biases, no sliding
#: window, rotary embeddings that do not change with the sequence length).
FUSABLE_TYPES = ("llama", "mistral")
STATIC_ROPE_TYPES = (None, "default", "linear", "llama3")
PADDING_KEY = "deskdraft.padding"
#: The int64 constant 1 the added shape arithmetic shares.
ONE = "/gqa/one"
#: The input that says how many of each row's last positions get logits (1 for a plain
#: step; more for a prompt-lookup step, which checks its drafted tokens in one run).
LOGITS_COUNT = "logits_count"


def fusable(config: dict[str, Any]) -> bool:
    rope = config.get("rope_scaling") or {}
    rope_type = rope.get("rope_type", rope.get("type")) if isinstance(rope, dict) else None
    heads = int(config.get("num_attention_heads") or 1)
    head_dim = int(config.get("head_dim") or int(config.get("hidden_size") or 0) // heads)
    return (
        config.get("model_type") in FUSABLE_TYPES
        # ORT's CPU GroupQueryAttention kernel works on 16-float blocks of a head.
        and head_dim % 16 == 0
        and not config.get("attention_bias")
        and not config.get("mlp_bias")
        and not config.get("sliding_window")
        and rope_type in STATIC_ROPE_TYPES
    )


def fuse_decoder(model_path: Path) -> bool:
    """Rewrite ``model_path`` (a raw with-past export) in place. False: left untouched."""
    import onnx

    config = json.loads((model_path.parent / "config.json").read_text(encoding="utf-8"))
    if not fusable(config):
        return False
    model = onnx.load(str(model_path))
    try:
        _Fuser(model, config).run()
    except _NotFusable:
        return False
    onnx.save(model, str(model_path))
    return True


class _NotFusable(Exception):
    pass


class _Fuser:
    def __init__(self, model: Any, config: dict[str, Any]) -> None:
        self.model = model
        self.graph = model.graph
        self.config = config
        self.heads = int(config["num_attention_heads"])
        self.kv_heads = int(config.get("num_key_value_heads") or self.heads)
        self.head_dim = int(config.get("head_dim") or int(config["hidden_size"]) // self.heads)
        self.nodes = {n.name: n for n in self.graph.node}
        self.inits = {i.name: i for i in self.graph.initializer}

    # -- helpers ---------------------------------------------------------------------
    def node(self, name: str) -> Any:
        found = self.nodes.get(name)
        if found is None:
            raise _NotFusable(name)
        return found

    def weight(self, name: str) -> np.ndarray:
        from onnx import numpy_helper

        if name not in self.inits:
            raise _NotFusable(name)
        return numpy_helper.to_array(self.inits[name])

    def add_init(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    def add_node(self, op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        from onnx import helper

        output = f"{name}_output_0"
        node = helper.make_node(op, inputs, [output], name=name, **attrs)
        self.graph.node.append(node)
        return output

    # -- the rewrite -------------------------------------------------------------------
    def run(self) -> None:
        layers = int(self.config["num_hidden_layers"])
        names = {i.name for i in self.graph.input}
        if "attention_mask" not in names:
            raise _NotFusable("attention_mask")
        seqlens, total, last_index = self.sequence_lengths()
        cos, sin = self.rotary_caches()
        for index in range(layers):
            self.fuse_attention(index, seqlens, total, cos, sin)
            self.pack_gate_up(index)
        self.gather_last_tokens(last_index)
        remove_dead_nodes(self.graph)
        _set_metadata(self.model, PADDING_KEY, "right")

    def sequence_lengths(self) -> tuple[str, str, str]:
        """``seqlens_k`` (tokens per row - 1, int32), the total length (int32 scalar) and
        the same last index as int64 (for the lm_head's gather)."""
        axis = self.add_init("/gqa/axis1", np.array([1], dtype=np.int64))
        one = self.add_init(ONE, np.array(1, dtype=np.int64))
        count = self.add_node("ReduceSum", ["attention_mask", axis], "/gqa/RowLength", keepdims=0)
        last = self.add_node("Sub", [count, one], "/gqa/LastIndex")
        seqlens = self.add_node("Cast", [last], "/gqa/SeqlensK", to=6)  # int32
        shape = self.add_node("Shape", ["attention_mask"], "/gqa/MaskShape")
        width = self.add_node("Gather", [shape, one], "/gqa/MaskWidth", axis=0)
        total = self.add_node("Cast", [width], "/gqa/TotalLength", to=6)
        return seqlens, total, last

    def rotary_caches(self) -> tuple[str, str]:
        """cos/sin tables for every position, computed by transformers' own rotary class
        so scaled variants (linear, llama3) match the exported model exactly."""
        import torch
        from transformers import LlamaConfig
        from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

        config = LlamaConfig(**{k: v for k, v in self.config.items() if k != "model_type"})
        rotary = LlamaRotaryEmbedding(config)
        positions = int(self.config.get("max_position_embeddings") or 2048)
        with torch.no_grad():
            cos, sin = rotary(torch.zeros(1), torch.arange(positions)[None, :])
        half = self.head_dim // 2
        return (
            self.add_init("/gqa/cos_cache", cos[0, :, :half].numpy().astype(np.float32)),
            self.add_init("/gqa/sin_cache", sin[0, :, :half].numpy().astype(np.float32)),
        )

    def fuse_attention(self, index: int, seqlens: str, total: str, cos: str, sin: str) -> None:
        from onnx import helper

        prefix = f"/model/layers.{index}/self_attn"
        projections = [self.node(f"{prefix}/{p}_proj/MatMul") for p in ("q", "k", "v")]
        source = {p.input[0] for p in projections}
        if len(source) != 1:
            raise _NotFusable(f"layer {index}: q/k/v read different inputs")
        packed = np.concatenate([self.weight(p.input[1]) for p in projections], axis=1)
        widths = [self.heads * self.head_dim, *(2 * [self.kv_heads * self.head_dim])]
        if packed.shape[1] != sum(widths):
            raise _NotFusable(f"layer {index}: unexpected projection widths")
        weight = self.add_init(f"model.layers.{index}.self_attn.qkv_proj.weight", packed)
        qkv = self.add_node("MatMul", [source.pop(), weight], f"{prefix}/qkv_proj/MatMul")
        present = [f"present.{index}.key", f"present.{index}.value"]
        past = [f"past_key_values.{index}.key", f"past_key_values.{index}.value"]
        for old in self.graph.node:  # the exported cache concatenation goes dead
            for slot, name in enumerate(old.output):
                if name in present:
                    old.output[slot] = f"{name}_unfused"
        output = f"{prefix}/GroupQueryAttention_output_0"
        self.graph.node.append(
            helper.make_node(
                "GroupQueryAttention",
                [qkv, "", "", *past, seqlens, total, cos, sin],
                [output, *present],
                name=f"{prefix}/GroupQueryAttention",
                domain="com.microsoft",
                num_heads=self.heads,
                kv_num_heads=self.kv_heads,
                do_rotary=1,
                rotary_interleaved=0,
            )
        )
        self.node(f"{prefix}/o_proj/MatMul").input[0] = output

    def pack_gate_up(self, index: int) -> None:
        """The MLP's gate and up projections read the same input: one MatMul over the
        concatenated weights and a ``Split`` replace two (one thread-pool dispatch and
        one quantized kernel call fewer per layer, and a wider one that keeps both
        cores busy). The ``Split`` outputs keep the old names, so the SiLU and the
        product downstream are untouched."""
        from onnx import helper

        prefix = f"/model/layers.{index}/mlp"
        gate = self.node(f"{prefix}/gate_proj/MatMul")
        up = self.node(f"{prefix}/up_proj/MatMul")
        if gate.input[0] != up.input[0]:
            raise _NotFusable(f"layer {index}: gate/up read different inputs")
        gate_w, up_w = self.weight(gate.input[1]), self.weight(up.input[1])
        if gate_w.shape != up_w.shape:
            raise _NotFusable(f"layer {index}: gate/up shapes differ")
        packed = np.concatenate([gate_w, up_w], axis=1)
        weight = self.add_init(f"model.layers.{index}.mlp.gate_up_proj.weight", packed)
        both = self.add_node("MatMul", [gate.input[0], weight], f"{prefix}/gate_up_proj/MatMul")
        sizes = self.add_init(
            f"{prefix}/gate_up_split", np.array([gate_w.shape[1]] * 2, dtype=np.int64)
        )
        self.graph.node.append(
            helper.make_node(
                "Split",
                [both, sizes],
                [gate.output[0], up.output[0]],
                name=f"{prefix}/gate_up_proj/Split",
                axis=-1,
            )
        )
        self.graph.node.remove(gate)
        self.graph.node.remove(up)

    def gather_last_tokens(self, last_index: str) -> None:
        """The lm_head reads each row's last ``logits_count`` real tokens: row ``b``'s
        last is at ``min(seqlens_k[b], S - 1)`` - its length - 1 in a right-padded
        prompt, and ``S - 1`` in a decode step of ``S`` new tokens. One position is what
        every plain step needs; more let a prompt-lookup step check its drafted tokens
        (``decode.greedy_decode``) in the same run."""
        last = next((n for n in self.graph.node if n.name == "/lm_head/LastPosition"), None)
        if last is None:
            raise _NotFusable("/lm_head/LastPosition")
        from onnx import TensorProto, helper

        self.graph.input.append(helper.make_tensor_value_info(LOGITS_COUNT, TensorProto.INT64, [1]))
        hidden = last.input[0]
        one = ONE
        shape = self.add_node("Shape", ["input_ids"], "/lm_head/InputShape")
        width = self.add_node("Gather", [shape, one], "/lm_head/InputWidth", axis=0)
        final = self.add_node("Sub", [width, one], "/lm_head/FinalIndex")
        index = self.add_node("Min", [last_index, final], "/lm_head/RowIndex")
        count = self.add_node("Squeeze", [LOGITS_COUNT], "/lm_head/Count")
        first = self.add_node("Sub", [one, count], "/lm_head/FirstOffset")
        offsets = self.add_node("Range", [first, one, one], "/lm_head/Offsets")
        axis1 = self.add_init("/lm_head/axis1", np.array([1], dtype=np.int64))
        column = self.add_node("Unsqueeze", [index, axis1], "/lm_head/RowIndexColumn")
        spanned = self.add_node("Add", [column, offsets], "/lm_head/Positions")
        zero = self.add_init("/lm_head/zero", np.array(0, dtype=np.int64))
        kept = self.add_node("Max", [spanned, zero], "/lm_head/PositionsInRow")
        axis2 = self.add_init("/lm_head/axis2", np.array([2], dtype=np.int64))
        cube = self.add_node("Unsqueeze", [kept, axis2], "/lm_head/PositionsCube")
        hidden_size = int(self.config["hidden_size"])
        broadcast = self.add_init("/lm_head/expand", np.array([1, 1, hidden_size], dtype=np.int64))
        spread = self.add_node("Expand", [cube, broadcast], "/lm_head/RowIndexSpread")
        gathered = self.add_node("GatherElements", [hidden, spread], "/lm_head/LastToken", axis=1)
        for node in self.graph.node:
            for slot, name in enumerate(node.input):
                if name == last.output[0]:
                    node.input[slot] = gathered
        self.graph.node.remove(last)
        for output in self.graph.output:
            if output.name == "logits":
                output.type.tensor_type.shape.dim[1].dim_param = "logits_count"


def remove_dead_nodes(graph: Any) -> None:
    """Drop nodes, initializers and inputs nothing reaches the outputs through, and
    re-sort what is left topologically (nodes were appended at the end)."""
    needed = {o.name for o in graph.output}
    producers = {out: n for n in graph.node for out in n.output if out}
    live: list[Any] = []
    seen: set[int] = set()
    stack = [producers[name] for name in needed if name in producers]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        live.append(node)
        stack.extend(producers[name] for name in _reads(node) if name in producers)
    used = {name for node in live for name in _reads(node) if name}
    ordered = _topological(live, producers)
    del graph.node[:]
    graph.node.extend(ordered)
    kept_inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)
    kept_inputs = [i for i in graph.input if i.name in used]
    del graph.input[:]
    graph.input.extend(kept_inputs)
    kept_info = [v for v in graph.value_info if v.name in used or v.name in needed]
    del graph.value_info[:]
    graph.value_info.extend(kept_info)


def _reads(node: Any) -> list[str]:
    """A node's inputs, and the outer names its subgraphs (If/Loop bodies) read."""
    names = list(node.input)
    for attr in node.attribute:
        for sub in [attr.g, *attr.graphs]:
            for inner in sub.node:
                names.extend(_reads(inner))
    return names


def _topological(nodes: list[Any], producers: dict[str, Any]) -> list[Any]:
    live_ids = {id(n) for n in nodes}
    order: list[Any] = []
    placed: set[int] = set()
    for start in nodes:
        stack: list[tuple[Any, bool]] = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in placed:
                continue
            if expanded:
                placed.add(id(node))
                order.append(node)
                continue
            stack.append((node, True))
            for name in node.input:
                producer = producers.get(name)
                if producer is not None and id(producer) in live_ids and id(producer) not in placed:
                    stack.append((producer, False))
    return order


def fuse_skip_norms(model_path: Path) -> int:
    """``Add`` + ``SimplifiedLayerNormalization`` -> ``SkipSimplifiedLayerNormalization``
    (after ORT's own optimizer has fused the RMS norms). Returns how many were fused."""
    import onnx
    from onnx import helper

    model = onnx.load(str(model_path))
    graph = model.graph
    producers = {out: n for n in graph.node for out in n.output}
    outputs = {o.name for o in graph.output}
    initializers = {i.name for i in graph.initializer}
    fused = 0
    for norm in list(graph.node):
        if norm.op_type != "SimplifiedLayerNormalization" or len(norm.output) != 1:
            continue
        add = producers.get(norm.input[0])
        if add is None or add.op_type != "Add" or add.output[0] in outputs:
            continue
        if any(i in initializers for i in add.input):
            continue  # a bias add, not a residual
        axis = next((a.i for a in norm.attribute if a.name == "axis"), -1)
        if axis != -1:
            continue
        epsilon = next((a.f for a in norm.attribute if a.name == "epsilon"), 1e-5)
        skip = helper.make_node(
            "SkipSimplifiedLayerNormalization",
            [add.input[0], add.input[1], norm.input[1]],
            [norm.output[0], "", "", add.output[0]],
            name=norm.name.replace("SimplifiedLayerNorm", "SkipSimplifiedLayerNorm") + "/Skip",
            domain="com.microsoft",
            epsilon=epsilon,
        )
        position = list(graph.node).index(add)
        graph.node.remove(norm)
        graph.node.remove(add)
        graph.node.insert(position, skip)
        fused += 1
    if fused:
        onnx.save(model, str(model_path))
    return fused


def _set_metadata(model: Any, key: str, value: str) -> None:
    for prop in model.metadata_props:
        if prop.key == key:
            prop.value = value
            return
    entry = model.metadata_props.add()
    entry.key, entry.value = key, value
