"""The display name of a formatted address, shared by the reply greeting and thread summaries."""

from __future__ import annotations

import pytest

from connectors.mailheaders import address_name, format_addresses


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ('"Lee, Ann" <ann@example.com>', "Lee, Ann"),
        ("Lee, Ann <ann@example.com>", "Lee, Ann"),  # getaddresses would split this in two
        ("Bob Smith <bob@example.com>", "Bob Smith"),
        ("bob@example.com", "bob@example.com"),
        ("<bob@example.com>", ""),
        ("", ""),
    ],
)
def test_address_name_is_the_display_part(address: str, name: str) -> None:
    assert address_name(address) == name


def test_address_name_reads_what_format_addresses_writes() -> None:
    formatted = format_addresses(
        ['"Lee, Ann" <ann@example.com>', "=?utf-8?q?J=C3=BCrgen?= <j@x.de>"]
    )
    assert [address_name(a) for a in formatted] == ["Lee, Ann", "Jürgen"]
