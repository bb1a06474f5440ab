from __future__ import annotations

from connectors.document import Document
from plugin.drafts.summary.actions import ActionItemsDraft, due_phrase, extract_actions, request_cue

MAIL = (
    "Hi Phillip,\n\n"
    "Could you please e-mail me the draw file for Bishops Corner by Friday?\n"
    "I was working on it yesterday.\n"
    "Jeff, send the vendor list to Dale before 5 pm.\n"
    "Do you want to be an interviewer?\n"
    "Let me know if you have any questions.\n"
    "Thanks,\nSara"
)


def test_requests_with_owner_and_due() -> None:
    items = extract_actions(MAIL)
    assert [(i.text, i.owner, i.due, i.cue) for i in items] == [
        (
            "Could you please e-mail me the draw file for Bishops Corner by Friday?",
            "Phillip",
            "by Friday",
            "please",
        ),
        ("Jeff, send the vendor list to Dale before 5 pm.", "Jeff", "before 5 pm", "imperative"),
        ("Do you want to be an interviewer?", "Phillip", None, "question"),
    ]
    for item in items:
        (span,) = item.sources
        assert MAIL[span.start : span.end] == item.text


def test_cues_and_non_requests() -> None:
    assert request_cue("Can you send the report?") == "ask"
    assert request_cue("I need you to sign the form.") == "ask"
    assert request_cue("Please review the draft.") == "please"
    assert request_cue("Review the attached numbers.") == "imperative"
    assert request_cue("Call went well.") is None
    assert request_cue("Feel free to call me.") is None
    assert request_cue("Please see attached.") is None
    assert request_cue("The deal closed yesterday.") is None
    assert request_cue("Thanks for your help.") is None


def test_due_phrases() -> None:
    assert due_phrase("send it ASAP") == "ASAP"
    assert due_phrase("done by end of day please") == "by end of day"
    assert due_phrase("before 10/16 if you can") == "before 10/16"
    assert due_phrase("need the list this week.") == "this week"
    assert due_phrase("send it when you can") is None


def test_action_items_draft_json_shape() -> None:
    document = Document(id="d1", kind="email", source="mail.eml", text=MAIL)
    (draft,) = ActionItemsDraft(None).draft([document], {})
    out = draft.to_json()
    assert out["verified"] is True and out["model"] == "none"
    assert [set(i) for i in out["action_items"]] == [{"text", "owner", "due", "sources"}] * 3
    first = out["action_items"][0]
    (source,) = first["sources"]
    assert source["document_id"] == "d1"
    assert MAIL[source["start"] : source["end"]] == first["text"]
    assert draft.text.startswith("- Could you please")


def test_a_bare_greeting_names_no_owner() -> None:
    for greeting in ("Hello,", "Hi,", "Good morning,", "Hello all,"):
        (item,) = extract_actions(f"{greeting}\n\nCould you send the file by Friday?\nThanks")
        assert item.owner is None, greeting
    (named,) = extract_actions("Hello Dana,\n\nCould you send the file by Friday?\nThanks")
    assert named.owner == "Dana"


def test_summaries_and_replies_agree_on_an_if_you_have_any_line() -> None:
    """One rule (``asking_condition``): "… if you have any comments" asks the reader for
    something, "… if you have any questions" is a courtesy (tests/data/reply_labels.json)."""
    from plugin.drafts.reply.asks import find_asks

    def reply_asks(text: str) -> list[str]:
        document = Document(id="m", source="m.eml", kind="email", title="Memos", text=text)
        return [ask.text for ask in find_asks(document, set(), [])]

    asking = [
        "Please let me know if you have any comments.",
        "Let me know if you need any further details on the lease.",
        "Let me know if you have any suggestions.",
    ]
    courtesy = [
        "Let me know if you have any questions.",
        "Please let me know if you have any further questions.",
        "Call me if you need any help with the form.",
    ]
    for line in asking + courtesy:
        text = f"Attached are two draft memos.\n{line}\n"
        summary = [item.text for item in extract_actions(text)]
        assert summary == reply_asks(text) == ([line] if line in asking else []), line
