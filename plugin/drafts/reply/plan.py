"""The content plan of a reply, decided by code: what the reply says, and where each part
comes from.

* greeting: the sender's signed name (``voice.signature``), else the From display name,
  with the user's greeting word;
* acknowledgement of what the mail is about (its subject), unless the user thanks in
  their own words;
* one slot per question or request addressed to the reader (``asks.find_asks``):
  answered from the user's intent when it covers the ask, else a visible placeholder
  ``[Answer: …]``. Nothing else answers an ask: no answer, number, date or commitment is
  made up;
* a proposed meeting is answered against the calendar (``meeting.py``);
* the user's sign-off and name from the voice profile.

Each slot keeps its sources: spans of the mail, the calendar's answer, the intent, the
profile. ``facts`` is everything the reply may state; the wording is checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.document import Document
from connectors.errors import BadInputError
from connectors.quotes import plain_quotes
from connectors.threads import strip_subject_prefixes
from plugin.drafts.reply.answers import answer_asks
from plugin.drafts.reply.asks import find_asks
from plugin.drafts.reply.intents import Intent, mentions_attachment, offered_intents
from plugin.drafts.reply.matching import Embed
from plugin.drafts.reply.meeting import MeetingAnswer, answer_meeting
from plugin.drafts.reply.revealed import reveal_asks
from plugin.drafts.reply.slots import PLACEHOLDER, Ask, Slot
from plugin.drafts.reply.voice import Profile, display_name, signature

#: The roles of the slots around the body, which code writes and the model never words.
FRAME_ROLES = frozenset({"greeting", "sign_off", "name"})


@dataclass(slots=True)
class ReplyPlan:
    to: str
    subject: str
    greeting: Slot
    body: list[Slot]
    closing: list[Slot]
    asks: list[Ask]
    intent: Intent | None
    offered: list[Intent]
    notes: list[str]
    #: Everything the reply may state: mail, calendar answer, intent, profile.
    facts: str
    meeting: MeetingAnswer | None = None

    @property
    def slots(self) -> list[Slot]:
        return [self.greeting, *self.body, *self.closing]

    def placeholders(self) -> list[str]:
        return [m.group() for s in self.body for m in PLACEHOLDER.finditer(s.text)]

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "subject": self.subject,
            "slots": [s.to_json() for s in self.slots],
            "asks": [a.to_json() for a in self.asks],
            "intent": self.intent.to_json() if self.intent else None,
            "meeting": self.meeting.to_json() if self.meeting else None,
            "notes": list(self.notes),
        }


def _mail(document: Document, start: int, end: int) -> dict[str, Any]:
    return {"from": "mail", "start": start, "end": end, "document_id": document.id}


#: "SS", "DF", "JMF", "D.G.": initials sign a mail but greet nobody ("Hi SS,"); 2.5 % of
#: the AESLC train mails sign so.
_INITIALS = re.compile(r"(?:[A-Z]\.?){1,3}")


def sender_name(document: Document) -> tuple[str | None, dict[str, Any] | None]:
    """The name to greet: signed at the end of the mail, else the From display name."""
    _sign_off, signed = signature(document.text)
    first = signed.split()[0] if signed else ""
    if first and not _INITIALS.fullmatch(first):
        at = document.text.rfind(first)
        return first, _mail(document, at, at + len(first)) if at >= 0 else None
    name = display_name(document.author)
    return name, ({"from": "mail", "header": "From"} if name else None)


def _greeting(profile: Profile, name: str | None, source: dict[str, Any] | None) -> Slot:
    word = profile.greeting or ("Dear" if profile.formality == "formal" else "")
    if name:
        text = f"{word} {name}," if word else f"{name},"
        sources = [source] if source else []
    else:
        text = "Hello," if profile.formality != "casual" else "Hi,"
        sources = []
    return Slot("greeting", text, [*sources, {"from": "profile", "field": "greeting"}])


_THANKS = re.compile(r"^\W*(?:thanks|thank\s+you|many\s+thanks|thx)\b", re.I)


def _acknowledge(document: Document, subject: str, profile: Profile) -> Slot:
    opener = {"formal": "Thank you for your message", "casual": "Thanks for the note"}.get(
        profile.formality, "Thanks for your message"
    )
    subject = subject.rstrip(" .?!:;,")
    words = subject.split()
    if subject and len(words) <= 12 and re.search(r"[A-Za-z]{3}", subject):
        return Slot(
            "acknowledge",
            f"{opener} about \u201c{subject}\u201d.",
            [{"from": "mail", "header": "Subject"}],
        )
    return Slot("acknowledge", f"{opener}.", [])


def build_plan(
    document: Document,
    *,
    intent: Intent | None,
    profile: Profile,
    calendar: Any = None,
    calendar_error: str | None = None,
    context: list[Document] | None = None,
    reference: datetime | None = None,
    zone: str | None = None,
    embed: Embed | None = None,
) -> ReplyPlan:
    """The plan of a reply to ``document`` (``context``: the earlier messages of a thread;
    ``embed``: a sentence embedder that helps match a free-text intent to the asks)."""
    if not document.text.strip() and not document.title.strip():
        raise BadInputError("there is no text to reply to", item=document.source)
    if not document.text.strip():  # a subject-only mail: the subject is what it says
        document = _with_text(document, document.title)
    notes: list[str] = []
    if calendar_error:
        notes.append(f"Availability was not checked: {calendar_error}")
    reader_names = {profile.name.split()[0].lower()} if profile.name else set()
    if len(document.to) == 1 and (reader := display_name(document.to[0])):
        reader_names.add(reader.lower())
    asks = _find_asks(document, reader_names, notes)
    moment = reference or document.date or datetime.now(UTC)
    meeting = answer_meeting(document, asks, intent, calendar, moment, zone, notes)
    name, name_source = sender_name(document)
    # A plain text's "title" is only its first line, not a subject someone wrote.
    subject = strip_subject_prefixes(document.title) if document.kind != "text" else ""
    # "Thanks, I'll send it today.": the user thanks in their own words, so the plan's
    # "Thanks for your message." would say it twice.
    thanked = intent is not None and intent.kind == "free" and _THANKS.match(intent.text)
    body = [] if thanked else [_acknowledge(document, subject, profile)]
    answers = answer_asks(document, asks, intent, meeting, embed)
    asks = reveal_asks(document.text, document.id, asks, answers, intent, embed)
    body += answers
    if intent and intent.kind == "missing_file":
        body.append(
            Slot(
                "request",
                "Could you send the file again? It does not seem to be attached.",
                [{"from": "intent", "kind": "missing_file"}],
            )
        )
    closing = [Slot("sign_off", profile.sign_off, [{"from": "profile", "field": "sign_off"}])]
    if profile.name:
        closing.append(Slot("name", profile.name, [{"from": "profile", "field": "name"}]))
    has_yes_no = any(a.kind in ("yes_no", "request") for a in asks)
    offered = offered_intents(
        has_meeting=meeting is not None,
        has_yes_no=has_yes_no,
        mentions_attachment=mentions_attachment(document.text),
        has_attachment=bool(document.attachments),
        today=moment.date(),
    )
    facts = "\n".join(
        filter(
            None,
            [
                document.title,
                document.author,
                "\n".join(document.to),
                document.text,
                document.quoted,
                *(f"{m.title}\n{m.author}\n{m.text}" for m in context or []),
                meeting.facts() if meeting else "",
                intent.text if intent else "",
                profile.facts(),
            ],
        )
    )
    return ReplyPlan(
        to=document.author,
        subject=f"Re: {subject}" if subject else "",
        greeting=_greeting(profile, name, name_source),
        body=body,
        closing=closing,
        asks=asks,
        intent=intent,
        offered=offered,
        notes=notes,
        facts=facts,
        meeting=meeting,
    )


def _find_asks(document: Document, reader_names: set[str], notes: list[str]) -> list[Ask]:
    """The mail's asks, found in its text with plain quotes and quoted as written (parsed
    mail has plain quotes already; stdin, files and Word documents may not)."""
    plain = _with_text(document, plain_quotes(document.text))
    asks = find_asks(plain, reader_names, notes)
    for ask in asks:
        ask.text = document.text[ask.start : ask.end]
    return asks


def _with_text(document: Document, text: str) -> Document:
    from dataclasses import replace

    return replace(document, text=text)


__all__ = ["ReplyPlan", "build_plan", "sender_name"]
