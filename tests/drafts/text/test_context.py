"""A kept sentence that refers back needs the sentence it leans on. All examples are
written for these tests."""

from __future__ import annotations

import pytest

from plugin.drafts.text.claims import check_claims
from plugin.drafts.text.context import (
    antecedent,
    continued_by,
    leans_on,
    points_ahead,
    with_context,
)
from plugin.drafts.text.sentences import split_sentences


def test_the_antecedent_skips_a_greeting_and_the_first_sentence_has_none() -> None:
    sentences = split_sentences("Hi Ana,\n\nThis is the final list. It has nine names.")
    assert [s.lead_in for s in sentences] == [True, False, False]
    assert antecedent(sentences, 1) is None  # nothing but the greeting before it
    assert antecedent(sentences, 2) == 1
    assert with_context(sentences, 2, limit=2) == [1, 2]
    chain = split_sentences("The lab moved. It is now in B4. They say it is bigger.")
    assert with_context(chain, 2, limit=3) == [0, 1, 2]
    assert with_context(chain, 2, limit=2) is None


def test_a_bare_value_leans_on_its_label_and_a_remark_between_rows_on_its_row() -> None:
    # The eleventh sample: "3.6 MILES." quoted without "THE HYPOCENTRAL DEPTH IS"; "Has
    # anyone found the LC?" quoted after another row than the one it asks about.
    report = split_sentences("THE DEPTH IS\n3.6 MILES.\nThe event was reviewed.")
    assert [s.text for s in report][:2] == ["THE DEPTH IS", "3.6 MILES."]
    assert antecedent(report, 1) == 0 and antecedent(report, 2) is None
    rows = split_sentences(
        "Here is an update:\n"
        "- Enserco renewed their LC.\n"
        "- Metromedia owes us nothing.\n"
        "Has anyone found the LC?\n"
        "I asked Kim for the trade documents."
    )
    position = [s.text for s in rows].index("Has anyone found the LC?")
    assert antecedent(rows, position) == position - 1
    assert antecedent(rows, position + 1) is None  # after a remark, not a row
    assert antecedent(rows, position - 1) is None  # a row after a row stands on its own


MAIL = (
    "Our standard lease has a rider on insurance. "
    "Most tenants sign the lease and return it without the rider. "
    "Is this valid under state law? "
    "The garden party is on Saturday. "
    "If anyone's interested, please tell me by Thursday."
)


def test_a_quote_that_drops_the_sentence_a_kept_one_leans_on_is_not_verified() -> None:
    cut = check_claims(
        ["Our standard lease has a rider on insurance.", "Is this valid under state law?"], MAIL
    )
    assert not cut.ok and cut.method == "none" and cut.label == "not checked"
    assert "refers back to sentence 2" in cut.problems[0]
    alone = check_claims("If anyone's interested, please tell me by Thursday.", MAIL)
    assert not alone.ok and "sentence 4" in alone.problems[0]


def test_the_same_sentence_with_what_it_leans_on_is_quoted() -> None:
    whole = check_claims(
        [
            "Most tenants sign the lease and return it without the rider.",
            "Is this valid under state law?",
        ],
        MAIL,
    )
    assert whole.ok and whole.label == "quoted from the mail"
    assert check_claims("Our standard lease has a rider on insurance.", MAIL).ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hopefully you will agree with the plan: 1.", True),
        ("Please note the following:", True),
        ("The new rules are as follows.", True),
        ("Our agenda: (1)", True),
        ("Open items:  -", True),
        ("We met at 10:30.", False),
        ("The ratio is 3:1.", False),
        ("I agree: the plan works.", False),
        # a table's first cell left on the line that announces it (the twelfth sample)
        ("For the next two weeks the menu will be as follows:  Monday", True),
        ("The answer is: no.", False),
    ],
)
def test_a_sentence_that_only_introduces_what_follows(text: str, expected: bool) -> None:
    assert points_ahead(text) is expected


def test_the_splitter_ends_a_sentence_at_a_typed_full_stop_and_continued_by_ties_the_pair() -> None:
    # Two rules on purpose (sentences._continues, context.continued_by): where a sentence
    # ends, and which finished sentences must be quoted together.
    pair = split_sentences("I can play Saturday morning.\nor Sunday morning.\nSee you there.")
    assert [s.text for s in pair] == [
        "I can play Saturday morning.",
        "or Sunday morning.",
        "See you there.",
    ]
    assert [continued_by(pair, k) for k in range(3)] == [1, None, None]
    lower_case_writer = split_sentences("we voted on trades.\nwe have had our first trade.")
    assert len(lower_case_writer) == 2 and continued_by(lower_case_writer, 0) is None


