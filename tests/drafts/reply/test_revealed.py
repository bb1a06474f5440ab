"""Asks that the user's answer reveals (``revealed.reveal_asks``): a sentence the ask rules
passed over becomes an ask answered by the intent when a clause of the intent plainly
answers it. The reply's text never changes, and no placeholder is ever added."""

from __future__ import annotations

from typing import Any

import pytest

import plugin.drafts.reply.plan as plan_module
from plugin.drafts.reply.draft import ReplyDraft
from tests.drafts.reply.helpers import mail, plan_of

CONTACT = (
    "Hi Bob,\n\nJim tells me you would be the person to contact about parking passes "
    "for the offsite.\n\nAnn"
)


def found(plan: Any) -> list[tuple[str, str, str | None]]:
    return [(a.text, a.found_by, a.answered_by) for a in plan.asks]


def test_a_statement_the_users_answer_answers_becomes_an_ask_answered_by_it() -> None:
    plan = plan_of(mail(CONTACT), "I'll leave two parking passes for you at the front desk.")
    assert found(plan) == [
        (
            "Jim tells me you would be the person to contact about parking passes for the offsite.",
            "answer",
            "intent",
        )
    ]
    [answer] = [s for s in plan.body if s.role == "answer"]
    assert answer.asks == [0]
    assert plan.to_json()["asks"][0]["found_by"] == "answer"


def test_what_the_reader_will_need_is_revealed_by_an_answer_about_it() -> None:
    document = mail(
        "Hi Bob,\n\nThe offsite is set for March. You'll need a parking pass for the garage "
        "on Smith Street.\n\nAnn"
    )
    plan = plan_of(document, "I already have my garage pass.")
    assert [(a.found_by, a.answered_by) for a in plan.asks] == [("answer", "intent")]
    assert plan.asks[0].text.startswith("You'll need a parking pass")


def test_a_sentence_that_asks_nothing_is_not_revealed_by_an_answer_about_it() -> None:
    document = mail(
        "Hi Bob,\n\nThe offsite is set for March. You told me last week that the garage on "
        "Smith Street is closed.\n\nAnn"
    )
    plan = plan_of(document, "The Smith Street garage reopens in February.")
    assert plan.asks == []
    assert [s.asks for s in plan.body if s.role == "answer"] == [[]]


def test_a_word_the_mail_repeats_elsewhere_reveals_nothing() -> None:
    """ "weeks" is in the wish to meet and in the news the question is about: the answer to
    the question does not answer the wish (a test message of run 11, moved to dev)."""
    document = mail(
        "Hi Bob,\n\nI would like to meet with you in a few weeks when things calm down. My "
        "sources say the new pricing tool goes live within 2 weeks. Is that true?\n\nAnn"
    )
    plan = plan_of(document, "Yes, that's true, the pricing tool goes live within 2 weeks.")
    assert found(plan) == [("Is that true?", "rules", "intent")]


def test_a_courtesy_is_never_revealed_as_an_ask() -> None:
    document = mail(
        "Hi Bob,\n\nThanks for the tickets. If you have any questions about the invoice, "
        "please call me.\n\nAnn"
    )
    plan = plan_of(document, "I have a question about the invoice total; I'll call you.")
    assert plan.asks == []


def test_a_quick_choice_reveals_the_one_sentence_that_asks_for_a_yes() -> None:
    document = mail(
        "Hi Bob,\n\nThe review ran long today. Could we postpone the budget presentation to "
        "next week.\n\nAnn"
    )
    plan = plan_of(document, "yes")
    assert found(plan) == [
        ("Could we postpone the budget presentation to next week.", "answer", "intent")
    ]
    [answer] = [s for s in plan.body if s.role == "answer"]
    assert answer.text == "Yes." and answer.asks == [0]
    later = plan_of(document, "later:Friday")
    assert [a.answered_by for a in later.asks] == ["intent"]


def test_a_quick_choice_reveals_nothing_where_two_sentences_could_be_meant() -> None:
    two = mail(
        "Hi Bob,\n\nCould we postpone the budget review to next week. We would also like "
        "the pipeline figures.\n\nAnn"
    )
    plan = plan_of(two, "yes")
    assert plan.asks == []
    assert [s.text for s in plan.body if s.role == "answer"] == ["Yes."]


def test_a_second_ask_the_same_answer_covers_is_revealed_beside_the_first() -> None:
    document = mail(
        "Hi Bob,\n\nCould you send me the Q3 forecast by Friday? We would like the pipeline "
        "figures too.\n\nAnn"
    )
    plan = plan_of(
        document, "I'll send the Q3 forecast Thursday. The pipeline figures are in the same file."
    )
    assert found(plan) == [
        ("Could you send me the Q3 forecast by Friday?", "rules", "intent"),
        ("We would like the pipeline figures too.", "answer", "intent"),
    ]
    [answer] = [s for s in plan.body if s.role == "answer"]
    assert answer.asks == [0, 1]
    assert plan.placeholders() == []


