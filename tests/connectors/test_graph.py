"""GraphConnector against recorded-shape Microsoft Graph and identity-platform responses."""

from __future__ import annotations

import base64
import email
import email.policy
import json
from datetime import UTC, datetime
from email.message import EmailMessage
from functools import partial
from typing import Any
from urllib.parse import parse_qs, quote

import pytest
import requests
import responses

from connectors.base import ItemError, open_source
from connectors.calendar import CalendarSource, MailSender, NewEvent
from connectors.document import Document
from connectors.errors import ConfigError, TransientError
from connectors.graph import GraphConnector
from tests.connectors import remote_fixtures
from tests.connectors.graph_fake import (
    CLIENT_SECRET,
    GRAPH,
    INBOX_ID,
    URI,
    USER,
    add_token,
    bearer,
    connector,
    fixture,
    graph_env,
    mocked,
)

__all__ = ["graph_env", "mocked"]  # fixtures used by name


mime = partial(
    remote_fixtures.mime,
    sender="Bob Example <bob@contoso.example>",
    to="alice@contoso.onmicrosoft.com",
)


def add_messages(rsps: Any, page: dict[str, Any]) -> None:
    bodies = {
        "Budget review on Thursday": mime(
            "Budget review on Thursday",
            "<budget-1@contoso.example>",
            "Can we review the Q4 budget on Thursday at 10:00?",
        ),
        "RE: Budget review on Thursday": mime(
            "RE: Budget review on Thursday",
            "<budget-2@contoso.example>",
            "Thursday works for me.",
            in_reply_to="<budget-1@contoso.example>",
        ),
        "Offsite agenda": mime(
            "Offsite agenda",
            "<offsite-1@contoso.example>",
            "Agenda for the offsite is attached below.",
        ),
        "Invoice 4711 overdue": mime(
            "Invoice 4711 overdue",
            "<invoice-4711@vendor.example>",
            "Invoice 4711 over 1,250.00 EUR is overdue.",
        ),
    }
    for message in page["value"]:
        if "@removed" not in message:
            rsps.get(
                f"{USER}/messages/{quote(message['id'], safe='')}/$value",
                body=bodies[message["subject"]],
                content_type="message/rfc822",
            )


def test_registered_and_implements_calendar_and_send(graph_env: dict[str, Any]) -> None:
    source = open_source(URI, graph_env)
    assert isinstance(source, GraphConnector)
    assert isinstance(source, CalendarSource) and isinstance(source, MailSender)
    assert source.mailbox == "alice@contoso.onmicrosoft.com"


def test_full_delta_sync_pages_and_keeps_the_delta_link(
    mocked: Any, graph_env: dict[str, Any]
) -> None:
    add_token(mocked)
    mocked.get(f"{USER}/mailFolders/inbox", json=fixture("mailfolder-inbox.json"))
    page1, page2 = fixture("delta-page1.json"), fixture("delta-page2.json")
    mocked.get(f"{USER}/mailFolders/{INBOX_ID}/messages/delta", json=page1)
    mocked.get(page1["@odata.nextLink"], json=page2)
    add_messages(mocked, page1)
    add_messages(mocked, page2)

    source = connector(graph_env)
    docs = list(source.iter_documents())
    assert [d.title for d in docs] == [
        "Budget review on Thursday",
        "RE: Budget review on Thursday",
        "Offsite agenda",
    ]
    assert all(isinstance(d, Document) and d.kind == "email" for d in docs)
    assert "Q4 budget" in docs[0].text
    assert docs[0].thread_key == docs[1].thread_key != docs[2].thread_key
    assert docs[0].metadata["conversation_id"] == page1["value"][0]["conversationId"]
    assert source.cursor == {"folder_id": INBOX_ID, "delta_link": page2["@odata.deltaLink"]}

    token = fixture("token-client-credentials.json")["access_token"]
    graph_calls = [c for c in mocked.calls if c.request.url.startswith(GRAPH)]
    assert graph_calls and all(bearer(c) == f"Bearer {token}" for c in graph_calls)
    delta = next(c for c in graph_calls if "/messages/delta" in c.request.url)
    assert delta.request.headers["Prefer"] == "odata.maxpagesize=50"
    token_call = next(c for c in mocked.calls if c.request.url.endswith("/oauth2/v2.0/token"))
    form = parse_qs(token_call.request.body)
    assert form["grant_type"] == ["client_credentials"]
    assert form["scope"] == ["https://graph.microsoft.com/.default"]
    assert form["client_secret"] == [CLIENT_SECRET]


