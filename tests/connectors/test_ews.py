"""EwsConnector (exchangelib) against recorded-shape EWS SOAP responses."""

from __future__ import annotations

import base64
import email
import email.policy
import http.server
import logging
import threading
import types
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import pytest
import responses
from lxml import etree

from connectors.base import open_source
from connectors.calendar import CalendarSource, MailSender, NewEvent
from connectors.document import Document
from connectors.errors import AuthError, ConfigError, TransientError
from connectors.ews import EwsConnector
from tests.connectors import remote_fixtures
from tests.connectors.remote_fixtures import refuse_basic_auth

DATA = Path(__file__).parent / "data" / "ews"
ENDPOINT = "https://mail.corp.example/EWS/Exchange.asmx"
URI = "ews://alice@mail.corp.example/Inbox"
PASSWORD = "Ews-Pa55word-9931"
NS = {"s": "http://schemas.xmlsoap.org/soap/envelope/",
      "m": "http://schemas.microsoft.com/exchange/services/2006/messages",
      "t": "http://schemas.microsoft.com/exchange/services/2006/types"}
FOLDERS = {
    "root": ("Folder", "", "Root"),
    "msgfolderroot": ("Folder", "IPF.Note", "Top of Information Store"),
    "inbox": ("Folder", "IPF.Note", "Inbox"),
    "sentitems": ("Folder", "IPF.Note", "Sent Items"),
    "calendar": ("CalendarFolder", "IPF.Appointment", "Calendar"),
}
CONVERSATION = "AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQAFl3CX7r4C9Eun3hjJ9ZG1E="


mime = partial(remote_fixtures.mime, sender="Bob Example <bob@corp.example>",
               to="alice@corp.example")


MESSAGES = {  # item id suffix → MIME
    "AAABAAA=": mime("Budget review on Thursday", "<budget-1@corp.example>",
                     "Can we review the Q4 budget on Thursday at 10:00?"),
    "AAACAAA=": mime("RE: Budget review on Thursday", "<budget-2@corp.example>",
                     "Thursday works for me.", in_reply_to="<budget-1@corp.example>"),
    "AAADAAA=": mime("Offsite agenda", "<offsite-1@corp.example>", "Agenda for the offsite."),
    "AAAEAAA=": mime("Invoice 4711 overdue", "<invoice-4711@vendor.example>",
                     "Invoice 4711 over 1,250.00 EUR is overdue."),
}


class FakeEws:
    """Answers each SOAP operation from recorded-shape files; queues let a test script
    a sequence (busy first, then success)."""

    def __init__(self) -> None:
        self.queued: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.requests: list[tuple[str, etree._Element, dict[str, str]]] = []
        self.rsps: Any = None

    def queue(self, operation: str, body: str, status: int = 200) -> None:
        self.queued[operation].append((status, body))

    def ops(self) -> list[str]:
        return [op for op, _, _ in self.requests]

    def __call__(self, request: Any) -> tuple[int, dict[str, str], str]:
        root = etree.fromstring(request.body)
        operation = etree.QName(root.find("s:Body", NS)[0]).localname
        self.requests.append((operation, root, dict(request.headers)))
        headers = {"Content-Type": "text/xml; charset=utf-8"}
        if self.queued[operation]:
            status, body = self.queued[operation].pop(0)
            return status, headers, body
        if operation == "GetFolder":
            return 200, headers, self._folder(root)
        if operation == "GetItem":
            return 200, headers, self._items(root)
        raise AssertionError(f"unexpected EWS operation {operation}")

    def _folder(self, root: etree._Element) -> str:
        wanted = root.find(".//t:DistinguishedFolderId", NS).get("Id")
        element, folder_class, name = FOLDERS[wanted]
        return (DATA / "GetFolder.xml").read_text().format(
            element=element, folder_class=folder_class, display_name=name,
            folder_id=f"AAMkAGFOLDER-{wanted}-AAA=")

    def _items(self, root: etree._Element) -> str:
        one = (DATA / "GetItem-one.xml").read_text()
        parts = []
        for item in root.findall(".//t:ItemId", NS):
            item_id = item.get("Id")
            raw = MESSAGES[item_id[-8:]]
            parts.append(one.format(mime_base64=base64.b64encode(raw).decode(), item_id=item_id,
                                    received="2026-11-23T08:15:02Z", size=len(raw),
                                    conversation_id=CONVERSATION if item_id[-8:] in
                                    ("AAABAAA=", "AAACAAA=") else f"CONV-{item_id[-8:]}"))
        return (DATA / "GetItem-message.xml").read_text().format(messages="\n".join(parts))


