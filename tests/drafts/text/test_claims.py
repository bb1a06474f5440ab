"""The claim check: each error kind of issue 12 as a pair (a wrong draft it rejects, a
right draft it accepts), plus the guards that make a compression safe."""

from __future__ import annotations

import pytest

from plugin.drafts.text.claims import (
    align,
    check_claims,
    check_label,
    phrase_source,
    repeats_itself,
)
from plugin.drafts.text.sentences import split_sentences

SAMPLE = (
    "Hi Sam,\n\nWelcome to the Q3 planning group! We are glad to have you on board.\n\n"
    "Our first planning review is on Thursday, September 17 at 2:30 pm in room B-204. We will\n"
    "go through the draft budget of $48,500 and agree on the three priorities for the quarter.\n\n"
    "Could you please send me your team's headcount estimate by Wednesday? Dev will share the\n"
    "vendor list before the meeting.\n\n"
    "We decided last week to move the status report from Fridays to Mondays, so the first\n"
    "Monday report is due on September 21.\n\nBest regards,\nMaria"
)
ROLES = "Maria asked Sam to send the signed lease to the Riverside office by Friday."
CONFIRMED = "Jeff, I confirmed with legal that we are not doing the Malin audit this year."

PAIRS = [
    pytest.param(
        ROLES,
        "Sam asked Maria to send the signed lease to the Riverside office.",
        "Maria asked Sam to send the signed lease by Friday.",
        id="roles-reversed",
    ),
    pytest.param(
        SAMPLE,
        "Dev will share the headcount estimate before the meeting.",
        "Dev will share the vendor list before the meeting.",
        id="object-swapped",
    ),
    pytest.param(
        SAMPLE,
        "Sam sent his team's headcount estimate.",
        "Could you please send me your team's headcount estimate by Wednesday?",
        id="request-turned-done",
    ),
    pytest.param(
        SAMPLE,
        "The group is planning to move the status report from Fridays to Mondays.",
        "We decided to move the status report from Fridays to Mondays.",
        id="decided-turned-planning",
    ),
    pytest.param(
        CONFIRMED,
        "Jeff was unable to confirm the Malin audit this year.",
        "I confirmed with legal that we are not doing the Malin audit this year.",
        id="confirmed-not-turned-unable",
    ),
    pytest.param(
        SAMPLE,
        "This e-mail is a summary of the Q3 planning group.",
        "Our first planning review is on Thursday, September 17 at 2:30 pm.",
        id="invented-framing",
    ),
    pytest.param(
        SAMPLE,
        "We will go through the draft budget the draft budget the draft budget.",
        "We will go through the draft budget of $48,500.",
        id="degenerate-repetition",
    ),
]


@pytest.mark.parametrize(("source", "wrong", "right"), PAIRS)
def test_each_error_kind_is_rejected_and_its_right_draft_accepted(
    source: str, wrong: str, right: str
) -> None:
    bad = check_claims(wrong, source)
    assert not bad.ok and bad.method == "none" and bad.label == "not checked"
    assert bad.problems, "a rejection says why"
    good = check_claims(right, source)
    assert good.ok, good.problems
    assert good.method in ("quoted", "reworded")


def test_guards_keep_negation_modality_condition_and_agent() -> None:
    source = "We will not sign the contract unless Enron pays the deposit by May 1."
    assert align("We will not sign the contract unless Enron pays the deposit.", source)
    assert not align("We will sign the contract.", source)  # negation cut
    assert not align("We will not sign the contract.", source)  # condition cut
    assert not align("sign the contract unless Enron pays the deposit.", source)  # agent cut
    assert not align("We not sign the contract unless Enron pays the deposit.", source)  # modal
    decided = "Tom decided that the team should move the call to Monday."
    assert not align("the team should move the call to Monday.", decided)


def test_cuts_happen_at_phrase_boundaries_only() -> None:
    source = "Maria and Dev will send the vendor list to Sam after the review."
    assert align("Maria and Dev will send the vendor list to Sam.", source)
    assert align("Maria and Dev will send the vendor list.", source)
    # Cutting "and Dev will send the" would splice the agent onto another predicate.
    assert not align("Maria vendor list to Sam.", source)
    assert not align("Maria will send the vendor list to Sam.", source)  # cut inside a phrase
    relative = "The budget, which is due Friday, was approved by the board."
    assert align("The budget was approved by the board.", relative)
    assert not align("The budget is due Friday.", relative)


def test_openers_and_vocatives_may_go_claims_may_not() -> None:
    source = "Jeff, I wanted to let you know that the Malin deal closed yesterday."
    assert align("the Malin deal closed yesterday.", source)
    assert not align("the Malin deal closed.", "Maybe the Malin deal closed yesterday.")


