"""Which sentences are asks (``reply.asks.find_asks``): one rule per test, on invented mail."""

from __future__ import annotations

from connectors.document import Document
from plugin.drafts.reply.asks import find_asks
from plugin.drafts.reply.intents import parse_intent
from plugin.drafts.reply.plan import build_plan
from plugin.drafts.reply.voice import Profile


def asks_of(text: str, reader_names: set[str] | None = None) -> list[str]:
    document = Document(id="m1", kind="email", source="m1.eml", title="Plans", text=text)
    return [ask.text for ask in find_asks(document, reader_names or set(), [])]


def test_let_me_know_if_you_have_comments_is_an_ask_but_any_questions_is_not() -> None:
    assert asks_of(
        "Attached are two draft memos.\nPlease let me know if you have any comments.\n"
    ) == ["Please let me know if you have any comments."]
    assert asks_of("Let me know if you need any further details on the lease.") == [
        "Let me know if you need any further details on the lease."
    ]
    assert asks_of("The memo is attached.\nLet me know if you have any questions.") == []
    assert asks_of("Please call me if you have any problems with the form.") == []


def test_a_request_after_an_if_you_have_clause_is_an_ask_even_typed_without_a_space() -> None:
    assert asks_of("If you have any maps, canyou mail them to me at home.") == [
        "If you have any maps, canyou mail them to me at home."
    ]


def test_i_would_appreciate_it_if_you_would_is_a_request() -> None:
    found = asks_of("I would appreciate it if you would send me the signed lease.")
    assert found == ["I would appreciate it if you would send me the signed lease."]


def test_a_statement_with_a_question_mark_that_talks_to_the_reader_is_an_ask() -> None:
    text = "Tom Reyes sent me your way to get a login for the trading site?\nThanks."
    assert asks_of(text) == ["Tom Reyes sent me your way to get a login for the trading site?"]
    assert asks_of("Quite a week for the market, eh?") == []


def test_a_vocative_to_someone_else_is_not_the_readers_ask() -> None:
    text = "Maria, you were going to set up the trading site login?"
    assert asks_of(text, {"bob"}) == []
    assert asks_of(text, {"maria"}) == [text]


def test_please_disregard_and_join_me_in_congratulating_are_not_asks() -> None:
    assert asks_of("If your phone number is right, please disregard this note.") == []
    assert asks_of("Please join me in congratulating Ann on her promotion.") == []


def test_the_line_that_introduces_a_list_of_questions_is_not_an_ask_of_its_own() -> None:
    text = (
        "A few questions that I would appreciate your help with:\n"
        "1) Can you confirm the start date?\n2) Who signs for the buyer?\n"
    )
    assert asks_of(text) == ["1) Can you confirm the start date?", "2) Who signs for the buyer?"]


def test_an_invitation_with_its_own_rsvp_sentence_is_one_ask() -> None:
    text = (
        "Please join the gas desk for a year-end party with good food!\n"
        "Please bring your partner and a dessert of your choice.\n"
        "Please let me know what you would like to bring.\n"
    )
    assert asks_of(text) == ["Please let me know what you would like to bring."]


def test_an_invitation_alone_is_one_ask_and_other_asks_stay() -> None:
    text = (
        "Please join us for lunch at Rosa's Grill on Friday.\n"
        "Please bring your laptop.\n"
        "Also, can you send me the Q3 figures before then?\n"
    )
    assert asks_of(text) == [
        "Please join us for lunch at Rosa's Grill on Friday.",
        "Also, can you send me the Q3 figures before then?",
    ]


def test_a_line_wrapped_question_is_one_ask_answered_by_yes() -> None:
    text = "We propose the new transfer language below.\nIs this O.K.\nwith you?\n"
    document = Document(id="m1", kind="email", source="m1.eml", title="Transfer", text=text)
    plan = build_plan(document, intent=parse_intent("yes"), profile=Profile(user="b@x.com"))
    assert [a.text for a in plan.asks] == ["Is this O.K.\nwith you?"]
    assert plan.asks[0].answered_by == "intent"
    assert plan.placeholders() == []


def test_one_free_text_sentence_answers_a_question_and_an_offer_of_more_information() -> None:
    text = (
        "Tom pointed me to you to be added to the trading site?\n"
        "Let me know if you need additional information.\n"
    )
    document = Document(id="m1", kind="email", source="m1.eml", title="Access", text=text)
    intent = parse_intent("I've added you to the trading site and don't need anything else.")
    plan = build_plan(document, intent=intent, profile=Profile(user="b@x.com"))
    assert len(plan.asks) == 2
    assert all(a.answered_by == "intent" for a in plan.asks)
    assert plan.placeholders() == []


def test_a_hedge_answers_not_even_the_only_ask_but_stays_as_the_users_words() -> None:
    document = Document(
        id="m1", kind="email", source="m1.eml", title="Lunch", text="Can you join us on Friday?"
    )
    plan = build_plan(document, intent=parse_intent("Not sure yet."), profile=Profile(user="b"))
    assert plan.asks[0].answered_by is None
    assert len(plan.placeholders()) == 1
    assert [s.text for s in plan.body if s.role == "answer"] == ["Not sure yet."]
    plan = build_plan(
        document,
        intent=parse_intent("Not sure yet, but Friday should work."),
        profile=Profile(user="b"),
    )
    assert plan.asks[0].answered_by == "intent" and plan.placeholders() == []
