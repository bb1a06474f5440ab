"""Digest layout: "needs you", then people, then one collapsed line per category, in the
HTML, the plain text and the JSON the pane reads."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from connectors.mailparse import parse_message
from plugin.digest.compose import DigestDraft
from plugin.digest.inbox import Fetched
from plugin.digest.layout import collapsed_lines
from plugin.digest.render import render_html, render_text

READER = "me@deskdraft.test"
LISTS = [
    "easy-ham-1_00083.d6bec4788401bc0df20b740557680768.eml",
    "easy-ham-2_00093.ae2f7bf4ac265b89b75fc14747d84c1d.eml",
]


def _mail(n: int, subject: str, body: str, to: str = READER) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Person {n} <p{n}@example.com>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = f"Mon, 02 Mar 2026 09:{n:02d}:00 +0000"
    msg["Message-ID"] = f"<m{n}@example.com>"
    msg.set_content(body)
    return msg.as_bytes()


@pytest.fixture()
def inbox(corpus_dir: Path) -> list:
    mail = corpus_dir / "mail"
    raws = [
        (_mail(1, "Lunch", "The canteen serves pasta this week, the soup is new."), "t:1"),
        (
            _mail(2, "Contract", "Hi,\n\nCould you sign the contract and return it by Friday?"),
            "t:2",
        ),
        ((mail / "fixtures" / "flanker" / "mailbox-full.eml").read_bytes(), "bounce"),
        *(((mail / "spamassassin" / name).read_bytes(), name) for name in LISTS),
    ]
    return [parse_message(raw, source) for raw, source in raws]


def test_sections_in_order_in_html_text_and_json(tiny_engine: object, inbox: list) -> None:
    draft = DigestDraft(tiny_engine)
    content = draft.compose(Fetched(inbox, len(inbox), [], None), {"to": READER}, cap=10)
    sections = [t.section for t in content.threads]
    assert sections == ["needs_you", "people", "collapsed", "collapsed", "collapsed"]
    assert content.threads[0].subject == "Contract"
    assert "asks something of you" in content.threads[0].reasons
    assert content.collapsed == [
        {"category": "list", "count": 2, "label": "2 newsletters and list mails"},
        {"category": "notification", "count": 1, "label": "1 notification"},
    ]
    # Collapsed mail is counted, never summarised: no junk lines, no model time.
    assert all(t.summary == "" for t in content.threads if t.section == "collapsed")
    assert all(t.summary for t in content.threads if t.section != "collapsed")

    html, text = render_html(content), render_text(content)
    for rendered, marks in (
        (
            html,
            [
                "Needs you",
                "Contract",
                "From people",
                "Lunch",
                "Everything else",
                "2 newsletters and list mails",
                "1 notification",
            ],
        ),
        (
            text,
            [
                "NEEDS YOU",
                "Contract",
                "FROM PEOPLE",
                "Lunch",
                "EVERYTHING ELSE",
                "2 newsletters and list mails",
                "1 notification",
            ],
        ),
    ):
        positions = [rendered.index(mark) for mark in marks]
        assert positions == sorted(positions), rendered
    for doc in inbox[2:]:  # the collapsed mails' subjects are not listed
        assert doc.title not in html and doc.title not in text

    [result] = draft.draft(inbox, {"to": READER})
    assert [t["section"] for t in result.data["threads"]] == sections
    assert result.data["sections"] == {"needs_you": 1, "people": 1, "collapsed": 3}
    assert result.data["collapsed"] == content.collapsed


def test_collapsed_lines_count_messages_per_category() -> None:
    lines = collapsed_lines([("marketing", 2), ("list", 10), ("list", 2), ("receipt", 1)])
    assert [line["label"] for line in lines] == [
        "12 newsletters and list mails",
        "1 receipt",
        "2 marketing mails",
    ]


def test_json_threads_carry_their_asks_and_mailbox_ids(tiny_engine: object, inbox: list) -> None:
    """What the Outlook pane shows under "Needs you", and how it opens the message."""
    inbox[1].metadata["ews_id"] = "AAMkContract="
    inbox[0].metadata["graph_id"] = "AAQkLunch-rest"
    [result] = DigestDraft(tiny_engine).draft(inbox, {"to": READER})
    threads = {t["subject"]: t for t in result.data["threads"]}
    contract, lunch = threads["Contract"], threads["Lunch"]
    assert [a["text"] for a in contract["asks"]] == [
        "Could you sign the contract and return it by Friday?"
    ]
    assert contract["item"] == {"ews_id": "AAMkContract="}
    assert lunch["item"] == {"rest_id": "AAQkLunch-rest"} and lunch["asks"] == []
    assert all(t["item"] == {} for t in result.data["threads"] if t["section"] == "collapsed")
    assert contract["latest"] == "Mon 02 Mar 09:02"


@pytest.mark.parametrize("likely_confidence", [0.0, 1.0])
def test_unsure_meeting_suggestions_say_maybe(
    tiny_engine: object,
    inbox: list,
    likely_confidence: float,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from plugin.config import settings

    config = tmp_path / "config.toml"
    config.write_text(f"[calendar]\nlikely_confidence = {likely_confidence}\n", encoding="utf-8")
    monkeypatch.setenv("DESKDRAFT_CONFIG", str(config))
    settings.cache_clear()
    try:
        content = DigestDraft(tiny_engine).compose(
            Fetched(inbox, len(inbox), [], None), {"to": READER}, cap=10
        )
    finally:
        settings.cache_clear()
    # "return it by Friday": the contract's deadline, the only dated ask.
    assert [m["kind"] for m in content.meetings] == ["deadline"]
    unsure = likely_confidence == 1.0
    assert [m["likely"] for m in content.meetings] == [not unsure]
    assert [m["likely"] for m in content.threads[0].meetings] == [not unsure]
    html, text = render_html(content), render_text(content)
    for rendered in (html, text):
        assert ("(maybe: check the mail)" in rendered) is unsure
