from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plugin.drafts.text.sentences import split_sentences, summary_sentences, without_legal_footer


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


def test_a_second_greeting_with_a_name_is_a_lead_in_too() -> None:
    # The thirty-third sample: left on the sentence, "Hello Sara, The purpose …" read as
    # written to Sara alone.
    both = split_sentences("Hello Rob, Hello Sara,  The purpose of this note is the audit.")
    assert [(s.text, s.lead_in) for s in both] == [
        ("Hello Rob,", True),
        ("Hello Sara,", True),
        ("The purpose of this note is the audit.", False),
    ]
    # A bare "Hello," after a vocative stays on its sentence.
    bare = split_sentences("David,  Hello, I hope all is well.")
    assert [s.text for s in bare] == ["David,", "Hello, I hope all is well."]


def test_a_greeting_that_runs_on_over_several_names_is_one_lead_in() -> None:
    # Left on the sentence, "Sally & Janet - Did you …" read as written to two of the three.
    names = split_sentences("Dear Nora, Sue & Jan -  Did you get the boxes?\nWe did.")
    assert [(s.text, s.lead_in) for s in names] == [
        ("Dear Nora,", True),
        ("Sue & Jan -", True),
        ("Did you get the boxes?", False),
        ("We did.", False),
    ]
    # one vocative alone keeps the rule it had; names inside a sentence are not a greeting
    alone = split_sentences("Sam:  Great to hear from you.")
    assert [(s.text, s.lead_in) for s in alone][-1] == ("Great to hear from you.", False)
    inside = split_sentences("Hi Rob,  Sue and Jan will come at noon.")
    assert [s.text for s in inside] == ["Hi Rob,", "Sue and Jan will come at noon."]


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


def test_qualifiers_before_a_number_do_not_end_a_sentence() -> None:
    # An estimate split from its number becomes an exact count once the qualifier is cut.
    assert texts("Approx. 40 buyers have paid. Appr. 5 did not. We owe est. $3.2MM.") == [
        "Approx. 40 buyers have paid.",
        "Appr. 5 did not.",
        "We owe est. $3.2MM.",
    ]
    assert texts("The pool holds ca. 12 tons. Call ext. 4410 or tel. (555) 010-0000.") == [
        "The pool holds ca. 12 tons.",
        "Call ext. 4410 or tel. (555) 010-0000.",
    ]
    assert texts("See Form No. 7 and Order No. RP02-7 today.") == [
        "See Form No. 7 and Order No. RP02-7 today."
    ]


def test_the_same_words_end_a_sentence_when_no_number_follows() -> None:
    assert texts("The answer is no. We keep the old plan.") == [
        "The answer is no.",
        "We keep the old plan.",
    ]
    assert texts("The call starts at 9 am EST. Bring the slides.") == [
        "The call starts at 9 am EST.",
        "Bring the slides.",
    ]


def test_a_line_broken_after_a_qualifier_or_title_is_one_sentence() -> None:
    # Pre-split corpora (AESLC) and some mail clients break the line after "Approx.".
    source = "Here is the list.\nApprox.\n25 sites replied.\nMrs.\nOkafor will call.\nThanks."
    sentences = split_sentences(source)
    assert [" ".join(s.text.split()) for s in sentences] == [
        "Here is the list.",
        "Approx. 25 sites replied.",
        "Mrs. Okafor will call.",
        "Thanks.",
    ]
    assert all(source[s.start : s.end] == s.text for s in sentences)
    assert texts("It was a clear no.\nThe plan stays.") == ["It was a clear no.", "The plan stays."]


def test_a_line_broken_after_an_abbreviation_before_a_lower_case_word_is_one_sentence() -> None:
    source = "Is this O.K.\nwith you?\nMy supervisor in Risk Mgmt.\nwas Brenda Herod."
    assert texts(source) == [
        "Is this O.K.\nwith you?",
        "My supervisor in Risk Mgmt.\nwas Brenda Herod.",
    ]


def test_a_line_broken_after_an_initialism_before_a_name_is_one_sentence() -> None:
    # AESLC breaks its lines at every period, initialisms included.
    source = (
        "Please contact your H.R.\nRepresentative about the visa.\n"
        "A fund in memory of Dr. W.H.\nBurgess was set up.\n"
        "I spoke to the lawyer in the U.K.\nI am now in charge of it.\n"
        "The call ends at 1 p.m.\nWritten notes follow."
    )
    assert [" ".join(s.split()) for s in texts(source)] == [
        "Please contact your H.R. Representative about the visa.",
        "A fund in memory of Dr. W.H. Burgess was set up.",
        "I spoke to the lawyer in the U.K.",
        "I am now in charge of it.",
        "The call ends at 1 p.m.",
        "Written notes follow.",
    ]


