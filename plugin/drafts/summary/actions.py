"""Action items: the requests a message addresses to its reader.

Deterministic code, no model: a sentence is a request when it says "please …", asks
"can/could/would you …", is a question to the reader, starts with an imperative verb, or
says "I need you to …"/"let me know …"/"why don't you …", or states a need with an object
("we will need the certificates"). Each item keeps the owner when the text names
one (a vocative "Jeff, please …" or the greeting "Hi Phillip,") and the due phrase when
stated ("by Friday", "before 5 pm", "EOD", "ASAP"). Boilerplate ("let me know if you
have any questions") is not an action; "let me know if you have any comments" is one, for
summaries and replies alike (``asking_condition``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.document import Document
from connectors.mailtrailers import IN_ERROR_PHRASE, NO_REPLY_PHRASE
from plugin.drafts.base import Draft, DraftKind, Span
from plugin.drafts.text.sentences import Sentence, split_sentences, word_set

IMPERATIVE_VERBS = word_set(
    """add advise approve arrange ask attach book bring call cancel change check clarify
    complete confirm contact coordinate correct create decide deliver discuss double-check
    draft e-mail email fax fill find finalize fix follow forward get give go help include
    inform invite keep let look mail make note notify pass pick plan prepare print proceed
    provide put read reconcile remember remind reply report reschedule resend respond return
    review revise run schedule see send set share sign start stop submit tell try update
    verify write"""
)
_PLEASE = re.compile(r"\b(?:please|pls|plz|kindly)\b", re.IGNORECASE)
_ASK_YOU = re.compile(
    r"\b(?:can|could|would|will|wo?uld)\s+(?:you|u|y'all|someone|somebody|one of you)\b"
    # "(?:\s+|(?='))": "I need" and "I'd like" (no space before the contraction)
    r"|\b(?:i|we)(?:\s+|(?='))(?:need|want|would like|'d like"
    r"|(?:'d|would)\s+(?:\w+ly\s+)?appreciate)\s+"
    r"(?:you|your|for you|from you|it if you)\b"
    # A need stated to the reader is a request: "we will need the certificates by Friday",
    # "I need some help" (not "I need to leave early": a need with an object).
    r"|\b(?:i|we)(?:\s+|(?='))(?:will\s+|'ll\s+|would\s+|also\s+|still\s+|really\s+)*need\s+"
    r"(?:the|a|an|some|your|those|these|copies|help|it|them)\b"
    r"|\bwhy\s+(?:don'?t|not)\s+you\b"
    r"|\b(?:you|u)\s+(?:need|must|should|have)\s+to\b"
    r"|\bneed\s+your\b|\bask(?:ing)?\s+(?:you|that you)\b"
    # "I want a view from you guys of …": what the writer wants, and from whom.
    r"|\b(?:i|we)(?:\s+|(?='))(?:really\s+)?(?:need|want|would\s+like|'d\s+like)\s+(?:a|an|the|some)\s+"
    r"(?:\w+\s+){0,3}from\s+(?:you|each\s+of\s+you|all\s+of\s+you)\b"
    # A request passed on: "FUNB has asked that we forward the document".
    r"|\basked\s+(?:that\s+(?:we|you)|(?:us|you)\s+to)\b"
    # Advice to the readers as a group: "Customers are advised to resume their reviews".
    # ("we are required to preserve documents" is the writer's duty, not an ask).
    r"|(?<!\bwe\s)(?<!\bi\s)\b(?:are|is)\s+(?:hereby\s+|kindly\s+|strongly\s+)?"
    r"(?:advised|asked|requested|reminded"
    r"|required|urged|encouraged)\s+to\b"
    # A requirement with its deadline: "This form must be submitted to Payroll by Oct 15".
    r"|\bmust\s+be\s+(?:submitted|returned|completed|received|sent|signed|filed|turned\s+in)"
    r"\b(?=[^.?!]*\b(?:by|before|no\s+later\s+than|prior\s+to)\b)",
    re.IGNORECASE,
)
#: "let me know", also on someone's behalf: "so just let Cindy know if anyone can play"
#: (the writer's own "I let him know that …", "we'll let you know", "… I would let her
#: know" is a statement).
_LET_ME_KNOW = re.compile(
    r"(?<!\bi\s)(?<!\bwe\s)(?<!'ll\s)(?<!\bwill\s)"
    # the writer's or a third person's "would" / "'d" ("if you'd let me know" still asks)
    r"(?<!\bi\swould\s)(?<!\bwe\swould\s)(?<!\bhe\swould\s)(?<!\bshe\swould\s)(?<!\bthey\swould\s)"
    r"(?<!\bi'd\s)(?<!\bwe'd\s)(?<!\bhe'd\s)(?<!\bshe'd\s)(?<!\bthey'd\s)\b(?:let\s+(?:me|us|him|her|them|(?-i:[A-Z][a-z]+))\s+know|get\s+back\s+to\s+me)\b",
    re.IGNORECASE,
)
#: "if you have any comments", "if you need any further details": a condition on what the
#: reader has or needs. Whether it asks depends on that thing (``courtesy_condition``).
_IF_YOU_HAVE = re.compile(
    r"\bif\s+you\s+(?:have|need)\s+(?:any|further|additional|other|more)"
    r"(?:\s+(?:further|additional|other|more))*\s+([\w-]+)",
    re.IGNORECASE,
)
#: What a reader need not answer: "let me know if you have any questions" is a courtesy,
#: "… if you have any comments" / "… if you need any details" asks for something (the
#: human labels: in tests/data/reply_labels.json such lines are asks 8 of 9 times, "any
#: questions" 1 of 6; docs/quality.md).
_COURTESY_NEEDS = word_set("questions question problems problem trouble help assistance issues")
_BOILERPLATE = re.compile(
    r"\b(?:feel\s+free|don't\s+hesitate|do\s+not\s+hesitate)\b"
    r"|\bthanks?\b[\s\w]{0,12}$|\bthank\s+you\b[\s\w]{0,12}$"
    r"|\bplease\s+(?:see|find)\s+(?:the\s+)?(?:attached|below|enclosed)\b"
    r"|\b(?:unsubscribe|click\s+here)\b"
    # A legal footer's "if you have received this transmission in error, please delete it",
    # a newsletter's "Please do not respond to this e-mail" and "reply to sender only".
    rf"|{IN_ERROR_PHRASE}|{NO_REPLY_PHRASE}",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(r"^\s*([A-Z][a-z]+(?:\s*[/&]\s*[A-Z][a-z]+)*)\s*[,:;-]\s+")
_GREETING_NAME = re.compile(
    r"^\s*(?:hi|hello|dear|hey)?\s*([A-Z][a-z]+(?:\s*[/&,]\s*[A-Z][a-z]+)*)\s*[,:;!-]*\s*$",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"\b(?:by|before|until|no\s+later\s+than|prior\s+to|due(?:\s+on|\s+by)?)\s+"
    r"(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:day|week|month|business)"
    r"|(?:this|next)\s+\w+|tomorrow(?:\s+(?:morning|afternoon|evening))?|today|tonight|noon"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b(?:\s+\w+\s+\d{1,2})?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+\w+)?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"|eod|cob|close\s+of\s+business)"
    r"|\b(?:asap|as\s+soon\s+as\s+possible|eod|cob|end\s+of\s+(?:the\s+)?day|today|tomorrow"
    r"|tonight)\b"
    r"|\b(?:this|next)\s+(?:week|month|morning|afternoon|evening)\b",
    re.IGNORECASE,
)
_STATEMENT_VERB = re.compile(
    r"(?:is|was|are|were|has|had|will|would|went|came|seems?|looks?|\w+ed)$", re.IGNORECASE
)
_NOT_VOCATIVE = word_set("oh ok okay well also yes no so and but hi hello thanks however")
_QUESTION_TO_READER = re.compile(
    r"^\s*(?:do|does|did|are|is|will|would|can|could|should|have|has|any|what|when|where|who"
    r"|which|how|why)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class ActionItem:
    text: str
    owner: str | None
    due: str | None
    sources: list[Span] = field(default_factory=list)
    #: Why the sentence counts as a request ("please", "ask", "question", "imperative").
    cue: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "owner": self.owner,
            "due": self.due,
            "sources": [s.to_json() for s in self.sources],
        }


def request_cue(text: str) -> str | None:
    """Why ``text`` is a request to the reader, or ``None`` when it is not one."""
    body = _VOCATIVE.sub("", text, count=1).strip()
    # "Let us know if you need any details - we would appreciate your advice by Friday":
    # a courtesy clause does not hide the request in the clause beside it.
    cue = _clause_cue(body)
    if cue is None and is_courtesy(body):
        later = (_clause_cue(clause.strip()) for clause in _CLAUSE_BREAK.split(body)[1:])
        cue = next((c for c in later if c), None)
    return cue


#: Where one clause of a sentence ends and another begins: a dash or a semicolon.
_CLAUSE_BREAK = re.compile(r"\s+[-–—]+\s+|;\s+")


def asking_condition(text: str) -> re.Match[str] | None:
    """The "if you have any comments" / "if you need any details" clause of ``text``: the
    reader is asked for something (a reply answers "No comments"). None when there is no
    such clause or it is a courtesy ("if you have any questions", "… any problems")."""
    condition = _IF_YOU_HAVE.search(text)
    if condition and condition.group(1).lower() not in _COURTESY_NEEDS:
        return condition
    return None


def is_courtesy(body: str) -> bool:
    """A courtesy formula ("feel free to call", "please find attached", "… if you have any
    questions"), which asks the reader nothing."""
    return bool(_BOILERPLATE.search(body)) or (
        _IF_YOU_HAVE.search(body) is not None and asking_condition(body) is None
    )


def _clause_cue(body: str) -> str | None:
    if not body or is_courtesy(body):
        return None
    if _PLEASE.search(body):
        return "please"
    if _ASK_YOU.search(body):
        return "ask"
    if _LET_ME_KNOW.search(body):
        return "ask"
    first = re.match(r"[A-Za-z'-]+", body)
    if first and first.group().lower() in IMPERATIVE_VERBS and not body.endswith("?"):
        following = re.match(r"\s*([A-Za-z']+)", body[first.end() :])
        # "Call went well" is a statement: an imperative is followed by its object.
        if following and not _STATEMENT_VERB.match(following.group(1)):
            return "imperative"
    if body.endswith("?") and (
        _QUESTION_TO_READER.match(body) or re.search(r"\byou\b", body, re.IGNORECASE)
    ):
        return "question"
    return None


_CLOCK = (
    r"\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?(?![a-z])|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?(?![a-z]))?"
    r"|noon|midnight"
)
_DAY = (
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}(?:/\d{2,4})?|today|tomorrow|tonight"
)
_WHEN = re.compile(rf"\b(?:{_CLOCK}|{_DAY})\b", re.IGNORECASE)
#: A place: "at/in/to/from" then capitalised words or a room number ("at St. Luke's Blanton
#: Building", "to Rosa's Grill", "in EB 3267", "in room 5C").
_WHERE = re.compile(
    r"\b(?:at|in|to|from|inside|outside)\s+(?:the\s+)?"
    r"((?:St\.|[A-Z][\w'’&.-]*)(?:\s+(?:St\.|[A-Z][\w'’&.-]*|\d+[A-Za-z]?)){0,4})"
    r"|\b((?:room|rm\.?|suite|floor|building|conference\s+room)\s+#?\d+\w*)",
)
_NOT_A_PLACE = word_set("""i you we he she they it this that the a an my our your his her their
    mon monday tue tues tuesday wed wednesday thu thurs thursday fri friday sat saturday sun
    sunday january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec""")


