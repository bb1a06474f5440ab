"""Which asks a free-text intent answers: its clauses matched to what each ask asks for.

A user answers several asks in one line, in words the asks do not share ("Monday is fine,
there is no rush" to "What is your time frame?"). The intent is split into clauses
(``clauses.split_clauses``), and each clause goes to the ask(s) it fits, in this order
(tuned on the dev labels only):

1. words: stemmed content words the clause shares with an ask, each word weighted by how
   few asks hold it ("GISB" in every ask tells nothing); a tie answers all tied asks;
2. meaning (when an embedding model is at hand): MiniLM cosine of clause and ask above
   ``MIN_COSINE``, best pair first;
3. kind: a clause naming a time answers a "when"/"time frame" ask, a name a "who" ask, a
   number a "how many/much" ask, a way to reach the user a "call me / e-mail me" ask;
4. order: between two answered asks (or before the first, after the last), as many
   unmatched clauses as unmatched asks answer them in the mail's order;
5. a plain grant ("Sure, I'll fax it tonight") answers every yes/no question and request,
   never an open question or a bare "Please advise."; a bare "Yes" heading the answer to a
   request ("Yes, as written 1.6 could …" to "Please comment on 1.6") answers the yes/no
   question left.

"Yes" alone answers only a yes/no question, and courtesies and hedges ("Happy to help",
"Not sure yet") answer nothing. A bare "Please let me know." asks for the answer to the
question before it (``bare.bare_heads``). Anything else keeps its placeholder: a clause that
fits no ask answers none, and nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from connectors.errors import ConfigError
from plugin.drafts.reply.asks import YES_NO_QUESTION
from plugin.drafts.reply.bare import is_bare
from plugin.drafts.reply.clauses import DAYS, MONTHS, Clause, split_clauses, stemmed_words
from plugin.drafts.reply.slots import Ask

#: Embeds texts as L2-normalised rows (``Engine.embed``).
Embed = Callable[[Sequence[str]], np.ndarray]
#: Cosine above which a clause answers an ask that shares no word with it (dev-tuned:
#: right pairs from 0.36, wrong ones up to 0.24; 0.25-0.35 score the same on dev).
MIN_COSINE = 0.3

_TIME = re.compile(
    rf"\b(?:{MONTHS.replace(' ', '|')}|{DAYS.replace(' ', '|')}|today|tonight|tomorrow|"
    r"yesterday|morning|afternoon|evening|noon|week|month|year|weekend|asap|rush|soon|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?=\s|$)|"
    r"\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d\d|\d{1,2}/\d{1,2})\b",
    re.I,
)
_NUMBER = re.compile(r"[$€£]?\d")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_WANTS = (
    ("time", re.compile(r"\b(?:when|what time|time ?frame|schedule|how soon|date)\b", re.I)),
    ("person", re.compile(r"\b(?:who|whom|whose)\b", re.I)),
    ("number", re.compile(r"\bhow (?:many|much)\b|\b(?:price|cost|amount|number)\b", re.I)),
)
#: "Please call me at 713-853-4772 or e-mail me" wants a way to reach the user or a call …
_CONTACT_ME = re.compile(
    r"\b(?:call|phone|ring|e-?mail|contact|reach)\s+me\b"
    r"|\bphone\s+number\s+and\s+(?:a\s+)?time\b|\btime\s+to\s+(?:call|contact|reach)\s+you\b",
    re.I,
)
#: … which "You can reach me at 503-555-0142" or "I'll call you tomorrow" gives.
_CONTACT_GIVEN = re.compile(
    r"\b(?:reach|call|phone|ring|e-?mail|contact)\s+(?:me|you)\b|\d{3}[-.]\d{4}\b|\S@\S"
    # "there's no need to call": the user declines to be called, which answers it too
    r"|\bno\s+need\s+to\s+(?:call|phone|contact|e-?mail|reach)\b",
    re.I,
)
#: "Your further thoughts … are welcomed" and "Please provide me your comments …" ask the
#: same: the clause that answers one answers the other (round s8).
_FEEDBACK = re.compile(r"\b(?:thoughts|comments|feedback|input|views|opinion)\b", re.I)
#: Asks for the user's own ideas: "Any input would be greatly appreciated", "If you can
#: think of anything else you would like to see, please let me know".
_WANTS_INPUT = re.compile(
    r"\b(?:thoughts|comments|feedback|input|views|opinion|suggestions|ideas)\b"
    r"|\banything\s+else\s+(?:you|that\s+you)\s+(?:would\s+like|want|need|think)\b",
    re.I,
)
#: "Let me know what else would be needed" and "… if there are additional changes you
#: need" ask for more of something; ...
_MORE_WANTED = re.compile(
    r"\b(?:anything|what|something)\s+else\b|\b(?:any|what)\s+(?:other|further|more)\b"
    r"|\badditional\b",
    re.I,
)
#: ... "No other changes are needed", "Nothing else", "That's all" answers each of them.
_NOTHING_MORE = re.compile(
    r"^\s*(?:(?:no|nothing|none)\s+(?:else|additional|other|further|more)\b"
    r"|nothing\s+(?:\w+\s+){0,2}?else\b|that'?s (?:all|everything|it)\b)",
    re.I,
)
#: Two asks with the same question word and a shared subject put one question twice.
_QUESTION_WORD = re.compile(r"\b(?:why|when|where|who|how (?:much|many|long|soon))\b", re.I)
_GRANT = re.compile(
    r"^\s*(?:yes|yep|yeah|sure|ok(?:ay)?|of course|certainly|absolutely|will do|no problem|"
    r"happy to|glad to|done)\b",
    re.I,
)
_POLAR_ONLY = re.compile(
    r"^\s*(?:yes|yep|yeah|sure|ok(?:ay)?|no|nope|of course|certainly|absolutely|fine)\s*[.!]*$",
    re.I,
)
#: Courtesies and hedges answer nothing: "Happy to help", "Not sure yet", "I'll check".
_NO_ANSWER = re.compile(
    r"^\s*(?:thanks|thank you|happy to help|glad to help|hope|good to hear|great|"
    r"no worries|cheers|talk soon|best|not sure|maybe|perhaps|no idea|i don't know|"
    r"see you(?: (?:there|then|soon|later|tomorrow|on \w+))?\s*[.!]*$|take care|"
    r"i'?ll (?:check|look into it|find out|see)|let me (?:check|see|think))\b",
    re.I,
)


def _wants(ask: Ask) -> str:
    if _CONTACT_ME.search(ask.text):
        return "contact"
    if ask.kind in ("yes_no", "request"):
        return "yes_no"
    for wanted, pattern in _WANTS:
        if pattern.search(ask.text):
            return wanted
    return "thing"


def _provides(clause: str) -> set[str]:
    kinds = set()
    if _TIME.search(clause):
        kinds.add("time")
    if _NUMBER.search(clause):
        kinds.add("number")
    if _NAME.search(clause):
        kinds.add("person")
    if _CONTACT_GIVEN.search(clause):
        kinds.add("contact")
    return kinds


def _lexical(clauses: list[Clause], ask_texts: list[str]) -> np.ndarray:
    ask_words = [stemmed_words(text) for text in ask_texts]
    holders: dict[str, int] = {}
    for words in ask_words:
        for word in words:
            holders[word] = holders.get(word, 0) + 1
    scores = np.zeros((len(clauses), len(ask_texts)))
    for row, clause in enumerate(clauses):
        words = stemmed_words(clause.text)
        for column, wanted in enumerate(ask_words):
            scores[row, column] = sum(1 / holders[w] for w in words & wanted)
    return scores


def match_clauses(
    asks: list[Ask],
    open_asks: list[int],
    text: str,
    embed: Embed | None = None,
    context: dict[int, str] | None = None,
) -> tuple[list[tuple[str, int, int]], list[Clause]]:
    """The intent's sentences, and its clauses with the open asks each one answers
    (``context``: mail text that says what a bare ask is about, matched with it)."""
    sentences, clauses = split_clauses(text)
    if not clauses or not open_asks:
        return sentences, clauses
    context = context or {}
    ask_text = {i: f"{context.get(i, '')} {asks[i].text}".strip() for i in open_asks}
    lexical = _lexical(clauses, [ask_text[i] for i in open_asks])
    answered: set[int] = set()
    for row, clause in enumerate(clauses):  # 1. shared words
        best = lexical[row].max()
        if best > 0:
            clause.asks = [open_asks[c] for c in np.flatnonzero(lexical[row] == best)]
            answered.update(clause.asks)
    free = [c for c in clauses if not c.asks]
    if embed is not None and free and len(answered) < len(open_asks):  # 2. meaning
        waiting = [i for i in open_asks if i not in answered]
        cosine = cosines(embed, [c.text for c in free], [ask_text[i] for i in waiting])
        for flat in np.argsort(-cosine, axis=None):
            row, column = divmod(int(flat), len(waiting))
            if cosine[row, column] < MIN_COSINE:
                break
            index = waiting[column]
            if not free[row].asks and index not in answered and _fits(asks[index], free[row].text):
                free[row].asks = [index]
                answered.add(index)
        free = [c for c in free if not c.asks]
    waiting = [i for i in open_asks if i not in answered]
    for index in list(waiting):  # 3. a way to reach the user, from any clause that gives one
        if _wants(asks[index]) == "contact":
            fit = next((c for c in clauses if "contact" in _provides(c.text)), None)
            if fit is not None:
                fit.asks.append(index)
                waiting.remove(index)
                if fit in free:
                    free.remove(fit)
    for index in list(waiting):  # a time for "when", a name for "who", a number
        wanted = _wants(asks[index])
        fit = next((c for c in free if wanted in _provides(c.text)), None)
        if fit is not None and wanted in ("time", "person", "number"):
            fit.asks = [index]
            free.remove(fit)
            waiting.remove(index)
    if waiting:
        waiting = _in_order(clauses, asks, open_asks, waiting)
    for clause, after in pairwise(clauses):
        # "Yes, as written 1.6 could …" to "Please comment on 1.6. … Can this happen?": the
        # "Yes" says more than the clause it heads, which answers no question.
        fit = next((i for i in waiting if asks[i].kind == "yes_no"), None)
        if (
            fit is not None
            and not clause.asks
            and _POLAR_ONLY.match(clause.text)
            and after.sentence == clause.sentence
            and after.asks
            and not any(_asked_as_question(asks[i].text) for i in after.asks)
            and _fits(asks[fit], clause.text)
        ):
            clause.asks = [fit]
            waiting.remove(fit)
    nothing_more = next((c for c in clauses if _NOTHING_MORE.match(c.text)), None)
    for index in list(waiting):  # "anything else?" twice, answered by "nothing else"
        if nothing_more is not None and _MORE_WANTED.search(asks[index].text):
            nothing_more.asks.append(index)
            waiting.remove(index)
    for index in list(waiting):  # the same ask twice in other words
        if _FEEDBACK.search(asks[index].text):
            fit = next(
                (c for c in clauses if any(_FEEDBACK.search(asks[i].text) for i in c.asks)), None
            )
            if fit is not None:
                fit.asks.append(index)
                waiting.remove(index)
    for index in list(waiting):  # "… why my VAR is $2.2 million", "… why the VAR is so large"
        fit = next((c for c in clauses if _same_question(asks, index, c)), None)
        if fit is not None:
            fit.asks.append(index)
            waiting.remove(index)
    if len(waiting) == len(open_asks) and all(_WANTS_INPUT.search(asks[i].text) for i in waiting):
        # Asked only for ideas, and no clause names an ask: the user's words are the ideas
        # ("Please add pipeline interconnects to the maps." to "Any input …").
        for clause in clauses:
            if not _NO_ANSWER.match(clause.text):
                clause.asks += waiting
        waiting = []
    # 4. A plain grant answers every yes/no question and request; "Please advise." wants
    # to be told something, which a grant is not.
    # "Yes, I have the confirms and will fax them, and I mailed the check": where some
    # clauses answered asks by name and others of their own answer nothing, the user
    # answered point by point and granted nothing else
    point_by_point = lexical.any() and any(
        not c.asks and not _GRANT.fullmatch(c.text) for c in clauses[1:]
    )
    grantable = all(asks[i].kind != "open" for i in open_asks) and not point_by_point
    if waiting and grantable and _GRANT.match(text) and not any(is_bare(asks[i]) for i in waiting):
        clauses[0].asks += [i for i in waiting if _granted(asks[i], lexical, open_asks.index(i))]
    return sentences, clauses


def _granted(ask: Ask, lexical: np.ndarray, column: int) -> bool:
    """Whether a plain grant ("Yes, I told Kirk …", "Done, …") answers ``ask`` too. Not a
    question the user's words passed over when they answered another by name (the "yes" is
    that one's), and not an ask made by a statement that no word of the intent touches."""
    if ask.implied and not lexical[:, column].any():
        return False
    return not (ask.text.rstrip().endswith("?") and lexical.any())


