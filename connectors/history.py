"""The messages of a mail's quoted history, newest first: who wrote each one, and what.

A reply carries its conversation below it. ``quotes.split_quoted`` sets that history apart
as ``Document.quoted``, starting at the head of the message it answers: an attribution
("On Fri, 26 Jul 2002, Tom wrote:") or an Outlook header block ("From: Bob Stone",
"Sent: …"). Here the history is taken apart again, one message at a time: the head says
who wrote the message, ``split_quoted`` of what follows gives that
message's own words and the older history below them, and so on down. A thread summary of
one mail reads the conversation through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.document import Document
from connectors.quotemarks import HDR_FROM, HDR_OTHER, classify, unquote_all
from connectors.quotes import split_quoted

#: The verb that ends an attribution: "… Tom wrote:", "Niall O Broin thought:", "Ciaran
#: stated the following:", "Bob <b@x> writes:". Stricter than ``quotemarks``' verbs, which
#: allow words after the verb ("… is quoted below:"): the name is read right before it, and
#: the looser list named "So" and "Patrick … is" as writers in 8 of 192 corpus histories.
_VERB = re.compile(
    r"\s*\b(?:wrote|writes|said|says|thought|mentioned|spake|stated(?:\s+the\s+following)?"
    r"|schrieb|a\s+[ée]crit|escribi[óo]|schreef|ha\s+scritto|escreveu)\s*[:：]\s*$",
    re.IGNORECASE,
)
#: A capitalised word of a name; an initial may have its dot spaced off ("Craig R . Hughes").
_NAME_WORD = r"(?-i:[A-Z][\w.'-]*)(?:\s\.)?"
#: Who, at the end of what comes before the verb: a display name (capitalised words or one
#: quoted string) with or without its address, or a bare address.
_WHO = re.compile(
    rf"(?<![\w.'@+-])(?:(?:\"[^\"]{{1,80}}\"|{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s*<[^<>\s]+>"
    rf"|{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
    r"|<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?)\s*$"
)
_SPACED_DOT = re.compile(r"(?<=\b[A-Z])\s\.")
#: What comes before the name: "On Mon, 2 Sep 2002 13:20:46 -0700 (PDT)", "… at 5:00 PM".
_BEFORE_NAME = re.compile(r"^\s*(?:on|at|le|am|el)\s+.*?\d.*?(?:[ap]m\b)?(?:,\s*|\s+)(?=\S)", re.I)
_AM_PM = re.compile(r"^(?:[AP]\.?M\.?)\s+")
_BEHALF = re.compile(r"\bon\s+behalf\s+of\s+(?P<who>.+)$", re.IGNORECASE)
_MAX_NAME_WORDS = 5
_MAX_ATTRIBUTION = 250
_FIELD_VALUE = re.compile(r"^\s*\*?[^:：]{1,30}[:：]\*?\s*(?P<value>.*)$")
#: Outlook writes "From: Ann Lee [mailto:ann@x.com]": the address, as a mail header has it.
_MAILTO = re.compile(r"\s*\[mailto:(?P<address>[^\]\s]*)\]")
_HEAD_KINDS = {"attrib", "marker", "header", "blank"}
_MAX_MESSAGES = 12


@dataclass(slots=True)
class QuotedMessage:
    author: str  # as the head names them ("Bob Stone <bob@x.com>", "Tom"); "" when it does not
    text: str  # the message's own words, its history and signature set apart


def _field(line: str) -> str:
    match = _FIELD_VALUE.match(line)
    return match.group("value").strip() if match else ""


def _head_end(lines: list[str], kinds: list[str]) -> int:
    """Where the head at the top of ``lines`` ends: its marker, header block or one
    attribution (of one line or two) and the blank lines after it. A second attribution
    right below opens the message's own quoted history, so it is not part of the head.
    "From: …" with a "Date: …" under it (exmh, Pine) heads a message too. At the top of a
    history the looser heads are trusted, and marked so in ``kinds``: "Niall O Broin
    thought:" with no quote below it (the history was unquoted one level already)."""
    first = next((i for i, kind in enumerate(kinds) if kind != "blank"), len(lines))
    for span in (1, 2):  # history opens with its head: "Niall O Broin thought:" is one
        text = " ".join(x.strip() for x in lines[first : first + span])
        if (
            first + span <= len(lines)
            and all(k == "text" for k in kinds[first : first + span])
            and len(text) < _MAX_ATTRIBUTION
            and _VERB.search(text)
        ):
            kinds[first : first + span] = ["attrib"] * span
            break
    if (
        first + 1 < len(lines)
        and kinds[first] == "text"
        and HDR_FROM.match(lines[first])
        and HDR_OTHER.match(lines[first + 1])
    ):
        kinds[first : first + 2] = ["header", "header"]
    end = 0
    while end < len(lines) and kinds[end] in _HEAD_KINDS:
        if kinds[end] == "attrib" and any(k in ("marker", "header") for k in kinds[:end]):
            break  # below a header block: the quoted message quotes its own history
        if kinds[end] == "attrib":
            joined = end + 1 < len(lines) and kinds[end + 1] == "attrib"
            two = joined and not _VERB.search(lines[end])
            end += 2 if two else 1
            while end < len(lines) and kinds[end] == "blank":
                end += 1
            return end
        end += 1
    return end


