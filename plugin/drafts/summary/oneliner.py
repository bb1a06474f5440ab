"""Digest one-liners that say something: who wants or says what, in a readable clause.

The digest line of a single message is written by the model from the message's top
sentence, starting with the sender ("Ricardo asks whether mplayer should be built with
the Win32 codecs"), and checked like any draft: the faithfulness check (``verify.py``,
against the text and the sender's name), the support check (it stays on the sentence it
was written from, ``headline.support``) and the "says something" check below. When the
model's line fails, the best sentence that says something is the line, prefixed with the
sender ("Ricardo: Should mplayer be built with the Win32 codecs?"); when no sentence is fit
to use, the subject is the line, labelled as such (``path = "subject"``).

``summarize --style oneline`` keeps its terse subject-line style (``headline.py``); this
module is the digest's.

Junk (``junk_reason``): a URL, an e-mail address, a quoted header ("From: …", "On … wrote:"),
a fragment of fewer than three content words. "Says something" (``says_something``)
additionally wants a clause, not a keyword string: at least one function word, and an
opening that stands on its own (not a lower-case continuation or "that/it/he …").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from connectors.document import Document
from connectors.threads import strip_subject_prefixes
from plugin.drafts.summary import headline
from plugin.drafts.summary.asks import is_request
from plugin.drafts.summary.rank import rank_many
from plugin.drafts.text.claims import repeats_itself
from plugin.drafts.text.prompts import few_shot
from plugin.drafts.text.sentences import split_sentences, word_set
from plugin.drafts.text.verify import SourceIndex, check

#: A model line must share this much of its content (beyond the sender) with its sentence.
MIN_SUPPORT = 0.7
MAX_LINE_WORDS = 22
#: Longest extractive line: a sentence longer than this is cut at a clause boundary.
MAX_SENTENCE_WORDS = 24
#: Sentences tried per message before falling back to the subject.
CANDIDATES = 4

_URL = re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|edu|gov|io|ie|uk|de)/\S*", re.I)
_WHOLE_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.I)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HEADER = re.compile(
    r"^\s*(?:>|(?:from|to|cc|bcc|subject|date|sent|reply-to|received|message-id|"
    r"content-type|x-[\w-]+)\s*:)|\bwrote:\s*$|^\s*on\b.{0,80}\bwrote\b|^-{2,}\s*original"
    # supercite-style quote markers left in a line: "J> Fine", "&> EL> Yeah"
    r"|(?:^|\s)[\w&]{0,4}>(?:\s|$)",
    re.I,
)
_FUNCTION_WORDS = word_set(
    """a an the and or but if of to in on at by for with from as is are was were be been
    am i me my we our us you your he she it its they them their this that these those there
    do does did have has had will would can could should shall may might must not no so
    than then about into over what which who whom when where why how all any some"""
)
_DANGLING_START = word_set(
    "that it this these those he she they him her them which so and but or also then there"
)
#: First words of organisations' display names ("The Motley Fool", "Daily Dilbert").
_NOT_FIRST_NAMES = _FUNCTION_WORDS | word_set("daily weekly team mail news my our")
_SENDS = re.compile(r"\b(?:attached|enclosed|here\s+(?:is|are)|please\s+find)\b", re.I)
_CLAUSE_CUT = re.compile(r"[,;:]\s|\s[-\u2013\u2014]\s")


@dataclass(slots=True)
class Line:
    text: str
    #: "abstractive" (the model's line), "extractive" (a sentence) or "subject".
    path: str
    verified: bool
    says_something: bool
    rejected: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "path": self.path,
            "verified": self.verified,
            "says_something": self.says_something,
            "rejected": self.rejected,
        }


def junk_reason(line: str) -> str | None:
    """Why ``line`` is junk ("url", "address", "header", "fragment", "empty"), or None."""
    text = line.strip()
    if not text:
        return "empty"
    if _URL.search(text):
        return "url"
    if _ADDRESS.search(text):
        return "address"
    if _HEADER.search(text):
        return "header"
    if len(headline.content_words(text)) < 3:
        return "fragment"
    return None


def says_something(line: str, sender: str = "") -> bool:
    """A readable clause: not junk, a function word (not a keyword string), and an opening
    that stands on its own. A leading "Sender:" label is not part of the clause; a line
    that opens with the sender ("Ricardo asks …") has the sender as its opening."""
    if junk_reason(line):
        return False
    clause, check_opening = line.strip(), True
    if sender and clause.startswith(f"{sender}:"):
        clause = clause[len(sender) + 1 :].strip()
    elif sender and clause.startswith(f"{sender} "):
        check_opening = False
    words = re.findall(r"[A-Za-z][\w'-]*", clause)
    if not words or junk_reason(clause):
        return False
    if not any(w.lower() in _FUNCTION_WORDS for w in words):
        return False
    first = words[0]
    return not check_opening or not (first[0].islower() or first.lower() in _DANGLING_START)


def sender_name(author: str) -> str:
    """The name a reader knows the sender by: a first name, else the display name, else
    the address's local part ("Ricardo", "CNET News.com", "pudge")."""
    name, address = parseaddr(author)
    name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", name.replace('"', "")).strip()
    if "," in name:  # "Wynne, Conor"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}".strip()
    if name and not _ADDRESS.search(name):
        parts = name.split()
        looks_personal = len(parts) in (2, 3) and parts[0].lower() not in _NOT_FIRST_NAMES
        if looks_personal and all(p[:1].isupper() and p.isalpha() for p in parts):
            return parts[0]
        return name
    local = (address or author).split("@")[0]
    return local if local and not _ADDRESS.search(local) else "Someone"