@pytest.fixture
def ews() -> Iterator[FakeEws]:
    fake = FakeEws()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.POST, ENDPOINT, callback=fake)
        fake.rsps = rsps
        yield fake


@pytest.fixture
def options(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("TEST_EWS_PASSWORD", PASSWORD)
    return {"auth": "basic", "password_env": "TEST_EWS_PASSWORD", "exchange_version": "2016",
            "mailbox": "alice@corp.example"}


def busy_fault(ms: int) -> str:
    return (DATA / "fault-ErrorServerBusy.xml").read_text().format(back_off_ms=ms)


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
        "Budget review on Thursday", "RE: Budget review on Thursday", "Offsite agenda"]
    assert all(isinstance(d, Document) for d in docs)
    assert "Q4 budget" in docs[0].text
    assert docs[0].thread_key == docs[1].thread_key != docs[2].thread_key
    assert docs[0].metadata["conversation_id"] == CONVERSATION
    assert docs[0].source.startswith("ews://alice@mail.corp.example/Inbox/items/")
    assert source.cursor == {"folder": "Inbox", "sync_state": etree.parse(
        str(DATA / "SyncFolderItems-page2.xml")).findtext(".//m:SyncState", namespaces=NS)}
    syncs = [root for op, root, _ in ews.requests if op == "SyncFolderItems"]
    assert syncs[0].find(".//m:SyncState", NS) is None  # first sync: from scratch
    page1_state = etree.parse(str(DATA / "SyncFolderItems-page1.xml")).findtext(
        ".//m:SyncState", namespaces=NS)
    assert syncs[1].findtext(".//m:SyncState", namespaces=NS) == page1_state
    assert syncs[0].find(".//m:SyncFolderId/t:DistinguishedFolderId", NS) is not None or (
        syncs[0].find(".//m:SyncFolderId/t:FolderId", NS) is not None)
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
    docs = list(EwsConnector(URI, options).iter_documents(
        {"folder": "Inbox", "sync_state": "stale"}))
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
    error = refuse_basic_auth(ENDPOINT, lambda: list(EwsConnector(URI, options).iter_documents()),
                              "alice", PASSWORD, caplog)
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
    event = NewEvent("Budget review", start, start.replace(hour=10), body="Q4 numbers",
                     attendees=["bob@corp.example"], timezone="Europe/Berlin")
    assert EwsConnector(URI, options).create_event(event) == "AAMkAGNEWEVENTAAA="
    create = next(root for op, root, _ in ews.requests if op == "CreateItem")
    assert create.find(".//m:CreateItem", NS).get("SendMeetingInvitations") == "SendToNone"
    item = create.find(".//t:CalendarItem", NS)
    assert item.findtext("t:Subject", namespaces=NS) == "Budget review"
    assert item.findtext(".//t:RequiredAttendees//t:EmailAddress",
                         namespaces=NS) == "bob@corp.example"
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


