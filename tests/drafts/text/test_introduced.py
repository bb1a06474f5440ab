"""A demonstrative with a noun that a left-out sentence introduced, or that the left-out
sentence before it is about, after something else the draft says. The examples are written
for these tests."""

from __future__ import annotations

from plugin.drafts.summary.brief_chain import with_introducers
from plugin.drafts.text.claims import check_claims
from plugin.drafts.text.introduced import introduced_in_a_gap
from plugin.drafts.text.sentences import split_sentences
from tests.drafts.summary.plans import planned

MAIL = (
    "Enclosed is the revised policy. "
    "We will talk with you about it on Monday at 1. "
    "Our commercial team would then like to have a call with ACE next week. "
    "Not all of you need to be on this call, but could one of you join it?"
)


def test_this_noun_after_another_sentence_needs_the_one_that_introduced_the_noun() -> None:
    sentences = split_sentences(MAIL)
    assert [s.text[:3] for s in sentences] == ["Enc", "We ", "Our", "Not"]
    assert introduced_in_a_gap(sentences, {1, 3}, 3) == 2
    assert introduced_in_a_gap(sentences, {1, 2, 3}, 3) is None
    # said first, it has nothing else to attach to: "this call" is the one it names
    assert introduced_in_a_gap(sentences, {3}, 3) is None


def test_a_noun_the_draft_named_or_the_mail_and_calendar_words_lean_on_nothing() -> None:
    named = split_sentences(
        "We had a call with Dana on Friday. The desk is busy. We set up a call with ACE. "
        "This call is short."
    )
    assert introduced_in_a_gap(named, {0, 3}, 3) is None  # the draft named a call before
    week = split_sentences("The lab closed. The week was long. Nothing is due this week.")
    assert introduced_in_a_gap(week, {0, 2}, 2) is None
    far = split_sentences(
        "The lab closed. We had a call with ACE. The desk is busy. The lab is shut. "
        "This call went well."
    )
    assert introduced_in_a_gap(far, {0, 3, 4}, 4) is None  # more than two sentences back


def test_this_noun_no_sentence_names_leans_on_the_left_out_sentence_before_it() -> None:
    sentences = split_sentences(
        "Thanks for the update. The movers come on Tuesday. "
        "Our landlord proposed a flat rent of $40 a foot. "
        "Please tell me by Friday whether you can accept this offer."
    )
    assert introduced_in_a_gap(sentences, {0, 3}, 3) == 2
    assert introduced_in_a_gap(sentences, {0, 2, 3}, 3) is None
    assert introduced_in_a_gap(sentences, {3}, 3) is None  # said first


def test_words_after_a_demonstrative_that_are_no_noun_lean_on_nothing() -> None:
    for line in (
        "Please call me to discuss this further.",
        "The form is for those who travel.",
        "Please sign this Agreement today.",
        "Let me know if this presents a problem.",
        "Prices were high these days.",
    ):
        sentences = split_sentences(f"Thanks for the update. The movers come on Tuesday. {line}")
        assert introduced_in_a_gap(sentences, {0, 2}, 2) is None, line


def test_the_claim_check_refuses_this_call_attached_to_another_call() -> None:
    wrong = (
        "We will talk with you about it on Monday at 1. "
        "Not all of you need to be on this call, but could one of you join it?"
    )
    result = check_claims(wrong, MAIL)
    assert not result.ok and "introduced" in result.problems[0]
    right = (
        "We will talk with you about it on Monday at 1. "
        "Our commercial team would then like to have a call with ACE next week. "
        "Not all of you need to be on this call, but could one of you join it?"
    )
    assert check_claims(right, MAIL).ok
    # A demonstrative said first names its referent (the earlier rule still holds).
    own_noun = "Attached are the agreements.\nPlease sign this agreement by Friday."
    assert check_claims("Please sign this agreement by Friday.", own_noun).ok


def test_what_this_noun_points_back_to_costs_the_brief_no_budget() -> None:
    mail = (
        "Thanks for the update on the Houston office. The movers come on Tuesday. "
        "The parking garage closes for repairs in June. The cafeteria reopens in July. "
        "The gym stays open all summer. "
        "Our landlord proposed a flat rent of $40 a foot for five years. "
        "Please tell me by Friday whether you can accept this offer."
    )
    said = [sentence for _, sentence in planned(mail, limit=2)]
    assert said == [
        "Thanks for the update on the Houston office.",
        "Our landlord proposed a flat rent of $40 a foot for five years.",
        "Please tell me by Friday whether you can accept this offer.",
    ]
    assert check_claims(said, mail).ok
    assert not check_claims([said[0], said[2]], mail).ok


def test_an_introducer_that_leans_on_its_own_line_comes_with_it() -> None:
    sentences = split_sentences(
        "Thanks for the update. We met Dana on Monday. She proposed a flat rent of $40. "
        "Please tell me whether you can accept this offer."
    )
    assert with_introducers(sentences, {0}, [3]) == [1, 2, 3]


def test_the_brief_says_the_sentence_that_introduced_the_noun_or_leaves_the_pair() -> None:
    sentences = split_sentences(MAIL)
    assert with_introducers(sentences, {1}, [3]) == [2, 3]
    assert with_introducers(sentences, set(), [3]) == [3]
    said = [sentence for _, sentence in planned(MAIL, limit=3)]
    assert "Not all of you need to be on this call, but could one of you join it?" in said
    assert "Our commercial team would then like to have a call with ACE next week." in said
    assert check_claims(said, MAIL).ok
