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


@pytest.mark.parametrize(
    "text",
    [
        "c) 1 501D5A - Janet/Chris - $25M",
        "upgrade mailsweeper servers NAHOU-MSMSW03P and NAHOU-MSMSW06P",
        "created by TCOAPPS in the DB2P subsystem",
    ],
)
def test_a_clock_inside_a_word_is_a_model_or_a_server_name(text: str) -> None:
    assert extract_times(text, WEDNESDAY, CHICAGO) == []


def test_a_clock_after_a_space_or_a_sign_stays() -> None:
    for text in ("see you 9a-5p tomorrow", "call me @5p tomorrow", "(5P tomorrow)"):
        [found] = extract_times(text, WEDNESDAY, CHICAGO)
        assert found.start.hour in (9, 17), text
