"""Render the Office add-in manifests (Outlook; Excel and Word) for one server address.

Office loads every add-in page from the address written into the manifest, so the
manifests are rendered per deployment: ``deskdraft manifest --url https://HOST:PORT``.
The templates live in the ``manifest`` package; the pages they point at are
``plugin/web/``, which the bridge serves under ``/addin/``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from connectors.errors import UsageError
from plugin import __version__

#: Where the bridge serves ``plugin/web/`` (same origin as the API).
WEB_PREFIX = "/addin"
PRODUCT = "deskdraft"
# Fixed namespace: the same server address always gives the same add-in ids, so a
# re-rendered manifest updates an installed add-in instead of adding a second one.
_ID_NAMESPACE = uuid.UUID("6f1c3a52-0d0e-4d5e-9b8e-6a3c2f1d7e40")


@dataclass(frozen=True, slots=True)
class Button:
    id: str
    label: str
    tip: str
    action: str


@dataclass(frozen=True, slots=True)
class HostButton:
    type: str  # the VersionOverrides host type: Workbook or Document
    button_id: str
    label: str
    tip: str
    started: str
    action: str


READ_BUTTONS = (
    Button("ddSummarize", "Summarize", "Summarize this e-mail with its key points.", "summarize"),
    Button(
        "ddSuggestMeeting",
        "Suggest meeting",
        "Find the meeting times proposed in this e-mail and add one to your calendar.",
        "suggest_meetings",
    ),
    Button(
        "ddActionItems",
        "Action items",
        "List what this e-mail asks you to do, as a checklist.",
        "action_items",
    ),
    Button(
        "ddDraftReply",
        "Draft reply",
        "Draft a reply: your answers, your calendar and your voice; nothing made up.",
        "reply",
    ),
    Button(
        "ddInboxDigest",
        "Inbox digest",
        "A digest of your mailbox: what needs you, mail from people, the rest counted by kind.",
        "digest",
    ),
)
COMPOSE_BUTTONS = (
    Button(
        "ddSummarizeThread",
        "Summarize thread",
        "Summarize the conversation you are replying to.",
        "summarize_thread",
    ),
    Button(
        "ddDraftReplyHere",
        "Draft reply",
        "Draft the reply to the message you are answering, at the cursor.",
        "reply",
    ),
)
HOST_BUTTONS = (
    HostButton(
        "Workbook",
        "ddGenerateReport",
        "Generate report",
        "Analyse the selected cells (or the whole sheet) and write a report sheet and a .docx.",
        "Select a table and choose Generate report on the Home tab.",
        "report",
    ),
    HostButton(
        "Document",
        "ddSummarizeDocument",
        "Summarize document",
        "Summarize this document with its key points.",
        "Choose Summarize document on the Home tab.",
        "summarize",
    ),
)


@dataclass(frozen=True, slots=True)
class ManifestSpec:
    filename: str
    template: str
    description: str


MANIFESTS = (
    ManifestSpec("deskdraft-outlook.xml", "outlook.xml.j2", "Outlook mail add-in"),
    ManifestSpec("deskdraft-excel-word.xml", "office.xml.j2", "Excel and Word task pane"),
)


def normalize_server_url(url: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash, or a ``UsageError``."""
    raw = (url or "").strip()
    parts = urlsplit(raw)
    if parts.scheme != "https":
        raise UsageError(
            f"the add-in address must start with https:// (got {raw!r})",
            hint="Office loads add-in pages only over HTTPS; run `deskdraft certs` for a "
            "local certificate, or give the address of your TLS proxy",
        )
    if not parts.hostname:
        raise UsageError(f"the add-in address {raw!r} has no host name")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise UsageError(
            f"the add-in address {raw!r} must not contain credentials, a query or a fragment"
        )
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"the add-in address {raw!r} has an invalid port") from None
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port and port != 443 else host
    path = parts.path.rstrip("/")
    if path and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", path):
        raise UsageError(f"the add-in address {raw!r} has an unusable path {path!r}")
    return f"https://{netloc}{path}"


def manifest_version(version: str = __version__) -> str:
    """Office wants 1 to 4 dot-separated numbers; drop pre-release suffixes."""
    numbers = [re.match(r"\d*", part).group() or "0" for part in version.split(".")[:4]]
    while len(numbers) < 4:
        numbers.append("0")
    return ".".join(str(min(int(n), 99999)) for n in numbers)


def addin_id(base_url: str, kind: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, f"{kind}|{base_url.lower()}"))


def _template(name: str) -> jinja2.Template:
    source = files("manifest").joinpath(name).read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(source)


def render_manifests(server_url: str) -> dict[str, str]:
    """``{filename: xml}`` for every manifest, pointing at ``server_url``."""
    base_url = normalize_server_url(server_url)
    parts = urlsplit(base_url)
    common: dict[str, Any] = {
        "base_url": f"https://{parts.netloc}",
        "web_url": base_url + WEB_PREFIX,
        "version": manifest_version(),
        "provider": PRODUCT,
        "name": PRODUCT,
        "read_buttons": list(READ_BUTTONS),
        "compose_buttons": list(COMPOSE_BUTTONS),
        "hosts": list(HOST_BUTTONS),
    }
    rendered: dict[str, str] = {}
    for spec in MANIFESTS:
        context = {**common, "addin_id": addin_id(base_url, spec.filename)}
        rendered[spec.filename] = _template(spec.template).render(context) + "\n"
    return rendered


def write_manifests(server_url: str, out_dir: Path) -> list[Path]:
    """Render every manifest into ``out_dir`` (created if needed); returns the paths."""
    rendered = render_manifests(server_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for filename, xml in rendered.items():
        path = out_dir / filename
        path.write_text(xml, encoding="utf-8")
        paths.append(path)
    return paths


__all__ = [
    "MANIFESTS",
    "WEB_PREFIX",
    "addin_id",
    "manifest_version",
    "normalize_server_url",
    "render_manifests",
    "write_manifests",
]
