"""connectors/timezones.py: one Windows-zone table for the connectors and the drafts."""

from __future__ import annotations

from connectors.timezones import WINDOWS_ZONES, iana_to_windows, windows_to_iana


def test_the_table_matches_the_cldr_copy_exchangelib_ships() -> None:
    from exchangelib.winzone import MS_TIMEZONE_TO_IANA_MAP

    shipped = {k: v for k, v in MS_TIMEZONE_TO_IANA_MAP.items() if not k.startswith("tzone:")}
    assert shipped == WINDOWS_ZONES


def test_lookups_ignore_case_and_spacing_and_pass_iana_names_through() -> None:
    assert windows_to_iana("  w. europe   standard time ") == "Europe/Berlin"
    assert windows_to_iana("tzone://Microsoft/Utc") == "UTC"
    assert windows_to_iana("America/Chicago") == "America/Chicago"
    assert windows_to_iana("Atlantis Standard Time") is None
    assert iana_to_windows("America/Detroit") == "Eastern Standard Time"  # not a 001 zone


def test_the_drafts_find_the_same_zones() -> None:
    from plugin.drafts.calendar.zones import zone_named

    zone = zone_named("Central Asia Standard Time")
    assert zone is not None and getattr(zone, "key", None) == "Asia/Bishkek"
