"""Build a model directory: convert, export, optimize, quantize, write the manifest.

Layout of a built directory (``data_dir()/models/<name>/`` by default)::

    manifest.json          sources, options, library versions, output hashes
    hf/                    the converted fp32 checkpoint (the GGUF build only)
    llm/fp32/model.onnx    plus tokenizer and config (Optimum loads it; see docs/model.md)
    llm/int8/model.onnx    one folder per compressed variant
    embed/model.onnx       all-MiniLM-L6-v2 for ``Engine.embed``

A build with the same inputs (source hashes, options, library versions) as the manifest
and intact outputs does nothing. The manifest is written last, so an interrupted build
never looks complete.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from connectors.errors import BadInputError, ResourceError, UsageError
from plugin.engine import export, locate, quality
from plugin.engine import manifest as mf
from plugin.engine.variants import VARIANTS

DEFAULT_NAME = "smollm2-135m-instruct"
#: The variant built besides fp32 when none is asked for and no recorded figures say
#: better (the bundled model builds what ``quality.recorded_default`` chooses). Which one
#: *runs* by default is chosen from the recorded figures (``quality.choose_default``).
DEFAULT_VARIANT = "int8"
ALL_VARIANTS = ("fp32", *VARIANTS)
#: Rough peak disk use of a default build (checkpoint + fp32 + one variant + temp files).
NEEDED_BYTES = 2_000_000_000


def default_model_dir() -> Path:
    from plugin.config import data_dir

    return data_dir() / "models" / DEFAULT_NAME


def outdated(data: dict[str, Any]) -> bool:
    """Built by an older deskdraft whose graph surgery has since changed (a rebuild gives
    the current, faster graph; the old one still works)."""
    options = data.get("options")
    return not isinstance(options, dict) or options.get("graph") != export.GRAPH_REVISION


def _check_free_space(folder: Path, needed: int) -> None:
    probe = folder
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free < needed:
        raise ResourceError(
            f"not enough disk space to build the model: {free / 1e6:.0f} MB free, "
            f"about {needed / 1e6:.0f} MB needed",
            item=str(folder),
            hint="free some space or set DESKDRAFT_HOME to a larger disk",
        )


class _Steps:
    """A step-level progress bar on stderr (each step is one long library call)."""

    def __init__(self, total: int, quiet: bool) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=total, desc="model build", unit="step", file=sys.stderr, disable=quiet, leave=True
        )

    def run(self, label: str, func: Callable[[], Any]) -> Any:
        self.bar.set_postfix_str(label)
        try:
            return func()
        finally:
            self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _disk_full(exc: OSError, dest: Path) -> ResourceError:
    return ResourceError(
        f"the disk is full while writing {exc.filename or dest}",
        item=str(dest),
        hint="free some space (a build needs about 2 GB) and run `deskdraft model build` again",
    )


def build(
    dest: Path | None = None,
    *,
    checkpoint: Path | None = None,
    variants: Sequence[str] | None = None,
    embeddings: Path | None = None,
    quiet: bool = False,
    force: bool = False,
    with_embeddings: bool = True,
) -> tuple[Path, bool]:
    """Build (or find up to date) a model directory. Returns ``(dir, built_now)``.

    ``checkpoint`` None means the bundled SmolLM2 GGUF; otherwise a local HF checkpoint
    folder (causal LM or seq2seq) or another ``.gguf`` file. ``embeddings`` None means the
    bundled MiniLM; ``with_embeddings`` False exports none (a tuned model copies its
    parent's).
    """
    wanted = list(dict.fromkeys(["fp32", *(variants or [DEFAULT_VARIANT])]))
    unknown = [v for v in wanted if v not in ALL_VARIANTS]
    if unknown:
        raise UsageError(
            f"unknown variant {unknown[0]!r}", hint=f"one of {', '.join(ALL_VARIANTS)}"
        )
    gguf: Path | None = None
    if checkpoint is not None:
        checkpoint = checkpoint.expanduser().resolve()
        if checkpoint.suffix == ".gguf" and checkpoint.is_file():
            gguf, checkpoint = checkpoint, None
            kind = "causal-lm"
            source_files = {gguf.name: gguf}
        else:
            kind = export.checkpoint_kind(checkpoint)
            source_files = {
                p.name: p for p in sorted(checkpoint.iterdir()) if p.is_file() and p.stat().st_size
            }
        origin = gguf or checkpoint
        assert origin is not None
        path_hash = hashlib.sha256(str(origin).encode()).hexdigest()[:8]
        name = f"{origin.stem if gguf else origin.name}-{path_hash}"
    else:
        kind = "causal-lm"
        gguf = locate.find_gguf()
        source_files = {gguf.name: gguf}
        name = DEFAULT_NAME
    if kind == "seq2seq":
        wanted = ["fp32"]  # the weight-only variants are tuned for the decoder-only graph
    embed_src = (
        (embeddings if embeddings is not None else _bundled_minilm()) if with_embeddings else None
    )
    if embed_src is not None:
        source_files.update(
            {f"embed/{p.name}": p for p in sorted(embed_src.iterdir()) if p.is_file()}
        )
    from plugin.config import data_dir

    dest = (dest or data_dir() / "models" / name).expanduser()
    options = {
        "kind": kind,
        "task": export.SEQ2SEQ_TASK if kind == "seq2seq" else export.CAUSAL_TASK,
        "graph": export.GRAPH_REVISION,
    }
    try:
        sources = {key: mf.file_hash(path) for key, path in source_files.items()}
    except OSError as exc:
        raise BadInputError(f"cannot read a source file: {exc}", item=exc.filename) from None
    if variants is None and gguf is not None:
        # The bundled model: build the variant its recorded quality figures choose.
        recorded = quality.recorded_default(sources[gguf.name])
        if recorded is not None:
            wanted = ["fp32", recorded]
    key = mf.build_key(sources, options)
    old = mf.read(dest)
    if (
        not force
        and old
        and old.get("key") == key
        and all(v in old.get("variants", {}) for v in wanted)
        and mf.outputs_intact(dest, old)
    ):
        if old.get("name") != name:
            # Builds before 3 Dec 2026 recorded a variant's name ("int8") as the bundled
            # model's: mend the label, the weights are current.
            mf.write(dest, {**old, "name": name})
        return dest, False

    from filelock import FileLock

    dest.mkdir(parents=True, exist_ok=True)
    with FileLock(str(dest / ".build.lock")):
        old = mf.read(dest)  # another process may have finished it while we waited
        if (
            not force
            and old
            and old.get("key") == key
            and all(v in old.get("variants", {}) for v in wanted)
            and mf.outputs_intact(dest, old, deep=False)
        ):
            return dest, False
        needed = (
            NEEDED_BYTES
            if checkpoint is None
            else 3 * sum(p.stat().st_size for p in source_files.values())
        )
        _check_free_space(dest, needed)
        kept = old if old and old.get("key") == key else None
        # Until the new manifest is written, nothing here may pass for a finished build.
        (dest / mf.MANIFEST).unlink(missing_ok=True)
        try:
            data = _build_into(dest, checkpoint or gguf, kind, wanted, embed_src, kept, quiet)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise _disk_full(exc, dest) from None
            raise
        if gguf is not None:
            for variant, info in data["variants"].items():
                figures = quality.recorded_figures(
                    sources[gguf.name], variant, info.get("options") or {}
                )
                if figures is not None:
                    info["quality"] = figures
        data["default_variant"] = quality.choose_default(data["variants"])
        data.update(
            key=key,
            sources=sources,
            options=options,
            libraries=mf.library_versions(),
            name=name,
            source_path=str(checkpoint or gguf),
        )
        mf.write(dest, data)
    return dest, True


def _bundled_minilm() -> Path | None:
    try:
        return locate.find_minilm()
    except Exception:
        return None


def _build_into(
    dest: Path,
    source: Path,
    kind: str,
    wanted: list[str],
    embed_src: Path | None,
    kept: dict[str, Any] | None,
    quiet: bool,
) -> dict[str, Any]:
    started = time.monotonic()
    kept_variants = dict(kept.get("variants", {})) if kept else {}
    todo = [v for v in wanted if v not in kept_variants or (v == "fp32" and not kept)]
    fp32_dir = dest / "llm" / "fp32"
    from_gguf = source.suffix == ".gguf"
    steps_total = int(from_gguf) + 2 * len(todo) + (1 if embed_src else 0)
    steps = _Steps(max(steps_total, 1), quiet)
    try:
        if "fp32" in todo or not (fp32_dir / "model.onnx").is_file():
            if from_gguf:
                from plugin.engine.convert import gguf_to_hf

                gguf = source
                source = steps.run("convert GGUF", lambda: gguf_to_hf(gguf, dest / "hf"))
            shutil.rmtree(fp32_dir, ignore_errors=True)
            exporter = export.export_seq2seq if kind == "seq2seq" else export.export_causal
            steps.run("export ONNX", lambda: exporter(source, fp32_dir))
            if kind == "causal-lm":
                steps.run("optimize fp32", lambda: export.optimize(fp32_dir / "model.onnx"))
            kept_variants["fp32"] = {"path": "llm/fp32"}
        for name in todo:
            if name == "fp32":
                continue
            variant = VARIANTS[name]
            out = dest / "llm" / name
            shutil.rmtree(out, ignore_errors=True)
            steps.run(f"quantize {name}", lambda v=variant, o=out: export.quantize(fp32_dir, o, v))
            steps.run(f"optimize {name}", lambda o=out: export.optimize(o / "model.onnx"))
            kept_variants[name] = {"path": f"llm/{name}", "options": variant.options()}
        embed_dir = dest / "embed"
        if embed_src is not None and (kept is None or not (embed_dir / "model.onnx").is_file()):
            shutil.rmtree(embed_dir, ignore_errors=True)
            steps.run("export embeddings", lambda: export.export_features(embed_src, embed_dir))
    finally:
        steps.close()
    outputs_root = [dest / v["path"] for v in kept_variants.values()]
    if (dest / "embed").is_dir():
        outputs_root.append(dest / "embed")
    files = [p for root in outputs_root for p in root.rglob("*") if p.is_file()]
    hashes = mf.tree_hashes(dest, files)
    for info in kept_variants.values():
        info["size"] = sum(p.stat().st_size for p in (dest / info["path"]).glob("*.onnx*"))
    return {
        "format": mf.FORMAT,
        "kind": kind,
        "variants": kept_variants,
        "default_variant": quality.choose_default(kept_variants),
        "embeddings": "embed" if (dest / "embed" / "model.onnx").is_file() else None,
        "outputs": hashes,
        "output_sizes": {rel: (dest / rel).stat().st_size for rel in hashes},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(time.monotonic() - started, 1),
    }
