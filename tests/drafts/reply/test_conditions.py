"""Fallback requests that the user's answer settles (``reply.conditions``): "If you cannot
take the test, please advise" needs no placeholder when the user says they took it, and
keeps one when they say they cannot, or say nothing about it."""

from __future__ import annotations

from plugin.drafts.reply.conditions import settling_clause
from tests.drafts.reply.helpers import mail, plan_of

DRUG_TEST = (
    "Hi Bob,\n\nIf you have not already taken your drug test, please do so by Tuesday. If for "
    "any reason you cannot take this test by tomorrow, please advise.\n\nAnn"
)


def test_a_fallback_request_is_settled_by_the_users_word_that_it_is_done() -> None:
    plan = plan_of(mail(DRUG_TEST), "I took the drug test yesterday at the clinic.")
    assert plan.placeholders() == []
    assert [a.answered_by for a in plan.asks] == ["intent", "intent"]
    [answer] = [s for s in plan.body if s.role == "answer"]
    assert answer.asks == [0, 1]


def test_a_fallback_request_keeps_its_placeholder_when_the_user_says_it_is_not_done() -> None:
    assert (
        settling_clause(
            "If for any reason you cannot take this test by tomorrow, please advise.",
            "I can't take the test until Monday.",
        )
        is None
    )
    assert (
        settling_clause(
            "If you will not be able to attend, please call Sharron at x37094.",
            "I'll be at the meeting.",
        )
        is None
    )  # says nothing the condition names: "attend" is not "meeting"
    assert (
        settling_clause(
            "If you will not be able to attend, please call Sharron at x37094.",
            "I will attend, see you there.",
        )
        is not None
    )


def test_a_request_with_no_fallback_condition_is_never_settled_this_way() -> None:
    assert settling_clause("Please take the test by Tuesday.", "I took the test.") is None
    assert settling_clause("If you took the test, please advise.", "I took the test.") is None
