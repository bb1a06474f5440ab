"""``reply`` training pairs rebuilt from the user's threads (``model tune --replies``).

For every message the user wrote (its From is one of the user's addresses) that answers
another message, one pair:

* input: the notes the reply writer would give the model for the message answered — the
  plan ``build_plan`` makes from it with the user's voice profile and no intent, as
  ``writer.plan_notes`` lays it out (so the training prompt is the writer's prompt);
* target: the user's own new words — ``Document.text`` (quoted history and signature
  already split off) without the greeting line and the sign-off with the name under it,
  as one paragraph (the writer asks for one, and keeps its own greeting and sign-off).

The message answered is the one named by In-Reply-To, else the newest one the References
header names, else the message before it in its thread (``assign_threads``), else the
newest message the reply quotes (``connectors.history``: a Sent folder read alone still
gives pairs); a reply to the user's own message is a follow-up, not an answer. Messages
are skipped and counted by reason, never silently.
Pairs are grouped by correspondent, so no correspondent is both trained and judged on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any

from connectors.document import Document
from connectors.errors import DeskdraftError, UsageError
from connectors.history import newest_quoted
from connectors.threads import assign_threads
from plugin.drafts.reply.plan import build_plan
from plugin.drafts.reply.voice import SIGN_OFF, Profile, signature
from plugin.drafts.reply.writer import notes_from_json, plan_notes
from plugin.tune.data import Loaded, Pair

#: The sign-off is looked for among this many last lines, as ``voice.signature`` does.
_TAIL_LINES = 6
#: "Hi Ann," at the start of the reply; stops at the first comma, so "Hi Ann, yes, …"
#: keeps its "yes".
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[^\n.!?,]{0,40}[,!:]\s*", re.IGNORECASE)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

NO_PARENT = "no parent found"
OWN_MESSAGE = "follow-up to the user's own message"
EMPTY = "empty reply"
TOO_LONG = "reply longer than the context"
MALFORMED = "malformed"
NON_TEXT = "non-text"


def address(author: str) -> str:
    """The lower-case address of a From header ("Ann <Ann@X.org>" -> "ann@x.org")."""
    found = [addr for _name, addr in getaddresses([author]) if "@" in addr]
    return found[0].strip().lower() if found else ""


def my_addresses(given: Sequence[str], profile: Profile) -> set[str]:
    """The user's addresses: ``--me``, else the address the voice profile belongs to."""
    addresses = {address(a) or a.strip().lower() for a in given if a.strip()}
    if not addresses and "@" in profile.user:
        addresses = {profile.user.strip().lower()}
    if not addresses:
        raise UsageError(
            "whose replies? the user's address is not known",
            hint="give --me ADDRESS (the From address of your mail), or --profile ADDRESS "
            "for a profile built with `deskdraft profile build SENT --user ADDRESS`",
        )
    return addresses


def own_words(text: str) -> str:
    """The user's new words of a reply as one paragraph: no greeting, sign-off or name."""
    lines = text.strip().splitlines()
    tail = len(lines) - _TAIL_LINES
    for index in range(len(lines) - 1, max(tail, 0) - 1, -1):
        line = lines[index].strip()
        if line and SIGN_OFF.match(line) and len(line.split()) <= 6:
            lines = lines[:index]
            break
    else:
        _sign_off, name = signature(text)
        if name and lines and lines[-1].strip().strip(" -–—~.") == name:
            lines = lines[:-1]  # a bare name under the text
    return " ".join(_GREETING.sub("", "\n".join(lines).strip(), count=1).split())


def _parent(reply: Document, by_id: dict[str, Document], thread: list[Document]) -> Document | None:
    for ref in [reply.in_reply_to, *reversed(reply.references)]:
        if ref and ref in by_id and by_id[ref] is not reply:
            return by_id[ref]
    earlier = thread[: thread.index(reply)] if reply in thread else []
    if earlier:
        return earlier[-1]
    return newest_quoted(reply)  # not in the mail read: the message as quoted