def test_labels_say_how_the_draft_was_checked() -> None:
    quoted = check_claims("Dev will share the vendor list before the meeting.", SAMPLE)
    assert quoted.ok and quoted.method == "quoted" and quoted.label == "quoted from the mail"
    two = check_claims(
        "We will go through the draft budget of $48,500. Dev will share the vendor list.", SAMPLE
    )
    assert two.ok and two.method == "reworded"
    assert two.source_sentences == [5, 7]
    assert two.label == "reworded, checked against sentences 5 and 7"
    assert check_label("reworded", [2, 3, 4]) == "reworded, checked against sentences 2, 3 and 4"
    assert check_label("none", []) == "not checked"


def test_the_same_source_sentence_twice_and_empty_drafts_fail() -> None:
    text = "Dev will share the vendor list. Dev will share the vendor list."
    result = check_claims(text, SAMPLE)
    assert not result.ok and "repeats an earlier sentence" in result.problems[0]
    assert not check_claims("", SAMPLE).ok
    assert not check_claims("zzz qqq xyzzy", SAMPLE).ok


def test_protected_words_cannot_be_cut() -> None:
    source = "Could you please send me the estimate by Wednesday?"
    assert align("Could you please send me the estimate?", source)
    assert not align("Could you please send me the estimate?", source, protect_words=["wednesday"])


def test_a_subject_line_must_take_its_words_in_order_and_keep_the_negation() -> None:
    source = "Hi Tom,\nWe will not move the safety meeting to Friday. Please confirm the room."
    assert phrase_source("not move safety meeting Friday", source) == 2
    assert phrase_source("confirming room", source) == 3  # by stem
    assert phrase_source("move safety meeting Friday", source) is None  # negation lost
    assert phrase_source("Friday safety meeting", source) is None  # reordered
    assert phrase_source("zzz qqq xyzzy", source) is None
    dated = "We confirm the meeting on Tuesday, October 30th from 9:00 am."
    assert phrase_source("confirm meeting Tuesday October 30 th 9:00", dated) == 1


def test_cuts_never_drop_an_alternative_or_widen_a_comparison() -> None:
    # Found by the judged set (tests/data/brief_judged.json): verified, but unfaithful.
    calls = (
        "Please refer any business or phone calls that you would have referred to Holli to "
        "me, or, in my absence, to John Malowney or Stewart Rosman."
    )
    assert not align(
        "Please refer any business or phone calls that you would have referred "
        "to Holli or Stewart Rosman.",
        calls,
    )
    hedge = 'They got a response saying "Message is held" or something like that.'
    assert not align('They got a response saying "Message is held".', hedge)
    like = "She is supposed to give me a heads up on things like this."
    assert not align("She is supposed to give me a heads up on things.", like)
    # A cut that keeps the alternatives whole is still fine.
    assert align(
        "Please refer any business or phone calls to John Malowney or Stewart Rosman.",
        "Please refer any business or phone calls to John Malowney or Stewart Rosman in Portland.",
    )


def test_key_points_are_checked_one_by_one_not_for_the_context_of_a_whole_text() -> None:
    source = (
        "The golf outing is on Wednesday at Pumpkin Ridge. We need two more players. "
        "The weather talk is on Thursday. If anyone's interested, please let me know."
    )
    points = [
        "The golf outing is on Wednesday at Pumpkin Ridge.",
        "If anyone's interested, please let me know.",
    ]
    as_text = check_claims(" ".join(points), source)
    assert not as_text.ok and "refers back" in as_text.problems[0]
    as_points = check_claims(points, source, keep_context=False)
    assert as_points.ok and as_points.method == "quoted"


def test_a_cut_never_hands_one_persons_title_to_another() -> None:
    # Found by the fourth judged sample: verified, yet it gave Marty Dan's title.
    source = (
        "Joining Dave, in the Office of the Chairman, will be Marty Sunde, as President, "
        "Global Marketing Services and Dan Leff, as President, Global Energy Services."
    )
    assert not align(
        "Joining Dave will be Marty Sunde, as President, Global Energy Services.", source
    )
    # Each one's own part, cut at a boundary, is still a compression.
    assert align(
        "Joining Dave will be Marty Sunde, as President, Global Marketing Services.", source
    )
    assert align(
        "Marty and Dan will join the board of EES.",
        "Marty and Dan will join the board of EES in Houston.",
    )


