"""The panes' own logic in Chromium, without a server: dates, what is sent, .ics, cell ranges.

The pages are opened from disk (``file://``) with the office.js stand-in; these tests are
fast and need no model.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.addin.browser import open_pane

WEB = Path(__file__).resolve().parents[2] / "plugin" / "web"
ITEM = {
    "subject": "Budget review",
    "from": {"displayName": "Ann Lee", "emailAddress": "ann@example.com"},
    "to": [],
    "dateTimeCreated": "2004-08-10T16:15:00+00:00",
    "body": "Can we meet tomorrow at 3?\n\nOn Mon, Aug 9, 2004 Bob wrote:\n> old text",
    "headers": "Subject: Budget review\r\nDate: Tue, 10 Aug 2004 09:15:00 -0700\r\n",
    "attachments": [
        {
            "id": "att1",
            "name": "agenda.txt",
            "contentType": "text/plain",
            "size": 12,
            "format": "base64",
            "content": "QWdlbmRhOiBidWRnZXQ=",
        },
        {
            "id": "att2",
            "name": "photo.png",
            "contentType": "image/png",
            "size": 9000,
            "format": "base64",
            "content": "iVBORw0KGgo=",
        },
    ],
}


@pytest.fixture
def outlook(browser: Browser) -> Page:
    page = open_pane(
        browser,
        (WEB / "outlook.html").as_uri(),
        {"host": "Outlook", "item": ITEM},
        settings={"server": "http://127.0.0.1:9", "token": "t"},
    )
    expect(page.locator("#item-info")).to_contain_text("Budget review")
    return page


def _js(page: Page, expression: str) -> Any:
    return page.evaluate(expression)


def test_date_header_keeps_the_senders_zone(outlook: Page) -> None:
    assert _js(outlook, "deskdraftOutlook.isoWithOffset('Tue, 10 Aug 2004 09:15:00 -0700')") == (
        "2004-08-10T09:15:00-07:00"
    )
    assert _js(outlook, "deskdraftOutlook.isoWithOffset('Thu, 26 Sep 2002 08:01:56 -0000')") == (
        "2002-09-26T08:01:56-00:00"
    )
    assert (
        _js(outlook, "deskdraftOutlook.isoWithOffset('Fri, 1 Mar 2024 23:30:00 +0530 (IST)')")
        == "2024-03-01T23:30:00+05:30"
    )
    assert _js(outlook, "deskdraftOutlook.isoWithOffset('not a date')") is None


def test_the_job_document_carries_the_item_and_text_attachments(outlook: Page) -> None:
    sent: list[dict[str, Any]] = []
    outlook.route(
        "http://127.0.0.1:9/**",
        lambda route: (
            sent.append(route.request.post_data_json),
            route.fulfill(status=503, json={"title": "busy", "detail": "try later"}),
        ),
    )
    outlook.get_by_role("button", name="Action items").click()
    expect(outlook.locator("#error")).to_contain_text("The server answered 503: try later")
    # The mail goes to the server whole, to be cleaned as fetched mail is (an ingest job
    # whose full record the draft job then sends back).
    assert sent[0]["kind"] == "ingest" and sent[0]["options"] == {"full": True}
    document = sent[0]["input"]["document"]
    assert document["date"] == "2004-08-10T09:15:00-07:00"
    assert document["from"] == "Ann Lee <ann@example.com>"
    assert document["body"] == ITEM["body"] and document["headers"] == ITEM["headers"]
    assert "text" not in document
    attachments = {a["name"]: a for a in document["metadata"]["attachments"]}
    assert attachments["agenda.txt"]["text"] == "Agenda: budget"
    assert "text" not in attachments["photo.png"]  # binary: listed, not sent


def test_ics_fallback_is_valid_icalendar(outlook: Page) -> None:
    ics = _js(
        outlook,
        """deskdraftOutlook.toIcs({title: 'Budget; review, Q3',
        start: '2004-08-11T15:00:00-07:00', end: '2004-08-11T16:00:00-07:00',
        location: 'Room 4'})""",
    )
    assert ics.endswith("\r\n") and "\r\n" in ics
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Budget; review, Q3"
    assert event.decoded("DTSTART") == datetime(2004, 8, 11, 22, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2004, 8, 11, 23, 0, tzinfo=UTC)
    whole_day = _js(
        outlook,
        """deskdraftOutlook.toIcs({title: 'Due', all_day: true,
        start: '2004-08-13'})""",
    )
    assert "DTSTART;VALUE=DATE:20040813" in whole_day


def test_cell_ranges_and_padding(browser: Browser) -> None:
    workbook = {"sheets": [{"name": "S", "cells": [["a"]]}]}
    page = open_pane(
        browser,
        (WEB / "document.html").as_uri(),
        {"host": "Excel", "workbook": workbook},
        settings={"token": "t"},
    )
    expect(page.locator("#excel-panel")).to_be_visible()
    assert _js(page, "deskdraftDocument.rangeStart(\"'My Sheet'!$C$5:$F$9\")") == {
        "row": 4,
        "col": 2,
    }
    assert _js(page, "[0, 25, 26, 701, 702].map(deskdraftDocument.columnLetters)") == [
        "A",
        "Z",
        "AA",
        "ZZ",
        "AAA",
    ]
    sent = _js(
        page,
        """deskdraftDocument.workbookDocument({sheet: 'S', address: 'S!B2:C3',
        values: [['Day', 'Sales'], [45292, 10]], formats: [['General', 'General'],
        ['yyyy-mm-dd', '0']]})""",
    )
    sheet = sent["document"]["sheets"][0]
    assert sent["ref"] == "B2:C3"
    assert sheet["cells"] == [[], [None, "Day", "Sales"], [None, 45292, 10]]
    assert sheet["number_formats"][2] == [None, "yyyy-mm-dd", "0"]


def test_server_documents_read_the_excel_cells_as_typed_tables(browser: Browser) -> None:
    """What the pane sends is what the server's document model reads: dates as dates."""
    from connectors.document import Document

    page = open_pane(
        browser,
        (WEB / "document.html").as_uri(),
        {"host": "Excel", "workbook": {"sheets": [{"name": "S", "cells": []}]}},
        settings={"token": "t"},
    )
    sent = _js(
        page,
        """deskdraftDocument.workbookDocument({sheet: 'S', address: 'S!A1:B3',
        values: [['Day', 'Sales'], [45292, 10], [45323, 12]],
        formats: [['General', 'General'], ['yyyy-mm-dd', '0'], ['yyyy-mm-dd', '0']]})""",
    )
    document = Document.from_json(sent["document"])
    cells = document.sheets[0].cells
    assert cells[1][0] == datetime(2024, 1, 1) and cells[2][1] == 12


