"""Sentences that lean on the one before them.

A quote is only as faithful as its context: "Is this sufficient under Texas law?" asks
about whatever the mail said just before it, and "If anyone's interested, please let me
know" is about the offer before it. A draft that keeps such a sentence but cuts the one it
leans on attaches it to something else, and each kept sentence still matches the mail word
for word. ``refers.refers_back`` says whether a sentence makes such a reference;
``antecedent`` names the sentence it leans on (the previous one that is not a greeting),
also for a "you" after a line that names whom it is for, a remark between a list's rows,
a bare value or a line that is only a quotation. ``continued_by`` ties a sentence to the
line that carries it on ("or Sunday morning.", "(as to Daishowa)?"). ``points_ahead`` is
the mirror case: a sentence that introduces what follows ("Hopefully you will agree:
1.", "Please note the following:"), which says nothing on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from plugin.drafts.text.refers import refers_back
from plugin.drafts.text.sentences import Sentence

#: A line that opens by naming whom it is for: "Thersa - I need the balance.", "Paul: …".
_VOCATIVE = re.compile(r"^\W*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*(?:-{1,2}|–|:)\s+\S")
_YOU = re.compile(r"\byou\b", re.IGNORECASE)


#: Ends by pointing at what follows: a colon, maybe with the first list marker after it
#: ("agree: 1.", "below:", "follows: a)", ": -"), or "as follows" / "the following".
_POINTS_AHEAD = re.compile(
    r"""(?::(?:\s+(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|[-*\u2022]))?
        |\b(?:as\s+follows|the\s+following|listed\s+below|see\s+below
        |see\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|my\s+)?(?:message|e-?mail|mail|note))
        [.]?)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
#: "as follows" / "the following" with the first cell of the table after it, which the
#: splitter left on the line ("the menu will be as follows:  Monday", the twelfth judged
#: sample).
_FIRST_CELL = re.compile(
    r"\b(?:as\s+follows|the\s+following)\s*:\s+[^\s.]+(?:\s+[^\s.]+)?[.]?\s*$", re.IGNORECASE
)


#: A sentence that only announces what follows: "Here are some quick thoughts."
_HERE_ARE = re.compile(
    r"^\W*here\s+(?:are|is)\s+(?:some|a\s+few|my|our|a\s+couple\s+of)\s+(?:\w+\s+){0,2}"
    r"(?:thoughts|comments|notes|points|details|questions|ideas|observations|updates)\W*$",
    re.IGNORECASE,
)


#: A forward's introduction: "The following message is from the Leasing office."
_FORWARDED = re.compile(
    r"^\W*the\s+(?:following|attached|below)\s+(?:message|note|e-?mail|memo|announcement)"
    r"\s+(?:is|was|comes|came)\s+from\b",
    re.IGNORECASE,
)


def points_ahead(text: str) -> bool:
    """Whether ``text`` only introduces what comes after it (a list, a table, a quote)."""
    return bool(
        _POINTS_AHEAD.search(text.rstrip())
        or _HERE_ARE.match(text)
        or _FORWARDED.match(text)
        or ends_in_a_first_cell(text)
    )


def ends_in_a_first_cell(text: str) -> bool:
    """Whether ``text`` announces a table and keeps its first cell ("the menu will be as
    follows:  Monday"): shown alone, the cell reads as the whole of what was announced."""
    return bool(_FIRST_CELL.search(text))


def previous_said(sentences: Sequence[Sentence], position: int) -> int | None:
    """The position of the last sentence before ``sentences[position]`` that is not a
    greeting, or None."""
    return next((k for k in range(position - 1, -1, -1) if not sentences[k].lead_in), None)


#: A line that opens a dashed or bulleted row: "- Kim confirmed there are no trades."
_DASH_ROW = re.compile(r"^\s*[-*\u2022]\s+\S")
#: A line that is only a value and its unit: "3.6 MILES.", "7 MILES S" (a report's column
#: cut from the label on the line before it: "THE HYPOCENTRAL DEPTH IS"); not an item's
#: number ("2. Confirm it").
_BARE_VALUE = re.compile(r"^\W*(?!\d{1,2}[.)](?:\s|$))\$?\d[\d,.:/%]*(?:\s+[A-Za-z]+){1,2}\W*$")