def test_a_quote_keeps_the_next_line_that_carries_it_on() -> None:
    # Found by the fourth judged sample: the mail broke "Saturday ... or Sunday" over two
    # lines, and quoting the first alone made Saturday the only option.
    source = (
        "I would like to play this coming weekend.\n"
        "I can play Saturday morning (need to finish by 2pm).\n"
        "or Sunday morning.\n"
        "Just let Cindy know if anyone can play."
    )
    cut = check_claims("I can play Saturday morning (need to finish by 2pm).", source)
    assert not cut.ok and "('or …')" in cut.problems[0]
    whole = check_claims(
        ["I can play Saturday morning (need to finish by 2pm).", "or Sunday morning."], source
    )
    assert whole.ok, whole.problems
    # A capitalised new sentence is not a continuation.
    assert check_claims("I would like to play this coming weekend.", source).ok


def test_a_quote_of_one_list_row_keeps_its_sibling_rows() -> None:
    # Found by the fifth judged sample: one building's drill time quoted alone read as the
    # whole campus's (the mail's table became one line, its cells split by a tab).
    north = "Enron Center North, 1400 Smith St., approximately 3:15 PM on Thursday, May 20th"
    south = "Enron Center South, 1500 Louisiana St., approximately 3:45 PM on Thursday, May 20th"
    source = (
        "A fire drill has been scheduled for the Enron Center Campus.\n"
        f"{north}  \t{south}  Please tell all visitors that this will be a drill only.\n"
        "Do not go into the stairwell."
    )
    one_row = check_claims(
        f"{south} Please tell all visitors that this will be a drill only.", source
    )
    assert not one_row.ok and "row(s) [2]" in one_row.problems[0], one_row.problems
    both = check_claims(
        [north, f"{south} Please tell all visitors that this will be a drill only."], source
    )
    assert both.ok, both.problems
    # Two full sentences that open alike are not rows of a list.
    prose = "The meeting moved to Monday. The meeting room is 3C. Bring the forms."
    assert check_claims("The meeting moved to Monday.", prose).ok


def test_a_table_announced_with_its_first_cell_keeps_the_table() -> None:
    # the twelfth judged sample: "the menu will be as follows: Monday." read as if the menu
    # were Monday (the splitter left the table's first cell on the announcing line)
    source = (
        "We will no longer provide meals.\n"
        "For the next two weeks the menu will be as follows:  Monday\t\t10/15\t\tDeli "
        "Tuesday\t10/16\t\tPizza\n"
        "Please let me know if you have any questions."
    )
    alone = check_claims("For the next two weeks the menu will be as follows: Monday.", source)
    assert not alone.ok and "announces what sentence 3" in alone.problems[0], alone.problems
    sentences = [s.text for s in split_sentences(source)]
    assert check_claims(sentences[1:3], source).ok
    # an announcement without a cell is incomplete, not false: it stays checkable
    plain = "Here is the plan. Please note the following:\nBring the forms."
    assert check_claims("Please note the following:", plain).ok


def test_a_cut_never_runs_from_one_clause_opener_to_the_next() -> None:
    # Read by the lead on unseen mail: the cut made the acknowledgement the request.
    source = (
        "Sempra has requested that we send them a statement that lists all of the deals "
        "where they acknowledge that they agree to the terms of such deals."
    )
    assert not align("Sempra has requested that they agree to the terms of such deals.", source)
    assert align("Sempra has requested that we send them a statement.", source)


def test_an_imperative_keeps_the_consequence_that_makes_it_a_condition() -> None:
    # the ninth judged sample: "Skip out on Student Loans 101 with EFCU" kept without
    # "... and you could be skipping out on easy money" told the reader to skip it
    source = "Skip the loans seminar with the credit union and you could miss easy money."
    assert not align("Skip the loans seminar with the credit union.", source)
    assert align("Skip the loans seminar and you could miss easy money.", source)
    # a trailing clause of its own may still go
    plain = "Please send the forms to Dana, because the office closes early on Friday."
    assert align("Please send the forms to Dana.", plain)


def test_a_kept_condition_keeps_the_clause_that_depends_on_it() -> None:
    # the twelfth judged sample: "… or if you want to get a conference room[, let me know
    # the phone number he'll need to call]" read as a statement, and the request was lost
    source = (
        "Drew can call Greg to conference everyone in or if you want to get a conference "
        "room, let me know the phone number he'll need to call."
    )
    assert not align(
        "Drew can call Greg to conference everyone in or if you want to get a conference room.",
        source,
    )
    assert not align("If the vendor pays on time.", "If the vendor pays on time, we renew.")
    # an elliptical condition governs nothing after it
    call = "Please call me or Sheila, if necessary (Chase legal) and anyone on behalf of ENA."
    assert align("Please call me or Sheila, if necessary.", call)
    # a clause of its own after the condition's main clause may still go
    assert align("Call me if you want a room.", "Call me if you want a room, and I will book it.")
    # a condition inside an earlier clause does not hold the last one
    done = "If the deal closes, we will sign on Monday, and the team will celebrate."
    assert align("If the deal closes, we will sign on Monday.", done)


