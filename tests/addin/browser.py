"""Open the add-in panes in Debian's headless Chromium with a stand-in for office.js.

The pane pages load office.js from Microsoft's CDN; here that one URL is answered with
``fake_office.js`` and every other non-loopback request is refused, so the tests never
touch the network. The fake mailbox item / workbook / document goes in through
``window.__FAKE_OFFICE__``.
"""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, Response, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
FAKE_OFFICE_JS = Path(__file__).with_name("fake_office.js")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "addin"
DRAFT_TIMEOUT_MS = 90_000  # a draft made by the real model on a busy machine


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def _route(route: Route) -> None:
    url = route.request.url
    if url.split("?")[0] == OFFICE_JS_CDN:
        route.fulfill(path=str(FAKE_OFFICE_JS), content_type="application/javascript")
    elif url.startswith("file:") or urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}:
        route.continue_()
    else:
        route.abort("blockedbyclient")


def open_pane(
    browser: Browser,
    url: str,
    office: dict[str, Any],
    *,
    settings: dict[str, str] | None = None,
    width: int = 360,
    dark: bool = False,
) -> Page:
    """A new page at ``url`` with the fake Office host and pane settings in localStorage."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="en-US",
        timezone_id="America/Chicago",
        color_scheme="dark" if dark else "light",
    )
    context.route("**/*", _route)
    stored = {f"deskdraft.{k}": v for k, v in (settings or {}).items()}
    context.add_init_script(
        f"window.__FAKE_OFFICE__ = {json.dumps(office)};\n"
        f"for (const [k, v] of Object.entries({json.dumps(stored)})) localStorage.setItem(k, v);"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    # Listening before the page loads: a pane opened with ?action= submits while loading.
    page.job_ids, page.ingest_ids = _submitted_job_ids(page)  # type: ignore[attr-defined]
    page.goto(url)
    return page


def _submitted_job_ids(page: Page) -> tuple[list[str], list[str]]:
    """The ids of the draft jobs the pane submits and, apart, of its ingest jobs (the
    Outlook pane has the server clean the open mail first), from the bridge's answers."""
    drafts: list[str] = []
    ingests: list[str] = []

    def on_response(response: Response) -> None:
        if response.request.method == "POST" and response.url.endswith("/api/v1/jobs"):
            kind = json.loads(response.request.post_data or "{}").get("kind")
            (ingests if kind == "ingest" else drafts).append(response.json()["id"])

    page.on("response", on_response)
    return drafts, ingests


def office_log(page: Page, call: str) -> list[dict[str, Any]]:
    return [e for e in page.evaluate("window.__officeLog") if e["call"] == call]


def no_js_errors(page: Page) -> None:
    assert page.js_errors == []  # type: ignore[attr-defined]


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = BeautifulSoup(content, "html.parser").get_text("\n")
    return str(content)


def mail_item(path: Path) -> dict[str, Any]:
    """The fake Outlook item for a real e-mail file, as Outlook would present it."""
    raw = path.read_bytes()
    if raw.startswith(b"From "):  # mbox separator line, not a header
        raw = raw.split(b"\n", 1)[1]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(str(message.get("From", "")))
    headers = raw.split(b"\n\n", 1)[0].decode("latin-1")
    return {
        "subject": str(message.get("Subject", "")),
        "from": {"displayName": name or address, "emailAddress": address},
        "to": [
            {"displayName": n or a, "emailAddress": a}
            for n, a in getaddresses([str(message.get("To", ""))])
            if a
        ],
        "dateTimeCreated": parsedate_to_datetime(str(message["Date"])).isoformat(),
        "internetMessageId": str(message.get("Message-Id", "")) or None,
        "body": _body_text(message),
        "headers": headers,
        "attachments": [],
    }