BADGES = [
    # (result fields, badge text, green)
    (
        {"verified": True, "check": {"method": "quoted", "label": "quoted from the mail"}},
        "quoted from the mail",
        True,
    ),
    (
        {
            "verified": True,
            "check": {"method": "reworded", "label": "reworded, checked against sentences 2 and 3"},
        },
        "reworded, checked against sentences 2 and 3",
        True,
    ),
    (
        {"verified": True, "check": {"method": "words", "label": "words from sentence 4"}},
        "words from sentence 4",
        False,
    ),
    (
        {"verified": False, "check": {"method": "none", "label": "not checked"}},
        "not checked",
        False,
    ),
    # A label that claims a check the verdict does not back is not trusted.
    (
        {"verified": False, "check": {"method": "reworded", "label": "reworded, checked"}},
        "not checked",
        False,
    ),
    ({"verified": True}, "names and numbers checked", False),
    ({"verified": False}, "not checked", False),
]


@pytest.mark.parametrize(("fields", "text", "green"), BADGES)
def test_the_summary_badge_says_what_was_checked(
    outlook: Page, fields: dict[str, Any], text: str, green: bool
) -> None:
    result = {"summary": "Dev will share the vendor list.", "key_points": [], **fields}
    outlook.route(
        "http://127.0.0.1:9/api/v1/jobs",
        lambda route: route.fulfill(status=202, json={"id": "j1", "status": "queued"}),
    )
    outlook.route(
        "http://127.0.0.1:9/api/v1/jobs/j1",
        lambda route: route.fulfill(
            json={"id": "j1", "kind": "summarize", "status": "done", "result": [result]}
        ),
    )
    outlook.get_by_role("button", name="Summarize", exact=True).click()
    badge = outlook.locator("article.card h2 .badge")
    expect(badge).to_have_text(text)
    assert ("ok" in (badge.get_attribute("class") or "").split()) is green
    expect(outlook.locator("#summary-text")).to_have_text("Dev will share the vendor list.")
    if not green:
        expect(outlook.locator("article.card h2")).not_to_contain_text("quoted from the mail")
    assert _js(outlook, "window.deskdraft.badgeState({})") is None