def _attributed(attribution: str) -> str:
    """Who wrote, by an attribution line; "" when it names nobody."""
    verb = _VERB.search(attribution)
    if not verb:
        return ""
    before = attribution[: verb.start()].strip().rstrip(",").strip()
    dated = _BEFORE_NAME.match(before)
    rest = before[dated.end() :] if dated else before
    who = _WHO.search(rest)
    if who:
        return _SPACED_DOT.sub(".", _AM_PM.sub("", who.group().strip()))
    last = rest.rsplit(",", 1)[-1].strip()  # "vernon": a lower-case name after the date
    if last and not any(c.isdigit() for c in last) and len(last.split()) <= _MAX_NAME_WORDS:
        return last
    return ""


def _head(lines: list[str], kinds: list[str]) -> str:
    """Who wrote the message below this head."""
    attribution = " ".join(x.strip() for x, k in zip(lines, kinds, strict=True) if k == "attrib")
    if attribution:
        return _attributed(attribution)
    joined: list[str] = []
    for line in (x for x, k in zip(lines, kinds, strict=True) if k == "header"):
        # a field wrapped onto the next line: "From: … On Behalf Of Karl" / "Anderson"
        if joined and (line[:1].isspace() or ":" not in line.split()[0]):
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    author = next((_field(x) for x in joined if HDR_FROM.match(x)), "")
    behalf = _BEHALF.search(author)
    if behalf:
        return behalf.group("who").strip()
    return _MAILTO.sub(lambda m: f" <{m.group('address')}>", author).strip()


def history_messages(quoted: str) -> list[QuotedMessage]:
    """The messages of ``quoted`` (a document's history), newest first. History that does
    not open with a head gives one message with no author; an empty one, none."""
    messages: list[QuotedMessage] = []
    rest = quoted
    while rest.strip() and len(messages) < _MAX_MESSAGES:
        lines = rest.split("\n")
        kinds = classify(lines)
        end = _head_end(lines, kinds)
        author = _head(lines[:end], kinds[:end]) if end else ""
        below = unquote_all(lines[end:])
        split = split_quoted("\n".join(below))
        if split.text.strip():
            messages.append(QuotedMessage(author, split.text))
        if split.quoted == rest or (not end and not split.text.strip()):
            break  # nothing was taken off: stop rather than loop
        rest = split.quoted
    return messages


def quoted_documents(mail: Document) -> list[Document]:
    """The messages quoted in ``mail``, oldest first, each a document of its own by the
    writer its head names (the mail's subject and source; ids ``<mail id>#quoted-N``,
    counted from the newest)."""
    return [
        Document(
            id=f"{mail.id}#quoted-{number}",
            kind=mail.kind,
            source=mail.source,
            title=mail.title,
            author=message.author,
            text=message.text,
        )
        for number, message in reversed(list(enumerate(history_messages(mail.quoted), 1)))
    ]


def newest_quoted(mail: Document) -> Document | None:
    """The message ``mail`` answers, as it quotes it (the newest of its history), or None."""
    quoted = quoted_documents(mail)
    return quoted[-1] if quoted else None


__all__ = ["QuotedMessage", "history_messages", "newest_quoted", "quoted_documents"]