def test_a_word_that_pairs_two_lists_is_not_cut() -> None:
    # read on unseen mail: "degrees in Biology & Exercise Science (respectively)" from two
    # universities lost "(respectively)" in a compression, and each degree read as from both
    source = (
        "He studied at Concordia & Eastern Washington, where he received degrees in "
        "Biology & Exercise Science (respectively)."
    )
    assert not align(
        "He studied at Concordia & Eastern Washington, where he received degrees in "
        "Biology & Exercise Science.",
        source,
    )
    assert align("He studied at Concordia & Eastern Washington.", source)


def test_a_word_that_says_a_list_is_partial_is_not_cut() -> None:
    # the fourteenth sample: "among other things" cut, three tasks read as the whole remit
    source = (
        "This group will focus on, among other things, managing exposures with bankrupt "
        "counterparties and standardizing our credit practices."
    )
    assert not align(
        "This group will focus on managing exposures with bankrupt counterparties and "
        "standardizing our credit practices.",
        source,
    )
    listed = "Bring the forms, badges, keys, etc. to the front desk."
    assert not align("Bring the forms, badges, keys to the front desk.", listed)
    # the whole list may still go with its marker; so may other words
    assert align("This group will focus on, among other things, managing exposures.", source)


def test_a_request_keeps_its_second_part() -> None:
    # the fourteenth sample: "and then draft one for John Gorman" cut from a request
    source = (
        'Twanda, would you please make this a form entitled "Canada Release" and then '
        "draft one for John Gorman?"
    )
    assert not align('Twanda, would you please make this a form entitled "Canada Release"?', source)
    # a statement's trailing clause may still go
    said = "We made the form for the Canada release and then we drafted one for the US."
    assert align("We made the form for the Canada release.", said)


def test_a_line_left_hanging_on_a_comma_lost_its_main_clause() -> None:
    # the fourteenth sample: the decision after the comma was cut, the fronted phrase kept
    source = (
        "In regard to filing comments on the motion for the hearing on Monday, Jan. 7, 2002, "
        "it was decided not to file comments, but continue monitoring the proceeding."
    )
    assert not align(
        "In regard to filing comments on the motion for the hearing on Monday, Jan. 7, 2002,.",
        source,
    )
    # a sentence that itself ends on a comma (the splitter's cut) may be compressed inside
    ends = "Please join us at the conference in Denver on Monday, at the Hyatt,"
    assert align("Please join us at the conference on Monday, at the Hyatt,", ends)
    assert not align("Please join us at the conference in Denver on Monday,", ends)


def test_a_relative_clause_goes_whole_or_not_at_all() -> None:
    # the fifteenth sample: "which we sent out" cut, "in 1997" moved onto the assignment
    source = "Bill was assigned to this master which we sent out in 1997."
    assert not align("Bill was assigned to this master in 1997.", source)
    assert align("Bill was assigned to this master.", source)
    listed = "The rates that we discussed on Monday are final."
    assert not align("The rates on Monday are final.", listed)
    # closed by punctuation, the clause only describes its noun
    closed = "The report, which Dana wrote, is late."
    assert align("The report is late.", closed)


def test_the_subject_of_an_infinitive_is_not_cut() -> None:
    # the fifteenth sample: the group, not the writer, is to adopt the recommendations
    source = "My goal is for the paper and pulp group to adopt the recommendations."
    assert not align("My goal is to adopt the recommendations.", source)
    # a "for" phrase before anything but the infinitive may still go
    booked = "We booked the room for the team on Friday."
    assert align("We booked the room on Friday.", booked)


def test_a_concession_is_not_cut() -> None:
    # the sixteenth sample: "though this info is out already" cut, and the next sentence,
    # which explained why it was out, read as a reason for secrecy
    source = "This is for your eyes only, though this info is out already."
    assert not align("This is for your eyes only.", source)
    # an added step after "but" may still go
    routed = "This should not affect the pipeline, but I routed it to Legal for a check."
    assert align("This should not affect the pipeline.", routed)


