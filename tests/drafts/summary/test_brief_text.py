"""The "[…]" at a brief's ends (``brief_text``): after its last line when the mail says
more after it (``goes_on_after``: a form's next field, a table's row, short questions, a
line that points below, rows of figures), and before its first line when the mail says
something before it (``comes_after_more``)."""

from __future__ import annotations

from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.summary.brief_chain import OMITTED
from plugin.drafts.summary.brief_finish import finish_brief
from plugin.drafts.summary.brief_text import (
    announces_more,
    comes_after_more,
    form_goes_on,
    goes_on_after,
    row_goes_on,
)
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import SourceIndex


def test_a_brief_ends_with_a_mark_when_the_mail_says_more_after_it() -> None:
    text = (
        "The NYISO is reserving hours 6 and 10 of the July 14 market to verify prices.\n"
        "Prices in the July 15 Day-Ahead market are correct.\n"
        "Pursuant to ECA-B the NYISO is also reserving hours 2, 10 and 23 at the proxy buses."
    )
    sentences = split_sentences(text)
    plan = plan_brief(sentences, [0, 1, 2], 2)
    plan.chosen = plan.chosen[:2]
    said = finish_brief(plan, sentences, SourceIndex(text)).summary
    # Without the mark the first two read as the whole announcement.
    assert said == f"{sentences[0].text} {sentences[1].text} {OMITTED}", said
    assert goes_on_after(sentences, 1) and not goes_on_after(sentences, 2)
    # A sign-off, a name or a short line after the last sentence is no more to say.
    signed = split_sentences(f"{sentences[0].text}\nThanks,\nJohn\nCall me.")
    assert not goes_on_after(signed, 0)


def test_a_form_whose_next_line_is_another_field_goes_on() -> None:
    # The thirty-first sample: the last row cut at "Days In Mgr." read as complete.
    text = (
        "These reports wait for your approval.\n"
        "Owner: Ann Lee Report Name: AL 1101 Days In Mgr.\n"
        "Queue: 4\n"
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences][-1] == "Queue: 4"
    assert form_goes_on(sentences, 1) and goes_on_after(sentences, 1)
    # Not after a sentence that holds no field, nor at the end.
    assert not form_goes_on(sentences, 0) and not form_goes_on(sentences, 2)


def test_a_table_row_or_short_questions_after_the_last_line_are_marked() -> None:
    # The forty-ninth sample: "… on Feb. 11:  Audit" then the other committees as cells,
    # and a list of questions whose last two ("Any changes?") were short.
    row = split_sentences(
        "Please advise how much time you need on Feb. 11:  Audit\t\tAndrew Legal"
        "\t\tMary Finance\t\tRick\n"
    )
    assert [s.text for s in row][:2] == [
        "Please advise how much time you need on Feb. 11:  Audit",
        "Andrew Legal",
    ]
    assert row_goes_on(row, 0) and goes_on_after(row, 0)
    asked = split_sentences("Who is booking the trades?\nAny changes?\nHow many deals?\n")
    assert goes_on_after(asked, 0) and goes_on_after(asked, 1)
    # a colon before a sentence is not a table's cell; a sign-off is not a question
    said = split_sentences("The agenda is set: Budget.\nThe room is 6104 and the call is at 3.\n")
    assert not row_goes_on(said, 0)
    assert not goes_on_after(split_sentences("Who is booking the trades?\nThanks!\n"), 0)


def test_a_last_line_that_points_below_is_marked_when_the_mail_goes_on() -> None:
    # The fifty-third and fifty-sixth samples: a list of users, deal numbers, each line too
    # short to count as content, after "the list below" and "here are the deals".
    listed = split_sentences(
        "I added the users who had access.\nPlease review the list below and call me."
        "\nAnn Lee\nBo Chan\n"
    )
    assert announces_more(listed, 1) and goes_on_after(listed, 1)
    deals = split_sentences("So here are the deals that were booked as physical.\nQ4512\nQ4519\n")
    assert announces_more(deals, 0)
    # nothing but a sign-off or a lone name after it is nothing left out
    signed = split_sentences("Please review the list below and call me.\nThanks,\nMery\n")
    assert not announces_more(signed, 0)


def test_a_brief_opens_with_a_mark_when_the_mail_says_something_before_it() -> None:
    text = (
        "Hi Tim,\nAttached is the new NDA with SunGard for your review.\n"
        "Because we want to move forward, I have outlined the work SunGard will do in a "
        "schedule.\nPlease sign it by Friday."
    )
    sentences = split_sentences(text)
    texts = [s.text for s in sentences]
    outlined = next(k for k, t in enumerate(texts) if t.startswith("Because"))
    assert comes_after_more(sentences, outlined)
    # A greeting before the first sentence said is nothing left out.
    assert not comes_after_more(
        sentences, texts.index("Attached is the new NDA with SunGard for your review.")
    )
    plan = plan_brief(sentences, [outlined, len(sentences) - 1], 2)
    said = finish_brief(plan, sentences, SourceIndex(text)).summary
    assert said.startswith(f"{OMITTED} Because we want"), said


def test_rows_of_figures_or_a_form_left_out_are_marked_at_either_end() -> None:
    # The thirty-seventh to fortieth samples: a trader's row cut before the brief's first
    # line, a form (ending in "If you have any questions …") after its last, both unmarked.
    before = split_sentences(
        "Larry........Deal 729346, NY trans id 5079112, NY is showing that HE 14 was 78 mw "
        "not 100.\nI made changes to enpower for deal 729346.\n"
    )
    assert comes_after_more(before, 1)
    after = split_sentences(
        "Following are the recommendations for Mike and Krishna.\n"
        "Name:  Mike Roberts Term of Contract:  Two years Sign-on:  40K  Equity:  40K  "
        "Name:  Krishna Term of Contract:  Two years Sign-on:  30K Equity:  30K  If you have "
        "any questions, or need anything else from me, please do not hesitate to let me know."
        "\nThanks,\n"
    )
    assert goes_on_after(after, 0)
    # The forty-third sample: deal numbers under "Below listed are deal numbers".
    rows = split_sentences(
        "Please advise if these should have been billed.\n1051884\n851617\n912999\nThanks\n"
    )
    assert goes_on_after(rows, 0)
    # A short formula, a sign-off, a row of bare figures, or one figure alone (mostly a
    # signature's extension or a phone line) is still nothing left out.
    tails = ("If you have any questions, call me.", "Thanks,", "1,608,683.05 250,000.00")
    for tail in (*tails, "Call 3-9390.", "Julie K x7404", "x36898"):
        ends = split_sentences(f"Please sign the contract by Friday.\n{tail}\n")
        assert not goes_on_after(ends, 0), tail