def time_place_words(text: str) -> list[str]:
    """The words that say when and where (times, days, dates, place names, rooms): a
    compression of a request must keep them, as it keeps the due phrase ("join us at
    Rosa's Grill at 7:30" must not lose "Rosa's" or "7:30")."""
    found = [m.group() for m in _WHEN.finditer(text)]
    for match in _WHERE.finditer(text):
        words = (match.group(1) or match.group(2) or "").split()
        words = [w.rstrip(".,;:") for w in words]
        found.extend(w for w in words if w and w.lower().strip("'’") not in _NOT_A_PLACE)
    return list(dict.fromkeys(found))


def due_phrase(text: str) -> str | None:
    """The stated due phrase of a request ("by Friday", "ASAP"), if any."""
    match = _DUE.search(text)
    return match.group().strip().rstrip(".,;:!?") if match else None


#: Greeting lines that name no one: a group, or the greeting word alone ("Hello,").
_NOT_A_READER = frozenset(
    {
        "all",
        "team",
        "everyone",
        "folks",
        "hi",
        "hello",
        "hey",
        "dear",
        "greetings",
        "morning",
        "afternoon",
        "evening",
    }
)


def greeting_owner(sentences: Sequence[Sentence]) -> str | None:
    """The reader named in the greeting ("Hi Phillip," -> "Phillip")."""
    for sentence in sentences[:2]:
        if sentence.lead_in:
            match = _GREETING_NAME.match(sentence.text)
            if match and match.group(1).lower() not in _NOT_A_READER:
                return match.group(1)
    return None


