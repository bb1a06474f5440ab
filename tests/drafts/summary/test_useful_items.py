"""Briefs that choose the ask that is there (usefulness round s8): a list's item or a
table's cell never beats the sentence that asks, a short mail's opening gives way to a
second question to the reader, a bare greeting is never the brief. All examples are
written for these tests."""

from __future__ import annotations

from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.summary.brief_chain import sentence_chain
from plugin.drafts.summary.brief_items import (
    announced_by,
    headed_by,
    is_list_item,
    lone_item,
    short_numbered_list,
    skips_items,
)
from plugin.drafts.text.sentences import Sentence, split_sentences
from tests.drafts.summary.plans import planned, planned_roles

LIST_MAIL = (
    "John,\n\nWe are setting up the new counterparties this week. "
    "Please email me the following information:\n\n"
    "1. Contact name at Counterparty 6.\n2. Fax number for confirmations.\n"
    "3. Credit limit approved.\n\nThanks,\nSue"
)


def _texts(text: str) -> list[str]:
    return [sentence for _, sentence in planned(text)]


def test_a_lone_list_item_never_beats_the_ask_that_introduces_the_list() -> None:
    said = _texts(LIST_MAIL)
    # "Contact name …" opens with a verb, so the request scorer calls it an imperative.
    assert "Contact name at Counterparty 6." not in said
    assert "Please email me the following information:" in said


def test_a_list_item_gives_way_to_a_later_ask_outside_the_list() -> None:
    # The item says when ("by Friday"), which would otherwise make it the request.
    text = (
        "Here is what we still need for the audit:\n1.\nReview the Q3 invoices by Friday.\n"
        "2.\nConfirm the vendor list.\n\nBob has the files. "
        "Please call Todd Reid at Duke about the gas confirms."
    )
    roles = planned_roles(text)
    assert roles.get("Please call Todd Reid at Duke about the gas confirms.") == "request"
    # Nor is the item's own "by Friday" said as the call's deadline.
    assert "Review the Q3 invoices by Friday." not in roles


def test_an_item_that_asks_by_itself_is_still_an_ask() -> None:
    sentences = split_sentences(
        "Two things before the call:\n1.\nCan you send the fax number?\n2.\nBook the room."
    )
    texts = [s.text for s in sentences]
    asking = texts.index("Can you send the fax number?")
    booking = texts.index("Book the room.")
    assert is_list_item(sentences, asking) and not lone_item(sentences, asking)
    assert lone_item(sentences, booking)


def test_table_cells_and_list_rows_are_items_but_prose_is_not() -> None:
    sentences = split_sentences(
        "Duke Energy Marketing LP\tECC.\nDuke Energy Trading\tECT.\n\n"
        "The confirms for both are late and the desk is waiting on them today."
    )
    texts = [s.text for s in sentences]
    # The first line has nothing before it to tell a cell from a title; the rest are cells.
    assert all(lone_item(sentences, k) for k in range(1, texts.index("ECT.") + 1))
    assert not is_list_item(sentences, len(sentences) - 1)
    # A long sentence after "as follows:" is the content, not an item of it.
    prose = split_sentences(
        "The decision is as follows: Enron should make no severance payments to anyone "
        "without first bringing the matter to the board for its approval."
    )
    assert not any(is_list_item(prose, k) for k in range(len(prose)))


def test_a_short_mail_says_its_two_questions_not_its_opening() -> None:
    text = (
        "Keith,\n\nThe family reunion is coming up and we need to pick a date. "
        "When should it be??? I was thinking of June or July at the lake house. "
        "Keith are you available the weekend of the 27th?\n\nMom"
    )
    said = _texts(text)
    # The sentence between the two questions is said with them (a gap misleads); the
    # opening is not.
    assert said == [
        "When should it be???",
        "I was thinking of June or July at the lake house.",
        "Keith are you available the weekend of the 27th?",
    ]


def test_a_short_ask_keeps_the_opening_that_says_what_it_is_about() -> None:
    # "Can you help?" says what it asks only with the sentence before it.
    text = (
        "We need to set up an escrow account with Treasury before the closing. "
        "I have the forms. Can you help? "
        "Also, do you have an address for the location of turbine 1?"
    )
    said = _texts(text)
    assert "We need to set up an escrow account with Treasury before the closing." in said


