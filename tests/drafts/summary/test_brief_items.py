"""Whether a list goes on past a line the brief says (``brief_items.list_goes_on``) or
before it (``list_goes_before``): numbered items on lines of their own or in running text,
an item that runs over lines, short unmarked lines after "the following"; a brief that says
a list in part ends with "[…]"."""

from __future__ import annotations

from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.summary.brief_chain import OMITTED, left_out
from plugin.drafts.summary.brief_finish import finish_brief
from plugin.drafts.summary.brief_items import list_goes_before, list_goes_on
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import SourceIndex


def test_a_list_said_in_part_says_that_it_goes_on() -> None:
    text = (
        "I have three comments on the draft:\n(1) The notice period is too short.\n"
        "(2) The cap should be in dollars.\n(3) The term should be two years.\nThanks."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    first, second, third = (texts.index(t) for t in texts if t.startswith("("))
    assert list_goes_on(sentences, second)
    assert not list_goes_on(sentences, third)
    assert list_goes_on(sentences, 0)  # the announcement, its items unsaid
    assert list_goes_before(sentences, second)
    assert not list_goes_before(sentences, first)
    assert not list_goes_before(sentences, 0)
    plan = plan_brief(sentences, [0, first, second, third], 3)
    plan.chosen = plan.chosen[:2]
    said = finish_brief(plan, sentences, SourceIndex(text)).summary
    assert said.endswith(OMITTED), said


def test_a_list_with_its_numbers_on_lines_of_their_own() -> None:
    # "1." / "Replace …" / "2." / "Add …": leaving out a bare number leaves nothing out,
    # and the items after the last one said still go on.
    text = (
        "Per our conversation.\n1.\nReplace the front light fixture.\n2.\n"
        "Add door numbers to the bottom of the front door (1920 Banks).\n3.\n"
        "Add a door knocker.\n4.\nFix the window in the back sunroom."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    light, numbers = texts.index("Replace the front light fixture."), texts.index("2.") + 1
    assert not left_out(sentences, 0, light)
    assert left_out(sentences, 0, numbers)
    assert list_goes_on(sentences, numbers)
    assert not list_goes_on(sentences, len(sentences) - 1)


def test_a_list_goes_on_after_an_item_that_runs_over_lines_or_follows_its_number() -> None:
    # "… open credit points with them:  1." / "They want …" / "2." / …: the first item's
    # number ends the line that announces the list.
    glued = split_sentences(
        "We are close on the EEI.\nThe following are open credit points with them:  1.\n"
        "They want their cross default to be $100 million.\n2.\n"
        "They want to exclude Florida Power & Light from the affiliates."
    )
    first = [s.text for s in glued].index("They want their cross default to be $100 million.")
    assert list_goes_on(glued, first)
    # An item over two lines ("… arbitration provision." / "Is this correct?") before "2.".
    running = split_sentences(
        "We had the following questions:\n1.\nWe have assumed we should not insert our "
        "arbitration provision.\nIs this correct?\n2.\nAre the swap reps needed?\nThanks."
    )
    texts = [s.text for s in running]
    assumed = next(k for k, t in enumerate(texts) if t.startswith("We have assumed"))
    assert list_goes_on(running, assumed)
    assert not list_goes_on(running, texts.index("Are the swap reps needed?"))


def test_a_list_of_short_unmarked_lines_after_the_following_goes_on() -> None:
    text = (
        "Suzanne: Could you please open the following project folders and print the docs "
        "that are in them?\nSupply Agt.\nCity Info\nThanks."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    assert list_goes_on(sentences, texts.index("Supply Agt."))
    # Said without the ask that announced it, a short line is no item; nor is an ask.
    assert not list_goes_on(split_sentences("We met on Monday.\nSupply Agt.\nCity Info"), 1)
    asks = split_sentences("Make the following changes: no leave on May 1.\nCall me.\nDone")
    assert not list_goes_on(asks, 1)


def test_an_item_that_ends_in_the_next_items_number_goes_on() -> None:
    # "… reciprocal  3." carries the third item's number: there is a third item.
    text = (
        "Dave: The counterparty has requested the following changes:  1.\n"
        "Make the reps in section 2 reciprocal  2.\n"
        "Make the assignment provision in section 6 reciprocal  3.\n"
        'In section 7, insert the word "its" before "third".\nPlease advise.\nCarol'
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    assert list_goes_on(sentences, texts.index("Make the reps in section 2 reciprocal  2."))
    assert list_goes_on(sentences, texts.index(next(t for t in texts if "section 6" in t)))
    # A date's day is no item's number: "… also effective June 1." ends no list.
    dates = split_sentences(
        "We congratulate our colleagues.\nDari has been promoted, effective June 1.\n"
        "Kathy has been promoted too, also effective June 1.\nCongratulations to both of you!"
    )
    assert not list_goes_on(dates, 2)


def test_items_numbered_in_running_text_go_on_to_the_next_number() -> None:
    text = (
        "I have questions because Con Ed has asked:  (1)  that Market Quotation apply  "
        "Is this a liquid market?\nENA agrees only for short deals  (2)  to jointly decide "
        "when a disruption has occurred.\n(3)  to name two brokers for the daily MTM.\n"
        "Ed and I will call at 10 am."
    )
    sentences = split_sentences(text)
    second = next(k for k, s in enumerate(sentences) if "(2)" in s.text)
    third = next(k for k, s in enumerate(sentences) if s.text.startswith("(3)"))
    assert list_goes_on(sentences, second)
    assert not list_goes_on(sentences, third)
    # "Section 2(d)" is no item's number.
    assert not list_goes_on(split_sentences("See Section 2(d) of it.\nFix (3) too.\nBye."), 0)
