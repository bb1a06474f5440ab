"""Which MatMuls of SmolLM2 suffer most from 4-bit weights: the measurement behind the
mixed-precision recipe (``export.SENSITIVE_4BIT``).

    python bench/sensitivity.py [--model-dir DIR] [--mails 8] [--block 32]

Calibration data: the first ``--mails`` mails of ../shared/data/aeslc-train (never the
dev mails the variants are judged on), in the subject-line prompt. For every projection
of the fp32 checkpoint (``hf/``) the inputs it sees on those prompts are captured, and
its sensitivity is the relative output error of symmetric round-to-nearest 4-bit
weights in blocks of ``--block`` (what ``MatMulNBits`` stores):
``||X (W - Q(W))|| / ||X W||``. q/k/v and gate/up are measured packed, as the fused
graph runs them. Prints the ranking; the last stdout line is JSON (graph node name ->
error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

GROUPS = {
    "qkv_proj": ("q_proj", "k_proj", "v_proj"),
    "o_proj": ("o_proj",),
    "gate_up_proj": ("gate_proj", "up_proj"),
    "down_proj": ("down_proj",),
}


def quantize_rtn(weight, bits: int, block: int):  # torch [out, in] -> dequantized copy
    import torch

    out_features, in_features = weight.shape
    blocks = weight.reshape(out_features, in_features // block, block)
    top = 2 ** (bits - 1) - 1
    scale = blocks.abs().amax(dim=-1, keepdim=True).clamp(min=1e-12) / top
    return (torch.round(blocks / scale).clamp(-top - 1, top) * scale).reshape_as(weight)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", default=None)
    parser.add_argument("--mails", type=int, default=8)
    parser.add_argument("--block", type=int, default=32)
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.engine.build import DEFAULT_NAME
    from plugin.engine.evaluate import MAX_BODY_CHARS, PROMPT, SYSTEM

    cache = Path(os.environ.get("DESKDRAFT_MODEL_CACHE", Path.home() / ".cache/deskdraft-bench"))
    hf = Path(args.model_dir or cache / DEFAULT_NAME) / "hf"
    tokenizer = AutoTokenizer.from_pretrained(hf)
    model = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32).eval()
    # Training mails carry one subject and no annotations: only their bodies are used.
    files = sorted((SHARED / "data" / "aeslc-train").glob("*.subject"))[: args.mails]
    bodies = [
        f.read_text(encoding="utf-8", errors="replace").partition("\n@subject")[0] for f in files
    ]
    inputs: dict[str, list] = {}

    def keep(name: str):
        def hook(_module, args_in, _out) -> None:
            inputs.setdefault(name, []).append(args_in[0].reshape(-1, args_in[0].shape[-1]))

        return hook

    layers = model.model.layers
    for index, layer in enumerate(layers):
        for group, members in GROUPS.items():
            module = getattr(
                layer.self_attn if group in ("qkv_proj", "o_proj") else layer.mlp, members[0]
            )
            module.register_forward_hook(keep(f"{index}/{group}"))
    with torch.inference_mode():
        for body in bodies:
            messages = [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": PROMPT.format(body=body[:MAX_BODY_CHARS])},
            ]
            text = tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True
            )
            model(**tokenizer(text, return_tensors="pt", add_special_tokens=False))
        errors: dict[str, float] = {}
        for index, layer in enumerate(layers):
            for group, members in GROUPS.items():
                parent = layer.self_attn if group in ("qkv_proj", "o_proj") else layer.mlp
                weight = torch.cat([getattr(parent, m).weight for m in members], dim=0)
                x = torch.cat(inputs[f"{index}/{group}"])
                exact = x @ weight.T
                error = x @ (weight - quantize_rtn(weight, 4, args.block)).T
                kind = "self_attn" if group in ("qkv_proj", "o_proj") else "mlp"
                name = f"/model/layers.{index}/{kind}/{group}/MatMul"
                errors[name] = round(float(error.norm() / exact.norm()), 5)
    ranking = sorted(errors.items(), key=lambda item: -item[1])
    for name, error in ranking:
        print(f"{error:8.4f}  {name}", file=sys.stderr)
    print(json.dumps(dict(ranking)))


if __name__ == "__main__":
    main()
