"""Windows time-zone names (Exchange, Graph, Outlook) to IANA names, and back.

Exchange and Graph name zones the Windows way ("W. Europe Standard Time"); Python's
``zoneinfo`` wants IANA names ("Europe/Berlin"). The table is CLDR's ``windowsZones.xml``
as shipped with exchangelib (territory "001", the zone Windows means by default), so it
is loaded lazily: importing exchangelib costs about half a second.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Spellings Microsoft APIs use for UTC that are not in CLDR's table.
_UTC_ALIASES = {"utc", "tzone://microsoft/utc", "coordinated universal time", "gmt", "z"}


@cache
def _windows_table() -> dict[str, str]:
    from exchangelib.winzone import MS_TIMEZONE_TO_IANA_MAP

    return {name.casefold(): iana for name, iana in MS_TIMEZONE_TO_IANA_MAP.items()}


@cache
def _iana_table() -> dict[str, str]:
    from exchangelib.winzone import IANA_TO_MS_TIMEZONE_MAP

    return {iana: windows for iana, (windows, _territory) in IANA_TO_MS_TIMEZONE_MAP.items()}


def _is_iana(name: str) -> bool:
    if "/" not in name and name not in {"UTC", "GMT"}:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def windows_to_iana(name: str | None) -> str | None:
    """The IANA zone for a Windows zone name, or ``None`` when the name is unknown.

    An IANA name is returned unchanged, because Graph sends either kind depending on the
    ``Prefer: outlook.timezone`` header and the mailbox settings.
    """
    if not name:
        return None
    cleaned = name.strip()
    if cleaned.casefold() in _UTC_ALIASES:
        return "UTC"
    iana = _windows_table().get(cleaned.casefold())
    if iana:
        return iana
    return cleaned if _is_iana(cleaned) else None


def iana_to_windows(name: str | None) -> str | None:
    """The Windows zone name for an IANA zone (for ``Prefer: outlook.timezone``), or ``None``."""
    if not name:
        return None
    if name in {"UTC", "Etc/UTC", "Etc/GMT", "GMT"}:
        return "UTC"
    return _iana_table().get(name)


def zone(name: str | None) -> ZoneInfo | None:
    """A ``ZoneInfo`` for a Windows or IANA zone name, or ``None`` when unknown."""
    iana = windows_to_iana(name)
    return ZoneInfo(iana) if iana else None
