"""Zone names (``zones``): Windows names, abbreviations and labels, read as IANA zones."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from plugin.drafts.calendar.zones import windows_to_iana, zone_label, zone_named


@pytest.mark.parametrize(
    ("name", "iana"),
    [
        ("Central Standard Time", "America/Chicago"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("India Standard Time", "Asia/Calcutta"),
    ],
)
def test_windows_zone_names(name: str, iana: str) -> None:
    assert windows_to_iana(name) in {iana, ZoneInfo(iana).key}
    zone = zone_named(name)
    assert zone is not None
    assert zone.utcoffset(datetime(2026, 1, 15, 12)) == ZoneInfo(iana).utcoffset(
        datetime(2026, 1, 15, 12)
    )


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("CST", "America/Chicago"),
        ("PDT", "America/Los_Angeles"),
        ("GMT", "UTC"),
        ("Europe/Paris", "Europe/Paris"),
        ("UTC+05:30", "UTC+05:30"),
        ("GMT-06:00", "UTC-06:00"),
    ],
)
def test_zone_names(name: str, label: str) -> None:
    zone = zone_named(name)
    assert zone is not None and zone_label(zone) == label


def test_unknown_zone_is_none() -> None:
    assert zone_named("Narnia Standard Time") is None
