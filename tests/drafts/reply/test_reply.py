"""Reply drafts: the plan by code, the calendar answer, the checks on the wording, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.errors import BadInputError
from plugin.drafts.reply import ReplyDraft
from plugin.drafts.reply.slots import PLACEHOLDER
from plugin.drafts.reply.writer import problems, template_body
from plugin.drafts.text.verify import SourceIndex
from tests.drafts.reply.helpers import (
    PROFILE,
    SENT,
    BusyAt,
    DeadCalendar,
    mail,
    plan_of,
    roles,
)


def test_no_ask_gives_greeting_acknowledgement_and_sign_off_only() -> None:
    plan = plan_of(
        mail("Hi Bob,\n\nThe Q3 budget was approved by the board today.\n\nBest,\nAnnie")
    )
    assert plan.asks == []
    assert roles(plan) == ["greeting", "acknowledge", "sign_off", "name"]
    assert plan.greeting.text == "Hi Annie,"  # the name she signs with, not "Ann"
    assert plan.closing[0].text == "Cheers," and plan.closing[1].text == "Bob"
    assert "Q3 budget" in plan.body[0].text and plan.placeholders() == []


def test_one_ask_is_a_placeholder_without_intent_and_answered_with_yes() -> None:
    document = mail("Hi Bob,\n\nCould you send me the signed contract?\n\nThanks,\nAnn")
    open_plan = plan_of(document)
    assert [a.kind for a in open_plan.asks] == ["yes_no"]
    assert open_plan.placeholders() == ["[Answer: Could you send me the signed contract?]"]
    assert open_plan.asks[0].answered_by is None
    yes = plan_of(document, "yes")
    assert yes.placeholders() == [] and yes.asks[0].answered_by == "intent"
    assert [s.text for s in yes.body if s.role == "answer"] == ["Yes."]


def test_several_asks_each_get_a_slot_and_yes_does_not_answer_an_open_question() -> None:
    document = mail(
        "Hi Bob,\n\nPlease send me the Q3 numbers by Friday. What is the total "
        "for travel? Can you also check the hotel invoice?\n\nThanks,\nAnn"
    )
    plan = plan_of(document, "yes")
    assert [a.kind for a in plan.asks] == ["request", "open", "yes_no"]
    answers = [s for s in plan.body if s.role == "answer"]
    assert [(s.text, s.asks) for s in answers] == [("Yes, I can do that.", [0, 2])]
    assert plan.placeholders() == ["[Answer: What is the total for travel?]"]
    assert {i for s in plan.body for i in s.asks} == {0, 1, 2}  # every ask has its slot


def test_numbered_follow_up_and_full_stop_questions_are_asks() -> None:
    document = mail(
        "Hi Bob,\n\n(1)  What was the call about?\n(2)  Did you assign the file to anyone?\n"
        "Do you have to be licensed to handle a claim?\nSame for selling insurance?\n"
        "We met last week.\nDo you still want a copy of our GISB.\n\nThanks,\nAnn"
    )
    plan = plan_of(document)
    assert [(a.text, a.kind) for a in plan.asks] == [
        ("(1)  What was the call about?", "open"),
        ("(2)  Did you assign the file to anyone?", "yes_no"),
        ("Do you have to be licensed to handle a claim?", "yes_no"),
        ("Same for selling insurance?", "open"),
        ("Do you still want a copy of our GISB.", "yes_no"),
    ]
    assert len(plan.placeholders()) == 5


def test_free_text_intent_answers_the_asks_it_talks_about() -> None:
    document = mail("Hi Bob,\n\nWhat is the total for travel? And when is the offsite?\n\nAnn")
    plan = plan_of(document, "The offsite is in Austin. Travel came to $4,200.")
    answers = {s.asks[0]: s.text for s in plan.body if s.role == "answer"}
    assert answers == {0: "Travel came to $4,200.", 1: "The offsite is in Austin."}
    assert plan.placeholders() == []
    assert "$4,200" in plan.facts  # the intent is a fact source


def test_later_answers_every_ask_with_one_sentence() -> None:
    document = mail("Can you review the draft? What do you think of the price?\n\nAnn")
    plan = plan_of(document, "later:Thursday")
    body = [s.text for s in plan.body if s.role == "answer"]
    assert body == ["I'll get back to you on this by Thursday."]
    assert all(a.answered_by == "intent" for a in plan.asks)


PROPOSAL = (
    "Hi Bob,\n\nCan we meet on Wednesday, December 2 at 2pm to go through the budget?"
    "\n\nThanks,\nAnn"
)
MEETING_START = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


def test_meeting_accepted_when_the_calendar_is_free() -> None:
    calendar = BusyAt((MEETING_START + timedelta(hours=3), MEETING_START + timedelta(hours=4)))
    plan = plan_of(mail(PROPOSAL), calendar=calendar)
    assert calendar.asked, "the calendar was not read"
    assert plan.asks[0].kind == "meeting" and plan.asks[0].answered_by == "calendar"
    assert plan.meeting is not None and plan.meeting.conflict is False
    meeting = [s for s in plan.body if s.role == "meeting"]
    assert [s.text for s in meeting] == ["Wednesday, December 2 at 2:00 PM works for me."]
    assert any(src["from"] == "calendar" for src in meeting[0].sources)


def test_meeting_against_a_busy_calendar_offers_the_nearest_free_slots() -> None:
    calendar = BusyAt((MEETING_START - timedelta(minutes=30), MEETING_START + timedelta(hours=1)))
    plan = plan_of(mail(PROPOSAL), calendar=calendar)
    assert plan.meeting is not None and plan.meeting.conflict is True
    text = next(s.text for s in plan.body if s.role == "meeting")
    assert text.startswith("I'm not free on Wednesday, December 2 at 2:00 PM.")
    assert "Wednesday, December 2 at 1:00 PM" in text and "3:00 PM" in text
    assert plan.placeholders() == []
    # The free slots are calendar facts the check accepts.
    assert not problems(template_body(plan), plan, SourceIndex(plan.facts), strict=True)


def test_meeting_from_an_ics_file(tmp_path: Path) -> None:
    ics = tmp_path / "me.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:1@t\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261202T133000Z\r\n"
        "DTEND:20261202T150000Z\r\nSUMMARY:Board\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    draft = ReplyDraft().draft(
        [mail(PROPOSAL)], {"calendar": str(ics), "model": False, "profile": PROFILE.to_json()}
    )[0]
    assert draft.data["plan"]["meeting"]["conflict"] is True
    assert "I'm not free on Wednesday, December 2 at 2:00 PM" in draft.text
    assert draft.verified


def test_decline_without_calendar_asks_for_another_time() -> None:
    plan = plan_of(mail(PROPOSAL), "decline")
    text = next(s.text for s in plan.body if s.role == "meeting")
    assert text == "I can't make Wednesday, December 2 at 2:00 PM. Could we find another time?"
    assert plan.asks[0].answered_by == "intent"


def test_no_calendar_no_intent_leaves_the_proposal_open() -> None:
    plan = plan_of(mail(PROPOSAL))
    assert plan.meeting is not None and plan.meeting.conflict is None
    assert len(plan.placeholders()) == 1 and "Wednesday, December 2" in plan.placeholders()[0]
    assert [i.kind for i in plan.offered][:2] == ["accept", "decline"]


def test_unreachable_calendar_gives_a_reply_without_availability_and_says_why() -> None:
    draft = ReplyDraft().draft(
        [mail(PROPOSAL)], {"calendar": DeadCalendar(), "model": False, "profile": PROFILE.to_json()}
    )[0]
    assert draft.data["plan"]["meeting"]["conflict"] is None
    assert any(
        "Availability was not checked" in note and "connection refused" in note
        for note in draft.data["notes"]
    )
    assert draft.data["placeholders"] and draft.verified
    missing = ReplyDraft().draft(
        [mail(PROPOSAL)], {"calendar": "/nonexistent/cal.ics", "model": False}
    )[0]
    assert any("could not be opened" in note for note in missing.data["notes"])


def test_thread_answers_the_last_message_with_the_earlier_ones_as_context() -> None:
    first = mail("Bob, the vendor quoted $12,500 for the rollout.\n\nAnn", doc_id="a", thread="t1")
    last = mail(
        "Are you OK with the quote?\n\nAnn", doc_id="b", thread="t1", date=SENT + timedelta(hours=2)
    )
    drafts = ReplyDraft().draft(
        [last, first],
        {
            "thread": True,
            "model": False,
            "intent": "Yes, $12,500 is fine.",
            "profile": PROFILE.to_json(),
        },
    )
    assert len(drafts) == 1
    data = drafts[0].data
    assert data["document_id"] == "b" and data["thread"]["messages"] == 2
    assert "Yes, $12,500 is fine." in drafts[0].text and drafts[0].verified


def test_thread_of_one_mail_reads_the_messages_it_quotes_as_context() -> None:
    quoted = "On Mon, Nov 30, 2026, Bob <bob@x.com> wrote:\nThe vendor quoted $12,500.\n"
    last = mail("Are you OK with the quote?\n\nAnn", doc_id="b", title="Re: Quote", quoted=quoted)
    (draft,) = ReplyDraft().draft(
        [last], {"thread": True, "model": False, "profile": PROFILE.to_json()}
    )
    assert draft.data["document_id"] == "b" and draft.data["thread"]["messages"] == 2
    assert draft.text.startswith("Hi Ann,")


def test_a_reply_being_written_answers_the_newest_quoted_message() -> None:
    # The Outlook pane while writing: the user's draft above, the conversation below it.
    # The reply is to Ann's message, not to the draft, and Carl's older ask is context.
    draft = mail(
        "Thanks Ann,",
        author="Pat <pat@x.com>",
        title="Re: Q3",
        quoted=(
            "-----Original Message-----\nFrom: Ann Lee [mailto:ann@x.com]\n"
            "Sent: Monday, November 30, 2026 5:00 PM\nTo: Pat\nSubject: Q3\n\n"
            "Can you send the Q3 figures by Friday?\n\n"
            "-----Original Message-----\nFrom: Carl\nSent: Sunday\nTo: Ann\nSubject: Q3\n\n"
            "Could you ask Pat to book the room?\n"
        ),
    )
    (reply,) = ReplyDraft().draft(
        [draft], {"answer_quoted": True, "model": False, "profile": PROFILE.to_json()}
    )
    assert reply.text.startswith("Hi Ann,")
    assert reply.data["to"] == "Ann Lee <ann@x.com>"
    assert [a["text"] for a in reply.data["plan"]["asks"]] == [
        "Can you send the Q3 figures by Friday?"
    ]
    assert reply.data["thread"]["messages"] == 2 and reply.verified
    # without the option the draft itself is answered: it asks nothing, Ann's ask is lost
    (own,) = ReplyDraft().draft([draft], {"model": False, "profile": PROFILE.to_json()})
    assert own.data["plan"]["asks"] == [] and own.data["to"] == "Pat <pat@x.com>"


def test_empty_mail_is_a_clear_error() -> None:
    with pytest.raises(BadInputError, match="no text to reply to"):
        ReplyDraft().draft([mail("  \n", title="")], {"model": False})


def test_subject_only_mail_is_answered_from_its_subject() -> None:
    draft = ReplyDraft().draft(
        [mail("", title="Can you cover my shift on Friday?")], {"model": False, "intent": "yes"}
    )[0]
    assert draft.data["plan"]["asks"][0]["kind"] == "yes_no" and "Yes." in draft.text


def test_no_sender_name_greets_without_a_name() -> None:
    draft = ReplyDraft().draft(
        [mail("Could you confirm the order?", author="<x9@example.com>")], {"model": False}
    )[0]
    assert draft.text.startswith("Hello,\n") and draft.verified


def test_initials_sign_a_mail_but_the_greeting_takes_the_from_name() -> None:
    signed = "Let's talk and I can see what I can do.\nSS"
    assert plan_of(mail(signed, author="Sara Shackleton <ss@example.com>")).slots[0].text == (
        "Hi Sara,"
    )
    assert plan_of(mail(signed, author="<ss@example.com>")).slots[0].text == "Hello,"
    dotted = "Please call me about the swap.\nThanks,\nD.G."
    assert plan_of(mail(dotted, author="Dan Gore <dg@example.com>")).slots[0].text == "Hi Dan,"
    assert plan_of(mail("Call me.\nAmy", author="<a@example.com>")).slots[0].text == "Hi Amy,"


def test_huge_thread_is_capped_with_a_note() -> None:
    messages = [
        mail(
            f"Update {n}: the numbers moved.\n\nAnn",
            doc_id=f"h{n}",
            thread="big",
            date=SENT + timedelta(minutes=n),
        )
        for n in range(60)
    ]
    asks = " ".join(f"Can you check item {n}?" for n in range(30))
    messages.append(
        mail(
            asks + "\n" + "filler text. " * 3000 + "\nAnn",
            doc_id="last",
            thread="big",
            date=SENT + timedelta(hours=3),
        )
    )
    [draft] = ReplyDraft().draft(messages, {"thread": True, "model": False})
    notes = " ".join(draft.data["notes"])
    assert "61 messages" in notes and "covers the first 8" in notes
    assert len(draft.data["placeholders"]) == 8 and draft.verified


def test_output_shape_html_and_attributions() -> None:
    document = mail("Hi Bob,\n\nWhat is the total for travel?\n\nThanks,\nAnn")
    draft = ReplyDraft().draft([document], {"model": False, "profile": PROFILE.to_json()})[0]
    data = draft.to_json()
    assert {
        "reply",
        "html",
        "plan",
        "attributions",
        "path",
        "verified",
        "placeholders",
        "intents",
        "subject",
        "to",
        "notes",
    } <= set(data)
    assert data["path"] == "template" and data["subject"] == "Re: Q3 budget"
    assert (
        '<mark class="placeholder">[Answer: What is the total for travel?]</mark>' in data["html"]
    )
    placeholder = next(a for a in data["attributions"] if PLACEHOLDER.search(a["text"]))
    span = placeholder["sources"][0]
    assert document.text[span["start"] : span["end"]] == "What is the total for travel?"
    assert data["attributions"][0]["role"] == "greeting"


def test_an_invitation_with_its_time_above_is_answered_by_accept() -> None:
    document = mail(
        "When: Wednesday, December 2, 2026 2:00 PM-3:00 PM.\nWhere: Room 4\n"
        "Please accept this invitation.\n\nThanks,\nAnn"
    )
    plan = plan_of(document, "accept")
    assert [s.text for s in plan.body if s.role in ("answer", "meeting")] == [
        "Wednesday, December 2 at 2:00 PM works for me."
    ]
    assert plan.asks[0].answered_by == "intent"


def test_ics_calendar_expands_recurrences_and_skips_free_and_cancelled_time(tmp_path: Path) -> None:
    from plugin.drafts.calendar.ics_freebusy import IcsCalendar

    def event(uid: str, extra: str) -> str:
        return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n{extra}END:VEVENT\r\n"

    ics = tmp_path / "me.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        + event(
            "standup",
            "DTSTART:20261123T150000Z\r\nDURATION:PT30M\r\n"
            "RRULE:FREQ=DAILY;COUNT=20\r\nEXDATE:20261202T150000Z\r\n",
        )
        + event(
            "free", "DTSTART:20261202T090000Z\r\nDTEND:20261202T100000Z\r\nTRANSP:TRANSPARENT\r\n"
        )
        + event("off", "DTSTART:20261202T110000Z\r\nDTEND:20261202T120000Z\r\nSTATUS:CANCELLED\r\n")
        + event("allday", "DTSTART;VALUE=DATE:20261202\r\n")
        + "END:VCALENDAR\r\n"
    )
    day = datetime(2026, 12, 2, tzinfo=UTC)
    busy = IcsCalendar(ics).busy_intervals(day - timedelta(days=1), day + timedelta(days=2))
    assert busy == [
        (datetime(2026, 12, 1, 15, 0, tzinfo=UTC), datetime(2026, 12, 1, 15, 30, tzinfo=UTC)),
        (datetime(2026, 12, 3, 15, 0, tzinfo=UTC), datetime(2026, 12, 3, 15, 30, tzinfo=UTC)),
    ]
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\r\nthis is not ical")
    with pytest.raises(BadInputError, match=r"broken\.ics"):
        IcsCalendar(broken).busy_intervals(day, day + timedelta(days=1))


def test_a_written_clock_time_is_the_proposal_and_both_meeting_requests_are_accepted() -> None:
    document = mail(
        "Hi Bob,\n\nI would like to arrange a meeting tomorrow afternoon (Tuesday) with "
        "everyone concerned.\nIf you are available, I would appreciate it if we could meet "
        "at around 4:00 PM.\n\nRegards,\nAnn"
    )
    plan = plan_of(document, "accept")
    assert [s.text for s in plan.body if s.role in ("answer", "meeting")] == [
        "Tuesday, December 1 at 4:00 PM works for me."
    ]
    assert [a.answered_by for a in plan.asks] == ["intent", "intent"]
    assert plan.placeholders() == []


def test_love_you_under_a_family_note_is_a_sign_off_not_a_name_to_greet() -> None:
    from plugin.drafts.reply.voice import signature

    assert signature("See you at Christmas!\nLove You") == ("Love You,", None)
    assert signature("Hope the trip went well.\nLove,\nRobyn") == ("Love,", "Robyn")
    plan = plan_of(mail("Please let me see you guys before I leave.\nLove You", author=""))
    assert plan.slots[0].text == "Hello,"  # no name: not "Hi Love,"
    assert signature("The mock-ups came in.\nLove the new design!") == (None, None)


def test_a_proposal_without_a_clock_time_is_accepted_without_one() -> None:
    # Read by the lead on unseen mail (s7): "(Feb 22 evening)" was accepted as "… at 6:00
    # PM", the detector's hour for an evening, which the mail never wrote.
    document = mail(
        "Hi Bob,\n\nWould you consider being the keynote speaker at the dinner (Dec 8 "
        "evening)?\n\nThanks,\nAnn"
    )
    plan = plan_of(document, "accept")
    said = [s.text for s in plan.body if s.role in ("answer", "meeting")]
    assert said == ["Tuesday, December 8 in the evening works for me."]
    assert plan.meeting is not None and plan.meeting.start.hour == 18  # the calendar's check


def test_a_date_with_digits_is_not_taken_for_a_written_clock_time() -> None:
    # "Dec 8 evening" has digits but no clock time: the proposal that writes one comes first
    document = mail(
        "Hi Bob,\n\nWe are meeting Dec 8 evening for dinner.\n\nWe are meeting Dec 9 at "
        "4:00 PM to review the budget.\nPlease let me know if you can attend.\n\nThanks,\nAnn"
    )
    plan = plan_of(document, "accept")
    assert plan.meeting is not None
    assert (plan.meeting.start.day, plan.meeting.start.hour) == (9, 16)
    assert plan.meeting.when == "Wednesday, December 9 at 4:00 PM"


def test_a_yes_that_no_question_takes_is_still_said_once() -> None:
    """The user's "Yes" is never dropped: said once where the mail asks nothing the rules
    know, and not added beside an open question it cannot answer."""
    nothing_asked = mail("Hi Bob,\n\nThe offsite is on Friday in the big room.\n\nAnn")
    for choice, said in (("yes", "Yes."), ("no", "No.")):
        plan = plan_of(nothing_asked, choice)
        assert [s.text for s in plan.body if s.role == "answer"] == [said]
    open_question = mail("Hi Bob,\n\nWhat topics do you think would be appropriate?\n\nAnn")
    plan = plan_of(open_question, "yes")
    assert [s.role for s in plan.body] == ["acknowledge", "placeholder"]


def test_a_user_who_thanks_in_their_own_words_is_not_thanked_for_twice() -> None:
    """Read on unseen mail (session 37): "Thanks for your message. Thanks, I have no more
    information on Smurfit." The user's own thanks stands for the acknowledgement."""
    document = mail("Hi Bob,\n\nPlease let me know if you have any more information.\n\nAnn")
    plan = plan_of(document, "Thanks, I have no more information on Smurfit.")
    assert roles(plan) == ["greeting", "answer", "sign_off", "name"]
    [draft] = ReplyDraft(None).draft([document], {"intent": "Thank you, nothing more."})
    assert draft.text.count("Thank") == 1
    plan = plan_of(document, "I have no more information on Smurfit.")
    assert roles(plan)[:2] == ["greeting", "acknowledge"]