def test_a_long_mail_keeps_its_opening_beside_the_question() -> None:
    opening = "The board approved the new trading limits for the West desk on Monday."
    middle = " ".join(f"Point {n} of the memo covers desk number {n} in detail." for n in range(8))
    text = (
        f"{opening} {middle} Do you want the full memo before the review? "
        "Should we invite the risk team to the review as well?"
    )
    assert opening in _texts(text)


def test_a_bare_greeting_is_never_the_brief() -> None:
    text = (
        "Terri,\n\nHi!\n\nThanks for your interest in my book. "
        "You should be able to get one at the publisher's site the fastest.\n\nAgain, thanks."
    )
    assert "Hi!" not in _texts(text)


SHORT_LIST_MAIL = (
    "Because the website was down today, the following changes have been moved to "
    "October 30.\n1) Deployment of the new application server.\n"
    "2) Data postings for real-time transmission flows and limits.\n"
    "3) Transmission line outages.\n"
    "The MIS outage planned for tomorrow has been cancelled too.\n"
    "We apologize for the inconvenience.\nIf you have any questions, please call us."
)


def test_a_short_numbered_list_is_said_whole_at_the_cost_of_one_sentence() -> None:
    sentences = split_sentences(SHORT_LIST_MAIL)
    texts = [s.text for s in sentences]
    items = [k for k, t in enumerate(texts) if t[:2] in ("1)", "2)", "3)")]
    assert len(items) == 3 and short_numbered_list(sentences, items[-1]) == items
    said = [sentence for _, sentence in planned(SHORT_LIST_MAIL, limit=3)]
    # Items 1) and 3) without 2) read as a list of two; one item alone as the only one.
    assert all(texts[k] in said for k in items)
    # The list counts as one sentence of the three: two more are said beside it.
    assert len(said) == 5


def test_saying_a_later_item_without_the_ones_between_skips_items() -> None:
    sentences = split_sentences(
        "Open points:\n(1) The legal name of the counterparty is wrong in the draft we got.\n"
        "(2) The bank wants the S&P document that you are looking at.\n"
        "(3) Nobody knows what the usual haircut on ten year bonds is meant to be."
    )
    texts = [s.text for s in sentences]
    one, two, three = (
        next(k for k, t in enumerate(texts) if t.startswith(f"({n})")) for n in (1, 2, 3)
    )
    assert skips_items(sentences, {one}, three)
    assert not skips_items(sentences, {one, two}, three)
    assert not skips_items(sentences, {one}, two)
    # Long items are no short list: each may be said alone, in order.
    assert short_numbered_list(sentences, one) == []


def test_a_cut_off_rest_that_leans_past_its_line_keeps_the_line() -> None:
    # The rest of a sentence the splitter cut ("condition is not satisfied, …") leans on
    # its numbered item's opening two lines back; the line it was cut from must come too,
    # or it is said without its start.
    lines = [
        "1) Sign the new form by Monday.",
        "The form goes to Legal, and in the event that either or both (?)",
        "condition is not satisfied, the deal ends.",
        "2) Keep the old form until March.",
    ]
    sentences = [Sentence(text, 0, len(text), n) for n, text in enumerate(lines)]
    free: set[int] = set()
    assert sentence_chain(sentences, 2, 3, True, free) == [0, 1, 2]
    assert 2 in free


def test_the_announcing_ask_is_the_request_when_nothing_else_asks() -> None:
    text = (
        "Attached for your review and comment, please find the draft supply agreement:\n\n"
        "<<supply agreement.doc>>\n\n"
        "This message is intended for the sole use of the addressee. "
        "No consent is given for unauthorized viewing or distribution."
    )
    roles = planned_roles(text)
    assert roles.get(
        "Attached for your review and comment, please find the draft supply agreement:"
    ) == ("request")


