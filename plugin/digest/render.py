"""Render a composed digest into a MIME e-mail: HTML + plain text + .ics attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from importlib.resources import files
from typing import Any

import jinja2


@dataclass(slots=True)
class ThreadDigest:
    subject: str
    participants: list[str]
    count: int
    latest: str | None
    summary: str
    verified: bool
    importance: float
    reasons: list[str] = field(default_factory=list)
    category: str = "person"
    #: "needs_you", "people" or "collapsed" (plugin.digest.layout).
    section: str = "people"
    #: How the line was written: "abstractive", "extractive", "subject" or "thread".
    path: str = ""
    #: What the thread asks of the reader, and its deadlines and meetings ("needs you").
    asks: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    #: The latest message's id in the mailbox ({"ews_id"} or {"rest_id"}), when known:
    #: the Outlook pane opens the message with it.
    item: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class DigestContent:
    title: str
    period_label: str
    threads: list[ThreadDigest]
    actions: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    ics: bytes | None
    total_messages: int
    included_messages: int
    cap: int
    model: str | None = None
    #: One line per collapsed category: {"category", "count", "label"}.
    collapsed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def needs_you(self) -> list[ThreadDigest]:
        return [t for t in self.threads if t.section == "needs_you"]

    @property
    def people(self) -> list[ThreadDigest]:
        return [t for t in self.threads if t.section == "people"]

    @property
    def left_out(self) -> int:
        return self.total_messages - self.included_messages

    @property
    def empty(self) -> bool:
        return self.total_messages == 0


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: files("templates").joinpath(name).read_text(encoding="utf-8")
    )
    return jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def render_html(content: DigestContent) -> str:
    return _environment().get_template("digest.html.j2").render(d=content)


def render_text(content: DigestContent) -> str:
    env = _environment()
    env.autoescape = False
    return env.get_template("digest.txt.j2").render(d=content)


def build_message(
    content: DigestContent,
    *,
    sender: str,
    to: str | None,
    message_id_domain: str = "deskdraft.local",
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = content.title
    message["From"] = sender
    if to:
        message["To"] = to
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("digest", domain=message_id_domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(render_text(content))
    message.add_alternative(render_html(content), subtype="html")
    if content.ics:
        message.add_attachment(
            content.ics,
            maintype="text",
            subtype="calendar",
            filename="suggestions.ics",
            params={"method": "PUBLISH"},
        )
    return message
