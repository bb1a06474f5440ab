"""Which sentences of a mail are asks: questions and requests addressed to the reader.

The action-item rules (``summary.actions.extract_actions``) find most of them; a reply
needs a few more, and fewer:

* more: questions the action rules pass over ("And when is the offsite?", "(2) Did you
  …?", a follow-up right after a question, a question typed with a full stop); a
  statement with a question mark that talks to the reader ("… pointed me in your
  direction to be added to the site?"); "I would appreciate it if you would fax me …";
  a "let me know if you have any comments" or "… if you need any details" (a reply
  answers those: "No comments, …"), but not "… if you have any questions", which asks
  nothing;
* fewer: "please disregard this mail"; "Please join me in congratulating …"; the line
  that introduces a list of questions ("Several questions come to mind:"); and an
  invitation is one ask: its lines ("Please join us …", "Please bring …") count once, and
  not at all when the mail asks for the RSVP in its own sentence ("Please let me know
  what you would like to bring");
* and, from later rounds of dev labels: more for bulleted or verb-first questions, "It
  would be great if you could …", "I'd like your opinion …", small talk, asks made by
  wording alone ("I was wondering if you could"), by a statement or a question's tail
  (``implied``), and a wish when the mail asks nothing else (``implied.wishes``); two
  questions in one sentence split (``compound``); fewer for headings of a notice, "… did
  I?", "Write back", "Please do not …", "Can you believe …!", an agenda's items, notices,
  offers, and a line by name to someone other than the reader.
"""

from __future__ import annotations

import re
from typing import Any

from connectors.document import Document
from plugin.drafts.reply.compound import join_continuations, split_compound
from plugin.drafts.reply.implied import asks_nothing, implied_ask_kind, tells_when_done, wishes
from plugin.drafts.reply.invitations import one_ask_per_invitation
from plugin.drafts.reply.slots import Ask
from plugin.drafts.reply.smalltalk import is_small_talk
from plugin.drafts.summary.actions import asking_condition, extract_actions, request_cue
from plugin.drafts.text.sentences import split_sentences

MAX_ASKS = 8
#: Only this much of a message is searched for asks (a pasted log is not a list of asks).
MAX_SCAN_CHARS = 20_000
_OPEN_QUESTION = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:what|when|where|who|whom|whose|which|how|why)\b"
    # "Any suggestions?", "Any word on the contract?" want content, which "yes" is not
    r"|^\s*any\s+(?:[a-z-]+\s+){0,2}?(?:suggestions?|ideas?|thoughts?|comments?"
    r"|feedback|input|recommendations?|advice|word|news|updates?|insights?|views?|opinions?)\b",
    re.I,
)
_VOCATIVE = re.compile(r"^\s*([A-Z][a-z]+)\s*[,:]\s+")
_NOT_VOCATIVE = {
    "hello",
    "hi",
    "hey",
    "dear",
    "ok",
    "okay",
    "so",
    "also",
    "well",
    "yes",
    "no",
    "thanks",
    "and",
    "but",
    "now",
    "first",
    "finally",
    "again",
    "sorry",
    "please",
    # the fields of a meeting notice ("When: …", "Where: ECS 06112 …")
    "when",
    "where",
    "what",
    "who",
    "subject",
    "note",
    "location",
    "time",
    "date",
}
#: "All, …", "Team, …" open a mail to many; a name after it may still be the reader's.
_GROUPS = {"all", "everyone", "everybody", "team", "folks", "guys", "gentlemen", "ladies", "group"}
_OPEN_REQUEST = re.compile(
    r"\b(?:let\s+(?:me|us)\s+know|tell\s+(?:me|us)|advise)\s+(?:what|when|where|who|which|how)\b"
    r"|\b(?:give|send)\s+(?:me|us)\s+(?:a|the|your)\s+(?:date|time|number|address|name|list)\b",
    re.I,
)
_CONJUNCTION = re.compile(r"^\s*(?:and|also|so|but|or|plus|if\s+so|if\s+not)\b[\s,]*", re.I)
#: "Do you still want a copy." / "Did Michelle tell you we …": a question typed with a full stop.
_YOU_QUESTION = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:do|does|did|are|can|could|would|will|have)\s+"
    r"(?:you|(?-i:[A-Z][a-z]+)\s+(?:\w+\s+)?you)\b",
    re.I,
)
#: A question that starts with its verb, after a bullet or an adverb ("*Is the location
#: suitable?", "candidly does her position inhibit …?"): asked of the reader like one with "you".
_DIRECT_YES_NO = re.compile(
    r"^\s*(?:[*•-]+\s*|\w+ly,?\s+)?(?:do|does|did|is|are|was|were|will|would|can|could|should|"
    r"has|have|any(?:one|body))\s+\w",
    re.I,
)
#: "Also, who is my main contact in H.R. with regards to job postings.": an open question
#: typed with a full stop, about the writer or the reader (a wh-word, then its verb).
_OPEN_TYPED_WITH_STOP = re.compile(
    r"^\s*(?:what|when|where|who|whom|which|how|why)\s+(?:is|are|was|were|do|does|did|can"
    r"|could|would|should|will|shall|much|many|long|soon)\b[^?!]*?\b(?:i|my|me|we|our|us|you"
    r"|your)\b",
    re.I,
)
#: "(2)  Did you assign this file to anyone?": a numbered question is a question all the same.
_ENUMERATOR = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
#: A question that opens with its verb ("Can you help us identify …", "Bob, is it done").
YES_NO_QUESTION = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:do|does|did|are|is|was|were|will|would|can|could|should|"
    r"shall|may|have|has|any)\b",
    re.I,
)