def test_a_lower_case_writer_keeps_the_sentence_ends_between_lines() -> None:
    source = "we said we would vote on trades.\nwe have had our first trade.\nLet me know.\neric"
    assert texts(source) == [
        "we said we would vote on trades.",
        "we have had our first trade.",
        "Let me know.",
        "eric",
    ]


def test_a_time_or_etc_ends_the_sentence_when_a_new_one_starts_after_it() -> None:
    assert texts("The meeting is at 3 pm. Please bring the slides.") == [
        "The meeting is at 3 pm.",
        "Please bring the slides.",
    ]
    assert texts("Doors open at 7 p.m. Mark your calendars.") == [
        "Doors open at 7 p.m.",
        "Mark your calendars.",
    ]
    assert texts("We need charts, tables etc. The rest can wait.") == [
        "We need charts, tables etc.",
        "The rest can wait.",
    ]
    # After "am." a day word opens the next sentence; the period was typed to end this one.
    assert texts("I can suggest Monday after 10 am. Tuesday morning we have a call.") == [
        "I can suggest Monday after 10 am.",
        "Tuesday morning we have a call.",
    ]


def test_a_zone_or_day_after_a_time_carries_the_sentence_on() -> None:
    for one in (
        "The call is at 3 pm. EST on Friday.",
        "The call is at 3 p.m. Central time tomorrow.",
        "The call is at 2 pm. (CDT) if that works.",
        "The system is down from 5:00 p.m. Saturday through 6:00 a.m. Sunday.",
        "The review is at 9 a.m. Dec. 3 in the board room.",
        "We meet at 3 p.m.\nCentral time, in the board room.",
        "We meet at 3 pm. on Friday.",
    ):
        assert texts(one) == [one], one


def test_a_doubt_in_square_brackets_does_not_end_the_sentence() -> None:
    # "[?" is the writer's query inside the sentence: cut there, the brief would quote a
    # fragment ending "[?" and lose the object and the deadline.
    assert texts("Please send me the curve [? Sally has it] by Friday. Thanks.") == [
        "Please send me the curve [? Sally has it] by Friday.",
        "Thanks.",
    ]
    assert texts("Is the cap $15MM [? or $20MM. Check] for both of us? Carol") == [
        "Is the cap $15MM [? or $20MM. Check] for both of us?",
        "Carol",
    ]
    # A bracket that closes inside the stop, or never closes, leaves the ends as they were.
    assert texts("See item [1]. Then call me. Is it [?]. Fine.") == [
        "See item [1].",
        "Then call me.",
        "Is it [?].",
        "Fine.",
    ]
    assert texts("The rate [? Sally. Call me.") == ["The rate [?", "Sally.", "Call me."]


def test_a_time_a_determiner_stands_before_names_the_event_after_it() -> None:
    for one in (
        "The 10:00 a.m. Power Trading Group Meeting is moved to 2:00 p.m. today.",
        "Please come to your 3 p.m. Staff Meeting early.",
        "We skipped today's 9 am. Budget Review.",
    ):
        assert texts(one) == [one], one
    # without the determiner the time still ends its sentence
    assert texts("We meet at 10 a.m. Power users come too.") == [
        "We meet at 10 a.m.",
        "Power users come too.",
    ]


def test_a_legal_footer_is_cut_from_the_sentences_and_the_author_keeps_the_rest() -> None:
    source = (
        "I looked at the schedule.\nThe series is in July.\ndmp ********************"
        " The information in this email is confidential.\nIt is intended solely for"
        " the addressee.\nIf you are not the intended recipient, copying is prohibited."
    )
    kept = without_legal_footer(split_sentences(source))
    assert [s.text for s in kept] == ["I looked at the schedule.", "The series is in July."]
    assert all(source[s.start : s.end] == s.text for s in kept)
    # what summaries are drawn from and checked against, the product and benches alike
    assert summary_sentences(source) == kept
    plain = split_sentences("Please keep this between us.\nSee you at noon.")
    assert without_legal_footer(plain) == plain


def test_a_unit_of_a_compound_measure_does_not_end_the_sentence() -> None:
    assert texts("The parcel came in at 4 lb.\n9 oz. and was late.\nIt is here now.") == [
        "The parcel came in at 4 lb.\n9 oz. and was late.",
        "It is here now.",
    ]
    assert texts("The box weighs 4 lb. The rest is paper.") == [
        "The box weighs 4 lb.",
        "The rest is paper.",
    ]
