"""Tiny randomly initialised checkpoints built from configs, for fast engine tests.

They produce gibberish, deterministically: good for the plumbing (batching, stop
strings, streaming, truncation, export, manifests), never for quality.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}"
)
#: A little English so the BPE learns real merges; the tiny models never see it otherwise.
CORPUS = [
    "Please review the quarterly budget report before the meeting on Friday.",
    "The gas pipeline capacity was discussed with the trading desk in Houston.",
    "Can we move our call to Tuesday at 10am? I have a conflict on Monday.",
    "Attached is the draft contract for the new power plant in California.",
    "Thanks for your help with the presentation; the board liked it a lot.",
    "Summary: the deal closes next week, pending legal review of the terms.",
    "Action items: send the invoice, update the schedule, call the vendor.",
    "Résumé, naïve café — unicode text with accents and symbols: €, ✓, 日本語.",
]


def _bpe_tokenizer(specials: list[str], vocab_size: int = 600):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token=None, byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(CORPUS * 4, trainer)
    return tokenizer


def _save_random(
    folder: Path,
    model_class: Any,
    config: Any,
    tokenizer: Any,
    seed: int,
    adjust: Callable[[Any], None] | None = None,
) -> Path:
    """Build ``model_class(config)`` from ``seed`` and save it with its tokenizer."""
    import torch

    torch.manual_seed(seed)
    model = model_class(config)
    if adjust is not None:
        adjust(model)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def make_tiny_llama(
    folder: Path,
    *,
    seed: int = 0,
    head_dim: int = 16,
    rope_scaling: dict | None = None,
    layers: int = 2,
) -> Path:
    """A ``layers``-layer (default 2) Llama with a ChatML tokenizer: eos/pad ``<|im_end|>``, no BOS.

    ``head_dim`` 16 lets the build fuse its attention (``plugin.engine.fuse``); 8 does
    not, which keeps the graph as exported (the path other architectures take).
    ``rope_scaling`` goes into the config as is (linear, llama3, ...)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    raw = _bpe_tokenizer(["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw,
        eos_token="<|im_end|>",
        pad_token="<|im_end|>",
        unk_token="<|endoftext|>",
        padding_side="left",
    )
    tokenizer.chat_template = CHATML
    end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=4 * head_dim,
        intermediate_size=64,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        rope_scaling=rope_scaling,
        tie_word_embeddings=True,
        eos_token_id=end,
        pad_token_id=end,
        bos_token_id=tokenizer.convert_tokens_to_ids("<|im_start|>"),
    )

    def adjust(model: Any) -> None:
        # Random init gives near-uniform logits; widen them so greedy picks are stable.
        with torch.no_grad():
            model.model.embed_tokens.weight.mul_(25.0)
        model.generation_config.eos_token_id = end
        model.generation_config.pad_token_id = end

    return _save_random(folder, LlamaForCausalLM, config, tokenizer, seed, adjust)


def make_tiny_t5(folder: Path, *, seed: int = 0) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    raw = _bpe_tokenizer(["<pad>", "</s>", "<unk>"])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_ff=64,
        d_kv=8,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    return _save_random(folder, T5ForConditionalGeneration, config, tokenizer, seed)


def make_tiny_bert(folder: Path, *, seed: int = 0) -> Path:
    """A 2-layer BERT with a WordPiece vocabulary, standing in for MiniLM."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import re

    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted({w.lower() for line in CORPUS for w in re.findall(r"\w+|[^\w\s]", line)})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(specials + words) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab))
    config = BertConfig(
        vocab_size=len(specials) + len(words),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    return _save_random(folder, BertModel, config, tokenizer, seed)


def fp32_graph(model_dir: Path) -> Any:  # -> plugin.engine.kvcache.CausalGraph
    """The fp32 decoder of a built model directory, on one thread, for the decode loop."""
    import onnxruntime as ort

    from plugin.engine.kvcache import CausalGraph

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        str(model_dir / "llm" / "fp32" / "model.onnx"), options, providers=["CPUExecutionProvider"]
    )
    return CausalGraph.from_session(session)


def decode_ids(
    graph: Any, prompts: list[list[int]], **kwargs: Any
) -> tuple[list[str], dict[str, float]]:
    """``greedy_decode`` over token-id prompts, each text the chosen ids space-joined (so a
    test can count and compare tokens); 16 new tokens and no end token unless given."""
    from plugin.engine.decode import greedy_decode

    stats: dict[str, float] = {}
    kwargs.setdefault("max_new_tokens", 16)
    kwargs.setdefault("eos_ids", set())
    texts = greedy_decode(
        graph, prompts, pad_id=0, decode=lambda ids: " ".join(map(str, ids)), stats=stats, **kwargs
    )
    return texts, stats
