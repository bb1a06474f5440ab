"""Clock-time atoms (``clockatoms``), read through ``parse.extract_times``."""

from __future__ import annotations

import pytest

from plugin.drafts.calendar.parse import extract_times
from tests.drafts.calendar.test_meetings import CHICAGO, WEDNESDAY, at


@pytest.mark.parametrize(
    "text",
    [
        "Sean has been moving more midc to cob or visa versa to avoid congestion.",
        "We serve several counterparties from our COB position with BPA.",
        "Last 5-day average for COB NYMEX contract.",
    ],
)
def test_cob_the_trading_hub_is_no_time(text: str) -> None:
    assert extract_times(text, WEDNESDAY, CHICAGO) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Money must be to me by COB Friday.", at(2026, 11, 27, 17)),
        ("Please send it COB tomorrow.", at(2026, 11, 26, 17)),
        ("I need the numbers before COB.", at(2026, 11, 25, 17)),
    ],
)
def test_cob_after_a_deadline_word_or_before_a_day_is_the_end_of_the_day(
    text: str, start: object
) -> None:
    assert [m.start for m in extract_times(text, WEDNESDAY, CHICAGO)] == [start]
