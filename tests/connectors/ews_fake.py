"""A recorded-shape EWS endpoint for the connector tests: SOAP answers from files in
``data/ews``, scripted per operation, and the ``ews``/``options`` fixtures."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import responses
from lxml import etree

from tests.connectors import remote_fixtures

DATA = Path(__file__).parent / "data" / "ews"
ENDPOINT = "https://mail.corp.example/EWS/Exchange.asmx"
URI = "ews://alice@mail.corp.example/Inbox"
PASSWORD = "Ews-Pa55word-9931"
NS = {
    "s": "http://schemas.xmlsoap.org/soap/envelope/",
    "m": "http://schemas.microsoft.com/exchange/services/2006/messages",
    "t": "http://schemas.microsoft.com/exchange/services/2006/types",
}
FOLDERS = {
    "root": ("Folder", "", "Root"),
    "msgfolderroot": ("Folder", "IPF.Note", "Top of Information Store"),
    "inbox": ("Folder", "IPF.Note", "Inbox"),
    "sentitems": ("Folder", "IPF.Note", "Sent Items"),
    "calendar": ("CalendarFolder", "IPF.Appointment", "Calendar"),
}
CONVERSATION = "AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQAFl3CX7r4C9Eun3hjJ9ZG1E="


mime = partial(
    remote_fixtures.mime, sender="Bob Example <bob@corp.example>", to="alice@corp.example"
)


MESSAGES = {  # item id suffix → MIME
    "AAABAAA=": mime(
        "Budget review on Thursday",
        "<budget-1@corp.example>",
        "Can we review the Q4 budget on Thursday at 10:00?",
    ),
    "AAACAAA=": mime(
        "RE: Budget review on Thursday",
        "<budget-2@corp.example>",
        "Thursday works for me.",
        in_reply_to="<budget-1@corp.example>",
    ),
    "AAADAAA=": mime("Offsite agenda", "<offsite-1@corp.example>", "Agenda for the offsite."),
    "AAAEAAA=": mime(
        "Invoice 4711 overdue",
        "<invoice-4711@vendor.example>",
        "Invoice 4711 over 1,250.00 EUR is overdue.",
    ),
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
        return (
            (DATA / "GetFolder.xml")
            .read_text()
            .format(
                element=element,
                folder_class=folder_class,
                display_name=name,
                folder_id=f"AAMkAGFOLDER-{wanted}-AAA=",
            )
        )

    def _items(self, root: etree._Element) -> str:
        one = (DATA / "GetItem-one.xml").read_text()
        parts = []
        for item in root.findall(".//t:ItemId", NS):
            item_id = item.get("Id")
            raw = MESSAGES[item_id[-8:]]
            parts.append(
                one.format(
                    mime_base64=base64.b64encode(raw).decode(),
                    item_id=item_id,
                    received="2026-11-23T08:15:02Z",
                    size=len(raw),
                    conversation_id=CONVERSATION
                    if item_id[-8:] in ("AAABAAA=", "AAACAAA=")
                    else f"CONV-{item_id[-8:]}",
                )
            )
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
    return {
        "auth": "basic",
        "password_env": "TEST_EWS_PASSWORD",
        "exchange_version": "2016",
        "mailbox": "alice@corp.example",
    }


def busy_fault(ms: int) -> str:
    return (DATA / "fault-ErrorServerBusy.xml").read_text().format(back_off_ms=ms)
