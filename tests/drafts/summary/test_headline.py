"""The extractive subject line keeps the mail's tokens whole, so it always passes the check."""

from __future__ import annotations

import random

import pytest

from plugin.drafts.summary.headline import (
    acceptable,
    clean_candidate,
    extractive_line,
    known_too_long,
    source_words,
)
from plugin.drafts.text.verify import check


@pytest.mark.parametrize(
    "sentence",
    [
        "UBSW Energy employees can now go and register on-line for the 401(k) plan.",
        "Please update the Excel worksheet T_COMMON_AR_50K_30.xls by Friday.",
        "The call is on Tuesday, November 06, 2001 10:00 AM-11:00 AM GMT-06:00.",
        "I looked in all the places for the 82XX forms (Scott FedEx-ed them).",
    ],
)
def test_extractive_line_passes_the_faithfulness_check(sentence: str) -> None:
    line = extractive_line([sentence])
    assert line, sentence
    result = check(line, sentence)
    assert result.ok, (line, result.unsupported)


def test_source_words_trims_outer_punctuation_and_function_words() -> None:
    words = source_words('We will "not" move the (weekly) meeting, (see 401(k)).')
    assert words == ["not", "move", "weekly", "meeting", "see", "401(k)"]


def test_extractive_line_keeps_negation_and_skips_filler() -> None:
    line = extractive_line(["I wanted to let you know that we will not move the meeting."])
    assert line == "not move meeting"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Subject: Budget review on Monday.", "Budget review on Monday"),
        ("Subject Line: Budget review on Monday", "Budget review on Monday"),
        ('subject line:  "Budget review"', "Budget review"),
        ("Title: Budget review\nSecond line", "Budget review"),
        ("Budget review: the numbers", "Budget review: the numbers"),
        ("Subjects to discuss", "Subjects to discuss"),
    ],
)
def test_clean_candidate_drops_the_label_a_model_puts_before_its_line(raw: str, shown: str) -> None:
    assert clean_candidate(raw) == shown


@pytest.mark.parametrize(
    ("sentence", "line"),
    [
        (
            "MRyanTaber@nyiso.com writes to the NYISO_TECH_EXCHANGE Discussion List:  Dear "
            "Transmission and Generation Owners,  A live Demo of the Direct Generator "
            "Communication Pilot Project has been scheduled for Friday.",
            "live Demo Direct Generator Communication Pilot Project scheduled",
        ),
        (
            "DCongel@nyiso.com writes to the NYISO_TECH_EXCHANGE Discussion List:  Market "
            "Participants:  The NYISO will post the corrected prices today.",
            "NYISO post corrected prices today",
        ),
        ("joe@example.org writes: We will not ship the fix.", "not ship fix"),
    ],
)
def test_a_lists_attribution_and_salutation_are_not_the_subject(sentence: str, line: str) -> None:
    """A list's "<address> writes to …:" glued to the first sentence opened 100 AESLC
    subject lines with the address; the sentence after it (and its salutation) is the point."""
    assert extractive_line([sentence]) == line
    assert check(line, sentence).ok


#: Pieces a model line is written from, labels, quotes and stray punctuation included.
_PIECES = [
    "Subject",
    "line",
    ":",
    "Title:",
    '"',
    "'",
    "*",
    "`",
    ".",
    ",",
    "!",
    "-",
    "Q4",
    "budget",
    "review",
    "moved",
    "to",
    "Friday",
    "the",
    "deal",
    "(draft)",
    "é",
    "\ufffd",
]


def _lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(
            rng.choice(_PIECES) + rng.choice([" ", " ", "", "  "])
            for _ in range(rng.randint(1, 30))
        )
        for _ in range(count)
    ]


def test_a_line_known_too_long_is_refused_whatever_follows() -> None:
    """``known_too_long`` stops a decode early only where the rest cannot matter: for every
    prefix it is true for, the whole line gives the same candidate, refused for length."""
    too_long = known_too_long(10)
    assert too_long is not None
    settled = 0
    for line in _lines(400, seed=19):
        heads = [line[:end] for end in range(len(line) + 1) if too_long(line[:end])]
        for head in heads:  # a decode stops at whichever token boundary comes first
            assert clean_candidate(line) == clean_candidate(head), (head, line)
        if heads:
            settled += 1
            assert not acceptable(clean_candidate(line), [line], 0.0, 10), line
    assert settled > 100  # most long lines settle before their end
    assert not too_long("Subject line: budget review moved to Friday")
    assert known_too_long(12) is None  # twelve words can pass: nothing is settled early
