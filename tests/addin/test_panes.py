"""The Outlook task pane in headless Chromium against a real bridge and worker (real model).

office.js is replaced by ``fake_office.js`` (a fake mailbox item built from a real corpus
e-mail); everything else is real: the pages as the bridge serves them, the API, the queue,
the worker and the draft kinds. The Excel and Word panes: test_document_pane.py.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from plugin.jobs.sealing import sealer_for
from plugin.jobs.store import JobStore
from tests.addin.browser import (
    DRAFT_TIMEOUT_MS,
    mail_item,
    no_js_errors,
    office_log,
    open_pane,
    screenshot,
)
from tests.addin.conftest import Service, free_port

pytestmark = pytest.mark.integration

JOB_SADMIN = "spamassassin/easy-ham-2_00235.8b55a8bb29e92f8db66639e36f216721.eml"
REPLY_WITH_HISTORY = "spamassassin/easy-ham-2_00915.5c8a9df80b70af9883deabbedb905d94.eml"
TALK_FRIDAY = "spamassassin/easy-ham-1_01908.d4433993e642ce126d272930d9ce47da.eml"
# Answers written between the quoted lines, under an "On …, vernon wrote:" attribution.
INLINE_ANSWERS = "spamassassin/easy-ham-1_01473.1b15dc3174af070411cb9f2bd16add15.eml"


def _outlook(
    browser: Browser, service: Service, mail: Path, action: str | None = None, **kwargs: Any
) -> Page:
    query = f"?action={action}" if action else ""
    settings = kwargs.pop("settings", service.settings())
    return open_pane(
        browser,
        f"{service.url}/addin/outlook.html{query}",
        {"host": "Outlook", "item": mail_item(mail)},
        settings=settings,
        **kwargs,
    )


def _job_ids(page: Page) -> list[str]:
    """The ids of jobs the pane submitted, collected since before it loaded."""
    return page.job_ids  # type: ignore[attr-defined,no-any-return]


def _draft_job(request: Request) -> bool:
    """A draft job's submission (the pane's ingest jobs, which clean the mail, aside)."""
    return (
        request.method == "POST"
        and request.url.endswith("/api/v1/jobs")
        and (request.post_data_json or {}).get("kind") != "ingest"
    )


def _service_store(service: Service) -> JobStore:
    """The service's job store, opened with its data key (it seals feedback at rest)."""
    return JobStore(f"sqlite:///{service.home / 'jobs.sqlite'}", sealer_for(service.home))


