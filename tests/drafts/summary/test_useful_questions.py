"""Which ask a brief carries when a mail has several, or puts its question as a statement
(usefulness round 4: the sixth judged sample lost visa questions, a recall question, what
is needed from a bank and a rescheduling proposal to background). All examples are
written for these tests; test_useful.py holds the earlier rounds' request rules."""

from __future__ import annotations

import pytest

from plugin.drafts.summary.brief_ask_shapes import extra_ask
from plugin.drafts.summary.brief_asks import bare_reply, is_indirect
from tests.drafts.summary.plans import planned_roles


def test_a_question_to_the_reader_wins_over_an_ask_said_about_others() -> None:
    text = (
        "I just got a call from Ana Ruiz. "
        "She starts her new post in May and wants her permit in time. "
        "Should we have her call the relocation firm directly? "
        "By policy, the company is required to pay for one trip home."
    )
    roles = planned_roles(text)
    assert roles.get("Should we have her call the relocation firm directly?") == "request"
    assert roles.get("By policy, the company is required to pay for one trip home.") != "request"
    # said as what "She starts …" leans on, at no cost to the budget
    assert roles.get("I just got a call from Ana Ruiz.") == "main"


def test_an_ask_to_the_reader_still_wins_over_a_question() -> None:
    assert not is_indirect("Please send me the attendee list.", "please")
    assert is_indirect("The company is required to pay for one trip home.", "ask")
    roles = planned_roles(
        "The offsite is booked. Is the budget approved yet? "
        "The company is required to pay for the hotel. Please send me the attendee list."
    )
    assert roles["Please send me the attendee list."] == "request"


@pytest.mark.parametrize(
    "question",
    [
        "Bottom line is do you want me to keep following this case.",
        "I was wondering if you could join us in Dallas next week.",
        "I am not sure how/where to record this in the contract.",
        "What we now need from the bank is their payment schedule.",
    ],
)
def test_a_question_put_as_a_statement_is_an_ask(question: str) -> None:
    assert extra_ask(question)
    text = (
        "The county reviewed the permits for the north site last month. "
        "The hearing drew a large crowd of neighbours. "
        f"{question}"
    )
    assert planned_roles(text).get(question) == "request"


@pytest.mark.parametrize(
    "statement",
    [
        "I am not sure if my message reached you.",
        "I am not sure that the hearing will go ahead.",
        "We were wondering about the weather all week.",
    ],
)
def test_the_writers_own_doubt_is_not_an_ask(statement: str) -> None:
    assert not extra_ask(statement)


def test_a_bare_reply_gives_way_to_the_ask_it_answers_and_keeps_its_deadline() -> None:
    assert bare_reply("Please let me know by Friday so that I can file the letter.")
    assert bare_reply("Please let me know.")
    assert not bare_reply("Please let me know which hotel you prefer.")
    text = (
        "The county opened a review of the north site permits. "
        "Bottom line is do you want me to keep following this case. "
        "Please let me know by Friday so that I can file the letter."
    )
    roles = planned_roles(text)
    assert roles["Bottom line is do you want me to keep following this case."] == "request"
    assert roles["Please let me know by Friday so that I can file the letter."] == "deadline"


def test_a_full_question_wins_over_a_fragment() -> None:
    text = (
        "Hi Tana, I hear you keep the trading glossary booklets. "
        "Any other good trading references? "
        "Could I get a copy for our new analyst?"
    )
    roles = planned_roles(text)
    assert roles["Could I get a copy for our new analyst?"] == "request"
    assert roles.get("Any other good trading references?") != "request"


def test_an_ask_the_brief_cannot_say_gives_way_to_the_next() -> None:
    # "If not, then …" leans on "If so, …", which leans on the question: three sentences,
    # more than a brief says, so the brief carries the question that opens the chain.
    text = (
        "I have lost my voice and cannot speak at the conference. "
        "Lee, I was wondering if you would be in Denver next week. "
        "If so, we can meet there. "
        "If not, then let's please move our Friday call to Monday after 10 am."
    )
    roles = planned_roles(text)
    assert roles.get("Lee, I was wondering if you would be in Denver next week.") == "request"


