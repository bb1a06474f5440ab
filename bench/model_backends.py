"""bench/model.py's backends, each run in its own child process: PyTorch eager, our ONNX
Runtime engine (any variant), and the prompt token ids the llama.cpp backends
(``llamacpp.py``) are given. Every backend answers the same one-line summary request;
``oneline_worker`` times the product's own one-line summary path on the engine; and the
memory traffic a decode step costs (the bandwidth bound).
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

NEW_TOKENS = 48
SYSTEM = "You summarize e-mails in one line."
ASK = "Summarize this e-mail in one line.\n\nE-mail:\n{body}"


def torch_worker(model_dir: Path, mails: list[Any], threads: int) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.generation.streamers import BaseStreamer

    torch.set_num_threads(threads)
    started = time.perf_counter()
    hf = model_dir / "hf"
    tokenizer = AutoTokenizer.from_pretrained(hf)
    model = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32).eval()
    load_s = time.perf_counter() - started

    class FirstToken(BaseStreamer):
        def __init__(self) -> None:
            self.calls = 0
            self.first = 0.0

        def put(self, value: Any) -> None:
            self.calls += 1
            if self.calls == 2:  # the first put is the prompt
                self.first = time.perf_counter()

        def end(self) -> None:
            pass

    def run(mail: Any) -> tuple[float, float, float, str]:
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": ASK.format(body=mail.body[:1500])},
        ]
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        batch = tokenizer(text, return_tensors="pt", add_special_tokens=False)
        streamer = FirstToken()
        start = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(
                **batch,
                max_new_tokens=NEW_TOKENS,
                min_new_tokens=NEW_TOKENS,
                do_sample=False,
                streamer=streamer,
                pad_token_id=tokenizer.pad_token_id,
            )
        end = time.perf_counter()
        new = out[0, batch["input_ids"].shape[1] :]
        return streamer.first - start, end - streamer.first, end - start, tokenizer.decode(new)

    run(mails[0])  # warm-up
    rows = [run(m) for m in mails]
    return {"load_s": load_s, "rows": rows, "size_bytes": (hf / "model.safetensors").stat().st_size}


def _engine(
    model_dir: Path, variant: str, threads: int, prefix_cache: bool, prompt_lookup: bool | None
) -> Any:
    from plugin.engine.runtime import Engine

    return Engine(
        model_dir,
        variant=variant,
        threads=threads,
        prefix_cache=prefix_cache,
        prompt_lookup=prompt_lookup,
    )


def ort_worker(
    model_dir: Path,
    variant: str,
    mails: list[Any],
    threads: int,
    prefix_cache: bool = True,
    prompt_lookup: bool = False,
) -> dict[str, Any]:
    """Our engine on the bench prompts. ``prompt_lookup`` off by default: the table
    compares one token per run with llama.cpp and PyTorch, which do the same."""
    started = time.perf_counter()
    engine = _engine(model_dir, variant, threads, prefix_cache, prompt_lookup)
    load_s = time.perf_counter() - started
    prompts = [engine.chat_prompt(ASK.format(body=m.body[:1500]), system=SYSTEM) for m in mails]
    engine.generate(prompts[:1], max_new_tokens=8)  # warm-up
    rows, runs = [], []
    for prompt in prompts:
        start = time.perf_counter()
        [text] = engine.generate([prompt], max_new_tokens=NEW_TOKENS, ignore_eos=True)
        total = time.perf_counter() - start
        stats = engine.last_stats
        rows.append((stats["prefill_s"], stats["decode_s"], total, text))
        runs.append(stats["runs"])
    folder = model_dir / engine.manifest["variants"][variant]["path"]
    # The answers as a user gets them (stopping at end of text), batched, for agreement.
    answers = engine.generate(prompts, max_new_tokens=NEW_TOKENS)
    return {
        "load_s": load_s,
        "rows": rows,
        "runs": runs,
        "answers": answers,
        "size_bytes": sum(p.stat().st_size for p in folder.glob("*.onnx")),
    }


def oneline_worker(
    model_dir: Path,
    variant: str,
    mails: list[Any],
    threads: int,
    prefix_cache: bool = True,
    prompt_lookup: bool | None = None,
) -> dict[str, Any]:
    """The product's one-line summary (``summarize --style oneline``: ranking, the few-shot
    prompt, the checks, the strict retry), one mail at a time as a user clicks; wall ms each."""
    from connectors.document import Document
    from plugin.drafts.summary.summarize import SummaryDraft

    engine = _engine(model_dir, variant, threads, prefix_cache, prompt_lookup)
    documents = [
        Document(id=m.name, kind="email", source=f"{m.name}.subject", text=m.body) for m in mails
    ]
    options = {"style": "oneline", "batch_size": 1}
    SummaryDraft(engine).draft(documents[:1], options)  # warm-up: sessions, embedder, prefix
    elapsed, lines, paths = [], [], []
    for document in documents:
        start = time.perf_counter()
        [draft] = SummaryDraft(engine).draft([document], options)
        elapsed.append(time.perf_counter() - start)
        lines.append(draft.data["summary"])
        paths.append(draft.data["path"])
    return {"oneline_s": elapsed, "lines": lines, "paths": paths}


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ``ru_maxrss``: Linux carries that over from the parent
    across fork+exec, so every child would report at least the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prompt_ids(model_dir: Path, mails: list[Any]) -> list[list[int]]:
    """The token ids our engine prefills for each mail (its tokenizer and chat template),
    without loading an ONNX session: what the llama.cpp backends are given."""
    from tokenizers import Tokenizer

    from plugin.engine.chat import render_chat

    folder = model_dir / "llm" / "fp32"
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    template = (folder / "chat_template.jinja").read_text(encoding="utf-8")
    ids = []
    for mail in mails:
        text = render_chat(template, ASK.format(body=mail.body[:1500]), SYSTEM)
        ids.append(tokenizer.encode(text, add_special_tokens=True).ids)
    return ids


# -- what a token costs in memory traffic -------------------------------------------------


def measure_bandwidth(threads: int, megabytes: int = 512) -> float:
    """Best-of-5 memory read bandwidth in bytes/s, ``threads`` readers (numpy sums)."""
    import numpy as np

    data = np.ones(megabytes * (1 << 20) // 8, dtype=np.int64)
    parts = np.array_split(data, threads)
    best = 0.0
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(5):
            start = time.perf_counter()
            list(pool.map(np.sum, parts))
            best = max(best, data.nbytes / (time.perf_counter() - start))
    return best


def weight_bytes_per_token(model_file: Path) -> int:
    """Initializer bytes except the embedding table (a Gather reads one row of it)."""
    import onnx

    model = onnx.load(str(model_file))
    gathered = {n.input[0] for n in model.graph.node if n.op_type == "Gather"}
    total = 0
    for init in model.graph.initializer:
        if init.name in gathered and len(init.dims) == 2 and init.dims[0] > 10_000:
            continue
        total += len(init.raw_data) if init.raw_data else 0
    return total