def test_summarize_by_keyboard_shows_summary_and_source(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    mail = corpus_dir / "mail" / JOB_SADMIN
    page = _outlook(browser, service, mail)
    ids = _job_ids(page)
    expect(page.locator("#item-info")).to_contain_text("Colm Buckley")
    # Keyboard only: tab to "Summarize" and press Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "summarize":
            break
    page.keyboard.press("Enter")
    summary = page.locator("#summary-text")
    expect(summary).not_to_be_empty(timeout=DRAFT_TIMEOUT_MS)
    job = service.api(f"/jobs/{ids[0]}").json()
    assert job["status"] == "done"
    assert summary.inner_text().strip() == job["result"]["summary"].strip()
    points = page.locator(".key-points li")
    assert points.count() == len(job["result"]["key_points"]) > 0
    # Focusing a key point marks its source sentence in the e-mail text.
    points.first.focus()
    mark = page.locator("#source-mark")
    expect(mark).to_be_visible()
    body = mail_item(mail)["body"]
    assert mark.inner_text().strip() and " ".join(mark.inner_text().split()) in " ".join(
        body.split()
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=service.url)
    page.get_by_role("button", name="Copy the draft").click()
    expect(page.locator(".feedback-note")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == summary.inner_text()
    screenshot(page, "outlook-summary")
    no_js_errors(page)


def test_the_server_cleans_the_open_mail_before_summarizing_it(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    # Outlook's text of a mail answered between the quoted lines: the pane used to send
    # only what came before the first quote marker, the attribution line, and the summary
    # was that line. Now the server cleans the body and headers as fetched mail is cleaned.
    page = _outlook(browser, service, corpus_dir / "mail" / INLINE_ANSWERS, "summarize")
    summary = page.locator("#summary-text")
    expect(summary).not_to_be_empty(timeout=DRAFT_TIMEOUT_MS)
    (ingest_id,) = page.ingest_ids  # type: ignore[attr-defined]
    ingested = service.api(f"/jobs/{ingest_id}").json()["result"]
    # the source shown (and highlighted by offsets) is the text the summary was made from
    shown = page.evaluate("document.getElementById('source').textContent")
    assert shown == ingested["text"] and "That's the theory, yes." in shown
    assert ingested["quoted"].startswith("On Fri, Sep 13, 2002")
    assert ingested["metadata"]["category"]  # the headers were read too
    assert "wrote:" not in summary.inner_text()
    no_js_errors(page)


def test_suggest_meeting_shows_the_right_start(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    # Sent Thursday 26 Sep 2002 (-0000): "I'm speaking ... at 7PM this Friday".
    page = _outlook(browser, service, corpus_dir / "mail" / TALK_FRIDAY, "suggest_meetings")
    when = page.locator(".suggestions time").first
    expect(when).to_be_visible(timeout=DRAFT_TIMEOUT_MS)
    start = when.get_attribute("datetime") or ""
    assert start.startswith("2002-09-27T19:00"), start
    assert "Friday, September 27, 2002" in when.inner_text()
    assert "7:00 PM" in when.inner_text()
    # A suggestion below [calendar] likely_confidence (0.95 in this service) carries a "maybe"
    # badge, the others none.
    result = service.api(f"/jobs/{_job_ids(page)[-1]}").json()["result"]
    suggestions = (result[0] if isinstance(result, list) else result)["suggestions"]
    unsure = [s["likely"] is False for s in suggestions]
    badges = page.locator(".suggestions li").evaluate_all(
        "items => items.map(li => li.querySelector('.maybe') !== null)"
    )
    assert badges == unsure and any(unsure), (badges, suggestions)
    badge = page.locator(".suggestions .maybe").first
    expect(badge).to_have_attribute("title", re.compile("check the mail"))
    page.get_by_role("button", name="Add “").first.click()
    opened = office_log(page, "displayNewAppointmentForm")
    assert len(opened) == 1
    assert datetime.fromisoformat(opened[0]["start"].replace("Z", "+00:00")) == (
        datetime.fromisoformat(start)
    )
    screenshot(page, "outlook-meeting")
    no_js_errors(page)


def test_action_items_checklist_and_insert_into_reply(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    page = _outlook(browser, service, corpus_dir / "mail" / JOB_SADMIN, "action_items")
    boxes = page.locator(".checklist input[type=checkbox]")
    expect(boxes.first).to_be_visible(timeout=DRAFT_TIMEOUT_MS)
    labels = page.locator(".checklist label").all_inner_texts()
    assert any("contact me directly" in label for label in labels), labels
    boxes.first.focus()
    page.keyboard.press("Space")
    expect(boxes.first).to_be_checked()
    page.get_by_role("button", name="Insert into reply").click()
    replies = office_log(page, "displayReplyForm")
    assert len(replies) == 1 and "contact me directly" in replies[0]["text"]
    screenshot(page, "outlook-action-items")
    no_js_errors(page)


def test_feedback_with_rating_and_edited_text_reaches_the_server(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    page = _outlook(browser, service, corpus_dir / "mail" / JOB_SADMIN, "summarize")
    ids = _job_ids(page)
    expect(page.locator("#summary-text")).not_to_be_empty(timeout=DRAFT_TIMEOUT_MS)
    page.get_by_role("button", name="Good draft").click()
    note = page.locator(".feedback-note")
    expect(note).to_have_attribute("data-sent", "true")
    page.get_by_role("button", name="Edit the draft").click()
    page.get_by_label("Edited draft text").fill("Colm is hiring a sysadmin; apply to him.")
    # The store is read once the bridge has answered the edit's feedback request.
    with page.expect_response(lambda r: r.url.endswith("/feedback") and r.ok):
        page.get_by_role("button", name="Save the edited draft").click()
    expect(page.locator("#summary-text")).to_have_text("Colm is hiring a sysadmin; apply to him.")
    store = _service_store(service)
    try:
        for _ in range(50):
            stored = store.feedback(ids[-1])
            if len(stored) == 2:
                break
            page.wait_for_timeout(100)
    finally:
        store.close()
    assert [f["rating"] for f in stored] == [5, 5]
    assert stored[1]["edited_text"] == "Colm is hiring a sysadmin; apply to him."
    screenshot(page, "outlook-feedback")
    no_js_errors(page)


def test_compose_summarize_thread_inserts_at_the_cursor(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    item = {**mail_item(corpus_dir / "mail" / REPLY_WITH_HISTORY), "compose": True}
    page = open_pane(
        browser,
        f"{service.url}/addin/outlook.html",
        {"host": "Outlook", "item": item},
        settings=service.settings(),
    )
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: sent.append(r.post_data_json) if _draft_job(r) else None,
    )
    expect(page.locator("#item-info")).to_contain_text("Draft reply")
    visible = [b.inner_text() for b in page.locator(".actions button").all() if b.is_visible()]
    assert visible == ["Draft reply", "Summarize thread"]
    page.get_by_role("button", name="Summarize thread").click()
    expect(page.locator("#summary-text")).not_to_be_empty(timeout=DRAFT_TIMEOUT_MS)
    assert sent[0]["kind"] == "summarize" and sent[0]["options"] == {"thread": True}
    # The whole conversation goes along: the reply and, apart, the quoted message it
    # answers, which the server reads as the thread's earlier message, by its author.
    document = sent[0]["input"]["document"]
    assert "We want to be led" in document["text"]
    assert "nation of a million differnt parts" in document["quoted"]
    assert "2 message(s) from Tom" in page.locator("#summary-text").inner_text()
    page.get_by_role("button", name="Insert into reply").click()
    inserted = office_log(page, "body.setSelectedDataAsync")
    assert inserted and inserted[0]["text"] == page.locator("#summary-text").inner_text()
    screenshot(page, "outlook-compose-thread")
    no_js_errors(page)


def test_unreachable_server_shows_the_error(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    page = _outlook(
        browser,
        service,
        corpus_dir / "mail" / JOB_SADMIN,
        "summarize",
        settings={"server": dead, "token": service.token},
    )
    error = page.locator("#error")
    expect(error).to_contain_text(f"Cannot reach the deskdraft server at {dead}")
    assert error.get_attribute("role") == "alert"
    screenshot(page, "outlook-unreachable")


def test_missing_and_wrong_token_say_what_to_do(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    mail = corpus_dir / "mail" / JOB_SADMIN
    page = _outlook(browser, service, mail, "summarize", settings={"server": service.url})
    expect(page.locator("#error")).to_contain_text("No access token is set")
    expect(page.locator("#settings")).to_be_visible()  # opened for the user
    screenshot(page, "outlook-token-missing")
    page.get_by_label("Access token").fill("not-the-token")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-note")).to_have_text("Saved.")
    saved = office_log(page, "roamingSettings.saveAsync")
    assert saved[-1]["values"]["deskdraft.token"] == "not-the-token"
    page.locator(".actions button[data-action=summarize]").click()
    expect(page.locator("#error")).to_contain_text("refused the access token")


@pytest.mark.parametrize("dark", [False, True])
def test_readable_at_320px_light_and_dark(
    browser: Browser, service: Service, corpus_dir: Path, dark: bool
) -> None:
    page = _outlook(browser, service, corpus_dir / "mail" / TALK_FRIDAY, width=320, dark=dark)
    expect(page.locator("#item-info")).to_contain_text("Speaking in Texas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    colours = page.evaluate(
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    background = [int(x) for x in colours[0][4:-1].split(",")[:3]]
    assert (sum(background) < 150) is dark, colours
    for button in page.locator("button").all():
        if button.is_visible():
            assert button.inner_text().strip() or button.get_attribute("aria-label"), button
    screenshot(page, f"outlook-320-{'dark' if dark else 'light'}")


ASKS_READER = "spamassassin/easy-ham-1_01306.01273f7d32eaabde7b20f220e13eb927.eml"
QUESTION = "Has anyone made a working source RPM for dvd::rip for Red Hat 8.0?"
READER = {"emailAddress": "reader@example.com", "displayName": "Pat Reader"}


def test_draft_reply_with_intent_chips_opens_a_reply_with_the_html(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    profiles = service.home / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "reader@example.com.json").write_text(
        '{"user": "reader@example.com", "name": "Pat", "greeting": "Hello", '
        '"sign_off": "Cheers,", "formality": "neutral"}'
    )
    page = open_pane(
        browser,
        f"{service.url}/addin/outlook.html",
        {
            "host": "Outlook",
            "item": mail_item(corpus_dir / "mail" / ASKS_READER),
            "userProfile": READER,
        },
        settings=service.settings(),
    )
    ids = _job_ids(page)
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: sent.append(r.post_data_json) if _draft_job(r) else None,
    )
    # Listening first, then the button's deep link: the pane submits as soon as it loads.
    page.goto(f"{service.url}/addin/outlook.html?action=reply")
    draft = page.locator("#reply-text")
    expect(draft).to_contain_text("Hello Michèl,", timeout=DRAFT_TIMEOUT_MS)
    # Without an intent the question is a highlighted placeholder, not an invented answer.
    expect(page.locator("#reply-text mark.placeholder")).to_have_text(f"[Answer: {QUESTION}]")
    expect(draft).to_contain_text("Cheers,\nPat")
    assert sent[0]["kind"] == "reply" and sent[0]["options"] == {"user": "reader@example.com"}
    # Hovering the placeholder's sentence marks the question in the e-mail text.
    page.locator(".reply-sentence.role-placeholder").hover()
    expect(page.locator("#source-mark")).to_have_text(QUESTION)
    assert (
        page.locator(".reply-sentence.role-placeholder").get_attribute("data-sources")
        == "From the e-mail"
    )
    # The "Yes" chip redrafts with that intent: no placeholder is left.
    page.locator(".intent-chips .chip", has_text="Yes").click()
    expect(page.locator("#reply-status")).to_have_text(
        "Nothing left to fill in.", timeout=DRAFT_TIMEOUT_MS
    )
    assert sent[-1]["options"] == {"intent": "yes", "user": "reader@example.com"}
    expect(page.locator(".chip[aria-pressed=true]")).to_have_text("Yes")
    job = service.api(f"/jobs/{ids[-1]}").json()
    assert job["status"] == "done" and job["result"]["placeholders"] == []
    answer = page.locator(".reply-sentence.role-answer")
    assert answer.get_attribute("data-sources") == "From your answer"
    page.get_by_role("button", name="Open as reply").click()
    replies = office_log(page, "displayReplyForm")
    assert len(replies) == 1 and replies[0]["text"] == job["result"]["html"]
    assert (
        replies[0]["text"].startswith("<p>Hello Michèl,</p>")
        and "Cheers,<br>Pat" in replies[0]["text"]
    )
    page.get_by_role("button", name="Reply all").click()
    assert office_log(page, "displayReplyAllForm")[0]["text"] == job["result"]["html"]
    # Feedback on the reply is stored as for summaries.
    page.get_by_role("button", name="Good draft").click()
    expect(page.locator(".feedback-note")).to_have_attribute("data-sent", "true")
    store = _service_store(service)
    try:
        assert [f["rating"] for f in store.feedback(ids[-1])] == [5]
    finally:
        store.close()
    screenshot(page, "outlook-reply")
    no_js_errors(page)


def test_compose_draft_reply_inserts_the_html_at_the_cursor(
    browser: Browser, service: Service, corpus_dir: Path
) -> None:
    item = {**mail_item(corpus_dir / "mail" / REPLY_WITH_HISTORY), "compose": True}
    page = open_pane(
        browser,
        f"{service.url}/addin/outlook.html",
        {"host": "Outlook", "item": item},
        settings=service.settings(),
    )
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(r.post_data_json) if _draft_job(r) else None)
    expect(page.locator("#item-info")).to_contain_text("Draft reply")
    page.get_by_role("button", name="Draft reply").click()
    expect(page.locator("#reply-text")).not_to_be_empty(timeout=DRAFT_TIMEOUT_MS)
    # the reply answers the message quoted below the draft ("At 11:14 AM …, Tom wrote:")
    assert sent[0]["options"]["answer_quoted"] is True
    assert page.locator("#reply-text").inner_text().startswith("Hi Tom,")
    assert page.get_by_role("button", name="Open as reply").count() == 0
    page.get_by_role("button", name="Insert at cursor").click()
    inserted = office_log(page, "body.setSelectedDataAsync")
    assert inserted and inserted[0]["text"].startswith("<p>")
    no_js_errors(page)
