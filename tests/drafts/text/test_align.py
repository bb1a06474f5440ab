"""The guards that make a compression safe (``align``): a draft sentence is read off one
source sentence by cuts at phrase boundaries (an opener or a vocative may go), and a cut
never removes a negation, a modal, the agent, a condition or the clause it governs, an
alternative, a concession, a request's second part, a word that pairs or limits a list,
nor hands one person's title to another. How a whole draft is checked is
``test_claims.py``."""

from __future__ import annotations

from plugin.drafts.text.align import align


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


def test_protected_words_cannot_be_cut() -> None:
    source = "Could you please send me the estimate by Wednesday?"
    assert align("Could you please send me the estimate?", source)
    assert not align("Could you please send me the estimate?", source, protect_words=["wednesday"])


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
