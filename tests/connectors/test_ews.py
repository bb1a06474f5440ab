"""EwsConnector (exchangelib) against recorded-shape EWS SOAP responses."""

from __future__ import annotations

import base64
import email
import email.policy
import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
import responses
from lxml import etree

from connectors.base import open_source
from connectors.calendar import CalendarSource, MailSender, NewEvent
from connectors.document import Document
from connectors.errors import ConfigError, TransientError
from connectors.ews import EwsConnector
from tests.connectors.ews_fake import (
    CONVERSATION,
    DATA,
    ENDPOINT,
    NS,
    PASSWORD,
    URI,
    FakeEws,
    busy_fault,
    ews,
    options,
)
from tests.connectors.remote_fixtures import refuse_basic_auth

__all__ = ["ews", "options"]  # fixtures used by name


def test_registered_and_implements_calendar_and_send(options: dict[str, Any]) -> None:
    source = open_source(URI, options)
    assert isinstance(source, EwsConnector)
    assert isinstance(source, CalendarSource) and isinstance(source, MailSender)


def test_full_sync_pages_through_sync_folder_items(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page1.xml").read_text())
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    source = EwsConnector(URI, options)
    docs = list(source.iter_documents())
    assert [d.title for d in docs] == [
        "Budget review on Thursday",
        "RE: Budget review on Thursday",
        "Offsite agenda",
    ]
    assert all(isinstance(d, Document) for d in docs)
    assert "Q4 budget" in docs[0].text
    assert docs[0].thread_key == docs[1].thread_key != docs[2].thread_key
    assert docs[0].metadata["conversation_id"] == CONVERSATION
    assert docs[0].source.startswith("ews://alice@mail.corp.example/Inbox/items/")
    assert source.cursor == {
        "folder": "Inbox",
        "sync_state": etree.parse(str(DATA / "SyncFolderItems-page2.xml")).findtext(
            ".//m:SyncState", namespaces=NS
        ),
    }
    syncs = [root for op, root, _ in ews.requests if op == "SyncFolderItems"]
    assert syncs[0].find(".//m:SyncState", NS) is None  # first sync: from scratch
    page1_state = etree.parse(str(DATA / "SyncFolderItems-page1.xml")).findtext(
        ".//m:SyncState", namespaces=NS
    )
    assert syncs[1].findtext(".//m:SyncState", namespaces=NS) == page1_state
    assert syncs[0].find(".//m:SyncFolderId/t:DistinguishedFolderId", NS) is not None or (
        syncs[0].find(".//m:SyncFolderId/t:FolderId", NS) is not None
    )
    # MIME is requested, and basic auth carried the password.
    get_item = next(root for op, root, _ in ews.requests if op == "GetItem")
    paths = {e.get("FieldURI") for e in get_item.iter(f"{{{NS['t']}}}FieldURI")}
    assert "item:MimeContent" in paths
    auth = ews.requests[0][2]["Authorization"]
    assert base64.b64decode(auth.split()[1]).decode() == f"alice:{PASSWORD}"


def test_incremental_sync_sends_state_and_returns_only_new(
    ews: FakeEws, options: dict[str, Any]
) -> None:
    state = "H4sIAAAAAAAEAO29B2AcSZYlJi9t-previous-state"
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-incremental.xml").read_text())
    source = EwsConnector(URI, options)
    docs = list(source.iter_documents({"folder": "Inbox", "sync_state": state}))
    assert [d.title for d in docs] == ["Invoice 4711 overdue"]  # the Delete is not content
    sync = next(root for op, root, _ in ews.requests if op == "SyncFolderItems")
    assert sync.findtext(".//m:SyncState", namespaces=NS) == state
    assert source.cursor["sync_state"].endswith("3rd")


def test_invalid_sync_state_restarts_from_scratch(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-invalid-state.xml").read_text())
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    docs = list(
        EwsConnector(URI, options).iter_documents({"folder": "Inbox", "sync_state": "stale"})
    )
    assert [d.title for d in docs] == ["Offsite agenda"]
    syncs = [root for op, root, _ in ews.requests if op == "SyncFolderItems"]
    assert [s.findtext(".//m:SyncState", namespaces=NS) for s in syncs] == ["stale", None]


def test_server_busy_backs_off_for_the_requested_time(
    ews: FakeEws, options: dict[str, Any]
) -> None:
    ews.queue("SyncFolderItems", busy_fault(1500), status=500)
    ews.queue("SyncFolderItems", busy_fault(250), status=500)
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    waits: list[float] = []
    docs = list(EwsConnector(URI, options, sleep=waits.append).iter_documents())
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert waits == [1.5, 0.25]


def test_persistent_server_busy_is_transient_with_retry_after(
    ews: FakeEws, options: dict[str, Any]
) -> None:
    for _ in range(3):
        ews.queue("SyncFolderItems", busy_fault(30_000), status=500)
    waits: list[float] = []
    source = EwsConnector(URI, {**options, "max_retries": 2}, sleep=waits.append)
    with pytest.raises(TransientError, match="ErrorServerBusy") as err:
        list(source.iter_documents())
    assert waits == [30.0, 30.0]
    assert err.value.retryable and err.value.retry_after == 30.0


def test_wrong_password_is_auth_error_without_the_secret(
    options: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = refuse_basic_auth(
        ENDPOINT,
        lambda: list(EwsConnector(URI, options).iter_documents()),
        "alice",
        PASSWORD,
        caplog,
    )
    assert "ews://alice@mail.corp.example/Inbox" in str(error)


def test_dead_server_is_transient(options: dict[str, Any]) -> None:
    with responses.RequestsMock() as rsps:
        rsps.post(ENDPOINT, body=ConnectionError("Connection refused"))
        with pytest.raises(TransientError, match="unreachable"):
            list(EwsConnector(URI, options).iter_documents())


def test_impersonation_sets_the_soap_header(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {**options, "impersonate": "ceo@corp.example"}
    list(EwsConnector(URI, opts).iter_documents())
    header = ews.requests[0][1].find(".//t:ExchangeImpersonation", NS)
    assert header is not None
    assert header.findtext(".//t:PrimarySmtpAddress", namespaces=NS) == "ceo@corp.example"


def test_busy_intervals_from_the_calendar_view(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("FindItem", (DATA / "FindItem-calendarview.xml").read_text())
    start = datetime(2026, 12, 1, tzinfo=UTC)
    busy = EwsConnector(URI, options).busy_intervals(start, datetime(2026, 12, 2, tzinfo=UTC))
    assert busy == [
        (datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 1, 11, tzinfo=UTC)),
        (datetime(2026, 12, 1, 14, tzinfo=UTC), datetime(2026, 12, 1, 15, tzinfo=UTC)),
    ]
    find = next(root for op, root, _ in ews.requests if op == "FindItem")
    view = find.find(".//m:CalendarView", NS)
    assert view.get("StartDate").startswith("2026-12-01T00:00:00")


def test_create_draft_event_sends_no_invitations(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("CreateItem", (DATA / "CreateItem-calendar.xml").read_text())
    start = datetime(2026, 12, 3, 9, tzinfo=UTC)
    event = NewEvent(
        "Budget review",
        start,
        start.replace(hour=10),
        body="Q4 numbers",
        attendees=["bob@corp.example"],
        timezone="Europe/Berlin",
    )
    assert EwsConnector(URI, options).create_event(event) == "AAMkAGNEWEVENTAAA="
    create = next(root for op, root, _ in ews.requests if op == "CreateItem")
    assert create.find(".//m:CreateItem", NS).get("SendMeetingInvitations") == "SendToNone"
    item = create.find(".//t:CalendarItem", NS)
    assert item.findtext("t:Subject", namespaces=NS) == "Budget review"
    assert (
        item.findtext(".//t:RequiredAttendees//t:EmailAddress", namespaces=NS) == "bob@corp.example"
    )
    assert item.find("t:StartTimeZone", NS).get("Id") == "W. Europe Standard Time"


def test_send_mail_sends_the_mime_and_saves_a_copy(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("CreateItem", (DATA / "CreateItem-sent.xml").read_text())
    msg = EmailMessage()
    msg["From"], msg["To"] = "alice@corp.example", "bob@corp.example"
    msg["Subject"] = "Digest"
    msg.set_content("Three new messages.")
    EwsConnector(URI, options).send_mail(msg)
    create = next(root for op, root, _ in ews.requests if op == "CreateItem")
    assert create.find(".//m:CreateItem", NS).get("MessageDisposition") == "SendAndSaveCopy"
    raw = base64.b64decode(create.findtext(".//t:MimeContent", namespaces=NS))
    sent = email.message_from_bytes(raw, policy=email.policy.default)
    assert sent["Subject"] == "Digest" and "Three new messages." in sent.get_content()


def test_folder_path_is_found_with_one_shallow_find_folder(
    ews: FakeEws, options: dict[str, Any]
) -> None:
    ews.queue("FindFolder", (DATA / "FindFolder-projects.xml").read_text())
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    source = EwsConnector("ews://alice@mail.corp.example/Inbox/Projects", options)
    docs = list(source.iter_documents())
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert source.cursor["folder"] == "Inbox/Projects"
    find = next(root for op, root, _ in ews.requests if op == "FindFolder")
    assert find.find(".//m:FindFolder", NS).get("Traversal") == "Shallow"
    assert find.find(".//t:IsEqualTo/t:FieldURI", NS).get("FieldURI") == "folder:DisplayName"
    assert find.find(".//t:Constant", NS).get("Value") == "Projects"
    sync = next(root for op, root, _ in ews.requests if op == "SyncFolderItems")
    assert sync.find(".//m:SyncFolderId/t:FolderId", NS).get("Id") == "AAMkAGFOLDER-projects-AAA="


def test_missing_folder_is_a_config_error(ews: FakeEws, options: dict[str, Any]) -> None:
    ews.queue("FindFolder", (DATA / "FindFolder-empty.xml").read_text())
    with pytest.raises(ConfigError, match="folder not found"):
        list(EwsConnector("ews://alice@mail.corp.example/Inbox/Nope", options).iter_documents())
