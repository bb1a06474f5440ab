"""Credentials from config, environment and keyring; never shown; Windows zones to IANA."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import keyring
import pytest
from keyring.backend import KeyringBackend

from connectors.calendar import NewEvent, merge_intervals
from connectors.credentials import (
    RedactingFilter,
    find_secret,
    install_log_redaction,
    require_secret,
    safe_text,
)
from connectors.errors import ConfigError, UsageError
from connectors.secrets import Secret
from connectors.timezones import iana_to_windows, windows_to_iana, zone

ACCOUNT = "imap://alice@mail.example.com"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def test_value_from_config_is_wrapped() -> None:
    secret = find_secret({"password": "from-config-1"}, "password", account=ACCOUNT, item="x")
    assert isinstance(secret, Secret) and secret.reveal() == "from-config-1"
    assert "from-config-1" not in repr(secret) and "from-config-1" not in f"{secret}"


def test_value_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_IMAP_PW", "env-Secret-77")
    secret = require_secret({"password_env": "MY_IMAP_PW"}, "password", account=ACCOUNT, item="x")
    assert secret.reveal() == "env-Secret-77"


def test_missing_environment_variable_names_it_not_a_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NOT_SET_PW", raising=False)
    with pytest.raises(ConfigError, match="NOT_SET_PW"):
        find_secret({"password_env": "NOT_SET_PW"}, "password", account=ACCOUNT, item="x")


def test_value_from_keyring_default_and_named_service(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("deskdraft", ACCOUNT, "ring-Secret-1")
    assert require_secret({}, "password", account=ACCOUNT, item="x").reveal() == "ring-Secret-1"
    memory_keyring.set_password("corp-mail", "svc-user", "ring-Secret-2")
    options = {"password_keyring": "corp-mail", "keyring_user": "svc-user"}
    assert require_secret(options, "password", account=ACCOUNT, item="x").reveal() == (
        "ring-Secret-2"
    )
    memory_keyring.set_password("deskdraft", f"{ACCOUNT}#client_secret", "ring-Secret-3")
    assert require_secret({}, "client_secret", account=ACCOUNT, item="x").reveal() == (
        "ring-Secret-3"
    )


def test_explicit_keyring_without_entry_says_how_to_store(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ConfigError, match="keyring set corp-mail"):
        find_secret({"password_keyring": "corp-mail"}, "password", account=ACCOUNT, item="x")


def test_nothing_configured_and_no_keyring_backend_is_a_clear_config_error() -> None:
    # The default backend on a headless machine is keyring's "fail" backend.
    with pytest.raises(ConfigError, match="no password configured") as err:
        require_secret({}, "password", account=ACCOUNT, item=f"{ACCOUNT}/INBOX")
    assert "password_env" in str(err.value) and ACCOUNT in str(err.value)


def test_safe_text_and_log_filter_mask_secrets(caplog: pytest.LogCaptureFixture) -> None:
    secret = Secret("Very-Secret-Value-123")
    assert "Very-Secret-Value-123" not in safe_text(
        "login failed for Very-Secret-Value-123", secret
    )
    install_log_redaction("tests.fake_library")
    install_log_redaction("tests.fake_library")  # idempotent
    logger = logging.getLogger("tests.fake_library")
    assert sum(isinstance(f, RedactingFilter) for f in logger.filters) == 1
    with caplog.at_level(logging.DEBUG, logger="tests.fake_library"):
        logger.debug("sending Authorization: Bearer %s", "abcdefghijklmnopqrstuvwxyz0123")
        logger.debug("password=%s", "Very-Secret-Value-123")
    assert "abcdefghijklmnopqrstuvwxyz0123" not in caplog.text
    assert "Very-Secret-Value-123" not in caplog.text
    assert "Bearer ***" in caplog.text


@pytest.mark.parametrize(
    ("windows", "iana"),
    [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Eastern Standard Time", "America/New_York"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("UTC", "UTC"),
        ("tzone://Microsoft/Utc", "UTC"),
        ("  w. europe standard time ", "Europe/Berlin"),
        ("Europe/Madrid", "Europe/Madrid"),  # Graph may already send IANA names
    ],
)
def test_windows_to_iana(windows: str, iana: str) -> None:
    assert windows_to_iana(windows) == iana
    assert zone(windows) is not None


def test_unknown_zone_names_are_none() -> None:
    assert windows_to_iana("Atlantis Standard Time") is None
    assert windows_to_iana("") is None and windows_to_iana(None) is None
    assert zone("Nowhere/Special") is None


def test_iana_to_windows_round_trip() -> None:
    assert iana_to_windows("Europe/Berlin") == "W. Europe Standard Time"
    assert iana_to_windows("America/New_York") == "Eastern Standard Time"
    assert iana_to_windows("Etc/UTC") == "UTC"
    # Every mapped Windows zone resolves to a zone Python knows, and it maps back.
    for name in ("GMT Standard Time", "India Standard Time", "China Standard Time"):
        iana = windows_to_iana(name)
        assert iana and zone(iana) is not None
        assert iana_to_windows(iana) == name


def test_merge_intervals_and_event_checks() -> None:
    t = datetime(2026, 12, 1, 9, tzinfo=UTC)
    h = timedelta(hours=1)
    assert merge_intervals([(t + 2 * h, t + 3 * h), (t, t + h), (t + h, t + 2 * h)]) == [
        (t, t + 3 * h)
    ]
    with pytest.raises(UsageError, match="timezone-aware"):
        NewEvent("x", datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 10))
    with pytest.raises(UsageError, match="end must be after start"):
        NewEvent("x", t, t)


def test_every_windows_zone_in_the_table_loads_in_zoneinfo() -> None:
    from exchangelib.winzone import MS_TIMEZONE_TO_IANA_MAP

    missing = [name for name in MS_TIMEZONE_TO_IANA_MAP if zone(name) is None]
    assert missing == []
    assert len(MS_TIMEZONE_TO_IANA_MAP) > 100