#: An "if" clause standing alone as a line: "If you didn't.", "If not:", "If so".
_BARE_CONDITION = re.compile(r"^\W*if\b[^,;:.!?]{0,40}[.:!]?\s*$", re.IGNORECASE)
#: A request with nothing to say what about: "Please call.", "Let me know.", "Please advise."
_BARE_REQUEST = re.compile(
    r"^\W*(?:please\s+)?(?:call(?:\s+me)?|let\s+me\s+know|advise|respond|reply|e-?mail\s+me)"
    r"\s*[.!]*\s*$",
    re.IGNORECASE,
)
#: The formula a bare request answers: "Any questions?", "Any other concerns?".
_ANY_QUESTIONS = re.compile(
    r"^\W*any\s+(?:other\s+|more\s+)?(?:questions|problems|concerns|comments|issues)\b[^.!]*\?\s*$",
    re.IGNORECASE,
)
#: A line that is only a quotation: "\"Issues - Sr. Management Approval Required\"." Who
#: says it, or what it is proposed as, is in the line that introduces it (the
#: twenty-eighth sample: a proposed new name read as an existing label).
_QUOTED_ALONE = re.compile(r'^\s*["\u201c][^"\u201c\u201d]+["\u201d][\s.!?,;:]*$')


def antecedent(sentences: Sequence[Sentence], position: int) -> int | None:
    """The position (in ``sentences``) of the sentence that ``sentences[position]`` leans
    on when it refers back, when it says "you" right after a line that names whom it
    is for, when it is a remark between the rows of a dashed list (about the row before
    it), when it is only a value (of the label before it) or only a quotation (of the
    line that introduces it), when the line before is only a condition ("If you didn't.")
    or it is a bare request after "Any questions?": the previous sentence that
    is not a greeting; None when it does none of these or nothing comes before it."""
    before = previous_said(sentences, position)
    text = sentences[position].text
    if refers_back(text) or _BARE_VALUE.match(text) or _QUOTED_ALONE.match(text):
        return before
    if before is not None:
        previous = sentences[before].text
        # "If you didn't." / "let me know.": the line is the condition of the next one.
        if _BARE_CONDITION.match(previous):
            return before
        # "Any questions?" / "Please call.": the request is only for whoever has one.
        if _BARE_REQUEST.match(text) and _ANY_QUESTIONS.match(previous):
            return before
    # "- Leslie confirmed nothing is due by Metromedia. / Has anyone found the LC?": the
    # question is about that row; after another row it would ask about another LC.
    if before is not None and _DASH_ROW.match(sentences[before].text) and not _DASH_ROW.match(text):
        return before
    # "Thersa - I need the balance. Can you send it?": the "you" is the person the line
    # before names; after another line it would ask someone else.
    if before is not None and _YOU.search(text) and _VOCATIVE.match(sentences[before].text):
        return before
    return None


#: A line that opens with one of these in lower case continues the line before it (the
#: mail broke one sentence over two lines): "I can play Saturday morning." / "or Sunday
#: morning." Quoting the first alone turns an alternative or a condition into a claim.
#: So does a remark in brackets that carries the question mark of the line before it:
#: "… when there is a change of ownership, etc." / "(as to Daishowa)?" (the thirty-first
#: sample); a remark with a stop ("(approx. 30 minutes).") only adds to its line.
_CONTINUES = re.compile(
    r"^\W*(?:or|nor|unless|except|but|otherwise|if)\b|^\s*\((?=\s*[a-z])[^()?]*\)\s*\?\s*$"
)