def test_a_restricting_word_in_brackets_is_not_cut() -> None:
    # the tenth judged sample: "(read-only)" dropped made the access unrestricted
    source = "We will open up access to the trading group (read-only) next week."
    assert not align("We will open up access to the trading group next week.", source)
    # a bracket that only names the group may still go
    named = "We will open up access to the trading group (the desk heads) next week."
    assert align("We will open up access to the trading group next week.", named)


def test_a_sentence_inside_one_numbered_item_keeps_the_items_opening() -> None:
    mail = (
        "Upon paying the balance you have two options:  1)  Open a Personal Card and move "
        "the points to it.\n"
        "You can apply over the phone.\n"
        "Cardmembers must move the points to the new card by March 1.\n"
        "2) If you do not want a Personal Card, call the Rewards line.\n"
        "For travel questions, please call Tracy."
    )
    alone = check_claims("Cardmembers must move the points to the new card by March 1.", mail)
    assert not alone.ok
    assert "numbered item that sentence 1 opens" in alone.problems[0]
    with_opening = check_claims(
        "Upon paying the balance you have two options:  1)  Open a Personal Card and move the "
        "points to it. Cardmembers must move the points to the new card by March 1.",
        mail,
    )
    assert with_opening.ok, with_opening.problems
    # After the last item nothing marks where it ends: a later sentence stands alone.
    assert check_claims("For travel questions, please call Tracy.", mail).ok
    # A number inside a sentence is no item marker.
    dated = "The memo dated Oct 30. 2 people replied.\nPlease send the form.\n3 is too many."
    assert check_claims("Please send the form.", dated).ok


def test_a_quoted_this_keeps_the_sentence_it_stands_for() -> None:
    # Found by the seventh judged sample: two quoted sentences of a mail, the second asking
    # about "this", read as a question about the first, which was not what "this" meant.
    source = (
        "Attached are the electronic agreements for trading with Goldman.\n"
        "Goldman's form lets anyone at the firm apply for a password.\n"
        "How does the desk keep track of this?"
    )
    skipping = check_claims(
        [
            "Attached are the electronic agreements for trading with Goldman.",
            "How does the desk keep track of this?",
        ],
        source,
    )
    assert not skipping.ok and "refers back to sentence 2" in skipping.problems[0]
    whole = check_claims(
        [
            "Goldman's form lets anyone at the firm apply for a password.",
            "How does the desk keep track of this?",
        ],
        source,
    )
    assert whole.ok, whole.problems
    # A demonstrative before its own noun names its referent.
    own_noun = "Attached are the agreements.\nPlease sign this agreement by Friday."
    assert check_claims("Please sign this agreement by Friday.", own_noun).ok


def test_a_quoted_that_keeps_the_sentence_it_stands_for() -> None:
    # Found by a dev A/B of session 9: "Can you do that …?" quoted right after a request
    # about the curves read as asking for the curves; in the mail "that" is the line
    # before it (putting the new rates on the curves).
    source = (
        "Here is a copy of the curves that need updating.\n"
        "Could you get them to me by tomorrow afternoon?\n"
        "I want to put the new rates on the curves.\n"
        "Can you do that if I get you the rates?"
    )
    skipping = check_claims(
        [
            "Could you get them to me by tomorrow afternoon?",
            "Can you do that if I get you the rates?",
        ],
        source,
    )
    assert not skipping.ok and "refers back to sentence 3" in skipping.problems[0]
    whole = check_claims(
        ["I want to put the new rates on the curves.", "Can you do that if I get you the rates?"],
        source,
    )
    assert whole.ok, whole.problems
    # "that" as a conjunction introduces its own clause.
    conjunction = "The rates changed.\nPlease confirm that the rates are final."
    assert check_claims("Please confirm that the rates are final.", conjunction).ok


SOURCE = [
    "We completed the due diligence process for the Albany site in 2001.",
    "The office is at 290 Washington Avenue Extension, Albany, NY.",
    "Our walla walla onion order is confirmed.",
]


@pytest.mark.parametrize(
    ("line", "loops"),
    [
        # lines the default model wrote (held-out AESLC mail and oneline drafts)
        ("2001: 2001: 2001: 2001", True),
        ("due diligence process for due diligence", True),
        ("290 Washington Avenue Extension, Albany, NY, 2001, 2001", True),
        ("Confirmed: Confirmed: Confirmed: Confirm", True),
        ("Due diligence process completed", False),
        ("Albany due diligence process, 2001", False),
        # a repetition the mail itself makes is the mail's
        ("walla walla onion order confirmed", False),
        ("walla walla walla onion order", True),
    ],
)
def test_a_line_that_repeats_itself_more_than_its_sentences_is_caught(
    line: str, loops: bool
) -> None:
    assert repeats_itself(line, SOURCE) is loops
