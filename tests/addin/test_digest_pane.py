"""The Outlook pane's Inbox digest against a real bridge and worker (real model).

A user (not an admin) picks the folder the server shares with them, the worker composes
the digest over real corpus mail plus one hostile message, and the pane must show it in
the digest's own order: the same order as the plain-text digest stored for that job.
"""

from __future__ import annotations

import email
import email.policy
import json
import shutil
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from plugin.jobs.sealing import sealer_for
from tests.addin.browser import mail_item, open_pane, screenshot
from tests.addin.conftest import Service, deskdraft, running_service, service_env

pytestmark = pytest.mark.integration

READER = "yyyy@spamassassin.taint.org"  # the SpamAssassin mailbox owner ("Justin Mason")
MAILS = [
    # A person writing to the reader, with a list in Cc.
    "spamassassin/easy-ham-1_01431.007d88c08ff1d098101146a0b68f7665.eml",
    # A person, not to the reader.
    "fixtures/flanker/iphone.eml",
    # Two list mails and a bounce: collapsed into two counted lines.
    "spamassassin/easy-ham-1_00083.d6bec4788401bc0df20b740557680768.eml",
    "spamassassin/easy-ham-2_00093.ae2f7bf4ac265b89b75fc14747d84c1d.eml",
    "fixtures/flanker/mailbox-full.eml",
]
HOSTILE_SUBJECT = '<img src=x onerror="window.__pwned = 1">Signed contract by Friday'
DIGEST_TIMEOUT_MS = 300_000
HEADINGS = {"NEEDS YOU": "needs_you", "FROM PEOPLE": "people", "EVERYTHING ELSE": "collapsed"}


def _hostile_mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Mallory Example <mallory@example.com>"
    msg["To"] = f"Justin Mason <{READER}>"
    msg["Subject"] = HOSTILE_SUBJECT
    msg["Date"] = "Tue, 03 Sep 2002 10:15:00 +0100"
    msg["Message-ID"] = "<hostile-1@example.com>"
    msg.set_content(
        "Hi Justin,\n\nCould you send me the signed contract by Friday?\n"
        "<script>window.__pwned = 2</script>\n\nThanks,\nMallory\n"
    )
    return msg.as_bytes()


@pytest.fixture(scope="module")
def digest_service(
    real_model_dir: Path, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, Path]]:
    """The service with a mail folder shared with the user ann; ann's settings."""
    home = tmp_path_factory.mktemp("digest-pane")
    inbox = tmp_path_factory.mktemp("inbox")
    for name in MAILS:  # copies in a temporary folder, never in the repository
        shutil.copy(corpus_dir / "mail" / name, inbox / Path(name).name)
    (inbox / "hostile.eml").write_bytes(_hostile_mail())
    config = f'[sources."{inbox}"]\nowners = ["ann"]\nlabel = "Test inbox"\n'
    with running_service(home, real_model_dir, config) as service:
        token = deskdraft(service_env(home, real_model_dir), "user", "add", "ann")
        yield Service(url=service.url, token=token, home=home, log=service.log), inbox


def _pane(browser: Browser, service: Service, corpus_dir: Path) -> Page:
    item = mail_item(corpus_dir / "mail" / MAILS[0])
    return open_pane(
        browser,
        f"{service.url}/addin/outlook.html?action=digest",
        {"host": "Outlook", "item": item, "userProfile": {"emailAddress": READER}},
        settings=service.settings(),
        width=400,
    )


def _watch_status(page: Page) -> None:
    page.evaluate("""() => {
        window.__statusTexts = [];
        const node = document.getElementById('status-text');
        new MutationObserver(() => window.__statusTexts.push(node.textContent))
            .observe(node, {childList: true, characterData: true, subtree: true});
    }""")


def _pane_order(page: Page) -> list[tuple[str, str]]:
    """What the pane shows, in order: section headings, thread subjects, category lines."""
    return [
        tuple(x)
        for x in page.evaluate("""() => {
        const out = [];
        for (const section of document.querySelectorAll('#digest .digest-section')) {
            out.push(['section', section.dataset.section]);
            for (const s of section.querySelectorAll('.digest-subject')) {
                out.push(['thread', s.textContent]);
            }
            for (const c of section.querySelectorAll('.digest-category > summary')) {
                out.push(['category', c.textContent]);
            }
        }
        return out;
    }""")
    ]