def continued_by(sentences: Sequence[Sentence], position: int) -> int | None:
    """The position of the sentence that carries on ``sentences[position]`` with an
    alternative, exception or condition in lower case, or None.

    Not the splitter's line joining (``sentences._continues``): that one decides where a
    sentence ends (a hard wrap, an abbreviation's period) and leaves a typed full stop as
    an end; this one works on finished sentences and ties a pair whose meaning runs on
    across that full stop. A quote must keep both; each stays its own cited span."""
    following = position + 1
    if following < len(sentences) and _CONTINUES.match(sentences[following].text):
        return following
    return None


def list_siblings(sentences: Sequence[Sentence], position: int) -> list[int]:
    """The rows next to ``sentences[position]`` that are items of the same list: lines that
    open with the same two words, where a row ends without a full stop ("Enron Center North,
    1400 Smith St., 3:15 PM" / "Enron Center South, 1500 Louisiana St., 3:45 PM"). Quoting one
    row alone reads as if it were the only one."""

    def opening(k: int) -> list[str]:
        return sentences[k].text.lower().split()[:2]

    def is_row(k: int) -> bool:
        return not sentences[k].text.rstrip().endswith((".", "!", "?"))

    head = opening(position)
    if len(head) < 2:
        return []
    siblings = []
    for step in (-1, 1):
        k = position + step
        while 0 <= k < len(sentences) and opening(k) == head and (is_row(k) or is_row(position)):
            siblings.append(k)
            k += step
    return sorted(siblings)


#: A numbered item's marker: at the sentence's start, or after a colon or a run of spaces
#: ("two options:  1)  Establish …", "2) If you do not …"); not "dated Oct 30.".
_ITEM_MARKER = re.compile(r"(?:^|:\s+|\s{2,})\(?(\d{1,2})[.)](?:\s|$)")
#: A number alone on its line ("2."): the item's words are the sentence after it.
_BARE_MARKER = re.compile(r"^\W*\(?\d{1,2}[.)]\s*$")


def item_number(text: str) -> int | None:
    """The number of the numbered item ``text`` opens ("2) Data postings …" -> 2), or None."""
    found = _ITEM_MARKER.search(text)
    return int(found.group(1)) if found else None


def item_head(sentences: Sequence[Sentence], position: int) -> int | None:
    """The sentence that opens the numbered item ``sentences[position]`` lies inside, or
    None. Item 1 of "two options: 1) … 2) …" may run over several sentences; one of them
    quoted alone ("Cardmembers must transfer the points to the new card by March 1.")
    reads as what everyone must do, not as part of one option. Only an item closed by the
    next number is known to hold the sentence (the last item's end is not marked)."""
    if item_number(sentences[position].text) is not None:
        return None
    head = next(
        (k for k in range(position - 1, -1, -1) if item_number(sentences[k].text) is not None),
        None,
    )
    after = next(
        (
            k
            for k in range(position + 1, len(sentences))
            if item_number(sentences[k].text) is not None
        ),
        None,
    )
    if head is None or after is None:
        return None
    number = item_number(sentences[head].text)
    if number is None or item_number(sentences[after].text) != number + 1:
        return None
    if _BARE_MARKER.match(sentences[head].text):
        # "3." / "Annex B - …" / "There is no QI requirement.": the line after the number
        # opens the item, and itself stands on its own
        return head + 1 if head + 1 < position else None
    return head


def leans_on(sentences: Sequence[Sentence], position: int) -> int | None:
    """What ``sentences[position]`` cannot be quoted without: the sentence it refers back
    to, else the opening of the numbered item it lies inside."""
    before = antecedent(sentences, position)
    return before if before is not None else item_head(sentences, position)


def with_context(sentences: Sequence[Sentence], position: int, limit: int) -> list[int] | None:
    """``position`` and the chain of sentences it leans on, in document order, or None
    when the chain is longer than ``limit`` (the sentence cannot be said within it)."""
    chain = [position]
    while (before := leans_on(sentences, chain[0])) is not None:
        chain.insert(0, before)
        if len(chain) > limit:
            return None
    return chain


__all__ = [
    "antecedent",
    "continued_by",
    "ends_in_a_first_cell",
    "item_head",
    "item_number",
    "leans_on",
    "list_siblings",
    "points_ahead",
    "previous_said",
    "with_context",
]