#: What comes before the question proper: attachment names ("<<Reply.doc>>"), a "(".
_LEAD_IN = re.compile(r"^\s*(?:<<[^>]*>>\s*)+|^\s*[(*•-]+\s*")
#: "However, on the gas daily desk, can we please …?": a yes/no question after a lead-in.
_YES_NO_AFTER_COMMA = re.compile(
    r",\s+(?:do|does|did|are|is|was|were|will|would|can|could|should|shall|may|have|has)\s+"
    r"(?:you|we|i|they|he|she|it|this|that|these|those)\b",
    re.I,
)


def ask_kind(text: str) -> str:
    text = _LEAD_IN.sub("", _ENUMERATOR.sub("", text))
    if text.rstrip().endswith("?"):
        if _OPEN_QUESTION.match(text):
            return "open"
        if YES_NO_QUESTION.match(text) or _YES_NO_AFTER_COMMA.search(text):
            return "yes_no"
        return "open"
    # "Let me know how you'd like to proceed" wants an answer that "yes" is not.
    return "open" if _OPEN_REQUEST.search(text) and not tells_when_done(text) else "request"


def _more_questions(
    sentences: list[Any], taken: set[int], document_id: str, reader_names: set[str]
) -> list[Ask]:
    """Questions the action-item rules pass over: "And when is the offsite?", "(2) Did you
    …?", a follow-up right after a question ("Same for selling insurance?"), a question
    typed with a full stop ("Do you still want a copy of our GISB.") and the asks only a
    reply answers (``_reply_only_kind``)."""
    found: list[Ask] = []
    after_ask = False
    for sentence in sentences:
        text = sentence.text
        if sentence.start in taken:
            after_ask = True
            continue
        lead = _CONJUNCTION.match(text) or _ENUMERATOR.match(text)
        body = text[lead.end() :] if lead else text
        kind = None
        implied = False
        if (lead and request_cue(body)) or (after_ask and text.rstrip().endswith("?")):
            kind = ask_kind(body)
        elif _YOU_QUESTION.match(body) and text.rstrip().endswith("."):
            kind = "yes_no"
        elif (
            _OPEN_TYPED_WITH_STOP.match(body)
            and text.rstrip().endswith(".")
            and not is_small_talk(body)
        ):
            kind = "open"
        elif text.rstrip().endswith("?") and _DIRECT_YES_NO.match(text) and not _is_heading(text):
            kind = "yes_no"  # "*Will this spreadsheet meet our needs?", "candidly does … ?"
        elif not _addressed_elsewhere(text, reader_names):
            kind = _reply_only_kind(text)
            implied = kind is not None and not _TO_THE_READER.search(text)
        if kind:
            found.append(
                Ask(text, sentence.start, sentence.end, document_id, kind, implied=implied)
            )
        after_ask = kind is not None
    return found


