"""Asks made by a statement, and sentences that only look like asks (the fresh dev labels of
session 8, written blind in the fresh labels' convention; docs/replies.md, "Round s8").

A careful reader answers these though no question mark or "can you" says so:

* an indirect question: "I was wondering when we would be notified", "Would like to know
  who McCombs would suggest", "They want to know if there will be space", "My question for
  you is where …";
* a need the reader can meet: "I still need coding information …", "I will need an answer
  today", "We need to be able to see them on EOL", "we now need to have your P number";
* a welcome: "Your further thoughts … are welcomed", "Any amount you can donate would be
  greatly appreciated";
* a softened request: "I'd really like to have you present", "Maybe you could apply …",
  "You will want to change …", "I would like to get access to the site", "wanted to make
  sure it wasn't for the cake stands";
* a document sent for review or signature: "Attached is the letter we would like signed",
  "I am forwarding to you for review the attached GISB";
* an invitation without "please": "Join us for a drink … tomorrow at 3:30";
* a question that asks by its tail: "…, no?", "True or false?", "… but what about the
  transport charges?", "… Anyone interested?".

And these ask nothing: a notice ("Please note …", "please know that you remain our first
choice", "Please remember the stealth mode"), a saying ("Go figure."), an offer ("If there
are additional people … I can coordinate with please let me know", "If there is any more
information that will help you …, please let me know"), a row of a pasted table
("Return wire by Boston Safe Deposit  530").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from plugin.drafts.reply.slots import Ask
from plugin.drafts.text.sentences import Sentence

_WH = r"(?:when|what|who|whom|whose|which|where|why|how)"
#: "He'll want to know when we are finished": what someone else wonders is news, not an ask.
_NOT_HIM = r"(?<!\bhe\s)(?<!\bshe\s)(?<!\bhe'll\s)(?<!\bshe'll\s)(?<!\bhe\swill\s)"
# One spelling of "wants to know" for both the yes/no and the open indirect question.
_WANTS_TO_KNOW = (
    rf"{_NOT_HIM}\b(?:wondering|wonder|(?:would|'d)\s+like\s+to\s+know|wants?\s+to\s+know|"
    r"needs?\s+to\s+(?:know|find\s+out))"
)
#: … about the reader, the writer or a thing ("if there will be space"), not about a third
#: person ("I would like to know if he received my resume": he answers that, docs round 4).
_INDIRECT_YES_NO = re.compile(
    _WANTS_TO_KNOW + r"\s+(?:if|whether)\s+(?:you|we|i|there|this|that|it)\b",
    re.I,
)
_INDIRECT_OPEN = re.compile(
    rf"{_WANTS_TO_KNOW}\s+{_WH}\b"
    r"|\bmy\s+question\s+(?:for\s+you\s+)?(?:[\w,]+\s+){0,4}?is\s+(?:whether|if|" + _WH + r")\b",
    re.I,
)
_REQUESTED = re.compile(
    # a need the reader can meet
    r"(?:^\s*|,\s*|\bbut\s+)(?:but\s+|so\s+)?(?:i|we)(?:\s+(?:still|will|also|now|really|do)|'ll)*"
    r"\s+need\s+"
    r"(?:an?\s+(?:answer|response|decision|reply)\b|your\b|"
    r"to\s+(?:(?:have|get)\s+your|be\s+able\s+to)\b|(?:[\w-]+\s+)?(?:information|info|approval)\b)"
    r"|\b(?:i|we)\s+(?:still\s+|also\s+)?need\s+(?:[\w-]+\s+)?(?:information|info)\s+to\b"
    # a welcome
    r"|\b(?:your|any)\s+(?:[\w-]+\s+){0,2}?(?:thoughts|comments|feedback|input|suggestions|"
    r"ideas|views|response|reply)\b[^.?!]*?\b(?:is|are|would\s+be|will\s+be)\s+"
    r"(?:\w+\s+)?(?:appreciated|welcome|welcomed)\b"
    r"|\bany\s+\w+\s+you\s+(?:can|could)\s+\w+[^.?!]*?\bwould\s+be\s+(?:\w+\s+)?appreciated\b"
    # a softened request
    r"|\b(?:i|we)(?:\s+would|'d)\s+(?:really\s+|very\s+much\s+)?like\s+(?:to\s+have\s+)?you\s+"
    r"(?:to\s+)?(?!know\b)[a-z]+"
    r"|\b(?:would|'d)\s+(?:also\s+)?like\s+to\s+(?:get|have|obtain|receive|request)\s+"
    r"(?:access|a\s+copy|copies)\b"
    r"|^\s*(?:maybe|perhaps)\s+you\s+(?:could|can|might)\b(?![^!]*!\s*$)"
    r"|^\s*you\s+will\s+(?:want|need)\s+to\b"
    r"|(?<!he\s)(?<!she\s)(?<!they\s)\bwanted\s+to\s+(?:make\s+sure|confirm|verify)\b"
    # a document sent for review or signature
    r"|\b(?:(?:attached|enclosed)\s+(?:is|are|please\s+find)|(?:forwarding|sending)\s+(?:to\s+)?you|"
    r"see\s+the\s+attached)\b[^.?!]*?\b(?:for\s+(?:your\s+)?"
    r"(?:review|approval|signature|comments)|(?:like|to\s+be)\s+signed)\b"
    # an invitation without "please"
    # (with its time or place, not a newsletter's "Join us for these reports")
    r"|^\s*(?:come\s+)?join\s+(?:us|me)\s+(?:for|at)\b[^.?!]*?"
    r"(?:\b\d{1,2}(?::\d\d)?\s*(?:a\.?m|p\.?m)|\bat\s+[A-Z])",
    re.I,
)
#: A wish the reader can grant, said as a statement (the blind ask labels of session 8 count
#: them, docs/replies.md "Session 39"): "Let's discuss their addendum.", "It would be most
#: helpful if you give me a range of dates", "I could use your advice on this", "I am in need
#: of several more contract copies", "I will need to have the Vector Alliance set up", "I'd
#: like to discuss our ability to compete", "I'd love to know what is going on in your life".
#: Not a wish about the writer's own doing: "I would like to thank …", "… to move forward".
_WISHED = re.compile(
    r"^\W*(?:(?:but|and|so|also|now|anyway|ok|okay)\W+)?let['’]?s\s+"
    r"(?:talk|discuss|meet|get\s+together|set\s+up|schedule)\b"
    r"|\bit\s+(?:might|would|could|will)\s+be\s+(?:very\s+|really\s+|most\s+|extremely\s+)?"
    r"(?:helpful|useful)\s+(?:if\s+(?:you|we|each|all|the\s+\w+\s+of\s+us)\b|"
    r"to\s+(?:have|get|know|receive|see|discuss|talk|meet)\b)"
    r"|\b(?:i|we)\s+could\s+(?:really\s+)?use\s+your\b"
    r"|\b(?:i|we)(?:\s+(?:am|are)|['’](?:m|re))\s+in\s+need\s+of\b"
    r"|^\W*(?:i|we)(?:\s+will|['’]ll)\s+(?:also\s+)?need\s+to\s+(?:have|receive)\b"
    r"|\b(?:i|we)(?:\s+would|['’]d)\s+(?:really\s+|also\s+|definitely\s+|very\s+much\s+)?"
    r"(?:(?:like|love)\s+(?:to\s+(?:get\s+together|hear|discuss|talk|meet|book|schedule)\b"
    r"|(?:your|everyone['’]?s)\s+(?:help|advice|input|thoughts|comments|ideas)\b)"
    r"|love\s+to\s+know\b)",
    re.I,
)
#: "We probably need to do some structuring here, no?", "True or false?", "… but what
#: about the transport demand charges?", "… Anyone interested?"
_TAIL_QUESTION = re.compile(
    r"\b(?:we|you|us|our|your)\b[^?]*,\s*(?:no|right|correct|agreed|true)\s*\?+\s*$"
    r"|^\s*(?:true\s+or\s+false|yes\s+or\s+no|agreed)\s*\?+\s*$"
    r"|\b(?:any(?:one|body)(?:\s+(?:interested|else|game))?|any\s+takers)\s*\?+\s*$",
    re.I,
)
_WHAT_ABOUT = re.compile(r"(?:,|\bbut|\band)\s+(?:what|how)\s+about\b[^?]*\?+\s*$", re.I)
#: "Please note …", "please know that you remain our first choice": told, not asked …
_NOTICE = re.compile(
    # "Please remember to bring your packet" asks; "Please remember that …" tells
    r"^\s*(?:[\w\s]{0,40},\s*)?please\s+(?:note|know|remember(?!\s+to\b)|"
    r"be\s+(?:advised|aware|informed))\b"
    # "Go figure.", "See you then!": a saying, not a request
    r"|^\s*(?:go\s+figure|guess\s+what|imagine\s+that|see\s+you\s+(?:then|there|soon))\b"
    # "See below for details.": a pointer to read on, the whole sentence
    r"|^\s*(?:please\s+)?see\s+(?:below|above|attached|the\s+attached(?:\s+\w+)?)\s*"
    r"(?:for\s+(?:more\s+)?(?:details|information|info))?\s*[.!]?\s*$",
    re.I,
)
#: … unless a request follows in the same sentence ("Please note the date and let me know …").
_REQUEST_AFTER = re.compile(
    r"\b(?:let\s+(?:me|us)\s+know|please\s+\w+|can\s+you|could\s+you)\b", re.I
)
#: "If there are additional people … that I can coordinate with please let me know": an offer.
_OFFER = re.compile(
    r"\bif\s+there\s+(?:is|are|'s)\s+(?:any(?:thing|one)?|additional|other|more)\b[^.?!]*?"
    r"\b(?:(?:i|we)\s+(?:can|could|may)|help\s+you|you\s+need)\b[^.?!]*?\blet\s+(?:me|us)\s+know\b",
    re.I,
)
#: A courtesy however it is worded: "If you have questions please contact me at X56955",
#: "Call with questions.", "Call David Portz at 3-9239 with questions.", "If there are any
#: issues with this please forward questions to Tim", "Let me know if there's anything I
#: can do to help you", "If there is anyone I have missed … please forward it on", "If you
#: know of someone who should receive this e-mail …, please forward", and a
#: legal footer's "If you receive this email in error, please notify the sender" or "Please
#: advise if you … do not consent to Internet email" (the fresh intent labels of session
#: 36, docs/replies.md). Not "if you have any comments": that asks for them
#: (``actions.asking_condition``).
_COURTESY = re.compile(
    r"\bif\s+(?:you\s+(?:have|had|should\s+have)|there\s+(?:are|is|were))\s+(?:any\s+)?"
    r"(?:(?:further|other|additional|more)\s+)?(?:questions?|problems?|concerns?|issues?)\b"
    r"|\b(?:call|contact|e-?mail|phone)\b[^.?!]{0,40}?\bwith\s+(?:any\s+)?"
    r"(?:questions?|concerns?|problems?)\b"
    r"|\bif\s+there(?:'s|\s+is|\s+are)\s+any(?:thing|one)\s+(?:else\s+)?(?:that\s+)?"
    r"(?:i|we)\s+(?:can|could|have|may\s+have)\b"
    r"|\b(?:receive|received|get|got)\s+this\s+(?:e-?mail|message|transmission)\s+in\s+error\b"
    r"|\bdo(?:es)?\s+not\s+consent\s+to\s+(?:internet\s+)?e-?mail\b"
    r"|\bif\s+you\s+know\s+(?:of\s+)?(?:someone|anyone|anybody|others|other\s+people)\s+"
    r"(?:who|that)\b",
    re.I,
)
#: "Please let me know when this book is set up": wants word that it is done, which "Done,
#: the book is set up" gives, like a request (not an open question).
_TELL_WHEN_DONE = re.compile(
    r"\blet\s+(?:me|us)\s+know\s+when\s+(?:[\w-]+\s+){1,4}?(?:is|are|has\s+been|have\s+been)\s+"
    r"(?:set\s+up|done|ready|complete|completed|finished|in\s+place|signed|sent|fixed)\b",
    re.I,
)


def wishes(sentences: Sequence[Sentence], document_id: str | None) -> list[Ask]:
    """The wishes of a mail that asks nothing else, as asks. Beside a question or a request
    a wish only leads up to it ("I'd like to schedule some time with you … Please let me
    know what works for you.", "Let's talk about this. Let me know your thoughts."), and its
    own placeholder would ask the user twice. A plain "Yes" takes one up only with a word of
    it (``implied``)."""
    return [
        Ask(s.text, s.start, s.end, document_id, "request", implied=True)
        for s in sentences
        if _WISHED.search(s.text) and not asks_nothing(s.text)
    ]


def implied_ask_kind(text: str) -> str | None:
    """The kind of an ask made by a statement or by a question's tail, else None."""
    words = re.findall(r"[A-Za-z]+", text)
    if len(words) <= 6 and all(w.isupper() for w in words):
        return None  # "I NEED MORE INFORMATION": a heading of a notice, asked of nobody
    if _INDIRECT_YES_NO.search(text):
        return "yes_no"
    if _INDIRECT_OPEN.search(text):
        return "open"
    if _TAIL_QUESTION.search(text):
        return "yes_no"
    if _WHAT_ABOUT.search(text):
        return "open"
    if _REQUESTED.search(text):
        return "request"
    return None


#: "Return wire by Boston Safe Deposit  530": a row of a pasted table, cut into a "sentence"
#: at its line; it ends in a figure, with no full stop and no word to the reader.
_TABLE_ROW = re.compile(r"[\d)]\s*$")
_TO_SOMEONE = re.compile(r"\b(?:please|you|your|me|us|let|can|could|would|will)\b|\?", re.I)


#: A task asked before a courtesy in its sentence: "Please review and call me with any
#: questions" asks for the review ("Please give me a call with any questions" does not).
_REQUEST_BEFORE = re.compile(
    r"\bplease\s+(?:review|read|sign|test|complete|fill|return|send|forward|check|approve|"
    r"confirm|update|fax|print|look|execute|initial)\b",
    re.I,
)


def _only_courtesy(text: str) -> bool:
    """A courtesy, and no request in another sentence joined to it ("… contact your HR
    rep.\nPlease send your updated contact information …", where "rep." hid the break) or
    before it in its own ("Please review and call me with any questions")."""
    pieces = re.split(r"(?<=[.!?])\s+", text)
    courtesies = [(p, _COURTESY.search(p)) for p in pieces]
    return (
        any(found for _p, found in courtesies)
        and not any(_REQUEST_AFTER.search(p) for p, found in courtesies if not found)
        and not any(_REQUEST_BEFORE.search(p, 0, found.start()) for p, found in courtesies if found)
    )


def asks_nothing(text: str) -> bool:
    """A notice, a saying, a courtesy, an offer of help or a table row, however worded."""
    if _OFFER.search(text) or _only_courtesy(text):
        return True
    if _TABLE_ROW.search(text) and not _TO_SOMEONE.search(text):
        return True
    notice = _NOTICE.match(text)
    return bool(notice) and not _REQUEST_AFTER.search(text, notice.end())


def tells_when_done(text: str) -> bool:
    return bool(_TELL_WHEN_DONE.search(text))


__all__ = ["asks_nothing", "implied_ask_kind", "tells_when_done", "wishes"]
