from __future__ import annotations

from pathlib import Path

import pytest

from connectors.errors import ConfigError
from plugin.config import config_path, data_dir, load_settings


def test_defaults_without_config_file(deskdraft_home: Path) -> None:
    s = load_settings()
    assert s.config_file is None
    assert s.data_dir == deskdraft_home
    assert s.queue.url == ""
    assert s.bridge.port == 8443 and s.bridge.host == "127.0.0.1"
    assert s.bridge.max_body_mb == 25.0


def test_toml_file_then_environment_override(
    deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (deskdraft_home / "config.toml").write_text(
        '[queue]\nurl = "redis://127.0.0.1:6379/0"\nworkers = 3\n'
        '[bridge]\ncors_origins = ["https://outlook.office.com"]\n'
        '[sources."imap://me@mail.example.com"]\npassword_env = "IMAP_PW"\n'
    )
    assert config_path() == deskdraft_home / "config.toml"
    s = load_settings()
    assert s.queue.url == "redis://127.0.0.1:6379/0"
    assert s.queue.workers == 3
    assert s.bridge.cors_origins == ["https://outlook.office.com"]
    assert s.source_options("imap://me@mail.example.com/INBOX")["password_env"] == "IMAP_PW"

    monkeypatch.setenv("DESKDRAFT_QUEUE_WORKERS", "5")
    monkeypatch.setenv("DESKDRAFT_BRIDGE_TLS", "false")
    monkeypatch.setenv("DESKDRAFT_BRIDGE_CORS_ORIGINS", "https://a.example, https://b.example")
    s = load_settings()
    assert s.queue.workers == 5
    assert s.bridge.tls is False
    assert s.bridge.cors_origins == ["https://a.example", "https://b.example"]


def test_bad_values_name_the_setting(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKDRAFT_BRIDGE_PORT", "eighty")
    with pytest.raises(ConfigError, match="DESKDRAFT_BRIDGE_PORT"):
        load_settings()


def test_a_setting_of_named_choices(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().engine.prompt_lookup == "auto"
    cfg = deskdraft_home / "config.toml"
    cfg.write_text("[engine]\nprompt_lookup = true\n")  # TOML's own true/false: on/off
    assert load_settings().engine.prompt_lookup == "on"
    monkeypatch.setenv("DESKDRAFT_ENGINE_PROMPT_LOOKUP", "Off")
    assert load_settings().engine.prompt_lookup == "off"
    monkeypatch.setenv("DESKDRAFT_ENGINE_PROMPT_LOOKUP", "sometimes")
    with pytest.raises(ConfigError, match=r"DESKDRAFT_ENGINE_PROMPT_LOOKUP.*auto, on, off"):
        load_settings()


def test_unknown_keys_and_broken_toml_are_reported(deskdraft_home: Path) -> None:
    cfg = deskdraft_home / "config.toml"
    cfg.write_text("[queue]\nurll = 'x'\n")
    with pytest.raises(ConfigError, match=r"unknown setting.*urll"):
        load_settings()
    cfg.write_text("[queue\n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings()


def test_explicit_config_path_and_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text("[engine]\nthreads = 2\n")
    monkeypatch.setenv("DESKDRAFT_CONFIG", str(other))
    assert load_settings().engine.threads == 2
    monkeypatch.setenv("DESKDRAFT_HOME", str(tmp_path / "new-home"))
    assert data_dir() == tmp_path / "new-home"
    assert data_dir().is_dir()