def extract_actions(
    text: str, sentences: Sequence[Sentence] | None = None, document_id: str | None = None
) -> list[ActionItem]:
    """The requests in ``text``, in order, each with its source span."""
    sentences = list(sentences) if sentences is not None else split_sentences(text)
    reader = greeting_owner(sentences)
    items: list[ActionItem] = []
    for sentence in sentences:
        if sentence.lead_in:
            continue
        cue = request_cue(sentence.text)
        if cue is None:
            continue
        vocative = _VOCATIVE.match(sentence.text)
        named = vocative.group(1) if vocative else None
        owner = named if named and named.lower() not in _NOT_VOCATIVE else reader
        items.append(
            ActionItem(
                text=sentence.text.strip(),
                owner=owner,
                due=due_phrase(sentence.text),
                sources=[Span(sentence.start, sentence.end, document_id)],
                cue=cue,
            )
        )
    return items


class ActionItemsDraft(DraftKind):
    """Action items per document; written by code alone, so always verified."""

    name = "action_items"
    needs_model = False

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        drafts: list[Draft] = []
        for document in documents:
            text = document.full_text()
            items = extract_actions(text, document_id=document.id)
            drafts.append(
                Draft(
                    kind=self.name,
                    text="\n".join(f"- {item.text}" for item in items),
                    data={
                        "source": document.source,
                        "title": document.title,
                        "action_items": [item.to_json() for item in items],
                    },
                    attributions=[span for item in items for span in item.sources],
                    verified=True,
                    model="none",
                )
            )
        return drafts


__all__ = [
    "ActionItem",
    "ActionItemsDraft",
    "due_phrase",
    "extract_actions",
    "is_courtesy",
    "request_cue",
    "time_place_words",
]
