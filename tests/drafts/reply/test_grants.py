"""Grants, answers given point by point, two questions in one sentence and bare
follow-ups (round s8 of the reply asks, docs/replies.md): what a free-text intent answers
and what it leaves as a placeholder."""

from __future__ import annotations

from plugin.drafts.reply.bare import is_bare
from plugin.drafts.reply.slots import Ask
from tests.drafts.reply.helpers import answered, mail, plan_of


def test_a_grant_does_not_answer_a_question_passed_over_or_a_statement_it_does_not_touch() -> None:
    # Round s8: "Yes, I told Kirk …" is the answer to "Have you told Kirk …?", not to the
    # later "Going forward, should we …?"; "Yes, let's go" is not the answer to "… wanted
    # to make sure it was not for the stands".
    document = mail(
        "Have you told Kirk in logistics about the new volumes?\n"
        "Going forward, should we keep the firm deal whole?\nThanks"
    )
    plan = plan_of(document, "Yes, I told Kirk on Friday, so he can repath the volumes.")
    assert answered(plan) == ["intent", None]
    document = mail(
        "I paid the card bill but wanted to make sure it was not for the cake stands.\n"
        "Do you want to go to dinner tonight?"
    )
    plan = plan_of(document, "Yes, let's go to dinner tonight!")
    assert plan.asks[0].implied and plan.asks[0].answered_by is None
    assert plan.asks[1].answered_by == "intent"


def test_a_grant_still_answers_a_statement_ask_that_its_words_touch() -> None:
    document = mail(
        "Please give Ann and me access to the Canadian products.\n"
        "We need to be able to see them online."
    )
    plan = plan_of(document, "Done, you can both see and trade the Canadian products online now.")
    assert answered(plan) == ["intent", "intent"]
    assert plan.placeholders() == []


def test_a_bare_follow_up_with_a_deadline_or_a_purpose_wants_the_answer_before_it() -> None:
    for follow_up in (
        "Please let me know by noon today.",
        "Let me know so our team can keep working on them.",
        "Please respond by next Friday, August 24, so that I may order them.",
        "Let me know what you find in the ledger.",
    ):
        assert is_bare(Ask(follow_up, 0, len(follow_up), "m1", "request")), follow_up
    assert not is_bare(Ask("Please send the ledger by Friday.", 0, 33, "m1", "request"))
    document = mail(
        "What does the ledger show for those days?\nLet me know what you find in the ledger."
    )
    plan = plan_of(document, "The ledger shows the meter on the wrong deal.")
    assert answered(plan) == ["intent", "intent"]


def test_each_half_of_a_two_question_sentence_is_answered_on_its_own() -> None:
    document = mail(
        "Please let me know what your reading of the notice clause is and whether we must "
        "send him a formal notice."
    )
    plan = plan_of(document, "Yes, send him a formal notice now.")
    assert answered(plan) == [None, "intent"]
    assert plan.placeholders() == [
        "[Answer: Please let me know what your reading of the notice clause is]"
    ]


def test_a_point_by_point_answer_grants_nothing_it_does_not_name() -> None:
    # Round s8: "Yes, I have the confirms and will fax them, and I mailed the check" answers
    # the confirms by name; its other clause answers nothing here, so its "yes" is not a
    # grant of the other requests ("please contact Dale …", "let me know if …").
    document = mail(
        "Do you have the receipts for the shares?\nAlso, please contact Dale to sell the "
        "old units.\nTell him to wire the money to us.\n"
        "Let me know if you would like the old files."
    )
    plan = plan_of(document, "Yes, I have the receipts and will fax them, and I paid the bill.")
    assert answered(plan) == ["intent", None, None, None]
    # a grant with nothing else of its own still answers them all
    assert answered(plan_of(document, "Yes, I have the receipts.")) == ["intent"] * 4


def test_the_same_ask_for_comments_twice_is_answered_by_the_one_answer() -> None:
    # Round s8: "Your further thoughts … are welcomed" and "Please provide me your comments
    # …" ask the same; the answer to one answers both (docs: the same ask in other words).
    document = mail(
        "Here is the revised trigger definition for the masters.\n"
        "Your further thoughts on this issue are welcome.\n"
        "Please send me your comments on the definition by tomorrow."
    )
    plan = plan_of(document, "The revised definition is fine as written.")
    # the draft sent for review is answered too (revealed by the answer, session 37)
    assert [(a.found_by, a.answered_by) for a in plan.asks] == [
        ("answer", "intent"),
        ("rules", "intent"),
        ("rules", "intent"),
    ]
    assert plan.placeholders() == []
    # an ask that wants something else keeps its placeholder
    other = mail(
        "Please send me your comments on the definition by tomorrow.\n"
        "Also, who signs for the buyer?"
    )
    assert answered(plan_of(other, "The revised definition is fine as written.")) == [
        "intent",
        None,
    ]