def _same_question(asks: list[Ask], index: int, clause: Clause) -> bool:
    """Whether ``clause`` answers an ask that puts the same question as ask ``index``: the
    same question word, and a word the two asks and the clause all share."""
    wanted = _QUESTION_WORD.search(asks[index].text)
    if wanted is None:
        return False
    words = stemmed_words(asks[index].text) & stemmed_words(clause.text)
    for other in clause.asks:
        word = _QUESTION_WORD.search(asks[other].text)
        same = word is not None and word.group().lower() == wanted.group().lower()
        if same and words & stemmed_words(asks[other].text):
            return True
    return False


def answers_nothing(text: str) -> bool:
    """Whether every clause of ``text`` is a courtesy or a hedge ("Not sure yet.",
    "Thanks, let me check."): such an intent answers no ask, even the only one."""
    _sentences, clauses = split_clauses(text)
    return bool(clauses) and all(_NO_ANSWER.match(c.text) for c in clauses)


#: "Not much", "All good here", "I'm doing well": how the user is, the answer to small talk.
_STATE = re.compile(
    r"\b(?:fine|good|well|great|busy|quiet|ok|okay|alive|not\s+much|nothing\s+much|"
    r"hanging\s+in|crazy|hectic)\b",
    re.I,
)


def reports_a_state(clause: str) -> bool:
    return bool(_STATE.search(clause))


