"""Benchmark the local model: PyTorch eager vs ONNX Runtime fp32 vs each compressed variant.

    python bench/model.py [--quick] [--mails N] [--model-dir DIR]

One run measures every backend, each in a fresh child process (so cold load and peak
RSS are its own), on real e-mails from ../shared/data/aeslc-dev asked for a one-line
summary, greedy, 48 new tokens each (end of text ignored so every backend decodes the
same number of tokens). Reported per backend: cold load, prefill ms, decode tokens/s,
end-to-end p50/p95, peak RSS, size on disk, weight bytes read per token and the fraction
of the memory-bandwidth bound reached (bytes per token / time per token / measured read
bandwidth). Variants are also compared with fp32 on the same prompts (exact agreement,
ROUGE-L between outputs). The table's rows take one token per run, as llama.cpp and
PyTorch do; one more row runs the default with prompt lookup (``engine/lookup.py``).
Then the product's own one-line summary (ranking, few-shot prompt, checks; it stops at
the line's end) is timed on the default variant, one mail at a time: with the full
prompt prefilled, from the shared-prefix cache, and from the cache with prompt lookup;
``oneline_p50_ms`` (the issue's "p50 of a one-line summary, batch of one") is the mode
the default runs in as shipped. The LAST stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import llamacpp  # noqa: E402  (bench/llamacpp.py, next to this file)
from model_backends import (  # noqa: E402  (bench/model_backends.py, likewise)
    NEW_TOKENS,
    measure_bandwidth,
    oneline_worker,
    ort_worker,
    peak_rss_mb,
    prompt_ids,
    torch_worker,
    weight_bytes_per_token,
)


def _mails(count: int) -> list[Any]:
    from plugin.engine.evaluate import load_aeslc

    shared = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
    folder = shared / "data" / "aeslc-dev"
    if not folder.is_dir():
        sys.exit(f"bench/model.py: {folder} is absent; the benchmark needs the real mails")
    return load_aeslc(folder, count)


# -- child process: one backend ---------------------------------------------------------


def worker(args: argparse.Namespace) -> None:
    mails = _mails(args.mails)
    model_dir = Path(args.model_dir)
    if args.worker in llamacpp.BACKENDS:
        ids = prompt_ids(model_dir, mails)
        result = llamacpp.worker(
            args.worker, model_dir, ids, args.threads, NEW_TOKENS, args.prompt_lookup
        )
    elif args.worker == "pytorch":
        result = torch_worker(model_dir, mails, args.threads)
    else:
        run = oneline_worker if args.oneline else ort_worker
        result = run(
            model_dir,
            args.worker,
            mails,
            args.threads,
            prefix_cache=not args.no_prefix_cache,
            prompt_lookup=args.prompt_lookup,
        )
    result["rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# -- parent: run every backend, compare -------------------------------------------------


def _summary(name: str, raw: dict[str, Any], per_token_bytes: int, bandwidth: float) -> dict:
    rows = raw["rows"]
    prefill = [r[0] for r in rows]
    decode = [r[1] for r in rows]
    totals = sorted(r[2] for r in rows)
    tok_s = (NEW_TOKENS - 1) * len(rows) / sum(decode)
    # The weights are read once per model run; with prompt lookup a run yields several
    # tokens, so the bound is on runs, not tokens.
    runs_s = sum(raw["runs"]) / sum(decode) if raw.get("runs") else tok_s
    return {
        "backend": name,
        "load_s": round(raw["load_s"], 2),
        "prefill_ms": round(1000 * statistics.mean(prefill), 1),
        "decode_tokens_per_s": round(tok_s, 1),
        "p50_ms": round(1000 * statistics.median(totals), 1),
        "p95_ms": round(1000 * totals[min(len(totals) - 1, int(0.95 * len(totals)))], 1),
        "rss_mb": round(raw["rss_mb"], 1),
        "size_mb": round(raw["size_bytes"] / 1e6, 1),
        "weight_mb_per_token": round(per_token_bytes / 1e6, 1),
        "bandwidth_fraction": round(per_token_bytes * runs_s / bandwidth, 3),
    }


def _run_child(name: str, model_dir: Path, mails: int, threads: int, *extra: str) -> dict:
    """One backend in a fresh process (its own cold load and peak RSS)."""
    command = [
        sys.executable,
        __file__,
        "--worker",
        name,
        "--model-dir",
        str(model_dir),
        "--mails",
        str(mails),
        "--threads",
        str(threads),
        *extra,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench/model.py: backend {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _compare_prefix_cache(
    args: argparse.Namespace, model_dir: Path, default: str, bandwidth: float
) -> None:
    """Prefill and p50 of the default variant without, then with, the shared-prefix
    cache (the system turn of every prompt), in one run; the answers must not change."""
    from plugin.engine.evaluate import agreement

    per_token = weight_bytes_per_token(
        model_dir
        / json.loads((model_dir / "manifest.json").read_text())["variants"][default]["path"]
        / "model.onnx"
    )
    runs = {}
    answers = {}
    for label, extra in (("full prefill", ("--no-prefix-cache",)), ("prefix cache", ())):
        raw = _run_child(default, model_dir, args.mails, args.threads, *extra)
        runs[label] = _summary(f"{default} {label}", raw, per_token, bandwidth)
        answers[label] = raw["answers"]
        print(json.dumps(runs[label]), file=sys.stderr)
    full, cached = runs["full prefill"], runs["prefix cache"]
    same = agreement(answers["prefix cache"], answers["full prefill"])["exact_agreement"]
    print(f"\n{'mode':14} {'prefill ms':>10} {'p50 ms':>8} {'p95 ms':>8} {'tok/s':>6}")
    for label, r in runs.items():
        print(
            f"{label:14} {r['prefill_ms']:10.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} "
            f"{r['decode_tokens_per_s']:6.1f}"
        )
    print(
        json.dumps(
            {
                "default_variant": default,
                "mails": args.mails,
                "prefill_ms": {"full": full["prefill_ms"], "prefix_cache": cached["prefill_ms"]},
                "p50_ms": {"full": full["p50_ms"], "prefix_cache": cached["p50_ms"]},
                "prefill_speedup": round(full["prefill_ms"] / cached["prefill_ms"], 2),
                "p50_speedup": round(full["p50_ms"] / cached["p50_ms"], 2),
                "same_answers": same,
                "oneline": _compare_oneline(args, model_dir, default),
                "load_average": os.getloadavg()[0],
            }
        )
    )


#: The one-line summary's modes, each a child run: the full prompt prefilled, the cached
#: few-shot head, and the cached head with prompt lookup.
ONELINE_MODES = {
    "full_prefill": ("--no-prefix-cache",),
    "prefix_cache": (),
    "prompt_lookup": ("--prompt-lookup",),
}


def _compare_oneline(args: argparse.Namespace, model_dir: Path, default: str) -> dict:
    """p50 of the product's one-line summary, batch of one, in each of ``ONELINE_MODES``
    in one run, and the share of lines each mode keeps from the full prefill (the prefix
    cache all of them; prompt lookup all in fp32; with int8 it decodes in wide steps,
    whose lines are not always the one-token loop's). ``as_shipped``: the mode the
    default variant runs in (prompt lookup only where the plain loop is exact)."""
    from plugin.engine import lookup

    data = json.loads((model_dir / "manifest.json").read_text())
    needs_wide = lookup.needs_wide_steps(data["variants"][default])
    shipped = "prefix_cache" if needs_wide else "prompt_lookup"
    runs = {}
    for label, extra in ONELINE_MODES.items():
        runs[label] = _run_child(default, model_dir, args.mails, args.threads, "--oneline", *extra)
    p50 = {label: round(1000 * statistics.median(r["oneline_s"]), 1) for label, r in runs.items()}
    base = runs["full_prefill"]["lines"]
    same = {
        label: round(sum(a == b for a, b in zip(r["lines"], base, strict=True)) / len(base), 3)
        for label, r in runs.items()
        if label != "full_prefill"
    }
    model_share = runs[shipped]["paths"].count("abstractive") / len(base)
    print(
        f"one-line summary, batch of one ({args.mails} mails): p50 {p50['full_prefill']:.0f} ms "
        f"full prefill, {p50['prefix_cache']:.0f} ms from the cached examples, "
        f"{p50['prompt_lookup']:.0f} ms with prompt lookup too; as shipped: {shipped}; "
        f"same lines as the full prefill {same['prefix_cache']:.0%} / "
        f"{same['prompt_lookup']:.0%}, model-written {model_share:.0%}",
        file=sys.stderr,
    )
    return {
        "p50_ms": p50,
        "as_shipped": shipped,
        "same_lines": same,
        "model_written": round(model_share, 3),
    }


def _llama_ratios(
    best: dict[str, Any], results: dict[str, dict[str, Any]], suffix: str = ""
) -> dict:
    """The default variant against each llama.cpp build (>1: ours is better); ``suffix``
    "+lookup": against the builds' prompt-lookup rows."""
    ratios = {}
    for name in llamacpp.BACKENDS:
        other = results.get(name + suffix)
        if other is None:
            continue
        ratios[name] = {
            "decode_tokens_per_s": round(
                best["decode_tokens_per_s"] / other["decode_tokens_per_s"], 2
            ),
            "prefill": round(other["prefill_ms"] / best["prefill_ms"], 2),
            "p50": round(other["p50_ms"] / best["p50_ms"], 2),
            "rss": round(other["rss_mb"] / best["rss_mb"], 2),
        }
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer mails (finishes in ~3 min)")
    parser.add_argument("--mails", type=int, default=None, help="mails per backend")
    parser.add_argument("--model-dir", help="a built model dir (default: build/find the default)")
    parser.add_argument("--threads", type=int, default=0, help="0: one per physical core")
    parser.add_argument(
        "--prefix-cache",
        action="store_true",
        help="only the default variant, with and without the shared-prefix cache",
    )
    parser.add_argument("--backends", default="", help="comma-separated subset to run")
    parser.add_argument("--no-prefix-cache", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--oneline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prompt-lookup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads <= 0:
        import psutil

        args.threads = psutil.cpu_count(logical=False) or 1
    if args.mails is None:
        args.mails = 20 if args.quick else 30
    if args.worker:
        worker(args)
        return

    from plugin.engine import quality
    from plugin.engine.build import ALL_VARIANTS, build, default_model_dir
    from plugin.engine.evaluate import agreement

    started = time.perf_counter()
    given = Path(args.model_dir) if args.model_dir else None
    if given is not None and (given / "manifest.json").is_file():
        # A built model that is named is measured as it is. build() rebuilds any folder
        # whose key is not the bundled GGUF's, which replaced a tuned model with the
        # default one (bench/tune.py, 2 Dec 2026).
        model_dir, built = given, False
    else:
        model_dir, built = build(
            given or default_model_dir(), variants=list(ALL_VARIANTS), quiet=True
        )
    build_s = time.perf_counter() - started
    data = json.loads((model_dir / "manifest.json").read_text())
    default = quality.default_variant(data)  # as the engine chooses it today
    bandwidth = measure_bandwidth(args.threads)
    print(
        f"model: {model_dir} (built now: {built}, {build_s:.0f} s); "
        f"read bandwidth {bandwidth / 1e9:.1f} GB/s, {args.threads} threads",
        file=sys.stderr,
    )

    if args.prefix_cache:
        _compare_prefix_cache(args, model_dir, default, bandwidth)
        return
    backends = ["pytorch", "fp32", *[v for v in data["variants"] if v != "fp32"]]
    if llamacpp.available():
        backends += list(llamacpp.BACKENDS)
    else:
        print(llamacpp.MISSING, file=sys.stderr)
    if args.backends:
        backends = [b for b in backends if b in args.backends.split(",") or b == default]
    results: dict[str, dict[str, Any]] = {}
    answers: dict[str, list[str]] = {}
    bytes_read: dict[str, int] = {}  # weight bytes per model run, by backend
    for name in backends:
        # The default variant and llama.cpp always get all mails; the others fewer in --quick.
        full = name == default or name in llamacpp.BACKENDS or not args.quick
        count = args.mails if full else max(6, args.mails // 3)
        raw = _run_child(name, model_dir, count, args.threads)
        if name in llamacpp.BACKENDS:
            # A tied head: llama.cpp reads the whole token table per token as the head.
            per_token = llamacpp.gguf_for(name, model_dir).stat().st_size
        else:
            onnx_name = "fp32" if name == "pytorch" else name
            per_token = weight_bytes_per_token(
                model_dir / data["variants"][onnx_name]["path"] / "model.onnx"
            )
        bytes_read[name] = per_token
        results[name] = _summary(name, raw, per_token, bandwidth)
        results[name]["mails"] = count
        if "answers" in raw:
            answers[name] = raw["answers"]
        print(json.dumps(results[name]), file=sys.stderr)

    # fp32 (where lookup is on by itself), the default and llama.cpp again with prompt
    # lookup (llama.cpp with llama-cpp-python's own): the rows above take one token per
    # run. The 48 forced tokens run on past the answer's end, where the model often
    # repeats the mail, so these tok/s flatter; the one-line p50 below stops at the
    # line's end.
    for name in [n for n in ("fp32", default, *llamacpp.BACKENDS) if n in results]:
        lookup_name = f"{name}+lookup"
        count = results[name]["mails"]
        raw = _run_child(name, model_dir, count, args.threads, "--prompt-lookup")
        results[lookup_name] = _summary(lookup_name, raw, bytes_read[name], bandwidth)
        results[lookup_name]["mails"] = count
        if "answers" in raw:
            answers[lookup_name] = raw["answers"]
        print(json.dumps(results[lookup_name]), file=sys.stderr)

    for name, texts in answers.items():
        if name != "fp32" and "fp32" in answers:
            shared = min(len(texts), len(answers["fp32"]))
            results[name].update(agreement(texts[:shared], answers["fp32"][:shared]))

    print(
        f"\n{'backend':14} {'load s':>7} {'prefill':>8} {'tok/s':>6} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'RSS MB':>7} {'size MB':>8} {'bw frac':>7}"
    )
    for r in results.values():
        print(
            f"{r['backend']:14} {r['load_s']:7.2f} {r['prefill_ms']:8.1f} "
            f"{r['decode_tokens_per_s']:6.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} "
            f"{r['rss_mb']:7.0f} {r['size_mb']:8.1f} {r['bandwidth_fraction']:7.3f}"
        )
    best = results[default]
    oneline = _compare_oneline(args, model_dir, default)
    print(
        json.dumps(
            {
                "default_variant": default,
                "speedup_vs_pytorch": round(
                    best["decode_tokens_per_s"] / results["pytorch"]["decode_tokens_per_s"], 2
                )
                if "pytorch" in results
                else None,
                "decode_tokens_per_s": best["decode_tokens_per_s"],
                "prefill_ms": best["prefill_ms"],
                "p50_ms": best["p50_ms"],
                "p95_ms": best["p95_ms"],
                "rss_mb": best["rss_mb"],
                "load_s": best["load_s"],
                "bandwidth_fraction": best["bandwidth_fraction"],
                "bandwidth_gb_s": round(bandwidth / 1e9, 2),
                "oneline_p50_ms": oneline["p50_ms"][oneline["as_shipped"]],
                "oneline": oneline,
                # each as it runs by default
                "vs_llama_cpp": _llama_ratios(best, results),
                # prompt lookup on both sides (ours asked for: wide steps with int8)
                "vs_llama_cpp_lookup": _llama_ratios(
                    results.get(f"{default}+lookup", best), results, "+lookup"
                ),
                "load_average": os.getloadavg()[0],
                "backends": results,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
