from __future__ import annotations

import subprocess
import sys

import pytest

from connectors.base import connectors, scheme_of
from connectors.errors import UsageError
from connectors.registry import Registry
from plugin.cli import commands, main
from plugin.drafts.base import draft_kinds


def test_scheme_of_plain_paths_and_uris() -> None:
    assert scheme_of("/tmp/x.eml") == "file"
    assert scheme_of("C:\\mail\\x.eml") == "file"
    assert scheme_of("mbox:/tmp/a.mbox") == "mbox"
    assert scheme_of("IMAPS://me@host/INBOX") == "imaps"


def test_unknown_names_are_clear_errors() -> None:
    reg: Registry[object] = Registry("deskdraft.nothing-here", "widget")
    with pytest.raises(UsageError, match="unknown widget 'x'"):
        reg.get("x")
    reg.register("x", 1)
    assert reg.get("x") == 1 and "x" in reg


def test_every_builtin_entry_point_loads() -> None:
    """Built-ins are registered exactly like extensions; each declared one must import."""
    for registry in (connectors, draft_kinds, commands):
        for name in registry.names():
            assert registry.get(name) is not None, name


def test_cli_help_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "plugin", "--help"], capture_output=True, text=True, check=True
    )
    assert "deskdraft" in out.stdout
    assert "unavailable" not in out.stderr
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0


def test_cli_without_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out