def test_interrupted_first_sync_resumes_from_the_next_link(
    mocked: Any, graph_env: dict[str, Any]
) -> None:
    add_token(mocked)
    page1, page2 = fixture("delta-page1.json"), fixture("delta-page2.json")
    mocked.get(f"{USER}/mailFolders/{INBOX_ID}/messages/delta", json=page1)
    mocked.get(page1["@odata.nextLink"], json=page2)
    add_messages(mocked, page1)
    add_messages(mocked, page2)
    source = connector(graph_env)
    items = source.iter_documents({"folder_id": INBOX_ID})
    first_page = [next(items), next(items)]
    next(items)  # the first item of page 2: page 1 is done, the cursor says so
    assert source.cursor == {"folder_id": INBOX_ID, "next_link": page1["@odata.nextLink"]}
    items.close()
    rest = list(connector(graph_env).iter_documents(source.cursor))
    assert [d.title for d in [*first_page, *rest]] == [
        "Budget review on Thursday",
        "RE: Budget review on Thursday",
        "Offsite agenda",
    ]
    # Documents carry no credential anywhere in what `ingest --json` prints.
    token = fixture("token-client-credentials.json")["access_token"]
    for doc in [*first_page, *rest]:
        dumped = json.dumps(doc.to_json(full=True))
        assert CLIENT_SECRET not in dumped and token not in dumped