def test_a_bracketed_remark_with_the_question_mark_continues_the_line_before() -> None:
    # The thirty-first sample: "… a change of ownership, etc." / "(as to Daishowa)?" asks
    # about one company; quoted alone the line asks about every change of ownership.
    asked = split_sentences(
        "Are there limits when there is a change of ownership, etc.\n(as to the mill)?\nThanks."
    )
    assert [continued_by(asked, k) for k in range(3)] == [1, None, None]
    alone = "Are there limits when there is a change of ownership, etc."
    assert not check_claims([alone], asked).ok
    # A remark with its own stop only adds to its line.
    told = split_sentences("The call is on Monday.\n(approx. 30 minutes).\nPlease join.")
    assert continued_by(told, 0) is None


def test_a_condition_that_leaves_out_its_verb_needs_the_question_it_answers() -> None:
    # the eighth judged sample: "If you do, I will take them off of our list" kept after
    # an earlier question, without the "Do you concur?" it answers
    mail = (
        "Hi Ana, should I ask you or Raj about the old contracts? The vendor says every "
        "contract ended on May 4. Do you agree? If you do, I will take them off the list. Tom"
    )
    cut = check_claims(
        "Should I ask you or Raj about the old contracts? If you do, I will take them off "
        "the list.",
        mail,
    )
    assert not cut.ok and "refers back to sentence" in cut.problems[0]
    assert check_claims("Do you agree? If you do, I will take them off the list.", mail).ok


def test_you_after_a_line_that_names_whom_it_is_for_leans_on_that_line() -> None:
    # the ninth judged sample: "Can you send me the balance?" was asked of the person the
    # line before names; quoted after another line it asks someone else
    text = (
        "Paul - have you seen the contracts from the lawyers? "
        "Dana - I need the storage balance for October. "
        "Can you send me the balance and the invoice?"
    )
    sentences = split_sentences(text)
    assert antecedent(sentences, 2) == 1
    assert antecedent(sentences, 1) is None  # the named line itself stands on its own
    cut = check_claims(
        [
            "Paul - have you seen the contracts from the lawyers?",
            "Can you send me the balance and the invoice?",
        ],
        text,
    )
    assert not cut.ok and "refers back to sentence 2" in cut.problems[0]
    kept = check_claims(
        [
            "Dana - I need the storage balance for October.",
            "Can you send me the balance and the invoice?",
        ],
        text,
    )
    assert kept.ok


def test_a_sentence_after_a_bare_item_number_leans_on_the_items_first_line() -> None:
    # the tenth judged sample: "There is no QI requirement …" belongs to item 3, not to the
    # item quoted before it; the numbers stand alone on their lines
    text = (
        "Here is how the annexes differ: 1.\nAlpha Annex - the rules apply to cash only.\n"
        "2.\nBeta Annex - the rules apply to requests to reduce collateral.\n"
        "There is no cap on holding collateral.\n3.\nGamma Annex - no conditions apply."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    rule = texts.index("There is no cap on holding collateral.")
    head = texts.index("Beta Annex - the rules apply to requests to reduce collateral.")
    assert leans_on(sentences, rule) == head
    assert leans_on(sentences, head) is None  # the line after the number opens the item
    cut = check_claims(
        ["Alpha Annex - the rules apply to cash only.", "There is no cap on holding collateral."],
        text,
    )
    assert not cut.ok


def test_a_line_that_is_only_a_quotation_leans_on_the_line_introducing_it() -> None:
    # The twenty-eighth sample: a proposed name quoted alone read as an existing label.
    sentences = split_sentences(
        "The label says too little.\n"
        "A better name could be something like:\n"
        '"Issues - Board Approval Required".\n'
        'Dana said "the label stays" and left.'
    )
    assert antecedent(sentences, 2) == 1
    assert antecedent(sentences, 3) is None  # a quotation inside a sentence of its own


def test_a_line_that_is_only_a_condition_governs_the_next_one() -> None:
    # The forty-fourth sample: "let me know." quoted without "If you didn't." read as a
    # request to answer in any case.
    sentences = split_sentences(
        "I faxed the revised schedule last week.\nIf you didn't get it.\nlet me know.\n"
    )
    assert antecedent(sentences, 2) == 1
    assert with_context(sentences, 2, 4) == [1, 2]
    assert not check_claims(["let me know."], sentences).ok
    # A condition with its own main clause governs nothing after it.
    whole = split_sentences("If you can come, bring the wine.\nLet me know.\n")
    assert antecedent(whole, 1) is None


def test_a_bare_request_after_any_questions_is_only_for_whoever_has_one() -> None:
    sentences = split_sentences(
        "The schedules go real-time tonight.\nAny questions?\nPlease call.\n"
    )
    assert antecedent(sentences, 2) == 1
    # After another question, or with its own object, a request stands alone.
    assert antecedent(split_sentences("Is the deal booked?\nPlease call.\n"), 1) is None
    assert antecedent(split_sentences("Any questions?\nPlease call Sara at noon.\n"), 1) is None