@pytest.mark.parametrize(
    ("sentence", "intent"),
    [
        (
            "Are the replacement contracts going to be sent out soon.",
            "The replacement contracts go out on Friday.",
        ),
        (
            "Here's a first draft of the lease with my revisions marked.",
            "I reviewed the lease draft and the revisions look fine.",
        ),
        (
            "We are looking for a fixed price quote on the Katy storage.",
            "I'll send you the Katy storage quote tomorrow.",
        ),
        ("Ellen and I very much want your input on the budget.", "Cut travel from the budget."),
        (
            "I will take up a collection of $20 for the gift if that is okay with everyone.",
            "Fine with me, here is my $20 for the gift.",
        ),
        (
            "Further to our talk block off Friday March 3 for the planning offsite.",
            "Done, I've blocked off March 3 for the offsite.",
        ),
        (
            "Acme requests an additional week to review the storage contract.",
            "The extra week on the storage contract is fine.",
        ),
        (
            "The group will probably need to pull the tapes of the Katy calls.",
            "I'll have the Katy tapes pulled today.",
        ),
        (
            "We had several questions as to how the virtual bidding will be settled.",
            "Virtual bidding is settled in the day-ahead market.",
        ),
        (
            "We are still very curious about the expected start date of the pilot.",
            "The pilot start date is still June 1.",
        ),
        (
            "Ken and I were hoping the two of you could discuss the merger at the council.",
            "I'd be glad to discuss the merger at the council.",
        ),
        (
            "Hunter would like an answer on the storage position today.",
            "Tell Hunter the storage position is flat.",
        ),
        (
            "Greg is looking for some guidance on the pipeline filing.",
            "Greg should file the pipeline tariff as drafted.",
        ),
    ],
)
def test_asks_in_other_words_are_revealed_by_an_answer_about_them(
    sentence: str, intent: str
) -> None:
    """Session 37: needs with an adverb or of two people, a request or invitation in the
    third person, a question typed without its mark, a draft sent for review, "if that is
    okay", a bare "block off …"; and from its blind dev labels, questions and curiosity
    reported, a hope that the reader could, a third person's wish for an answer or
    guidance."""
    plan = plan_of(mail(f"Hi Bob,\n\nThe offsite is in March. {sentence}\n\nAnn"), intent)
    assert found(plan) == [(sentence, "answer", "intent")]


def test_a_request_as_a_noun_is_not_revealed() -> None:
    """ "made this request a very high priority" tells; "Acme requests a week" asks."""
    document = mail("Hi Bob,\n\nThe risk group has made this request a very high priority.\n\nAnn")
    plan = plan_of(document, "The risk group priority list is on the wiki.")
    assert plan.asks == []


def test_one_answer_reveals_every_sentence_it_answers() -> None:
    """One clause of the intent can answer two sentences about the same thing."""
    document = mail(
        "Hi Bob,\n\nWe need to have the Vector Alliance product set up for tomorrow if "
        "possible. We would also like the Waha daily product set up for tomorrow.\n\nAnn"
    )
    plan = plan_of(document, "Done, the Vector Alliance and Waha daily products are set up.")
    assert [(a.found_by, a.answered_by) for a in plan.asks] == [
        ("answer", "intent"),
        ("answer", "intent"),
    ]
    [answer] = [s for s in plan.body if s.role == "answer"]
    assert answer.asks == [0, 1]
    assert plan.placeholders() == []


def test_revealed_asks_take_their_place_in_the_mails_order() -> None:
    """A revealed ask before a found one: the slots' ask indexes follow the renumbering."""
    document = mail(
        "Hi Bob,\n\nJim tells me you would be the person to contact about parking passes "
        "for the offsite. Could you send me the offsite agenda?\n\nAnn"
    )
    plan = plan_of(
        document, "I'll leave two parking passes at the front desk. The agenda is attached."
    )
    assert [a.found_by for a in plan.asks] == ["answer", "rules"]
    by_ask = {i: s.text for s in plan.body for i in s.asks}
    assert "parking passes" in by_ask[0]
    assert "agenda" in by_ask[1]


def test_an_answer_already_given_to_an_ask_is_not_moved() -> None:
    """The clause fits the ask it answers better than any other sentence of the mail."""
    document = mail(
        "Hi Bob,\n\nWe are planning the offsite agenda. Could you send me the offsite agenda "
        "draft?\n\nAnn"
    )
    plan = plan_of(document, "The offsite agenda draft is attached.")
    assert found(plan) == [("Could you send me the offsite agenda draft?", "rules", "intent")]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (CONTACT, "I'll leave two parking passes for you at the front desk."),
        (
            "Hi Bob,\n\nCould you send me the Q3 forecast by Friday? We would like the "
            "pipeline figures too.\n\nAnn",
            "I'll send the Q3 forecast Thursday. The pipeline figures are in the same file.",
        ),
    ],
)
def test_revealing_asks_never_changes_the_reply(
    text: str, intent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = {"intent": intent, "model": False}
    [with_reveal] = ReplyDraft(None).draft([mail(text)], options)
    monkeypatch.setattr(plan_module, "reveal_asks", lambda _text, _id, asks, *_rest: asks)
    [without] = ReplyDraft(None).draft([mail(text)], options)
    assert with_reveal.text == without.text
    assert len(with_reveal.data["plan"]["asks"]) > len(without.data["plan"]["asks"])
