from __future__ import annotations

import pytest

from connectors.mailtrailers import legal_footer

_NOTICE = [
    "The information in this email is confidential and may be legally privileged.",
    "It is intended solely for the addressee.",
    "Access to this email by anyone else is unauthorized.",
    "If you are not the intended recipient, any disclosure or copying is prohibited.",
]


def test_a_disclaimer_without_a_blank_line_is_found_where_it_opens() -> None:
    sentences = ["Are you coming to the game on Saturday?", "Bring the tickets.", *_NOTICE]
    assert legal_footer(sentences) == (2, 0)


@pytest.mark.parametrize(
    "opening",
    [
        "Charles ***************** " + _NOTICE[0],  # a name before the rule
        "CONFIDENTIALITY NOTICE: ************ " + _NOTICE[0],
        "(See attached file: rates.pdf)  " + _NOTICE[0],
    ],
)
def test_a_name_a_heading_or_an_attachment_note_may_stand_before_it(opening: str) -> None:
    assert legal_footer(["How is it going down there?", opening, *_NOTICE[1:]]) == (1, 0)


def test_inside_a_sentence_it_opens_at_the_signature_line_above_its_rule() -> None:
    joined = "The weekend series is in July.\ndmp ******************** " + _NOTICE[0]
    found = legal_footer(["I looked at the schedule.", joined, *_NOTICE[1:]])
    assert found == (1, joined.index("dmp"))
    # a line of the author's own before the rule is kept: the footer opens at the rule
    long_line = "The weekend series with the Red Sox is in July ******************** "
    found = legal_footer(["I looked.", long_line + _NOTICE[0], *_NOTICE[1:]])
    assert found == (1, long_line.index("*"))


def test_thanks_attachment_names_and_rules_may_follow_it() -> None:
    tail = ["Thank you.", "- rates.xls", "**********"]
    assert legal_footer(["Here are the rates.", *_NOTICE, *tail]) == (1, 0)


def test_no_footer_when_the_author_writes_on_after_it() -> None:
    # a mail about the disclaimer quotes it, then says more: all of it is the mail
    sentences = [
        "From Monday every outgoing mail carries this text.",
        *_NOTICE,
        "For questions, please call the help desk.",
    ]
    assert legal_footer(sentences) is None


def test_no_footer_when_it_would_be_the_whole_text_or_when_there_is_no_disclaimer() -> None:
    assert legal_footer(_NOTICE) is None
    assert legal_footer(["Please keep this confidential.", "See you at noon."]) is None
    # a disclaimer's words far into the author's sentence do not open a footer
    long = "We agreed with the lawyers on Tuesday that this message is confidential."
    assert legal_footer(["Hi all.", long]) is None