@pytest.mark.parametrize(
    "report",
    [
        "Tracy called me at work.",
        "I just got a call from Li Wong.",
        "I spoke w/ Jon at Acme today.",
    ],
)
def test_a_short_report_of_a_call_is_not_chosen(report: str) -> None:
    text = (
        f"{report} "
        "A water pipe broke under the street next to the old mill. "
        "The crew will check the foundation on Monday."
    )
    roles = planned_roles(text)
    assert report not in roles
    assert "A water pipe broke under the street next to the old mill." in roles


@pytest.mark.parametrize(
    "instruction",
    [
        "If you receive this message, DELETE it at once.",
        "DO NOT OPEN THE ATTACHED FILE.",
        "Meanwhile, it is imperative that you switch to the new address format.",
        "The letter you got was sent in error, and should be disregarded.",
        "Maria needs your slides today to get them to the printers.",
    ],
)
def test_a_notices_instruction_is_an_ask(instruction: str) -> None:
    assert extra_ask(instruction)
    text = (
        "A message with a fake invoice is going around the company network. "
        "It carries a link to a site that looks like our payroll page. "
        f"{instruction}"
    )
    assert planned_roles(text).get(instruction) == "request"


@pytest.mark.parametrize(
    "statement",
    [
        "Don't recall that he ever backed a bill like that.",
        "Don't worry about the invoice.",
        "Don't hesitate to call me.",
    ],
)
def test_the_writers_own_negation_is_not_an_instruction(statement: str) -> None:
    assert not extra_ask(statement)


def test_a_bare_reply_keeps_its_place_when_the_ask_before_it_cannot_be_said_alone() -> None:
    # "Is he going to be retained?" leans on "Is he working …", which leans on "He has …":
    # more than a brief can say, so "Please advise." stays the request.
    text = (
        "What is Rudi's status? "
        "He has taken leave and moved back to the US. "
        "Is he working in the office? "
        "Is he going to be retained? "
        "Please advise."
    )
    assert planned_roles(text).get("Please advise.") == "request"


def test_an_instruction_after_a_fronted_phrase_is_an_ask_and_beats_a_vague_one() -> None:
    instruction = "On the March file, look at the variances tab and answer my questions."
    assert extra_ask(instruction)
    assert not extra_ask("On the March file, the variances are small.")
    text = (
        "Attached are the gas files for the months you asked for. "
        "I lumped the fees into the wrong column by mistake. "
        f"{instruction} "
        "Let me know what you think."
    )
    roles = planned_roles(text)
    assert roles.get(instruction) == "request"
    assert "Let me know what you think." not in roles


def test_a_second_ask_to_the_reader_is_said_after_the_lead() -> None:
    text = (
        "Barbara, here is my draft of the rehearing request. "
        "Our outside counsel is going to add a few sentences next week. "
        "The filing is due at the commission on October 16. "
        "I'd be happy to copy Jay Golub too; please send me his e-mail address. "
        "In the meantime, let me know if you have any comments on the draft."
    )
    roles = planned_roles(text, limit=3)
    assert roles["Barbara, here is my draft of the rehearing request."] == "main"
    assert roles["I'd be happy to copy Jay Golub too; please send me his e-mail address."] == (
        "request"
    )
    assert "In the meantime, let me know if you have any comments on the draft." in roles


def test_a_shouted_heading_is_never_the_second_ask() -> None:
    text = (
        "Open enrollment for your 2002 benefits begins Monday, October 29. "
        "Please return your enrollment form by November 12. "
        "I NEED MORE INFORMATION\n"
        "The benefits fair is in the lobby on Tuesday."
    )
    roles = planned_roles(text, limit=3)
    assert roles.get("Please return your enrollment form by November 12.") == "request"
    assert "I NEED MORE INFORMATION" not in roles