def test_incremental_sync_returns_only_changes(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    page2, incremental = fixture("delta-page2.json"), fixture("delta-incremental.json")
    mocked.get(page2["@odata.deltaLink"], json=incremental)
    add_messages(mocked, incremental)
    source = connector(graph_env)
    docs = list(
        source.iter_documents({"folder_id": INBOX_ID, "delta_link": page2["@odata.deltaLink"]})
    )
    # The deleted message ("@removed") is skipped; only the new one comes back.
    assert [d.title for d in docs] == ["Invoice 4711 overdue"]
    assert source.cursor == {"folder_id": INBOX_ID, "delta_link": incremental["@odata.deltaLink"]}


def test_expired_delta_link_means_full_resync(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    stale = fixture("delta-page2.json")["@odata.deltaLink"]
    mocked.get(stale, status=410, json=fixture("error-410-sync-state.json"))
    page2 = fixture("delta-page2.json")
    mocked.get(f"{USER}/mailFolders/{INBOX_ID}/messages/delta", json=page2)
    add_messages(mocked, page2)
    source = connector(graph_env)
    docs = list(source.iter_documents({"folder_id": INBOX_ID, "delta_link": stale}))
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert source.cursor["delta_link"] == page2["@odata.deltaLink"]


def test_429_waits_retry_after_then_succeeds(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    mocked.get(
        f"{USER}/mailFolders/inbox",
        status=429,
        headers={"Retry-After": "7"},
        json=fixture("error-429.json"),
    )
    mocked.get(
        f"{USER}/mailFolders/inbox",
        status=429,
        headers={"Retry-After": "3"},
        json=fixture("error-429.json"),
    )
    mocked.get(f"{USER}/mailFolders/inbox", json=fixture("mailfolder-inbox.json"))
    waits: list[float] = []
    source = connector(graph_env, sleep=waits.append)
    assert source.resolve_folder() == INBOX_ID
    assert waits == [7.0, 3.0]


def test_persistent_429_becomes_transient_error_with_retry_after(
    mocked: Any, graph_env: dict[str, Any]
) -> None:
    add_token(mocked)
    mocked.get(
        f"{USER}/mailFolders/inbox",
        status=429,
        headers={"Retry-After": "30"},
        json=fixture("error-429.json"),
    )
    waits: list[float] = []
    source = connector({**graph_env, "max_retries": 2}, sleep=waits.append)
    with pytest.raises(TransientError, match="throttling") as err:
        source.resolve_folder()
    assert waits == [30.0, 30.0]
    assert err.value.retryable and err.value.retry_after == 30.0


def test_folder_path_walks_child_folders(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    mocked.get(f"{USER}/mailFolders/inbox", json=fixture("mailfolder-inbox.json"))
    mocked.get(
        f"{USER}/mailFolders/{INBOX_ID}/childFolders", json=fixture("childfolders-projects.json")
    )
    source = GraphConnector("graph://alice@contoso.onmicrosoft.com/Inbox/Projects", graph_env)
    assert source.resolve_folder() == fixture("childfolders-projects.json")["value"][0]["id"]
    child_call = next(c for c in mocked.calls if "childFolders" in c.request.url)
    assert "displayName eq 'Projects'" in child_call.request.params["$filter"]

    mocked.replace(responses.GET, f"{USER}/mailFolders/{INBOX_ID}/childFolders", json={"value": []})
    with pytest.raises(ConfigError, match="folder 'Inbox/Projects' does not exist"):
        source.resolve_folder()


def test_busy_intervals_merge_and_skip_free_and_cancelled(
    mocked: Any, graph_env: dict[str, Any]
) -> None:
    add_token(mocked)
    page1 = fixture("calendarview-page1.json")
    mocked.get(f"{USER}/calendarView", json=page1)
    mocked.get(page1["@odata.nextLink"], json=fixture("calendarview-page2.json"))
    start = datetime(2026, 12, 1, tzinfo=UTC)
    busy = connector(graph_env).busy_intervals(start, datetime(2026, 12, 2, tzinfo=UTC))
    assert busy == [
        # 06:00-07:00 Pacific (oof) is 14:00-15:00 UTC; busy 09-10 and tentative 09:30-11 merge.
        (datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 1, 11, tzinfo=UTC)),
        (datetime(2026, 12, 1, 14, tzinfo=UTC), datetime(2026, 12, 1, 15, tzinfo=UTC)),
    ]
    first = mocked.calls[-2].request
    assert first.headers["Prefer"] == 'outlook.timezone="UTC"'
    assert first.params["startDateTime"] == "2026-12-01T00:00:00Z"


def test_create_draft_event_invites_nobody(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    mocked.post(f"{USER}/events", status=201, json=fixture("event-created.json"))
    start = datetime(2026, 12, 3, 9, tzinfo=UTC)
    event = NewEvent(
        "Budget review",
        start,
        start.replace(hour=10),
        body="Q4 numbers",
        attendees=["bob@contoso.example"],
        timezone="Europe/Berlin",
    )
    assert connector(graph_env).create_event(event) == "AAMkAGI1AAAt9AHjAAA="
    sent = json.loads(mocked.calls[-1].request.body)
    assert sent["start"] == {
        "dateTime": "2026-12-03T10:00:00",
        "timeZone": "W. Europe Standard Time",
    }
    assert sent["end"]["dateTime"] == "2026-12-03T11:00:00"
    assert sent["attendees"] == []
    assert "bob@contoso.example" in sent["body"]["content"]

    event.draft = False
    connector(graph_env).create_event(event)
    sent = json.loads(mocked.calls[-1].request.body)
    assert sent["attendees"] == [
        {"emailAddress": {"address": "bob@contoso.example"}, "type": "required"}
    ]


def test_send_mail_posts_the_mime_message(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    mocked.post(f"{USER}/sendMail", status=202)
    msg = EmailMessage()
    msg["From"], msg["To"] = "alice@contoso.onmicrosoft.com", "bob@x.example"
    msg["Subject"] = "Digest"
    msg.set_content("Three new messages.")
    msg.add_alternative("<p>Three new messages.</p>", subtype="html")
    connector(graph_env).send_mail(msg)
    request = mocked.calls[-1].request
    assert request.headers["Content-Type"] == "text/plain"
    sent = email.message_from_bytes(base64.b64decode(request.body), policy=email.policy.default)
    assert sent["Subject"] == "Digest" and sent.get_body(("html",)) is not None


def test_oversized_message_is_item_error(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    page2 = fixture("delta-page2.json")
    mocked.get(f"{USER}/mailFolders/{INBOX_ID}/messages/delta", json=page2)
    message_id = quote(page2["value"][0]["id"], safe="")
    mocked.get(f"{USER}/messages/{message_id}/$value", body=b"x" * 300_000)
    items = list(
        connector({**graph_env, "file_max_mb": 0.1}).iter_documents({"folder_id": INBOX_ID})
    )
    assert len(items) == 1 and isinstance(items[0], ItemError)
    assert "limit" in items[0].error and message_id in items[0].source


def test_unreachable_graph_is_transient(mocked: Any, graph_env: dict[str, Any]) -> None:
    add_token(mocked)
    mocked.get(
        f"{USER}/mailFolders/inbox", body=requests.exceptions.ConnectionError("Connection refused")
    )
    with pytest.raises(TransientError, match="unreachable") as err:
        connector(graph_env).resolve_folder()
    assert err.value.retryable
