"""Meeting titles: the model's title is counted as model work only when it is checked and
says more than the subject; real-model tests require a share of such titles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connectors.document import Document
from plugin.drafts.calendar.evaluation import load_labelled
from plugin.drafts.calendar.meetings import MeetingsDraft, _title_is_faithful, same_words
from plugin.drafts.text.verify import check
from tests.drafts.calendar.helpers import mail
from tests.drafts.engines import JUNK, FixedAnswerEngine

#: The first labelled dev-split mails with a meeting or deadline (never the test split).
REAL_MAILS = 12
#: Of their suggestions, at least this many titles must be the model's own checked words
#: (measured at 3 of 14 suggestions: the model mostly echoes the subject, which counts as
#: the subject).
MIN_MODEL_TITLES = 2


def _documents() -> list[Document]:
    return [
        mail(
            "Can we review the Raptor budget on Monday at 10am? Or Tuesday at 11am.",
            title="Re: budget",
        ),
        mail("Please join the planning meeting on Friday at 2pm.", title="Planning"),
        mail("Lunch on Thursday at noon?", title=""),
    ]


def test_junk_engine_gets_no_title_marked_model_written() -> None:
    engine = FixedAnswerEngine(JUNK)
    drafts = MeetingsDraft(engine).draft(_documents(), {})
    suggestions = [s for d in drafts for s in d.data["suggestions"]]
    assert len(suggestions) >= 3 and len(engine.prompts) == len(suggestions)
    assert {s["title_source"] for s in suggestions} <= {"subject", "cue"}
    assert all(d.model == "none" and d.verified for d in drafts)


def test_a_title_echoing_the_subject_is_the_subject() -> None:
    doc = mail("Please join the planning meeting on Friday at 2pm.", title="Re: Planning review")
    (draft,) = MeetingsDraft(FixedAnswerEngine('"planning Review."')).draft([doc], {})
    (suggestion,) = draft.data["suggestions"]
    assert (suggestion["title"], suggestion["title_source"]) == ("Planning review", "subject")
    assert draft.model == "none"


@pytest.mark.parametrize(
    ("answer", "source"),
    [
        ("Planning meeting with the team", "model"),
        ("Planning meeting: Planning meeting: Planning", "cue"),  # checked, but a loop
    ],
)
def test_a_title_that_repeats_itself_is_not_the_models(answer: str, source: str) -> None:
    doc = mail("Please join the planning meeting with the team on Friday at 2pm.", title="")
    (draft,) = MeetingsDraft(FixedAnswerEngine(answer)).draft([doc], {})
    (suggestion,) = draft.data["suggestions"]
    assert suggestion["title_source"] == source
    assert (suggestion["title"] == answer) is (source == "model")


def test_same_words_ignores_case_and_punctuation_only() -> None:
    assert same_words('ETS Project - Team Document "Draft', "ETS project team document draft")
    assert not same_words("Mandatory 2PM Meeting for Nov. 16", "Mandatory 2PM Meeting")
    assert not same_words("review budget", "budget review")


@pytest.mark.integration
def test_real_model_titles_of_real_mails(real_engine: Any, shared_dir: Path) -> None:
    messages = [m for m in load_labelled(shared_dir) if m.split == "dev" and m.expected]
    documents = [
        Document(
            id=Path(m.file).stem,
            kind="email",
            source=m.file,
            title=m.subject,
            text=m.text,
            date=m.reference,
        )
        for m in messages[:REAL_MAILS]
    ]
    drafts = MeetingsDraft(real_engine).draft(documents, {})
    model_titles = []
    for document, draft in zip(documents, drafts, strict=True):
        source = f"{document.title}\n{document.text}"
        assert draft.verified
        sources = [s["title_source"] for s in draft.data["suggestions"]]
        assert draft.model == (real_engine.model_id if "model" in sources else "none")
        for suggestion in draft.data["suggestions"]:
            assert check(suggestion["title"], source).ok
            if suggestion["title_source"] == "model":
                assert _title_is_faithful(suggestion["title"], source)
                assert not same_words(suggestion["title"], document.title or "")
                model_titles.append(suggestion["title"])
            else:
                assert suggestion["title_source"] == "subject"
                assert suggestion["title"] == (document.title or "").strip()
    print(f"\nmodel titles: {model_titles}")
    assert len(model_titles) >= MIN_MODEL_TITLES, model_titles
