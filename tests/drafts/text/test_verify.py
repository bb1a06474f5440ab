from __future__ import annotations

import pytest

from plugin.drafts.text.verify import SourceIndex, check, stem

SOURCE = (
    "Hi Phillip,  This message is to confirm our meeting with you on Tuesday, October 30th "
    "from 9:00 am - 10:00 am in EB 3267. Attendees will be Monica Brown and Sheri Righi. "
    "The budget is $1,200, about 5% of the 1.5 million plan. Write to bob@example.com or "
    "call 713-345-6687. The draft is due 10/16/01."
)


@pytest.mark.parametrize(
    "draft",
    [
        "Meeting confirmation: Tuesday, Oct 30 at 9am",
        "30 October meeting with Monica Brown",
        "Budget of 1200 dollars",
        "$1.5 million plan, 5 percent",
        "Draft due Oct 16, 2001",
        "Draft due 16 October",
        "Reply to Bob@Example.com",
        "Call 713.345.6687",
        "Meeting 9:00-10:00 in EB 3267",
        "meeting at 10 am",
        "Confirmation for Phillip",
    ],
)
def test_normalized_forms_of_source_facts_are_supported(draft: str) -> None:
    result = check(draft, SOURCE)
    assert result.ok, result.unsupported
    assert result.checked >= 1


@pytest.mark.parametrize(
    ("draft", "invented"),
    [
        ("Meeting on Oct 31", "Oct 31"),
        ("Meeting on Wednesday", "Wednesday"),
        ("Draft due 16 October 2002", "16 October 2002"),
        ("Budget of $1,300", "$1,300"),
        ("Costs 1.6 million", "1.6 million"),
        ("Meeting at 3 pm", "3 pm"),
        ("Meeting with John Smith", "John"),
        ("Write to bob@example.org", "bob@example.org"),
        ("Two attendees confirmed", "Two"),
        ("Call 713-345-6688", "713-345-6688"),
    ],
)
def test_invented_dates_numbers_names_and_addresses_are_caught(draft: str, invented: str) -> None:
    result = check(draft, SOURCE)
    assert not result.ok
    assert invented in result.unsupported


def test_unsupported_lists_only_the_failing_tokens_in_order() -> None:
    result = check("Monica meets John on Oct 31 at 9:00 am", SOURCE)
    assert result.unsupported == ["John", "Oct 31"]
    assert result.checked == 4


def test_numeric_dates_are_read_both_ways_and_two_digit_years_expand() -> None:
    assert check("tues, 8/10", "We meet on Tuesday, 10 August.").ok
    assert check("August 10", "see you 10/8").ok
    assert check("10/30/2001", "on 10/30/01").ok
    assert not check("10/30/2002", "on 10/30/01").ok


def test_weekday_is_supported_by_a_dated_source() -> None:
    assert check("Tuesday review", "The review is on 2001-10-30.").ok
    assert not check("Monday review", "The review is on 2001-10-30.").ok


def test_lowercase_common_words_and_month_words_are_not_facts() -> None:
    result = check("we may march on and discuss the plan", "Discuss the plan.")
    assert result.ok and result.checked == 0


def test_stem_and_source_index_reuse() -> None:
    assert stem("Confirmation") == stem("confirm") == "confirm"
    assert stem("Bishop's") == "bishop"
    index = SourceIndex(SOURCE)
    assert check("Monica Brown", index).ok and not check("Monica Green", index).ok


def test_colon_numbers_that_are_not_clock_times_must_appear_as_written() -> None:
    assert check("The task took 75:23 in total.", "Elapsed: 75:23 hours").ok
    result = check("The task took 75:23 in total.", "Elapsed: 12:10 hours")
    assert not result.ok and result.unsupported == ["75:23"]