def test_an_ask_after_an_address_below_is_the_request() -> None:
    text = (
        "Further to our conversation, attached is the final version of the sale agreement. "
        "Please sign two copies and return them to my attention at the address listed below. "
        "Upon final execution, I will forward an original for your records. "
        "Should you have any questions, do not hesitate to give me a call."
    )
    roles = planned_roles(text)
    assert roles.get(
        "Please sign two copies and return them to my attention at the address listed below."
    ) == ("request")


def test_a_pointer_or_a_first_cell_is_not_taken_as_the_only_ask() -> None:
    pointer = (
        "From Monday the hedge volume will respect the minimum volume of the parent product. "
        "The increment settings apply as well. "
        "Please see example below:\n\nParent minimum: 5\nChild minimum: 1"
    )
    cell = (
        "From October 29th we will no longer provide meals for the group. "
        "Snacks and water stop as well. "
        "Please be patient, and for the next two weeks the menu will be as follows:  Monday\t"
        "10/15\tWall Street Deli Tuesday\t10/16\tPizza Wednesday\t10/17\tON YOUR OWN"
    )
    for text in (pointer, cell):
        assert all(role != "request" for role, _ in planned(text, limit=3)), text


def test_a_numbered_item_comes_with_the_line_that_announced_its_list() -> None:
    text = (
        "Dave: The counterparty has requested the following changes to the agreement:  1.\n"
        "Make the reps in section 2 reciprocal  2.\n"
        "Make the assignment provision in section 6 reciprocal  3.\n"
        'In section 7, insert the word "its" before "third".\nPlease advise.\nCarol'
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    first = texts.index("Make the reps in section 2 reciprocal  2.")
    assert announced_by(sentences, first) == 0
    assert announced_by(sentences, first + 1) == 0
    said = [sentence for _, sentence in planned(text, limit=3)]
    # Without it the counterparty's changes read as the writer's own orders.
    assert said[0].startswith("Dave: The counterparty has requested the following changes")
    assert "Make the reps in section 2 reciprocal  2." in said
    # An unnumbered line after one that points ahead has no announcer to bring.
    plain = split_sentences("We met on Monday.\nThe notes follow:\nThe budget is approved.")
    assert announced_by(plain, 2) is None


def test_a_sentence_under_a_heading_comes_with_the_heading() -> None:
    text = (
        "Bill, here is the status of the air permits as of today.\nStations 1 and 2.\n"
        "The EPA has sent these permits back to the state with its comments.\n"
        "The public hearing is on November 19 in Williams.\nStations 3 and 4.\n"
        "The EPA engineer is satisfied with the applications and approved stain tubes.\n"
        "The comment period for these permits ends November 3."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    satisfied = next(k for k, t in enumerate(texts) if t.startswith("The EPA engineer"))
    assert headed_by(sentences, satisfied) == texts.index("Stations 3 and 4.")
    plan = plan_brief(sentences, [0, satisfied, *range(1, satisfied)], 2)
    said = [c.sentence.text for c in sorted(plan.chosen, key=lambda c: c.sentence.index)]
    # Without it, the approval reads as true of every station's permit.
    assert said == [texts[0], "Stations 3 and 4.", texts[satisfied]], said
    # Not a heading: a greeting, a sign-off, a row of a list of names, a sentence.
    for before in ("Dear Richard.", "Thanks Mark.", "The permits are filed."):
        assert headed_by(split_sentences(f"We met.\n{before}\nThe EPA approved it."), 2) is None
    names = split_sentences("The team:\nTexas West.\nUS Freight.\nUS Gas Central is added.")
    assert headed_by(names, 3) is None


def test_a_line_right_after_an_announcement_comes_with_it() -> None:
    text = (
        "We had calls from the press all morning.\n"
        "The following is the statement we are using with the media:\n"
        "Enron has no exposure to the failed utility and trading goes on as usual.\n"
        "Please send any questions to Mark."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    statement = texts.index(
        "Enron has no exposure to the failed utility and trading goes on as usual."
    )
    # Said without it, the statement reads as the writer's own news.
    assert announced_by(sentences, statement) == statement - 1
    # An announcement that says nothing of its own ("ARNOLD, JOHN D:") is not brought.
    header = split_sentences("ARNOLD, JOHN D:\nAttached below are the forms for your team.")
    assert announced_by(header, 1) is None
