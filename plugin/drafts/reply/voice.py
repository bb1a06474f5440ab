"""The user's voice: how they greet, sign off, how long and how formally they write.

A ``Profile`` is learned from the user's sent mail (any source ``ingest`` reads: the Sent
folder over IMAP, EWS or Graph, or files) by ``build_profile`` and kept as JSON under
``$DESKDRAFT_HOME/profiles/<user key>.json``. Reply drafts use the profile of the user who
asked (job option ``user``); without one they use ``Profile()``, a neutral default.

``signature`` reads the end of one message (sign-off line and the name signed under it); the
reply plan uses it on the incoming mail to greet the sender by the name they sign with.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.document import Document
from connectors.errors import BadInputError, UsageError
from connectors.mailheaders import address_name
from plugin.drafts.text.verify import NOT_NAMES

FORMALITIES = ("formal", "neutral", "casual")
GREETING = re.compile(
    r"^\s*(hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|morning|greetings)\b"
    r"[ \t]*([A-Z][\w'’-]*)?",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"^\s*[-–—~]*\s*(thanks(?:\s+(?:again|so\s+much|very\s+much|a\s+lot|in\s+advance))?"
    r"|thank\s+you(?:\s+(?:very\s+much|again|in\s+advance))?|many\s+thanks|best(?:\s+regards"
    r"|\s+wishes)?|kind\s+regards|warm(?:est)?\s+regards|regards|cheers|sincerely|"
    r"yours(?:\s+(?:truly|sincerely))?|all\s+the\s+best|talk\s+soon|take\s+care|thx|tia"
    # "Love You" under a family note is its sign-off, not a name ("Love the design!" is neither)
    r"|love(?:\s+(?:you|ya|always))?(?=\s*(?:[,.!-]|$)))"
    r"\b\s*[,.!-]*\s*(.*)$",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^[-–—~]*\s*([A-Z][a-z'’]+(?:-[A-Z][a-z]+)?|[A-Z]{2,3})"
    r"(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'’-]+){0,2}\s*\.?$"
)
_LOWER_NAME = re.compile(r"^[-–—~]+\s*([a-z]{2,12})$")  # "-jeff", "--sally"
_CONTACT = re.compile(r"@|https?://|www\.|\d{3}[\s.-]?\d{4}|sent from my", re.IGNORECASE)
_CONTRACTION = re.compile(r"\b\w+'(?:ll|re|ve|d|m|s|t)\b", re.IGNORECASE)
_FORMAL_WORDS = re.compile(
    r"\b(?:dear|sincerely|kind regards|best regards|regards|"
    r"please find|i would appreciate|at your earliest)\b",
    re.IGNORECASE,
)
_CASUAL_WORDS = re.compile(
    r"\b(?:hey|cheers|thx|btw|lol|ok|okay|yeah|gonna|sure thing)\b|!", re.IGNORECASE
)
_TAIL_LINES = 6
_ROLE_NAMES = {
    "admin",
    "administrator",
    "info",
    "support",
    "help",
    "helpdesk",
    "noreply",
    "no-reply",
    "webmaster",
    "postmaster",
    "mailer-daemon",
    "sales",
    "team",
    "newsletter",
    "notifications",
    "alerts",
    "root",
    "the",
    "mail",
}


@dataclass(slots=True)
class Profile:
    user: str = "default"
    #: The name the user signs with; None when it could not be learned.
    name: str | None = None
    #: The greeting word ("Hi", "Dear"); "" for a bare "Name," greeting.
    greeting: str = "Hi"
    sign_off: str = "Best regards,"
    #: Median words of the user's own text in a message.
    typical_words: int = 60
    formality: str = "neutral"
    messages: int = 0
    built: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        known = {f.name for f in fields(cls)}
        profile = cls(**{k: v for k, v in data.items() if k in known})
        if profile.formality not in FORMALITIES:
            raise UsageError(
                f"unknown formality {profile.formality!r}", hint=f"use one of {FORMALITIES}"
            )
        return profile

    def facts(self) -> str:
        """What the profile lets a reply say (checked like the mail's facts)."""
        return "\n".join(x for x in (self.name, self.greeting, self.sign_off) if x)


def _name_on(line: str) -> str | None:
    line = line.strip().rstrip(",")
    match = _NAME.match(line) or _LOWER_NAME.match(line)
    if not match:
        return None
    name = match.group(0).strip(" -–—~.")
    first = name.split()[0]
    if first.lower() in NOT_NAMES or SIGN_OFF.match(name) or GREETING.match(name):
        return None
    return name[:1].upper() + name[1:] if name.islower() else name


def signature(text: str) -> tuple[str | None, str | None]:
    """(sign-off line, signed name) at the end of ``text``; either may be None."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()][-_TAIL_LINES:]
    lines = [line for line in lines if len(line) <= 80]
    while lines and _CONTACT.search(lines[-1]):
        lines.pop()  # phone numbers, addresses and "Sent from my phone" under the name
    for index in range(len(lines) - 1, -1, -1):
        match = SIGN_OFF.match(lines[index])
        if not match or len(lines[index].split()) > 6:
            continue
        sign_off = lines[index][: match.end(1)].strip(" -–—~") + ","
        same_line = _name_on(match.group(2)) if match.group(2) else None
        following = _name_on(lines[index + 1]) if index + 1 < len(lines) else None
        return sign_off[:1].upper() + sign_off[1:], same_line or following
    return None, _name_on(lines[-1]) if lines else None


def display_name(author: str) -> str | None:
    """The first name of a From header: "Lee, Ann <a@x>" -> "Ann", "Bob Smith" -> "Bob"."""
    name = address_name(author)
    if not name or "@" in name:
        return None
    if "," in name:
        parts = [p.strip() for p in name.split(",") if p.strip()]
        name = parts[1] if len(parts) > 1 else parts[0]
    first = name.split()[0].strip("'\"")
    # "admin", "boingboing", "rssfeeds": a mailbox's label, not a person to greet.
    if first.islower() or first.lower() in _ROLE_NAMES:
        return None
    return first if re.match(r"^[A-Za-z][\w'’-]*$", first) else None


def _formality_score(text: str) -> float:
    words = max(len(text.split()), 1)
    formal = len(_FORMAL_WORDS.findall(text))
    casual = len(_CASUAL_WORDS.findall(text)) + len(_CONTRACTION.findall(text)) * 20 / words
    return formal - casual


def build_profile(documents: Sequence[Document], user: str = "default") -> Profile:
    """Learn a profile from the user's sent messages (their own text, not the quotes)."""
    texts = [d.text for d in documents if d.text.strip()]
    if not texts:
        raise BadInputError("no sent messages with text to learn from", item=user)
    greetings: Counter[str] = Counter()
    sign_offs: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for text in texts:
        first = next(line for line in text.splitlines() if line.strip())
        match = GREETING.match(first)
        greetings[_greeting_word(match.group(1)) if match else ""] += 1
        sign_off, name = signature(text)
        if sign_off:
            sign_offs[sign_off] += 1
        if name:
            names[name] += 1
    score = statistics.mean(_formality_score(t) for t in texts)
    formality = "formal" if score >= 0.5 else "casual" if score <= -0.5 else "neutral"
    named = names.most_common(1)
    return Profile(
        user=user,
        # A name is learned only when the user signs with it in several messages.
        name=named[0][0] if named and (named[0][1] >= 2 or len(texts) == 1) else None,
        greeting=greetings.most_common(1)[0][0],
        sign_off=sign_offs.most_common(1)[0][0] if sign_offs else Profile.sign_off,
        typical_words=int(statistics.median(len(t.split()) for t in texts)),
        formality=formality,
        messages=len(texts),
        built=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _greeting_word(word: str) -> str:
    word = " ".join(word.split())
    return word[:1].upper() + word[1:].lower()


def user_key(user: str) -> str:
    """A file-safe key for a user id (an e-mail address or a login)."""
    key = re.sub(r"[^\w.@+-]", "_", user.strip().lower())[:120].strip(".")
    if not key:
        raise UsageError("the user id is empty", hint="pass --user with an e-mail address")
    return key


def profile_path(user: str, home: Path | None = None) -> Path:
    from plugin.config import data_dir

    return (home or data_dir()) / "profiles" / f"{user_key(user)}.json"


def save_profile(profile: Profile, home: Path | None = None) -> Path:
    path = profile_path(profile.user, home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(profile.to_json(), indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # readers never see half a profile
    return path


def load_profile(user: str | None, home: Path | None = None) -> Profile:
    """The stored profile of ``user``, or the default profile when none was built."""
    if not user:
        return Profile()
    path = profile_path(user, home)
    if not path.is_file():
        return Profile(user=user)
    try:
        return Profile.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise BadInputError(
            f"the voice profile is unreadable: {exc}",
            item=str(path),
            hint="rebuild it with `deskdraft profile build`",
        ) from None


__all__ = [
    "Profile",
    "build_profile",
    "display_name",
    "load_profile",
    "profile_path",
    "save_profile",
    "signature",
    "user_key",
]
