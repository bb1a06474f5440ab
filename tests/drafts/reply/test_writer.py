"""Reply wording: the checks that refuse invented facts, answers and commitments, the
repairs and clean-up of the model's text, and the user's answer kept as given."""

from __future__ import annotations

from typing import Any

from plugin.drafts.reply.writer import clean, problems, repair, template_body, word_many
from plugin.drafts.text.verify import SourceIndex
from tests.drafts.reply.helpers import mail, plan_of


def test_check_rejects_invented_facts_answers_and_commitments() -> None:
    document = mail("Hi Bob,\n\nWhat is the total for travel? Could you send the invoice?\n\nAnn")
    plan = plan_of(document)
    index = SourceIndex(plan.facts)
    placeholders = " ".join(plan.placeholders())
    good = f"Thanks for your message. {placeholders}"
    assert problems(good, plan, index, strict=False) == []
    invented = {
        f"Thanks. The total is $4,200. {placeholders}": "unsupported: $4,200",
        f"Thanks. I'll send it on March 3. {placeholders}": "unsupported: March 3",
        f"Thanks, Karen will help. {placeholders}": "unsupported: Karen",
        f"Thanks. I'll send it tomorrow. {placeholders}": "unsupported: tomorrow",
        f"Thanks. See https://evil.example.com/pay. {placeholders}": "unsupported",
        "Thanks for your message. Yes, I will send the invoice.": "placeholder lost",
        f"Thanks for your message. Yes. {placeholders}": "commitment not in the plan: yes",
    }
    for text, expected in invented.items():
        found = problems(text, plan, index, strict=False)
        assert any(p.startswith(expected) for p in found), (text, found)


def test_tiny_model_output_is_rejected_and_the_template_stands(tiny_engine: Any) -> None:
    document = mail("Hi Bob,\n\nCould you send the invoice?\n\nThanks,\nAnn")
    plan = plan_of(document, "yes")
    [wording] = word_many([plan], tiny_engine, ["friendly"])
    assert wording.path == "template" and wording.body == template_body(plan)
    assert [r["strict"] for r in wording.rejected] == [False, True]


def test_repair_drops_repeats_and_made_up_sentences() -> None:
    plan = plan_of(mail("Can you review the draft?\n\nAnn"), "later:Thursday")
    index = SourceIndex(plan.facts)
    body = (
        "I'll get back to you on this by Thursday. I hope you had a lovely trip to Paris. "
        "I'll get back to you on this by Thursday"
    )
    assert repair(body, plan, index) == "I'll get back to you on this by Thursday."


def test_clean_drops_only_the_greeting_and_keeps_the_answer_after_it() -> None:
    assert clean("Hi Ann, yes, I can do that.") == "yes, I can do that."
    assert clean("Dear Mr. Lee, the report is attached.") == "the report is attached."
    assert clean("Hello! Sure, Monday works.") == "Sure, Monday works."
    assert clean("Hi Ann,\n\nNo, the file is not ready.\n\nBest regards,\nBob") == (
        "No, the file is not ready."
    )


def test_clean_keeps_a_thanks_that_is_part_of_the_answer() -> None:
    # "no, thanks." came back as "no,": the answer lost its point to the sign-off rule.
    assert clean("Dear Mr. Smith, no, thanks.") == "no, thanks."
    assert clean("Hi Ann, I'll pass this time, thank you!") == "I'll pass this time, thank you!"
    # A sign-off after a finished sentence or on its own line is still the model's stray one.
    assert clean("Hi Ann, the file is ready. Thanks, Bob") == "the file is ready."
    assert clean("No, the file is not ready\nThanks\nBob") == "No, the file is not ready"
    assert clean("Sure, Monday works. Best regards") == "Sure, Monday works."
    # A greeting on a line of its own needs no comma (the lines are no longer run together).
    assert clean("Hi Ann\nYes, Monday works.") == "Yes, Monday works."


def test_the_users_answer_may_be_shortened_but_not_reworded() -> None:
    # Read by the lead on unseen mail: "I'd suggest looking at resorts in Playa del Carmen"
    # came back as "I'm looking at resorts in Playa del Carmen" and passed the word overlap.
    document = mail("Hi Bob,\n\nCould you suggest any resorts for a small wedding?\n\nAnn")
    plan = plan_of(document, "I'd suggest looking at resorts in Playa del Carmen.")
    index = SourceIndex(plan.facts)
    reworded = "Thanks for your message. I'm looking at resorts in Playa del Carmen."
    found = problems(reworded, plan, index, strict=False)
    assert any(p.startswith("rewords the user's answer") for p in found), found
    kept = "Thanks for your message. I'd suggest looking at resorts in Playa del Carmen."
    assert problems(kept, plan, index, strict=False) == []


def test_a_wording_may_not_drop_the_users_deed_promise_or_negation() -> None:
    # Read on unseen mail (session 36): "Thursday at 2 pm in my office works for me." was
    # worded as "Thursday at 2 pm": the time stayed, the acceptance went, and it passed.
    document = mail("Hi Bob,\n\nWhen could the three of us meet?\n\nAnn")
    plan = plan_of(document, "Thursday at 2 pm in my office works for me.")
    index = SourceIndex(plan.facts)
    cut = "Thanks for your message. Thursday at 2 pm."
    assert "commitment lost: works" in problems(cut, plan, index, strict=False)
    whole = "Thanks for your message. Thursday at 2 pm in my office works for me."
    assert problems(whole, plan, index, strict=False) == []
    # a negation dropped is refused, whatever else the checks say
    document = mail("Hi Bob,\n\nCould you send the invoice?\n\nAnn")
    plan = plan_of(document, "I don't have the invoice yet.")
    index = SourceIndex(plan.facts)
    found = problems("Thanks. I have the invoice yet.", plan, index, strict=False)
    assert "commitment lost: not" in found, found
