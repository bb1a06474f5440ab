"""Fixtures shared by the whole suite.

* Every test runs with its own ``DESKDRAFT_HOME`` (no user config or data leaks in).
* ``shared_dir`` is ``../shared`` (real-world corpus and evaluation data); tests that
  need it skip with a clear reason only when the folder is absent. CI always has it.

Engine fixtures (plugin/engine, see docs/model.md):

* ``tiny_engine`` (session): an ``Engine`` over a tiny random Llama + tiny random BERT,
  exported to ONNX once per session (seconds). Gibberish text; use it for plumbing
  (batching, stop strings, prompt building, embeddings shape/normalisation).
* ``tiny_model_dir`` (session): the built directory behind ``tiny_engine``.
* ``real_model_dir`` (session): the real default model (SmolLM2 + MiniLM), built once per
  test session into a temp dir (about 2-3 minutes), or into ``$DESKDRAFT_MODEL_CACHE``
  when set (then reused across sessions: a rebuild is a no-op).
* ``real_engine`` (function): sets ``DESKDRAFT_ENGINE_MODEL=real_model_dir`` for the test
  (so ``get_engine()`` and any subprocess/worker it starts use the real model) and returns
  ``get_engine()``. ``use_real_model`` does the same but returns the directory only, for
  tests that start workers. ``use_tiny_model`` does that for the tiny model.
  Mark tests using the real model ``@pytest.mark.integration``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))


def python_outside_repo(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter in ``cwd``, with only the repo on the path and
    ``../shared`` pointed at a folder that is not there: what a package needs at run time
    must come with it. Fails the test when the code fails."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(cwd),
            "PYTHONPATH": str(REPO),
            "DESKDRAFT_SHARED": str(cwd / "absent"),
        },
    )


#: The keys of every Document record (``Document.to_json``), in their order.
RECORD_KEYS = [
    "id",
    "kind",
    "source",
    "title",
    "from",
    "to",
    "cc",
    "date",
    "thread_key",
    "text",
    "quoted",
    "attachments",
]


@pytest.fixture(autouse=True)
def deskdraft_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from plugin.config import settings

    home = tmp_path / "deskdraft-home"
    home.mkdir()
    monkeypatch.setenv("DESKDRAFT_HOME", str(home))
    monkeypatch.delenv("DESKDRAFT_CONFIG", raising=False)
    for name in list(os.environ):
        if name.startswith("DESKDRAFT_") and name not in {
            "DESKDRAFT_HOME",
            "DESKDRAFT_SHARED",
            "DESKDRAFT_MODEL_CACHE",
        }:
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


# -- engine fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from plugin.engine.build import build
    from tests.engine.tiny import make_tiny_bert, make_tiny_llama

    root = tmp_path_factory.mktemp("tiny-model")
    llama = make_tiny_llama(root / "llama")
    bert = make_tiny_bert(root / "bert")
    folder, _ = build(
        root / "built", checkpoint=llama, embeddings=bert, variants=["fp32"], quiet=True
    )
    return folder


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_dir: Path):  # -> plugin.engine.runtime.Engine
    from plugin.engine.runtime import Engine

    return Engine(tiny_model_dir, threads=1, context_tokens=512)


@pytest.fixture
def use_tiny_model(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from plugin.config import settings

    monkeypatch.setenv("DESKDRAFT_ENGINE_MODEL", str(tiny_model_dir))
    settings.cache_clear()
    return tiny_model_dir


@pytest.fixture
def tiny_worker_env(
    deskdraft_home: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Environment for ``deskdraft worker`` processes on the tiny model (one ORT thread);
    this process gets the same settings."""
    from tests.jobs.helpers import use_worker_env

    return use_worker_env(
        deskdraft_home,
        monkeypatch,
        DESKDRAFT_ENGINE_MODEL=str(tiny_model_dir),
        DESKDRAFT_ENGINE_THREADS="1",
    )


@pytest.fixture
def tiny_worker_queue(tiny_worker_env: dict[str, str]):  # -> Iterator[JobQueue]
    """The job queue those workers serve."""
    from plugin.config import settings
    from plugin.jobs.queue import JobQueue

    queue = JobQueue(settings())
    yield queue
    queue.close()


@pytest.fixture(scope="session")
def real_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from plugin.engine.build import DEFAULT_NAME, build

    cache = os.environ.get("DESKDRAFT_MODEL_CACHE")
    root = Path(cache).expanduser() if cache else tmp_path_factory.mktemp("real-model")
    folder, _ = build(root / DEFAULT_NAME, quiet=True)
    return folder


@pytest.fixture
def use_real_model(real_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from plugin.config import settings

    monkeypatch.setenv("DESKDRAFT_ENGINE_MODEL", str(real_model_dir))
    settings.cache_clear()
    return real_model_dir


@pytest.fixture
def real_engine(use_real_model: Path):  # -> plugin.engine.runtime.Engine
    from plugin.engine.runtime import get_engine

    return get_engine()
