"""Time-zone names as people write them in mail: IANA names, abbreviations, Windows names.

Windows names ("Central Standard Time") come from Outlook and Exchange; their table lives
in ``connectors.timezones`` (one source of truth for the connectors and the drafts).

Abbreviations are ambiguous by nature. People write "CST" in July and mean Chicago's wall
clock, so each maps to the *region* zone (``America/Chicago``), not a fixed offset; the
wall time they wrote is kept and the zone's rules pick the offset.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connectors.timezones import windows_to_iana

__all__ = ["ABBREVIATIONS", "windows_to_iana", "zone_label", "zone_named"]


#: Abbreviations and plain-words zones as written in mail, mapped to their region zone.
ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC",
    "GMT": "UTC",
    "Z": "UTC",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "BST": "Europe/London",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "MEZ": "Europe/Berlin",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
    "IST": "Asia/Kolkata",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "EASTERN": "America/New_York",
    "CENTRAL": "America/Chicago",
    "MOUNTAIN": "America/Denver",
    "PACIFIC": "America/Los_Angeles",
    "HOUSTON": "America/Chicago",
    "LONDON": "Europe/London",
    "NEW YORK": "America/New_York",
}

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)


@lru_cache(maxsize=256)
def zone_named(name: str) -> tzinfo | None:
    """A tzinfo for an IANA name, Windows name, abbreviation or "+05:30" offset."""
    text = " ".join(name.strip().split())
    if not text:
        return None
    offset = _OFFSET.match(text)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(-delta if sign == "-" else delta)
    iana = ABBREVIATIONS.get(text.upper()) or windows_to_iana(text)
    if iana is None and "/" in text:
        iana = text
    if iana is None:
        return None
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_label(zone: tzinfo, when: object = None) -> str:
    """IANA key for ZoneInfo zones, "UTC±HH:MM" for fixed offsets."""
    key = getattr(zone, "key", None)
    if key:
        return str(key)
    from datetime import datetime

    moment = when if isinstance(when, datetime) else datetime(2000, 1, 1, tzinfo=zone)
    delta = zone.utcoffset(moment) or timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
