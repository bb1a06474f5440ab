"""Fixtures shared by the whole suite.

* Every test runs with its own ``DESKDRAFT_HOME`` (no user config or data leaks in).
* ``shared_dir`` is ``../shared`` (real-world corpus and evaluation data); tests that
  need it skip with a clear reason only when the folder is absent. CI always has it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))


@pytest.fixture(autouse=True)
def deskdraft_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from plugin.config import settings

    home = tmp_path / "deskdraft-home"
    home.mkdir()
    monkeypatch.setenv("DESKDRAFT_HOME", str(home))
    monkeypatch.delenv("DESKDRAFT_CONFIG", raising=False)
    for name in list(os.environ):
        if name.startswith("DESKDRAFT_") and name not in {"DESKDRAFT_HOME", "DESKDRAFT_SHARED",
                                                          "DESKDRAFT_MODEL_CACHE"}:
            monkeypatch.delenv(name, raising=False)
    settings.cache_clear()
    yield home
    settings.cache_clear()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): the real-world corpus is not available")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"