class _NtlmExchange(http.server.BaseHTTPRequestHandler):
    """An EWS endpoint doing real NTLM (pyspnego as the acceptor, users from
    ``NTLM_USER_FILE``) on loopback, because NTLM authenticates a TCP connection, which a
    mocked transport does not have. Authenticated requests are answered by ``fake``."""

    protocol_version = "HTTP/1.1"
    fake: ClassVar[FakeEws]
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        import spnego

        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        header = self.headers.get("Authorization", "")
        self.seen.append(header)
        context = getattr(self, "ntlm", None)
        if context is not None and context.complete:
            status, headers, text = self.fake(types.SimpleNamespace(body=body,
                                                                    headers=self.headers))
            return self._answer(status, text.encode(), headers)
        if header.startswith("NTLM "):
            token = base64.b64decode(header[5:])
            try:
                if context is None:
                    self.ntlm = spnego.server(protocol="ntlm")
                    challenge = self.ntlm.step(token)
                    return self._answer(401, b"", {
                        "WWW-Authenticate": f"NTLM {base64.b64encode(challenge).decode()}"})
                context.step(token)
                if context.complete:
                    status, headers, text = self.fake(types.SimpleNamespace(
                        body=body, headers=self.headers))
                    return self._answer(status, text.encode(), headers)
            except Exception:
                self.ntlm = None  # wrong password: the handshake fails
                return self._answer(401, b"", {})
        self._answer(401, b"", {"WWW-Authenticate": "NTLM"})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ntlm_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    users = tmp_path / "ntlm-users"
    users.write_text(f"CORP:alice:{PASSWORD}\n")
    monkeypatch.setenv("NTLM_USER_FILE", str(users))
    _NtlmExchange.fake = FakeEws()
    _NtlmExchange.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NtlmExchange)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/EWS/Exchange.asmx"
    finally:
        server.shutdown()
        server.server_close()


def test_ntlm_handshake_with_the_right_password_reads_mail(
    ntlm_server: str, options: dict[str, Any]
) -> None:
    _NtlmExchange.fake.queue("SyncFolderItems",
                             (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {**options, "auth": "ntlm", "username": "CORP\\alice",
            "service_endpoint": ntlm_server}
    docs = list(EwsConnector(URI, opts).iter_documents())
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert any(h.startswith("NTLM TlRMTVNTUAAB") for h in _NtlmExchange.seen)  # type 1
    assert any(h.startswith("NTLM TlRMTVNTUAAD") for h in _NtlmExchange.seen)  # type 3


def test_ntlm_wrong_password_is_auth_error_without_the_secret(
    ntlm_server: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TEST_EWS_PASSWORD", "Wrong-Ntlm-Pass-123")
    opts = {**options, "auth": "ntlm", "username": "CORP\\alice",
            "service_endpoint": ntlm_server}
    with pytest.raises(AuthError, match="refused the credentials") as err:
        list(EwsConnector(URI, opts).iter_documents())
    assert "Wrong-Ntlm-Pass-123" not in str(err.value)
    assert "Wrong-Ntlm-Pass-123" not in caplog.text
    assert _NtlmExchange.fake.requests == []  # nothing was served without authentication


def test_oauth2_access_token_is_sent_as_bearer(
    ews: FakeEws, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_EWS_TOKEN", "eyJ0eXAiOiJKV1QifQ.ews-access-token.c2ln")
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {"auth": "oauth2", "access_token_env": "TEST_EWS_TOKEN", "exchange_version": "2016",
            "mailbox": "alice@corp.example"}
    docs = list(EwsConnector(URI, opts).iter_documents())
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert {h["Authorization"] for _, _, h in ews.requests} == {
        "Bearer eyJ0eXAiOiJKV1QifQ.ews-access-token.c2ln"}


def test_oauth2_client_credentials_fetch_an_exchange_token(
    ews: FakeEws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_EWS_CLIENT_SECRET", "ews-App-Secret-5521")
    ews.queue("SyncFolderItems", (DATA / "SyncFolderItems-page2.xml").read_text())
    opts = {"auth": "oauth2", "client_id": "app-1", "tenant_id": "tenant-1",
            "client_secret_env": "TEST_EWS_CLIENT_SECRET", "exchange_version": "2016",
            "impersonate": "alice@corp.example"}
    ews.rsps.post("https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token",
                  json={"token_type": "Bearer", "expires_in": 3599,
                        "access_token": "eyJ0eXAiOiJKV1QifQ.client-cred.c2ln"})
    docs = list(EwsConnector(URI, opts).iter_documents())
    form = next(c.request.body for c in ews.rsps.calls if "/oauth2/" in c.request.url)
    assert [d.title for d in docs] == ["Offsite agenda"]
    assert "scope=https%3A%2F%2Foutlook.office365.com%2F.default" in form
    assert "grant_type=client_credentials" in form
    assert {h["Authorization"] for _, _, h in ews.requests} == {
        "Bearer eyJ0eXAiOiJKV1QifQ.client-cred.c2ln"}


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