def _addressed_elsewhere(text: str, reader_names: set[str]) -> bool:
    """ "Jeff, please send …" asks Jeff, not the reader."""
    vocative = _VOCATIVE.match(text)
    named = vocative.group(1).lower() if vocative else ""
    return bool(reader_names and named and named not in reader_names | _NOT_VOCATIVE)


def find_asks(document: Document, reader_names: set[str], notes: list[str]) -> list[Ask]:
    """Questions and requests addressed to the reader, in order."""
    text = document.text
    if len(text) > MAX_SCAN_CHARS:
        notes.append(
            f"Only the first {MAX_SCAN_CHARS:,} characters were searched for "
            "questions: the message is longer."
        )
        text = text[:MAX_SCAN_CHARS]
    sentences = split_sentences(text)
    if not reader_names and sentences:  # "Brian, great job … Wes, please confirm.": Brian reads
        opening = _VOCATIVE.match(sentences[0].text)
        if (
            opening
            and opening.group().rstrip().endswith(",")
            and opening.group(1).lower() not in _NOT_VOCATIVE | _GROUPS
        ):
            reader_names = {opening.group(1).lower()}
    asks: list[Ask] = []
    for item in extract_actions(text, sentences, document_id=document.id):
        if _addressed_elsewhere(item.text, reader_names):
            continue
        span = item.sources[0]
        asks.append(Ask(item.text, span.start, span.end, document.id, ask_kind(item.text)))
    taken = {a.start for a in asks}
    asks += _more_questions(sentences, taken, document.id, reader_names)
    asks = _fewer(sorted(asks, key=lambda ask: ask.start), text) or [
        wish
        for wish in wishes(sentences, document.id)
        if not _addressed_elsewhere(wish.text, reader_names)
    ]
    asks = _not_in_passages(asks, _passages_elsewhere(text, sentences, reader_names))
    asks = split_compound(join_continuations(asks, text), ask_kind)
    if len(asks) > MAX_ASKS:
        notes.append(f"The message asks {len(asks)} things; the reply covers the first {MAX_ASKS}.")
        asks = asks[:MAX_ASKS]
    return asks


