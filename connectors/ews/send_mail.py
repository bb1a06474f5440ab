"""Send a message through Exchange (CreateItem, SendAndSaveCopy) as its exact MIME."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from connectors.ews.errors import Backoff


def send_mail(account: Any, backoff: Backoff, msg: EmailMessage) -> None:
    from exchangelib import Message

    def send() -> None:
        item = Message(account=account, folder=account.sent, mime_content=msg.as_bytes())
        item.send_and_save()

    backoff.call(f"send mail {str(msg.get('Subject', ''))!r}", send)
