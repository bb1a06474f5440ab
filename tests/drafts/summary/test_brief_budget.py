"""The brief's budget and the lines never said for their rank. All mails are written for
these tests."""

from __future__ import annotations

from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.summary.brief_budget import lone_word
from plugin.drafts.text.sentences import split_sentences


def test_a_name_under_the_mail_is_a_lone_word_and_a_cell_a_line_announced_is_not() -> None:
    sentences = split_sentences(
        "The room for tomorrow is 6104.\nThoughts?\nMery\n"
        "The permit was withdrawn in the following state on the date given:\nColorado.\n"
    )
    texts = [s.text for s in sentences]
    assert lone_word(sentences, texts.index("Mery"))
    assert lone_word(sentences, texts.index("Colorado.")) is False
    assert lone_word(sentences, texts.index("Thoughts?")) is False
    assert lone_word(sentences, texts.index("The room for tomorrow is 6104.")) is False


def test_a_signature_name_never_fills_a_short_brief() -> None:
    sentences = split_sentences(
        "Ina booked the conference room for tomorrow.\nOur meeting is in Room 6104.\nMery\n"
    )
    # the name ranked first: the planner must still leave it out
    order = [2, 0, 1]
    said = [c.sentence.text for c in plan_brief(sentences, order).chosen]
    assert "Mery" not in said
    assert said == ["Ina booked the conference room for tomorrow.", "Our meeting is in Room 6104."]