def reply_pairs(
    documents: Iterable[Document],
    me: set[str],
    profile: Profile,
    fits: Callable[[str], bool] | None = None,
) -> tuple[Loaded, dict[str, int]]:
    """The pairs of ``documents`` and what was read (messages, messages by the user).

    ``fits(target)`` says whether a target fits the training context (None: all do).
    """
    unique: dict[str, Document] = {}
    for document in documents:  # a message in both Sent and a mail folder counts once
        unique.setdefault(document.message_id or document.id, document)
    # Oldest first, so the pairs (and the data hash) do not depend on the folder's order.
    ordered = sorted(unique.values(), key=lambda d: (d.date or _EPOCH, d.id))
    mail = [d for d in ordered if d.kind == "email"]
    by_id = {d.message_id: d for d in mail if d.message_id}
    thread_of: dict[str, list[Document]] = {}
    for thread in assign_threads(mail):
        for document in thread:
            thread_of[document.id] = thread
    loaded = Loaded([])
    counts = {"messages": len(ordered), "by_user": 0}
    for document in ordered:
        if address(document.author) not in me:
            continue
        counts["by_user"] += 1
        if document.kind != "email":
            loaded.skipped[NON_TEXT] += 1
            continue
        parent = _parent(document, by_id, thread_of.get(document.id, []))
        if parent is None:
            loaded.skipped[NO_PARENT] += 1
            continue
        if address(parent.author) in me:
            loaded.skipped[OWN_MESSAGE] += 1
            continue
        pair = _pair(document, parent, profile, fits)
        if isinstance(pair, str):
            loaded.skipped[pair] += 1
        else:
            loaded.pairs.append(pair)
    return loaded, counts


def _pair(
    reply: Document, parent: Document, profile: Profile, fits: Callable[[str], bool] | None
) -> Pair | str:
    """The pair of ``reply`` to ``parent``, or the reason it is skipped."""
    target = own_words(reply.text)
    if not target:
        return NON_TEXT if reply.attachments and not reply.text.strip() else EMPTY
    if fits is not None and not fits(target):
        return TOO_LONG
    try:
        plan = build_plan(parent, intent=None, profile=profile)
    except DeskdraftError:  # a parent without any text: nothing the writer could answer
        return NON_TEXT
    # by correspondent: a quoted writer may be named without an address
    group = address(parent.author) or parent.author.strip().lower() or parent.source
    return Pair("reply", plan_notes(plan), target, group)


def pair_from_feedback(draft: Any, edited: str, group: str) -> Pair | str:
    """A reply draft the user edited in the pane: the notes its plan gave the model, and
    the user's own words of the edit (no greeting or sign-off); else why it is skipped.
    The correspondent is the group when the plan names them, as for ``--replies``."""
    plan = draft.get("plan") if isinstance(draft, dict) else None
    notes = notes_from_json(plan) if isinstance(plan, dict) else ""
    if not notes:
        return MALFORMED
    target = own_words(edited)
    if not target:
        return EMPTY
    return Pair("reply", notes, target, address(str(plan.get("to") or "")) or group)


def load_replies(
    sources: Sequence[str], me: set[str], profile: Profile, fits: Callable[[str], bool] | None
) -> Loaded:
    """The pairs of every mail source (files, .mbox, Maildir, IMAP, EWS, Graph), read
    through the connectors like every other command; unreadable items are named on stderr
    and counted as skipped."""
    from plugin.drafts.inputs import read_sources

    documents, failed = read_sources(list(sources))
    loaded, counts = reply_pairs(documents, me, profile, fits)
    if failed:
        loaded.skipped["unreadable"] += failed
    require_replies(loaded, counts, me, ", ".join(sources))
    return loaded


def require_replies(loaded: Loaded, counts: dict[str, Any], me: set[str], origin: str) -> None:
    """One clear error when the sources hold no usable reply by the user."""
    if loaded.pairs:
        return
    who = ", ".join(sorted(me))
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(loaded.skipped.items()))
    raise UsageError(
        f"no replies by {who} to learn from: {counts['messages']} message(s) read, "
        f"{counts['by_user']} written by {who}" + (f" ({why})" if why else ""),
        item=origin,
        hint="give your Sent folder and, for replies that do not quote what they answer, "
        "the folders with that mail (e.g. --replies Sent --replies INBOX), and check --me",
    )


__all__ = [
    "address",
    "load_replies",
    "my_addresses",
    "own_words",
    "pair_from_feedback",
    "reply_pairs",
    "require_replies",
]