#: "canyou send them": a request typed without its space.
_GLUED_YOU = re.compile(r"\b(can|could|would|will)(you)\b", re.I)
_APPRECIATE_IF = re.compile(
    r"\b(?:i|we)(?:\s+would|\s+will|'d|'ll)?\s+(?:greatly\s+|really\s+)?"
    r"(?:appreciate\s+it|be\s+(?:very\s+)?grateful)\s+if\s+(?:you\b|we\s+could\b)"
    # round 4: "would appreciate your guidance on …", "if you wouldnt mind being a reference"
    r"|\bwould\s+(?:greatly\s+|really\s+)?appreciate\s+your\s+\w+"
    r"|\bif\s+you\s+would(?:n'?t|n’t|\s+not)?\s+mind\b",
    re.I,
)
_TO_THE_READER = re.compile(r"\b(?:you|your|yours)\b", re.I)
_NOT_AN_ASK = re.compile(
    r"\bplease\s+(?:disregard|ignore)\b"
    r"|\bjoin\s+(?:me|us)\s+in\s+(?:congratulating|welcoming|thanking|wishing)\b"
    # "Please do not forward this to them.": an instruction, with nothing to answer (but
    # "please do not release any payments until I let you know" asks to hold them);
    # "Can you believe people line up …!!!!": an exclamation
    r"|^(?:[^.?!,]{0,60},\s*)?please\s+(?:do\s+not|don't|don’t|never)\b(?![^.?!]*\buntil\b)"
    r"|^\s*(?:can|could)\s+you\s+(?:believe|imagine)\b"
    # the reply itself is what these ask for
    r"|^\s*(?:please\s+)?(?:write\s+back|drop\s+me\s+a\s+(?:line|note)|keep\s+in\s+touch)\b"
    # "Any questions just let me know.": a courtesy, like "… if you have any questions"
    r"|^\s*(?:if\s+)?(?:any|you\s+have\s+any)\s+(?:questions|problems|concerns)\b[^.?!]*"
    r"\blet\s+(?:me|us)\s+know\s*[.!]*\s*$",
    re.I,
)
#: "I never told you about my trip, did I?": the writer asks themself.
_SELF_TAG = re.compile(
    r"\b(?:did|didn't|do|don't|have|haven't|had|hadn't|am|was|wasn't)\s+I\s*\?+\s*$"
)
#: "Unable to Run the Race?", "WHAT DOES THIS MEAN?": a heading of a notice, asked of nobody.
_TITLE_SMALL_WORDS = {"a", "an", "the", "to", "of", "for", "and", "or", "in", "on", "at", "with"}
#: "It would be great if you could …", "I'd like your opinion and approval on …".
_INDIRECT_REQUEST = re.compile(
    r"\bit\s+would\s+be\s+(?:great|helpful|nice|appreciated|good)\b[\s,]*if\s+you\s+"
    r"(?:could|would|can)\b"
    r"|\b(?:i|we)(?:\s+would|'d)\s+like\s+(?:to\s+(?:get|have|hear)\s+)?your\s+"
    r"(?:opinion|approval|thoughts|feedback|input|views?|comments|sign-?off)\b"
    # round 4: asks only by their wording ("I was wondering if you could …", "I was hoping
    # you might …", "I'd like to know if I could …", "I wanted to … see if your …", "I am
    # looking to you for …", "I'd like to schedule a call", "You pick the time")
    r"|\b(?:was|were|am|are)\s+(?:just\s+)?(?:wondering|hoping)\s+(?:if|whether|that)?\s*"
    r"(?:you|we|i)\s+(?:could|can|might|would|will)\b"
    r"|\b(?:i|we)(?:\s+would|'d)\s+like\s+to\s+know\s+(?:if|whether)\s+(?:you|i|we)\b"
    r"|\bwanted\s+to\s+(?:[\w-]+\s+){0,5}?see\s+(?:if|whether)\s+(?:you|your)\b"
    r"|\blooking\s+to\s+you\s+(?:for|to)\b"
    r"|\b(?:i|we)(?:\s+would|'d)\s+like\s+to\s+(?:schedule|set\s+up|arrange)\s+"
    r"(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:call|meeting|conversation|time)\b"
    r"|^\s*you\s+(?:pick|choose|name)\s+the\b"
    # "LARRY MAY WOULD LIKE FOR HIS … CONTRIBUTIONS TO BE TERMINATED": asks for it done
    r"|\bwould\s+like\s+(?:for\s+)?(?:[\w'’-]+\s+){1,6}?to\s+be\s+\w+(?:ed|en)\b",
    re.I,
)


def _reply_only_kind(text: str) -> str | None:
    """The kind of an ask that the action-item rules reject but a reply must answer."""
    if _NOT_AN_ASK.search(text):
        return None
    # "If you have any brochures, canyou send them": the request beside the condition.
    condition = asking_condition(text)
    if condition:
        rest = _GLUED_YOU.sub(r"\1 \2", text[: condition.start()] + text[condition.end() :])
        if request_cue(rest.strip(" ,")):
            return ask_kind(text)
    if _APPRECIATE_IF.search(text) or _INDIRECT_REQUEST.search(text):
        return "request"
    if text.rstrip().endswith("?") and is_small_talk(text):
        return "open"
    # "Going forward, should we be keeping the firm deal whole …?" asks the reader too
    if text.rstrip().endswith("?") and (
        _TO_THE_READER.search(text) or _YES_NO_AFTER_COMMA.search(text)
    ):
        return ask_kind(text)
    return implied_ask_kind(text)


