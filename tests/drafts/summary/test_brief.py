"""The ``brief`` summary: compressions that cannot drift, honest labels, the request or
decision carried, and the sample mail every new user sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connectors.document import Document
from plugin.drafts.inputs import iter_source
from plugin.drafts.summary.brief import plan_brief
from plugin.drafts.summary.brief_budget import brief_limit
from plugin.drafts.summary.brief_chain import OMITTED
from plugin.drafts.summary.summarize import SummaryDraft
from plugin.drafts.text.claims import check_claims
from plugin.drafts.text.sentences import split_sentences
from plugin.drafts.text.verify import check
from tests.drafts.engines import JUNK, FixedAnswerEngine, ScriptedEngine
from tests.drafts.summary.helpers import mail

SAMPLE = Path(__file__).resolve().parents[3] / "plugin" / "samples" / "welcome.eml"


def sample_document() -> Document:
    (document,) = list(iter_source(str(SAMPLE)))
    assert isinstance(document, Document)
    return document


def test_a_checked_compression_is_model_written_and_says_against_what() -> None:
    # One answer per chosen sentence: the review, the budget (left as it is), the request.
    engine = ScriptedEngine(
        [
            "Our planning review is on Thursday, September 17.",
            "We will go through the draft budget of $48,500.",
            "Could you please send me the headcount estimate by Wednesday?",
        ]
    )
    (draft,) = SummaryDraft(engine).draft([mail()], {"style": "brief", "compress": True})
    out = draft.to_json()
    assert out["summary"] == (
        "Our planning review is on Thursday, September 17. We will go through the draft "
        "budget of $48,500. Could you please send me the headcount estimate by Wednesday?"
    )
    assert out["path"] == "abstractive" and out["verified"] is True
    assert out["check"]["method"] == "reworded"
    assert out["check"]["label"] == "reworded, checked against sentences 2, 3 and 4"
    assert out["carries"] == [{"kind": "request", "sentence": 4, "due": "by Wednesday", "ok": True}]


@pytest.mark.parametrize(
    "wrong",
    [
        "Maria sent the headcount estimate on Wednesday.",  # request turned into a done deed
        "Our planning review is on Thursday.",  # fine for the review ...
    ],
)
def test_a_compression_that_drops_the_deadline_or_changes_the_deed_is_refused(wrong: str) -> None:
    engine = ScriptedEngine(
        [
            "Our planning review is on Thursday, September 17 at 2:30 pm.",
            "We will go through the draft budget of $48,500.",
            wrong,
        ]
    )
    (draft,) = SummaryDraft(engine).draft([mail()], {"style": "brief", "compress": True})
    out = draft.to_json()
    # ... but it was offered for the request, whose due phrase may not be cut.
    assert out["rejected"][-1]["text"] == wrong
    assert "by Wednesday?" in out["summary"] and out["verified"]
    assert out["carries"][0]["ok"] is True


def test_the_sample_mail_says_decided_and_status_report() -> None:
    document = sample_document()
    (draft,) = SummaryDraft(None).draft([document], {"style": "brief", "model": False})
    out = draft.to_json()
    assert (
        "We decided last week to move the status report from Fridays to Mondays" in (out["summary"])
    )
    assert "planning to" not in out["summary"] and "headcount report" not in out["summary"]
    # Not the welcome's courtesy ("We are glad to have you on board."): the review it is for.
    assert out["summary"].startswith("Our first planning review is on Thursday, September 17")
    assert "send me your team's headcount estimate by Wednesday" in out["summary"]
    assert out["verified"] and out["check"]["label"] == "quoted from the mail"
    assert {c["kind"] for c in out["carries"]} == {"request", "decision"}
    assert all(c["ok"] for c in out["carries"])


def test_a_brief_does_not_stop_at_a_sentence_that_introduces_a_list() -> None:
    text = (
        "Team,\n\nPlease review the changes to the travel policy listed below:\n\n"
        "1. Economy class is required for flights under six hours.\n"
        "2. Hotel bookings go through the travel desk from March 1.\n\nThanks, Ana"
    )
    (draft,) = SummaryDraft(None).draft([mail(text)], {"style": "brief", "model": False})
    summary = draft.to_json()["summary"]
    # The ask that announces the list is the mail's only ask: said, its list right after it.
    assert summary.startswith("Please review the changes to the travel policy listed below: ")
    assert "Economy class is required for flights under six hours." in summary
    assert "Hotel bookings go through the travel desk from March 1." in summary


def test_a_line_the_splitter_cut_runs_on_into_its_rest_without_a_stop() -> None:
    text = (
        "Instead of the old terms, insert the new Special Provisions clause.\n"
        "In the event that either or both (?)\n"
        "condition is not satisfied by the Expiration Date, this Transaction shall terminate.\n"
        "Please send me the signed copy by Friday."
    )
    (draft,) = SummaryDraft(None).draft([mail(text)], {"style": "brief", "model": False})
    out = draft.to_json()
    # "(?). condition …" read as two sentences, the second without its subject.
    assert "either or both (?) condition is not satisfied" in out["summary"]
    assert out["verified"] and out["check"]["label"] == "quoted from the mail"


def test_a_brief_is_quoted_unless_compression_is_asked_for() -> None:
    # Read against their mails, kept compressions misled about twice as often as quotes
    # (docs/quality.md, "Compressions off by default"): the model shortens only on request.
    engine = ScriptedEngine(["Our planning review is on Thursday, September 17."] * 3)
    (draft,) = SummaryDraft(engine).draft([mail()], {"style": "brief"})
    out = draft.to_json()
    assert engine.prompts == [] and out["path"] == "extractive"
    assert out["verified"] and out["check"]["label"] == "quoted from the mail"
    assert out["model"] == "scripted:fp32"  # ranked with the engine, quoted without it
    (asked,) = SummaryDraft(engine).draft([mail()], {"style": "brief", "compress": True})
    assert engine.prompts and asked.to_json()["path"] == "abstractive"


def test_the_sample_mails_old_wrong_summary_is_refused() -> None:
    document = sample_document()
    wrong = "The group is planning to move the headcount report from Fridays to Mondays."
    engine = ScriptedEngine([wrong] * 5)
    (draft,) = SummaryDraft(engine).draft([document], {"style": "brief", "compress": True})
    out = draft.to_json()
    assert wrong not in out["summary"] and out["path"] == "extractive"
    # Offered for each chosen sentence (the review, the budget, the request, the decision:
    # the mail has eight sentences, so four): all refused.
    assert [r["text"] for r in out["rejected"]] == [wrong] * len(engine.prompts) == [wrong] * 4
    assert "We decided last week to move the status report" in out["summary"]


def test_junk_engine_gets_no_draft_marked_model_written_and_checked() -> None:
    docs = [
        mail(),
        sample_document(),
        mail("The report is late. Please send the final audit report to Kim by Friday."),
        mail("We agreed to sign the Malin contract at $1,200 a month. Thanks, Bob"),
    ]
    engine = FixedAnswerEngine(JUNK)
    for style in ("oneline", "brief", "bullets"):
        for draft in SummaryDraft(engine).draft(docs, {"style": style, "compress": True}):
            out = draft.to_json()
            assert not (out["path"] == "abstractive" and out["verified"]), out
            assert JUNK not in out["summary"]
            if out["verified"]:
                assert out["check"]["label"] != "not checked"
    assert engine.prompts, "the junk engine was asked"


def test_every_brief_label_matches_both_checks(tiny_engine: Any) -> None:
    docs = [mail(), sample_document(), mail("Budget approved at $1,200 for the Malin project.")]
    drafts = SummaryDraft(tiny_engine).draft(docs, {"style": "brief", "compress": True})
    for document, draft in zip(docs, drafts, strict=True):
        out = draft.to_json()
        source = document.full_text()
        lines = [c["text"] for c in out["check"]["claims"]]
        both = check(out["summary"], source).ok and check_claims(lines, source).ok
        assert out["verified"] == both
        assert (out["check"]["label"] == "not checked") == (not out["verified"])


#: The first twelve AESLC dev mails by name: a fixed handful, not chosen for the model.
REAL_MAILS = 12
#: Measured 3 of these 12 with the default model (docs/quality.md); the floor leaves room
#: for kernel noise but fails when the model's compressions are thrown away.
MIN_MODEL_CHECKED = 2


@pytest.mark.integration
def test_real_model_writes_checked_briefs_of_real_mails(real_engine: Any, shared_dir: Path) -> None:
    paths = sorted((shared_dir / "data" / "aeslc-dev").glob("*.subject"))[:REAL_MAILS]
    docs = [mail(p.read_text(encoding="utf-8").split("\n@subject\n")[0]) for p in paths]
    drafts = SummaryDraft(real_engine).draft(docs, {"style": "brief", "compress": True})
    written = 0
    for document, draft in zip(docs, drafts, strict=True):
        out = draft.to_json()
        assert out["model"] == real_engine.model_id
        assert out["verified"], out  # quoted or a checked compression: never unchecked
        lines = [c["text"] for c in out["check"]["claims"]]
        # The summary is its checked lines, with "[…]" where the mail's text is left out.
        assert " ".join(lines) == " ".join(out["summary"].replace(OMITTED, " ").split())
        assert check_claims(lines, document.text).ok
        if out["path"] == "abstractive":
            written += 1
            assert out["check"]["method"] == "reworded"
            assert out["check"]["label"].startswith("reworded, checked against sentence")
        else:
            assert out["path"] == "extractive"
            assert out["check"]["label"] == "quoted from the mail"
    assert written >= MIN_MODEL_CHECKED, f"only {written} of {len(docs)} briefs are the model's"


@pytest.mark.integration
def test_real_model_brief_of_the_sample_keeps_the_decision(real_engine: Any) -> None:
    (draft,) = SummaryDraft(real_engine).draft([sample_document()], {"style": "brief"})
    out = draft.to_json()
    assert out["verified"] and out["model"] == real_engine.model_id
    text = out["summary"]
    assert "decided" in text and "status report" in text and "planning to" not in text
    assert "headcount estimate by Wednesday" in text
    assert all(c["ok"] for c in out["carries"])
    assert out["path"] in ("abstractive", "extractive")
    if out["path"] == "abstractive":
        assert out["check"]["label"].startswith("reworded, checked against")


@pytest.mark.parametrize("compress", [False, True])
def test_the_progress_bar_counts_each_brief_once(compress: bool) -> None:
    # Two mails with sentences to compress (in batches of two lines, so a brief's lines
    # end in different batches) and one too short to compress: three briefs either way.
    documents = [mail(), mail(), mail("Thanks, see you then.")]
    engine = ScriptedEngine(["We will meet on Thursday."] * 8)
    steps: list[int] = []
    options = {"style": "brief", "compress": compress, "batch_size": 2, "progress": steps.append}
    drafts = SummaryDraft(engine).draft(documents, options)
    assert len(drafts) == 3 and sum(steps) == 3 and all(step > 0 for step in steps)
    assert bool(engine.prompts) is compress


def _numbered_mail(count: int) -> str:
    facts = [
        "The pipeline filed its rate case on Monday.",
        "Storage levels rose by four percent last week.",
        "The Houston desk closed two new deals.",
        "Our auditors finished the third quarter review.",
        "The new trading floor opens in March.",
        "Power prices in California fell again.",
        "The credit group approved three counterparties.",
        "The London office hired two analysts.",
        "The weather desk expects a cold January.",
        "The legal team signed the master agreement.",
        "The IT group moved the servers to the new building.",
        "The accounting close ends on Friday.",
    ]
    return "Hi Sam,\n" + "\n".join(facts[:count])


@pytest.mark.parametrize(("facts", "said"), [(7, 3), (8, 4), (12, 4)])
def test_a_mail_of_eight_sentences_or_more_gets_a_fourth(facts: int, said: int) -> None:
    sentences = split_sentences(_numbered_mail(facts))
    assert brief_limit(sentences) == said
    plan = plan_brief(sentences, [s.index for s in sentences if not s.lead_in])
    # the budget counts the sentences chosen, not the short gaps said between them
    assert len([c for c in plan.chosen if c.role != "bridge"]) == said
    # the greeting is not a sentence of the mail's point, nor counted
    assert all(not c.sentence.lead_in for c in plan.chosen)


def test_a_legal_footer_under_the_signature_is_never_quoted_nor_counted() -> None:
    # No blank line sets the disclaimer apart, so the mail cleaner leaves it in the text.
    text = (
        "The schedule for next season is out.\n"
        "The only weekend series with Boston is in July.\n"
        "Do you want to get tickets for it?\n"
        "dmp ************************************************"
        " The information in this email is confidential and may be legally privileged.\n"
        "It is intended solely for the addressee.\n"
        "Access to this email by anyone else is unauthorized.\n"
        "If you are not the intended recipient, any disclosure or copying is prohibited.\n"
        "Opinions in this email are subject to the terms of the client engagement letter.\n"
    )
    (draft,) = SummaryDraft(None).draft([mail(text)], {"style": "brief", "model": False})
    summary = draft.to_json()["summary"]
    # three sentences of the mail (the footer does not make it long), nothing of the footer
    assert summary == (
        "The schedule for next season is out. The only weekend series with Boston is in July."
        " Do you want to get tickets for it?"
    )
