"""What the summary tests share: an invented planning mail (``MAIL``) wrapped as a
``Document`` by ``mail``. Used with ``tests.drafts.engines.ScriptedEngine`` by
``test_summarize.py``, ``test_brief.py`` and ``test_useful.py``."""

from __future__ import annotations

from typing import Any

from connectors.document import Document

MAIL = (
    "Hi Sam,\n\n"
    "Our planning review is on Thursday, September 17 at 2:30 pm in room B-204.\n"
    "We will go through the draft budget of $48,500.\n"
    "Could you please send me the headcount estimate by Wednesday?\n"
    "Best regards,\nMaria"
)


def mail(text: str = MAIL, **fields: Any) -> Document:
    return Document(id="m1", kind="email", source="mail.eml", text=text, **fields)
