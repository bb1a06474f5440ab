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
    refers_back,
    with_context,
)
from plugin.drafts.text.sentences import split_sentences


@pytest.mark.parametrize(
    "text",
    [
        "Is this enough to close the account?",
        "Does that change the rollout?",
        "It was signed on Monday.",
        "They want an answer by Friday.",
        "These numbers are final.",
        "But that was before the audit.",
        "If so, book the room.",
        "If not, we wait.",
        # a condition whose verb phrase is left out leans on the question before it
        "If you do, I will take them off the list.",
        "If they don't, we cancel the order.",
        "If you can, please call the plant.",
        "If yes, send the form back.",
        # "as such" and a clause-final "it" stand for what was said before (ninth sample)
        "As such, they may differ from the firm's views.",
        "You probably know about it already.",
        "What do you think of it?",
        # a causal connective or "the first part" leans on what came before (tenth sample)
        "Accordingly, our normal policies are suspended.",
        "For that reason, all trades must be done by Friday.",
        "Therefore we will wait for the auditors.",
        "The first part will run from 1 until 1:30.",
        "If anybody is interested, reply to me.",
        "If you're interested, call Ravi.",
        "If this works for you, sign below.",
        "The above prices include tax.",
        "As mentioned, the vendor is late.",
        "As noted earlier, the lab is closed.",
        "In that case, we cancel.",
        # "in that regard" stands for the question before it (the twenty-seventh sample)
        "In that regard, would you recommend distinct schedules for these entities?",
        "To that end, we hired two analysts.",
        "In this respect the two offers differ.",
        "Such requests go to the board.",
        # "this"/"these" standing alone further on (the seventh judged sample)
        "How does the desk keep track of this?",
        "Please let me know if this is going to create any problems.",
        "I would be grateful if you could provide this as soon as possible.",
        "We should sign these by Friday.",
        # … or before a conjunction (the twenty-eighth sample)
        "I think that I am okay with this but wanted your input.",
        "Please sign this so we can file it.",
        # "that" standing alone as an object (a dev A/B of session 9)
        "Can you do that if I get you the rates?",
        "I agree with that.",
        "We need that by Friday.",
        "Could you check that for me?",
        # "such a …" further on and an object "them" (the eleventh sample)
        "Can you let me know if ENE has ever issued such a guaranty?",
        "Please take a look at them and make sure nothing is missing.",
        "What do you think of them?",
        # an additive connective carries on the sentence before (the twelfth sample)
        "Additionally, Beth plans to explore commercial opportunities within the firm.",
        "In addition, the desk will close early on Friday.",
        "Furthermore, the vendor has not paid.",
        "Moreover, the audit is late.",
        # a pair the writer belongs to, named before (the thirteenth sample)
        "I came close with 6 wrong, but we both have St. Louis tonight.",
        "This slot is the most convenient for both of us.",
        "The two of us will cover the booth.",
        # a time connective or a report carried on (read on unseen mail, 4 Dec): "after
        # resuming invoices" is what a reader would take it to follow
        "Subsequently, the ISO issued a single monthly invoice.",
        "Previously the desk paid late.",
        "After that, we went home.",
        "The notice further indicated that the practice applies to June.",
        # a question about a pro-form subject, or a doing verb's "it" at the clause end
        # (the twenty-seventh and twenty-ninth samples: "How did he do it?" after a cut)
        "How did he do it?",
        "What does this # represent?",
        "Why are they late again?",
        "We can do it.",
        "Could you approve them?",
        # "this" before an adverb is a pronoun; a preference leans on the options before it
        # (the thirty-third and thirty-fourth samples)
        "Given the length of the meeting, this probably makes no sense.",
        "Please let me know your preference.",
        "Let me know which you prefer.",
        # an elliptical approval, a deletion's "it", "it" as an infinitive's subject (the
        # thirty-sixth sample)
        "If approved, we should test ASAP.",
        "Why do you want to delete it?",
        "Please arrange for it to be executed.",
    ],
)
def test_openings_that_refer_back(text: str) -> None:
    assert refers_back(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please send the invoice by Friday.",
        "This week the lab is closed.",
        "These days nobody faxes.",
        "It is important to file on time.",
        "Would it be possible to move the call?",
        "It seems that the vendor is late.",
        "If you are interested in the board seat, call Ravi.",
        "If you do not receive the form by Friday, call me.",
        "If you can attend, please reply.",
        "If no one objects, we sign on Monday.",
        "We will make it to the meeting.",
        "Please send it to Dana by Friday.",
        "The talk is about item four of the agenda.",
        "The first part of the plan is attached.",
        "Thus far the vendor has paid on time.",
        "The contract is attached.",
        "Thanks for this.",
        "Attached is the list of sites.",
        "Please review this report by Friday.",
        "We met these people today.",
        "The steps go like this: log in, then approve.",
        "Please confirm that the rates are final.",
        "Please send that file to Dana.",
        "Please send them to Dana by Friday.",
        "Look at them carefully before you sign the lease.",
        "We need that the form is signed by both parties.",
        "In addition to the fee, the vendor wants a deposit.",
        "Tracy and I both think the slot works.",
        "Both parties must sign the form.",
        # an instruction under "Meanwhile" stands on its own (a judged faithful draft)
        "Meanwhile, please read the announcement below from Security.",
        "Since the desk closed, we wait for the auditors.",
        "We saw these so-called experts on the news.",
        "What do you think?",
        "How do we file the form?",
        "Why is it important to file early?",
        "Please approve it by Friday.",
        "If we are going to discuss the terms, let's do it.",
        "Why is it you are so hard to reach?",
        "How is it going?",
        "Put the files in a directory of your choice.",
        "What is your preference: the bank's rate or another?",
        "This year only.",
        "If possible, send the file today.",
        "The plan is for them to switch on Tuesday.",
        "Many still doubt it will open in May.",
    ],
)
def test_openings_that_stand_on_their_own(text: str) -> None:
    assert not refers_back(text)


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
