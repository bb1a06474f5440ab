"""The Outlook pane's digest view in Chromium, against answers routed in the browser.

The real bridge and worker run in ``test_digest_pane.py``; here a hand-written result
exercises what a real mailbox gives and the test corpus does not: Exchange and Graph item
ids, deadlines, read errors and a left-out count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.addin.browser import open_pane

WEB = Path(__file__).resolve().parents[2] / "plugin" / "web"
SERVER = "http://127.0.0.1:9"
ITEM = {
    "subject": "Budget review",
    "from": {"displayName": "Ann Lee", "emailAddress": "ann@example.com"},
    "to": [],
    "dateTimeCreated": "2004-08-10T16:15:00+00:00",
    "body": "Can we meet tomorrow at 3?",
    "headers": "",
    "attachments": [],
}
HOSTILE = '<img src=x onerror="window.__pwned = 1">Quarterly numbers'


def _thread(subject: str, section: str, category: str, **extra: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "summary": "",
        "count": 1,
        "importance": 0,
        "reasons": [],
        "verified": True,
        "category": category,
        "section": section,
        "path": "",
        "participants": [],
        "latest": "Mon 02 Mar 09:15",
        "asks": [],
        "meetings": [],
        "item": {},
        **extra,
    }


RESULT = {
    "title": "Your inbox digest",
    "messages": 9,
    "included": 8,
    "left_out": 1,
    "empty": False,
    "threads": [
        _thread(
            HOSTILE,
            "needs_you",
            "person",
            path="abstractive",
            summary="Ann asks you to <b>send</b> the figures by Friday",
            participants=["Ann Lee"],
            reasons=["addressed to you", "asks something of you"],
            asks=[{"text": "Could you send the figures by Friday?", "due": "Friday"}],
            meetings=[{"kind": "deadline", "title": "Figures due", "when": "2026-03-06"}],
            item={"ews_id": "AAMkAnn="},
        ),
        _thread(
            "Lunch",
            "people",
            "person",
            path="subject",
            summary="Lunch",
            participants=["Bob"],
            item={"rest_id": "AAQkBob"},
        ),
        _thread("Weekly news", "collapsed", "list", count=3),
        _thread("Sale <script>alert(1)</script>", "collapsed", "marketing"),
        _thread("Delivery failed", "collapsed", "notification"),
    ],
    "collapsed": [
        {"category": "list", "count": 3, "label": "3 newsletters and list mails"},
        {"category": "notification", "count": 1, "label": "1 notification"},
        {"category": "marketing", "count": 1, "label": "1 marketing mail"},
    ],
    "sections": {"needs_you": 1, "people": 1, "collapsed": 3},
    "errors": [{"source": "inbox/broken.eml", "error": "not a mail <b>file</b>"}],
}


@pytest.fixture
def digest_page(browser: Browser) -> tuple[Page, list[dict[str, Any]]]:
    page = open_pane(
        browser,
        (WEB / "outlook.html").as_uri(),
        {"host": "Outlook", "item": ITEM, "userProfile": {"emailAddress": "me@example.com"}},
        settings={"server": SERVER, "token": "t"},
    )
    sent: list[dict[str, Any]] = []

    def submit(route: Route) -> None:
        body = route.request.post_data_json
        sent.append(body)
        route.fulfill(status=202, json={"id": body["kind"], "status": "queued"})

    sources = {
        "sources": [
            {"source": "maildir:/srv/mail/me", "label": "maildir:/srv/mail/me"},
            {
                "source": "imap://me@mail.example.com/INBOX",
                "label": "imap://me@mail.example.com/INBOX",
            },
        ]
    }
    page.route(f"{SERVER}/api/v1/jobs", submit)
    page.route(
        f"{SERVER}/api/v1/jobs/digest_sources",
        lambda route: route.fulfill(
            json={"id": "digest_sources", "status": "done", "result": sources}
        ),
    )
    page.route(
        f"{SERVER}/api/v1/jobs/digest",
        lambda route: route.fulfill(
            json={"id": "digest", "kind": "digest", "status": "done", "result": RESULT}
        ),
    )
    expect(page.locator("#item-info")).to_contain_text("Budget review")
    return page, sent


def test_digest_view_keeps_the_digest_order_and_escapes_mail_text(
    digest_page: tuple[Page, list[dict[str, Any]]],
) -> None:
    page, sent = digest_page
    page.get_by_role("button", name="Inbox digest").click()
    source = page.locator("#digest-source")
    # Filled from the sources the server shares with this user.
    expect(source).to_have_value("maildir:/srv/mail/me")
    assert page.locator("#digest-sources option").evaluate_all(
        "options => options.map(o => o.value)"
    ) == ["maildir:/srv/mail/me", "imap://me@mail.example.com/INBOX"]
    page.locator("#digest-since").select_option("7d")
    page.get_by_role("button", name="Make digest").click()
    expect(page.locator("#digest")).to_be_visible()
    assert sent[-1] == {
        "kind": "digest",
        "input": {"source": "maildir:/srv/mail/me"},
        "options": {"since": "7d", "reader": "me@example.com"},
        "priority": "interactive",
    }

    sections = page.locator("#digest .digest-section").evaluate_all(
        "nodes => nodes.map(n => n.dataset.section)"
    )
    assert sections == ["needs_you", "people", "collapsed"]
    # Threads in the listed sections; messages in the collapsed one, as its lines count.
    badges = page.locator("#digest .digest-section h3 .badge").all_inner_texts()
    assert badges == ["1", "1", "5"]
    # Hostile text is text: no element was made from it, no handler ran.
    first = page.locator(".digest-thread").first
    expect(first.locator(".digest-subject")).to_have_text(HOSTILE)
    expect(first.locator(".digest-line")).to_have_text(
        "Ann asks you to <b>send</b> the figures by Friday"
    )
    assert page.locator("#digest img, #digest script, #digest b").count() == 0
    assert page.evaluate("window.__pwned") is None
    expect(first.locator(".digest-asks")).to_contain_text(
        "Asks: Could you send the figures by Friday? (due Friday)"
    )
    expect(first.locator(".digest-asks")).to_contain_text("Deadline: Figures due — 2026-03-06")
    expect(first).to_contain_text("asks something of you")
    # The subject fallback says it is one.
    lunch = page.locator(".digest-section[data-section=people] .digest-thread")
    expect(lunch.locator(".digest-line")).to_have_text("Subject: Lunch")
    expect(lunch.locator(".digest-path")).to_have_text("no sentence fit to use: the subject line")
    # One collapsed line per category, closed until opened, in the digest's order.
    lines = page.locator(".digest-category summary")
    assert lines.all_inner_texts() == [
        "3 newsletters and list mails",
        "1 notification",
        "1 marketing mail",
    ]
    marketing = page.locator(".digest-category[data-category=marketing]")
    expect(marketing.locator(".digest-subjects")).to_be_hidden()
    marketing.locator("summary").click()
    expect(marketing.locator(".digest-subjects li")).to_have_text(
        "Subject: Sale <script>alert(1)</script>"
    )
    expect(page.locator("#digest-summary")).to_have_text(
        "8 messages in 5 threads · 1 more not included"
    )
    expect(page.locator(".digest-errors summary")).to_have_text("1 item(s) could not be read")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_a_digest_line_opens_its_message_in_outlook(
    digest_page: tuple[Page, list[dict[str, Any]]],
) -> None:
    page, _ = digest_page
    page.get_by_role("button", name="Inbox digest").click()
    # The field fills from the server's shared sources after the form opens; until then
    # it is empty and required, so the button would do nothing (as for a user).
    expect(page.locator("#digest-source")).to_have_value("maildir:/srv/mail/me")
    page.get_by_role("button", name="Make digest").click()
    page.get_by_role("button", name=f"Open “{HOSTILE}”").click()
    page.get_by_role("button", name="Open “Lunch”").click()
    opened = [
        e["itemId"]
        for e in page.evaluate("window.__officeLog")
        if e["call"] == "displayMessageForm"
    ]
    # An EWS id as is; a Graph (REST) id converted to EWS first.
    assert opened == ["AAMkAnn=", "ews(v2.0):AAQkBob"]
    # The source is remembered for next time (roaming settings follow the mailbox).
    saved = [
        e["values"]
        for e in page.evaluate("window.__officeLog")
        if e["call"] == "roamingSettings.saveAsync"
    ]
    assert saved and saved[-1]["deskdraft.digestSource"] == "maildir:/srv/mail/me"


def test_a_failed_digest_says_why(digest_page: tuple[Page, list[dict[str, Any]]]) -> None:
    page, _ = digest_page
    page.route(
        f"{SERVER}/api/v1/jobs",
        lambda route: route.fulfill(
            status=422,
            content_type="application/problem+json",
            body=json.dumps(
                {
                    "title": "Cannot run this request",
                    "detail": "source 'maildir:/srv/mail/bob' is not shared with user 'ann'",
                }
            ),
        ),
    )
    page.get_by_role("button", name="Inbox digest").click()
    page.locator("#digest-source").fill("maildir:/srv/mail/bob")
    page.get_by_role("button", name="Make digest").click()
    expect(page.locator("#error")).to_contain_text("is not shared with user 'ann'")
    expect(page.get_by_role("button", name="Make digest")).to_be_enabled()
    expect(page.get_by_role("button", name="Summarize", exact=True)).to_be_enabled()


def test_the_digest_needs_no_open_email(browser: Browser) -> None:
    """A pinned pane with nothing selected, opened by the ribbon's Inbox digest button."""
    page = open_pane(
        browser,
        (WEB / "outlook.html").as_uri() + "?action=digest",
        {"host": "Outlook"},
        settings={"server": SERVER, "token": "t"},
    )
    page.route(f"{SERVER}/api/v1/**", lambda route: route.fulfill(status=503, json={}))
    expect(page.locator("#digest-form")).to_be_visible()
    expect(page.locator("#item-info")).to_have_text("No e-mail is open.")
    expect(page.locator("#error")).to_be_hidden()
    assert page.js_errors == []  # type: ignore[attr-defined]
