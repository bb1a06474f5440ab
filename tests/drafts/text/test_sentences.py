from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plugin.drafts.text.sentences import split_sentences


def texts(source: str) -> list[str]:
    return [s.text for s in split_sentences(source)]


def test_offsets_point_at_the_sentence_text() -> None:
    source = "Hi Ann,\n\nThe review is at 3 p.m. on Oct. 16 with Dr. Smith. Can you come?\n"
    sentences = split_sentences(source)
    assert [s.text for s in sentences] == [
        "Hi Ann,",
        "The review is at 3 p.m. on Oct. 16 with Dr. Smith.",
        "Can you come?",
    ]
    for index, sentence in enumerate(sentences):
        assert source[sentence.start : sentence.end] == sentence.text
        assert sentence.index == index


def test_greeting_glued_to_first_sentence_is_split_off_and_marked() -> None:
    sentences = split_sentences("Hi Phillip,  This message is to confirm our meeting.")
    assert [s.text for s in sentences] == ["Hi Phillip,", "This message is to confirm our meeting."]
    assert [s.lead_in for s in sentences] == [True, False]
    vocative = split_sentences("Jeff/Brenda:  Please authorize the products.")
    assert vocative[0].text == "Jeff/Brenda:" and vocative[0].lead_in


def test_hard_wrapped_lines_are_joined_but_short_lines_are_not() -> None:
    source = (
        "Our first planning review is on Thursday, September 17 at 2:30 pm in room 204. We will\n"
        "go through the draft budget.\nThanks,\nMaria"
    )
    assert texts(source) == [
        "Our first planning review is on Thursday, September 17 at 2:30 pm in room 204.",
        "We will\ngo through the draft budget.",
        "Thanks,",
        "Maria",
    ]


def test_bullets_tables_decimals_initials_and_lowercase_continuations() -> None:
    source = "Cost is $1.5 million. J. Smith agreed e.g. for now.\n- item one\n- item two\nA\tB\t3"
    assert texts(source) == [
        "Cost is $1.5 million.",
        "J. Smith agreed e.g. for now.",
        "- item one",
        "- item two",
        "A",
        "B",
        "3",
    ]
    assert texts("It is done. and more follows.") == ["It is done. and more follows."]


@given(st.lists(st.sampled_from([*"ab .?!\n\t,:CD1", "Hi ", "Dr. ", "  "]), max_size=80))
def test_sentences_are_ordered_disjoint_slices_of_the_source(pieces: list[str]) -> None:
    source = "".join(pieces)
    previous_end = 0
    for sentence in split_sentences(source):
        assert source[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end
        assert sentence.text == sentence.text.strip() and sentence.text
        previous_end = sentence.end