def cosines(embed: Embed, rows: list[str], columns: list[str]) -> np.ndarray:
    """Cosine of each row text to each column text; all zero (no signal) when the model
    directory has no embedding model, so the reply is drafted all the same."""
    try:
        vectors = np.asarray(embed(rows + columns))
    except ConfigError:
        return np.zeros((len(rows), len(columns)))
    return vectors[: len(rows)] @ vectors[len(rows) :].T


def _in_order(
    clauses: list[Clause], asks: list[Ask], open_asks: list[int], waiting: list[int]
) -> list[int]:
    """Unmatched clauses answer the unmatched asks in order where the matched ones show the
    user answering in the mail's order: between two answered asks, as many clauses as asks
    left between their answers. The asks still waiting are returned."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for position, clause in enumerate(clauses):
        for index in clause.asks:
            first.setdefault(index, position)
            last[index] = position
    answered = [i for i in open_asks if i in first]
    if any(last[a] > first[b] for a, b in pairwise(answered)):
        return waiting  # answered out of order: position says nothing
    still = list(waiting)
    for before, after in zip([None, *answered], [*answered, None], strict=True):
        low_ask = -1 if before is None else before
        high_ask = len(asks) if after is None else after
        low_clause = -1 if before is None else last[before]
        high_clause = len(clauses) if after is None else first[after]
        gap_asks = [i for i in waiting if low_ask < i < high_ask]
        gap_clauses = [c for c in clauses[low_clause + 1 : high_clause] if not c.asks]
        if not gap_asks or len(gap_clauses) != len(gap_asks):
            continue
        pairs = list(zip(gap_clauses, gap_asks, strict=True))
        if all(_fits(asks[i], c.text) for c, i in pairs):
            for clause, index in pairs:
                clause.asks = [index]
                still.remove(index)
    return still


def _asked_as_question(text: str) -> bool:
    """ "Can you help us identify …", "Is it done?": a yes answers these, not "Please comment"."""
    return bool(YES_NO_QUESTION.match(text)) or text.rstrip().endswith("?")


def _fits(ask: Ask, clause: str) -> bool:
    """Whether ``clause`` can be the answer to ``ask`` by what the ask wants."""
    wanted = _wants(ask)
    if _POLAR_ONLY.match(clause):  # "Yes" answers a yes/no question and nothing else
        # (not an ask made by a statement: "… wanted to make sure it wasn't for the stands")
        return wanted == "yes_no" and not ask.implied
    if _NO_ANSWER.match(clause):
        return False
    return wanted in ("yes_no", "thing") or wanted in _provides(clause)


__all__ = [
    "MIN_COSINE",
    "Embed",
    "answers_nothing",
    "cosines",
    "match_clauses",
    "reports_a_state",
]
