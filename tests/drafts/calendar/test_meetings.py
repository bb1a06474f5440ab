"""Meeting and deadline detection, the draft kind, titles, conflicts and the labelled set."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from plugin.drafts.base import draft_kinds
from plugin.drafts.calendar.cues import detect
from plugin.drafts.calendar.evaluation import evaluate
from plugin.drafts.calendar.meetings import MeetingsDraft
from tests.drafts.calendar.helpers import CHICAGO, WEDNESDAY, at, mail

FIELDS = {
    "title",
    "start",
    "end",
    "all_day",
    "timezone",
    "location",
    "attendees",
    "kind",
    "evidence",
    "confidence",
}


def test_proposal_with_alternatives() -> None:
    found = detect("Can we meet next Tuesday at 3? If not, Wednesday at 10am works too.", WEDNESDAY)
    assert [s.mention.start for s in found] == [at(2026, 12, 1, 15), at(2026, 12, 2, 10)]
    assert all(s.alternative and s.kind == "meeting" for s in found)
    assert found[0].group == found[1].group


def test_separate_meetings_are_not_alternatives() -> None:
    found = detect("Staff meeting Monday at 9am.\nThe board dinner is Thursday at 7pm.", WEDNESDAY)
    assert len(found) == 2
    assert not any(s.alternative for s in found)
    assert found[0].group != found[1].group


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Please send the numbers by EOD Friday.", at(2026, 11, 27, 17)),
        ("Comments are due Dec. 4.", date(2026, 12, 4)),
        ("Protests must be filed no later than December 7.", date(2026, 12, 7)),
        ("I need your slides by Thursday at noon.", at(2026, 11, 26, 12)),
    ],
)
def test_deadlines(text: str, start: object) -> None:
    (found,) = detect(text, WEDNESDAY)
    assert found.kind == "deadline"
    assert found.mention.start == start


@pytest.mark.parametrize(
    "text",
    [
        "I told you Friday that the numbers would be late.",
        "We talked on Monday about the deal.",
        "Attached is the analysis as of May 25, 2026.",
        "The meeting last Tuesday went well.",
        "I am out of the office until Monday.",
        "The report covers November 2 to November 6.",
        "Good Wednesday morning - comments from the desk.",
        "Robert will call back tomorrow with news.",
        "Sent: Monday, November 23, 2026 2:30 PM\nSubject: lunch",
        "On Mon, Nov 23, 2026 at 3:00 PM Bob <bob@x.org> wrote:\n> let's meet Friday at 2pm",
    ],
)
def test_not_proposals(text: str) -> None:
    assert detect(text, WEDNESDAY) == []


def test_moved_meeting_keeps_only_the_new_time() -> None:
    text = (
        "The interviews have been rescheduled from Monday, November 30 to Thursday, "
        "December 3 in the afternoon (2:00 pm onward)."
    )
    (found,) = detect(text, WEDNESDAY)
    assert found.mention.start == at(2026, 12, 3, 14)


def test_time_without_a_day_joins_the_day_before_it() -> None:
    text = (
        "The dinner will be held on December 12 at the Club.\n"
        "The schedule is as follows: Cocktails: 5:30pm Dinner: 6:00pm"
    )
    (found,) = detect(text, WEDNESDAY)
    assert found.mention.start == at(2026, 12, 12, 17, 30)


def test_repeated_day_keeps_the_timed_mention() -> None:
    text = "Your papers are due this Friday. Bring them to my office by 6:00 pm on Friday."
    (found,) = detect(text, WEDNESDAY)
    assert found.mention.start == at(2026, 11, 27, 18)


def test_outlook_invitation_lines() -> None:
    text = (
        "When: Monday, February 04, 2002 1:00 PM-2:00 PM (GMT-06:00) Central Time "
        "(US & Canada).\nWhere: ECS 06112\n*~*~*~*~*~*~*~*~*~*\nPlease accept."
    )
    (found,) = detect(text, datetime(2002, 1, 30, 9, tzinfo=CHICAGO))
    assert found.mention.start == datetime(2002, 2, 4, 13, tzinfo=CHICAGO)
    assert found.mention.end == datetime(2002, 2, 4, 14, tzinfo=CHICAGO)
    assert found.location == "ECS 06112"


def test_draft_fields_evidence_and_attendees() -> None:
    doc = mail(
        "Hi Bob,\nCan we meet on Thursday, December 3 at 2:30 pm in EB 3267 for an "
        "hour?\nThanks, Ann"
    )
    (draft,) = MeetingsDraft(None).draft([doc], {"titles": "subject"})
    out = draft.to_json()
    assert out["verified"] is True and out["model"] == "none"
    (suggestion,) = out["suggestions"]
    assert set(suggestion) >= FIELDS
    assert suggestion["start"] == "2026-12-03T14:30:00-06:00"
    assert suggestion["end"] == "2026-12-03T15:30:00-06:00"
    assert suggestion["timezone"] == "America/Chicago" or suggestion["timezone"] == "UTC-06:00"
    assert suggestion["location"] == "EB 3267"
    assert suggestion["kind"] == "meeting" and not suggestion["all_day"]
    assert suggestion["title"] == "Budget review"
    assert suggestion["attendees"] == [
        "Ann Lee <ann@example.com>",
        "bob@example.com",
        "Cy <cy@example.com>",
    ]
    evidence = suggestion["evidence"]
    assert doc.text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert (draft.attributions[0].start, draft.attributions[0].end) == (
        evidence["start"],
        evidence["end"],
    )
    json.dumps(out)  # JSON-ready


def test_registered_as_suggest_meetings() -> None:
    assert draft_kinds.get("suggest_meetings") is MeetingsDraft


def test_timezone_option_sets_the_sender_zone() -> None:
    doc = mail(
        "Let's have a call tomorrow at 9am.",
        date_=datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("UTC")),
    )
    (draft,) = MeetingsDraft(None).draft(
        [doc], {"titles": "subject", "timezone": "Pacific Standard Time"}
    )
    (suggestion,) = draft.data["suggestions"]
    assert suggestion["start"] == "2026-11-26T09:00:00-08:00"
    assert suggestion["timezone"] == "America/Los_Angeles"


def test_no_suggestions_is_a_clear_draft() -> None:
    (draft,) = MeetingsDraft(None).draft([mail("Thanks for the numbers.")], {})
    assert draft.data["suggestions"] == []
    assert draft.text == "No meetings, calls or deadlines proposed."


class ScriptedEngine:
    """Answers title prompts with fixed text, to exercise the verifier on both paths."""

    model_id = "test-hash:fp32"

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.prompts: list[str] = []

    def chat_prompt(self, user: str, system: str | None = None) -> str:
        return user

    def generate(
        self,
        prompts: list[str],
        max_new_tokens: int = 64,
        stop: list[str] | None = None,
        on_token: Any = None,
    ) -> list[str]:
        self.prompts.extend(prompts)
        return self.answers[: len(prompts)]


def test_faithful_model_title_is_used_and_invented_one_falls_back() -> None:
    doc = mail(
        "Can we review the Raptor budget on Monday at 10am? Or Tuesday at 11am.", title="Re: budget"
    )
    engine = ScriptedEngine(['"Raptor budget review"', "Meeting with Obama in Paris"])
    (draft,) = MeetingsDraft(engine).draft([doc], {})
    first, second = draft.data["suggestions"]
    assert (first["title"], first["title_source"]) == ("Raptor budget review", "model")
    assert (second["title"], second["title_source"]) == ("budget", "subject")
    assert draft.verified is True and draft.model == "test-hash:fp32"
    assert len(engine.prompts) == 2 and "Monday at 10am" in engine.prompts[0]


def test_tiny_random_model_titles_are_checked(tiny_engine: Any) -> None:
    doc = mail("Please join the planning meeting on Friday at 2pm.", title="Planning")
    (draft,) = MeetingsDraft(tiny_engine).draft([doc], {})
    (suggestion,) = draft.data["suggestions"]
    assert draft.verified is True
    # Random weights write gibberish: the check refuses it and the subject stands in.
    assert (suggestion["title"], suggestion["title_source"]) == ("Planning", "subject")


@pytest.mark.integration
def test_real_model_title(real_engine: Any) -> None:
    from plugin.drafts.text.verify import check

    doc = mail(
        "Hi team,\nPlease join the quarterly budget review with Sheri Righi on "
        "Tuesday, December 1 from 9:00 am - 10:00 am in EB 3267.\nThanks, Monica",
        title="Budget review with Sheri",
    )
    (draft,) = MeetingsDraft(real_engine).draft([doc], {})
    (suggestion,) = draft.data["suggestions"]
    assert suggestion["start"] == "2026-12-01T09:00:00-06:00"
    assert draft.verified is True
    assert check(suggestion["title"], f"{doc.title}\n{doc.text}").ok
    # The path it takes (measured): the model echoes the subject, which is not model work.
    # Model-written titles over real mails: test_titles.test_real_model_titles_of_real_mails.
    assert (suggestion["title"], suggestion["title_source"]) == (
        "Budget review with Sheri",
        "subject",
    )
    assert draft.model == "none"


class InTestCalendar:
    """A calendar with fixed busy time, implementing ``busy_intervals`` as EWS/Graph do."""

    def __init__(self, busy: list[tuple[datetime, datetime]]) -> None:
        self.busy = busy
        self.calls: list[tuple[datetime, datetime]] = []

    def busy_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        self.calls.append((start, end))
        return [(s, e) for s, e in self.busy if s < end and start < e]


def test_conflicts_and_nearest_free_slots() -> None:
    calendar = InTestCalendar(
        [
            (at(2026, 12, 1, 14), at(2026, 12, 1, 16)),  # busy 14:00-16:00 Tuesday
            (at(2026, 12, 1, 16), at(2026, 12, 1, 16, 30)),
        ]
    )
    doc = mail("Can we meet next Tuesday at 3pm for 30 minutes? Or Wednesday at 10am.")
    (draft,) = MeetingsDraft(None).draft([doc], {"calendar": calendar, "titles": "subject"})
    clash, free = draft.data["suggestions"]
    assert clash["conflict"] is True and free["conflict"] is False
    assert free["free_slots"] == []
    slots = [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        for s in clash["free_slots"]
    ]
    # Nearest first; at equal distance the earlier slot.
    assert slots == [
        (at(2026, 12, 1, 13, 30), at(2026, 12, 1, 14)),
        (at(2026, 12, 1, 16, 30), at(2026, 12, 1, 17)),
        (at(2026, 12, 1, 13), at(2026, 12, 1, 13, 30)),
    ]
    for start, end in slots:
        assert all(not (start < e and s < end) for s, e in calendar.busy)
    assert len(calendar.calls) == 1
    assert "[conflict]" in draft.text


def test_free_slots_skip_weekends_and_the_past() -> None:
    friday_5pm = at(2026, 11, 27, 17)
    calendar = InTestCalendar([(at(2026, 11, 27, 8), at(2026, 11, 27, 18))])
    doc = mail("Can we have a call today at 5pm?", date_=at(2026, 11, 27, 9))
    (draft,) = MeetingsDraft(None).draft([doc], {"calendar": calendar, "titles": "subject"})
    (suggestion,) = draft.data["suggestions"]
    starts = [datetime.fromisoformat(s["start"]) for s in suggestion["free_slots"]]
    assert suggestion["conflict"] is True and starts
    assert all(s.weekday() < 5 and s >= at(2026, 11, 27, 9) for s in starts)
    assert starts[0] == at(2026, 11, 30, 8)  # Monday morning is the nearest free time
    assert friday_5pm not in starts


def test_deadlines_and_all_day_items_are_not_checked() -> None:
    calendar = InTestCalendar([(at(2026, 11, 27, 0), at(2026, 11, 28, 0))])
    doc = mail("Comments are due Friday. Offsite on Monday.")
    (draft,) = MeetingsDraft(None).draft([doc], {"calendar": calendar, "titles": "subject"})
    assert all("conflict" not in s for s in draft.data["suggestions"])
    assert calendar.calls == []


def test_calendar_option_must_be_usable() -> None:
    from connectors.errors import UsageError

    with pytest.raises(UsageError, match="option 'calendar' must be a source URI"):
        MeetingsDraft(None).draft([mail("Lunch Friday at noon?")], {"calendar": 42})


def test_evaluation_counts_false_and_missed(shared_dir: Path) -> None:
    def nothing(text: str, reference: datetime, zone: object) -> list[Any]:
        return []

    def everything(text: str, reference: datetime, zone: object) -> list[Any]:
        from plugin.drafts.calendar.cues import Suggestion
        from plugin.drafts.calendar.parse import extract_times

        return [
            Suggestion(mention=m, kind="meeting", confidence=m.confidence)
            for m in extract_times(text, reference, zone)
        ]  # type: ignore[arg-type]

    empty = evaluate(shared_dir, nothing)
    assert empty["recall"] == 0.0 and empty["suggestions"] == 0
    # Every time mention, without the meeting rules, is much less precise.
    raw = evaluate(shared_dir, everything)
    assert raw["precision"] < evaluate(shared_dir)["precision"] - 0.2


def test_timetables_are_capped(caplog: pytest.LogCaptureFixture) -> None:
    from plugin.drafts.calendar.cues import MAX_MENTIONS

    text = "Meeting at 9:00 am on Dec 3. " * (MAX_MENTIONS + 50)
    found = detect(text, WEDNESDAY)
    assert len(found) == 1  # the same moment, merged
    assert f"only the first {MAX_MENTIONS}" in caplog.text


def test_job_text_input_uses_the_reference_option() -> None:
    from plugin.drafts.inputs import documents_from_input

    documents = documents_from_input({"text": "Lunch on Friday at noon?"})
    (draft,) = MeetingsDraft(None).draft(
        documents, {"reference": "2026-11-25T09:00:00-06:00", "titles": "subject"}
    )
    (suggestion,) = draft.data["suggestions"]
    assert suggestion["start"] == "2026-11-27T12:00:00-06:00"
    assert (suggestion["title"], suggestion["title_source"]) == ("Lunch", "cue")
    assert draft.data["reference"] == "2026-11-25T09:00:00-06:00"


def test_calendar_source_without_free_busy_is_a_config_error(tmp_path: Path) -> None:
    from connectors.errors import ConfigError

    folder = tmp_path / "mail"
    folder.mkdir()
    with pytest.raises(ConfigError, match="no free/busy calendar") as caught:
        MeetingsDraft(None).draft([mail("Lunch Friday at noon?")], {"calendar": str(folder)})
    assert str(folder) in str(caught.value)