def _plain_text_order(service: Service, result: dict[str, Any]) -> list[tuple[str, str]]:
    """The same, read off the plain-text part of the digest the job stored (sealed at rest)."""
    raw = sealer_for(service.home).unseal_bytes(Path(result["stored"]).read_bytes(), "digest")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    out: list[tuple[str, str]] = []
    section = None
    for line in text.splitlines():
        if line in HEADINGS:
            section = HEADINGS[line]
            out.append(("section", section))
        elif line.startswith("* ") and section in ("needs_you", "people"):
            out.append(("thread", line[2:]))
        elif line.startswith("  ") and line.strip() and section == "collapsed":
            out.append(("category", line.strip()))
        elif not line.strip() and section == "collapsed":
            section = None  # the collapsed lines end at the first blank line
    return out


def test_the_pane_runs_a_digest_in_the_digests_own_order(
    browser: Browser, digest_service: tuple[Service, Path], corpus_dir: Path
) -> None:
    service, inbox = digest_service
    page = _pane(browser, service, corpus_dir)
    submitted: list[str] = []

    def on_response(response: Response) -> None:
        request = response.request
        if (
            request.method == "POST"
            and response.url.endswith("/api/v1/jobs")
            and (json.loads(request.post_data or "{}").get("kind") == "digest")
        ):
            submitted.append(response.json()["id"])

    page.on("response", on_response)
    # ?action=digest (the ribbon's Inbox digest button) opens the form; the picker holds
    # the one folder the server shares with ann.
    source = page.locator("#digest-source")
    expect(source).to_have_value(str(inbox))
    expect(page.locator("#digest-sources option")).to_have_text("Test inbox")
    page.locator("#digest-since").select_option("cursor")
    _watch_status(page)
    page.get_by_role("button", name="Make digest").click()
    expect(page.locator("#digest")).to_be_visible(timeout=DIGEST_TIMEOUT_MS)
    # Progress came from the job while it ran, as in the other views.
    seen = set(page.evaluate("window.__statusTexts"))
    assert seen - {"Sending to deskdraft…", "Digest ready.", ""}, seen

    [job_id] = submitted
    job = service.api(f"/jobs/{job_id}").json()
    assert job["status"] == "done" and job["result"]["messages"] == len(MAILS) + 1
    order = _pane_order(page)
    assert [name for kind, name in order if kind == "section"] == [
        "needs_you",
        "people",
        "collapsed",
    ]
    assert [name for kind, name in order if kind == "category"] == [
        "2 newsletters and list mails",
        "1 notification",
    ]
    assert order == _plain_text_order(service, job["result"])

    # The hostile subject (and body) are shown as text: no element, no handler ran.
    needs_you = page.locator(".digest-section[data-section=needs_you]")
    expect(needs_you.locator(".digest-subject", has_text="Signed contract")).to_have_text(
        HOSTILE_SUBJECT
    )
    assert page.locator("#digest img, #digest script").count() == 0
    assert page.evaluate("window.__pwned") is None
    # Each shown line says how it was written; a subject fallback says so.
    for line in page.locator(".digest-thread").all():
        path = line.locator(".digest-line").get_attribute("data-path")
        assert path in {"abstractive", "extractive", "subject", "thread"}
        expect(line.locator(".digest-path")).not_to_be_empty()
        if path == "subject":
            expect(line.locator(".digest-line")).to_contain_text("Subject: ")
    # A collapsed line opens on the subjects it counts.
    lists = page.locator(".digest-category[data-category=list]")
    lists.locator("summary").click()
    expect(lists.locator(".digest-subjects li")).to_have_count(2)
    screenshot(page, "outlook-digest")
    assert page.js_errors == []  # type: ignore[attr-defined]

    # "Since the last digest" again: ann's cursor moved on, nothing new arrived.
    page.get_by_role("button", name="Make digest").click()
    expect(page.locator("#digest-empty")).to_have_text(
        "No new mail arrived in this period. Nothing needs your attention.",
        timeout=DIGEST_TIMEOUT_MS,
    )


def test_a_folder_not_shared_with_the_user_is_refused_clearly(
    browser: Browser, digest_service: tuple[Service, Path], corpus_dir: Path
) -> None:
    service, _ = digest_service
    page = _pane(browser, service, corpus_dir)
    expect(page.locator("#digest-source")).not_to_have_value("")
    page.locator("#digest-source").fill(str(corpus_dir / "mail" / "spamassassin"))
    page.get_by_role("button", name="Make digest").click()
    expect(page.locator("#error")).to_contain_text("is not shared with user 'ann'")
    expect(page.get_by_role("button", name="Make digest")).to_be_enabled()
