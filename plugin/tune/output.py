"""A tuned model becomes a model folder: merge the adapter, run the build, publish.

Everything is written into ``models/.partial-<name>-<pid>/`` and renamed to
``models/<name>/`` only when the build and the manifest are complete, so an interrupted
tune, a full disk or a failed export never leaves a folder that passes for a model.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

from connectors.errors import BadInputError, ConfigError, ResourceError
from plugin.engine import manifest as mf

PARTIAL_PREFIX = ".partial-"


def parent_checkpoint(model_dir: Path) -> Path:
    """The fp32 Hugging Face checkpoint a built model was made from."""
    data = mf.read(model_dir)
    if data is None:
        raise ConfigError("not a built model directory (no manifest.json)", item=str(model_dir))
    candidates = [model_dir / "hf"]
    if data.get("source_path"):
        candidates.append(Path(str(data["source_path"])))
    for folder in candidates:
        if (folder / "config.json").is_file():
            return folder
    raise ConfigError(
        "this model has no fp32 checkpoint to tune",
        item=str(model_dir),
        hint="rebuild it with `deskdraft model build --force`",
    )


def _disk_full(exc: OSError, where: Path) -> ResourceError:
    return ResourceError(
        f"the disk filled up while writing the tuned model ({exc.filename})",
        item=str(where),
        hint="free some space and run `deskdraft model tune` again",
    )


def publish(
    merged: Any,
    tokenizer: Any,
    parent_dir: Path,
    dest: Path,
    extra: dict[str, Any],
    *,
    quiet: bool = False,
    variants: list[str] | None = None,
) -> Path:
    """Save ``merged`` (a transformers model) and build it into ``dest`` atomically, with
    the build's default variants unless ``variants`` names them."""
    from plugin.engine.build import build

    if (dest / mf.MANIFEST).exists():
        raise ConfigError(
            "a model with this name exists already", item=str(dest), hint="pick another --name"
        )
    partial = dest.parent / f"{PARTIAL_PREFIX}{dest.name}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir(parents=True)
        checkpoint = partial / "hf"
        merged.save_pretrained(checkpoint, safe_serialization=True)
        tokenizer.save_pretrained(checkpoint)
        build(
            partial,
            checkpoint=checkpoint,
            variants=variants,
            quiet=quiet,
            force=True,
            with_embeddings=False,
        )
        data = mf.read(partial)
        if data is None:
            raise BadInputError("the build of the tuned model did not finish", item=str(dest))
        parent_embed = parent_dir / "embed"
        if (parent_embed / "model.onnx").is_file():
            shutil.copytree(parent_embed, partial / "embed")
            files = [p for p in (partial / "embed").rglob("*") if p.is_file()]
            embed_hashes = mf.tree_hashes(partial, files)
            data["outputs"].update(embed_hashes)
            data["output_sizes"].update(
                {rel: (partial / rel).stat().st_size for rel in embed_hashes}
            )
            data["embeddings"] = "embed"
        data.update(extra, name=dest.name, source_path=str(dest / "hf"))
        mf.write(partial, data)
        os.replace(partial, dest)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if exc.errno == errno.ENOSPC:
            raise _disk_full(exc, dest) from None
        raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return dest


def remove_partials(models: Path) -> list[Path]:
    """Leftovers of tunes that were killed mid-build (never loaded: no final name)."""
    removed = []
    for folder in models.glob(f"{PARTIAL_PREFIX}*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