def _introduces_list(ask: Ask, later: list[Ask], text: str) -> bool:
    """ "Several questions come to mind …:" stands for the questions right after it (not
    for a question further down: "I'd like your approval on a few things: 1) We'd like …")."""
    following = [a.start for a in later if a.start > ask.start]
    return (
        ask.text.rstrip().endswith(":")
        and bool(following)
        and bool(_BETWEEN_ITEMS.fullmatch(text[ask.end : min(following)]))
    )


def _is_heading(text: str) -> bool:
    """A short question in capitals, or in title case whose only lower-case words are the
    small words of a title ("Unable to Run the Race?"; not "Is it Enron Pipeline Company?")."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", text)
    if not text.rstrip().endswith("?") or len(words) > 8 or _TO_THE_READER.search(text):
        return False
    if len(words) >= 2 and all(w.isupper() for w in words if len(w) > 1):
        return True
    lower = [w for w in words if not w[0].isupper()]
    capitalised = [w for w in words if w[0].isupper() and len(w) > 3]
    return len(capitalised) >= 2 and all(w in _TITLE_SMALL_WORDS for w in lower)


_BETWEEN_ITEMS = re.compile(r"[\s\d().:*•-]*")
#: "Judy Please call Lindsay …": a line to someone by name, typed without the comma.
_NAMED_REQUEST = re.compile(r"^\s*([A-Z][a-z]+)\s+(?:(?-i:Please)|can\s+you|could\s+you)\b")
#: "The following is an informal agenda listing of topics:": the items after it are topics.
_AGENDA = re.compile(r"\b(?:agenda|topics)\b[^.?!\n]*:", re.I)
_SPEAKS_TO_READER = re.compile(r"\b(?:you|your|please|let\s+(?:me|us)\s+know)\b|\?", re.I)


def _passages_elsewhere(
    text: str, sentences: list[Any], reader_names: set[str]
) -> list[tuple[int, int]]:
    """Where the mail turns to someone it spoke of before ("Judy will get back to us … Judy
    Please call Lindsay … Tell her the invite list …"): up to the next line opened by a name."""
    passages: list[tuple[int, int]] = []
    for index, sentence in enumerate(sentences):
        named = _NAMED_REQUEST.match(sentence.text)
        if not named or named.group(1).lower() in reader_names | _NOT_VOCATIVE:
            continue
        if not re.search(rf"\b{named.group(1)}\b", text[: sentence.start]):
            continue  # not spoken of before: it may be the reader's own name
        end = next(
            (
                s.start
                for s in sentences[index + 1 :]
                if _VOCATIVE.match(s.text) or _NAMED_REQUEST.match(s.text)
            ),
            len(text),
        )
        passages.append((sentence.start, end))
    return passages


def _not_in_passages(asks: list[Ask], passages: list[tuple[int, int]]) -> list[Ask]:
    def elsewhere(ask: Ask) -> bool:
        return any(
            start <= ask.start < end and (ask.start == start or not _TO_THE_READER.search(ask.text))
            for start, end in passages
        )

    return [a for a in asks if not elsewhere(a)]


def _agenda_items(asks: list[Ask], text: str) -> list[Ask]:
    """Verb-first items of an agenda ("3. Discuss potential system modifications") are the
    meeting's topics, not requests to the reader; "Please give me a call …" after them is."""
    agenda = _AGENDA.search(text)
    if agenda is None:
        return asks
    return [a for a in asks if a.start < agenda.end() or _SPEAKS_TO_READER.search(a.text)]


def _fewer(asks: list[Ask], text: str) -> list[Ask]:
    asks = [
        a
        for a in asks
        if not (
            _NOT_AN_ASK.search(a.text)
            or _SELF_TAG.search(a.text)
            or _is_heading(a.text)
            or asks_nothing(a.text)
        )
    ]
    asks = [a for a in asks if not _introduces_list(a, asks, text)]
    asks = _agenda_items(asks, text)
    return one_ask_per_invitation(asks)


__all__ = ["MAX_ASKS", "MAX_SCAN_CHARS", "YES_NO_QUESTION", "ask_kind", "find_asks"]