def act_of(sentence: str) -> str:
    """The verb of the line, chosen by code so that a small model cannot get it wrong:
    "asks" for a request or question, "sends" for an attachment, else "writes"."""
    if is_request(sentence) or sentence.rstrip().endswith("?"):
        return "asks"
    if _SENDS.search(sentence):
        return "sends"
    return "writes"


def _clip(sentence: str) -> str:
    """A sentence, or its first clauses when it is long, ending cleanly."""
    text = " ".join(sentence.split())
    words = text.split()
    if len(words) > MAX_SENTENCE_WORDS:
        head = " ".join(words[:MAX_SENTENCE_WORDS])
        cuts = [m.start() for m in _CLAUSE_CUT.finditer(head) if m.start() > 30]
        text = (head[: cuts[-1]] if cuts else head).rstrip(" ,;:-") + " …"
    return text


def _candidates(document: Document, ranked: Sequence[str]) -> list[str]:
    sentences = [_clip(s) for s in ranked]
    return [s for s in sentences if says_something(s)][:CANDIDATES]


def subject_line(document: Document) -> str:
    subject = strip_subject_prefixes(document.title)
    subject = " ".join(_WHOLE_URL.sub("", _ADDRESS.sub("", subject)).split())
    return subject or "(no subject)"


class DigestLines:
    """Writes the digest lines of many single messages, batched on one engine."""

    def __init__(
        self, engine: Any | None, batch_size: int = 8, progress: Callable[[int], None] | None = None
    ) -> None:
        self.engine = engine
        self.batch_size = batch_size
        self.progress = progress

    def lines(self, documents: Sequence[Document]) -> list[Line]:
        ranked = rank_many([split_sentences(d.text) for d in documents], self.engine)
        plans = []
        for document, sentences in zip(documents, ranked, strict=True):
            texts = [r.sentence.text for r in sentences if not r.sentence.lead_in]
            plans.append((document, sender_name(document.author), _candidates(document, texts)))
        drafts = self._write(plans) if self.engine is not None else [None] * len(plans)
        return [
            self._choose(document, sender, candidates, draft)
            for (document, sender, candidates), draft in zip(plans, drafts, strict=True)
        ]

    def _write(self, plans: list[tuple[Document, str, list[str]]]) -> list[str | None]:
        prompts = [
            (
                i,
                few_shot(
                    self.engine,
                    "digest_line",
                    sender=sender,
                    sentence=candidates[0],
                    verb=act_of(candidates[0]),
                ),
            )
            for i, (_, sender, candidates) in enumerate(plans)
            if candidates
        ]
        out: list[str | None] = [None] * len(plans)
        for begin in range(0, len(prompts), self.batch_size):
            chunk = prompts[begin : begin + self.batch_size]
            texts = self.engine.generate([p for _, p in chunk], max_new_tokens=32, stop=["\n"])
            for (index, _), text in zip(chunk, texts, strict=True):
                _, sender, candidates = plans[index]
                out[index] = f"{sender} {act_of(candidates[0])} {text.strip()}"
            if self.progress:
                self.progress(len(chunk))
        skipped = len(plans) - len(prompts)
        if self.progress and skipped:
            self.progress(skipped)
        return out

    @staticmethod
    def _choose(document: Document, sender: str, candidates: list[str], draft: str | None) -> Line:
        rejected: list[dict[str, Any]] = []
        source = SourceIndex(f"{sender}\n{document.author}\n{document.title}\n{document.text}")
        if draft is not None and candidates:
            line = " ".join(draft.split()).rstrip(" .;:,")
            result = check(line, source)
            # The sender and the verb come from code; the rest must come from the sentence.
            rest = line[len(sender) :].strip().partition(" ")[2]
            support = headline.support(rest, candidates[:1], top=1)
            fits = len(line.split()) <= MAX_LINE_WORDS and support >= MIN_SUPPORT
            loops = repeats_itself(rest, candidates[:1])
            if result.ok and fits and not loops and says_something(line, sender):
                return Line(line, "abstractive", True, True, rejected)
            rejected.append(
                headline.refused_line(
                    line,
                    result.unsupported,
                    loops,
                    support=round(support, 2),
                    says_something=says_something(line, sender),
                )
            )
        if candidates:
            line = f"{sender}: {candidates[0]}"
            return Line(line, "extractive", check(line, source).ok, True, rejected)
        subject = subject_line(document)
        return Line(subject, "subject", True, says_something(subject), rejected)


__all__ = [
    "DigestLines",
    "Line",
    "act_of",
    "junk_reason",
    "says_something",
    "sender_name",
    "subject_line",
]
