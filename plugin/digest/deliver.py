"""Deliver a rendered digest: SMTP (STARTTLS, auth), Exchange (EWS) or Graph send, or a folder.

Delivery targets are strings: ``smtp://[user@]host[:port]``, ``smtps://…``, ``ews``,
``graph`` or ``dir:PATH``. Credentials and account details come from the ``[delivery.*]``
tables of the config file (``[delivery.smtp] password_env = "SMTP_PASSWORD"``,
``[delivery.ews] account = "ews://me@mail.example.com/INBOX"``).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from connectors.credentials import find_secret
from connectors.errors import AuthError, ConfigError, DeskdraftError, TransientError, UsageError
from connectors.secrets import redact
from plugin.config import settings

Deliverer = Callable[[str, EmailMessage], str]


class DeliveryError(DeskdraftError):
    """The target refused the digest for good (a 5xx answer): retrying will not help."""


def _smtp(target: str, message: EmailMessage) -> str:
    parts = urlsplit(target)
    implicit_tls = parts.scheme == "smtps"
    host = parts.hostname or "localhost"
    port = parts.port or (465 if implicit_tls else 587)
    options: dict[str, Any] = dict(settings().delivery.get("smtp", {}))
    user = unquote(parts.username) if parts.username else options.get("user")
    account = f"smtp://{user}@{host}" if user else f"smtp://{host}"
    password = find_secret(options, "password", account=account, item=account)
    loopback = host in {"localhost", "127.0.0.1", "::1"}
    # Off loopback a password must never travel in clear text.
    require_tls = bool(options.get("require_tls", not loopback))
    context = ssl.create_default_context()
    if options.get("cafile"):
        context.load_verify_locations(options["cafile"])
    timeout = float(options.get("timeout_s", 30))
    try:
        client: smtplib.SMTP
        if implicit_tls:
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            client.ehlo()
            if not implicit_tls and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif not implicit_tls and require_tls:
                raise ConfigError(
                    "the SMTP server does not offer STARTTLS",
                    item=account,
                    hint="use smtps:// or set require_tls = false for a relay",
                )
            if user and password:
                client.login(user, password.reveal())
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise AuthError(
            "the SMTP server refused the login",
            item=account,
            hint="check [delivery.smtp] user and password",
        ) from None
    except smtplib.SMTPResponseException as exc:
        # 4xx is "try again later"; 5xx will fail the same way again.
        err = TransientError if exc.smtp_code < 500 else DeliveryError
        raise err(f"the SMTP server answered {exc.smtp_code}", item=account) from None
    except OSError as exc:  # includes SMTPServerDisconnected, timeouts, refused connections
        raise TransientError(
            f"cannot reach the SMTP server: {redact(str(exc))}", item=account
        ) from None
    if refused:
        raise DeliveryError(
            f"the SMTP server refused recipient(s): {', '.join(refused)}", item=account
        )
    return f"sent by SMTP via {host}:{port}"


def _directory(target: str, message: EmailMessage) -> str:
    folder = Path(target.split(":", 1)[1]).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    stem = (message["Message-ID"] or "digest").strip("<>").replace("@", "_").replace("/", "_")
    path = folder / f"{stem}.eml"
    path.write_bytes(message.as_bytes())
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        path.with_suffix(".html").write_text(html.get_content(), encoding="utf-8")
    return f"written to {path}"


def _exchange(kind: str) -> Deliverer:
    def send(target: str, message: EmailMessage) -> str:
        from connectors.base import connectors

        options: dict[str, Any] = dict(settings().delivery.get(kind, {}))
        account = options.get("account")
        if not account:
            raise ConfigError(
                f"no account configured for {kind} delivery",
                hint=f'set [delivery.{kind}] account = "{kind}://me@host/INBOX"',
            )
        connector = connectors.get(kind)(account, {**settings().source_options(account), **options})
        try:
            connector.send_mail(message)  # type: ignore[attr-defined]
        finally:
            connector.close()
        return f"sent through {kind}"

    return send


DELIVERERS: dict[str, Deliverer] = {
    "smtp": _smtp,
    "smtps": _smtp,
    "dir": _directory,
    "ews": _exchange("ews"),
    "graph": _exchange("graph"),
}


def deliver(target: str, message: EmailMessage) -> str:
    """Send ``message`` to ``target``. Returns a line saying where it went."""
    scheme = target.split(":", 1)[0].lower()
    if scheme not in DELIVERERS:
        raise UsageError(
            f"unknown delivery {target!r}",
            hint="use smtp://host[:port], smtps://…, ews, graph or dir:PATH",
        )
    return DELIVERERS[scheme](target, message)
