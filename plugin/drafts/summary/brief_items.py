"""Lines of a list or a table, which a brief must not quote in place of the ask.

A numbered item ("Contact name at Counterparty 6." after "Please email me the following
information: 1.") or a table's cells ("Duke Energy Marketing LP" / "ECC.") says nothing
on its own: quoted alone it reads as the only item, or as a name with nothing to say of
it. The request scorer still calls "Contact name at Counterparty 6." an imperative (its
first word is a verb), so the brief chose it over the sentence that asks. An item that
asks itself ("2. Please send your fax number", "3. Can you confirm the limit?") is still
an ask.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from plugin.drafts.calendar.timewords import MONTH_RE
from plugin.drafts.summary.actions import request_cue
from plugin.drafts.summary.rank import is_sign_off, says_something
from plugin.drafts.text.context import (
    ends_in_a_first_cell,
    item_number,
    list_siblings,
    points_ahead,
    previous_said,
)
from plugin.drafts.text.sentences import Sentence

#: A line that is only a list marker: "1.", "(b)", "iv)", "-".
_MARKER_ONLY = re.compile(r"^\W*(?:\(?(?:\d{1,2}|[A-Za-z]|[ivx]{1,4})[.)]|[-*\u2022])\W*$")
#: A line that opens with one: "1. Contact name …", "- Fax number …", "(a) Size of tank".
_MARKER_START = re.compile(r"^\s*(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|[-*\u2022])\s+")
#: An item that asks by itself: "please", the reader addressed, a question.
_ASKS_ITSELF = re.compile(r"\b(?:please|pls|kindly|you|your)\b|\?\W*$", re.IGNORECASE)
_WORDS = re.compile(r"[A-Za-z0-9]+")
_NUMBER_OPENS = re.compile(r"^\W{0,2}?\(?(\d{1,2})[.)]\s+(?=[A-Za-z])")
#: A row of a list or a table cell is short: "Number of tanks", "Duke Energy Marketing LP".
MAX_ITEM_WORDS = 8
#: How many rows back a list is followed from its opening line.
MAX_LIST_RUN = 12
#: How many lines on a list's next item may start after the last one said.
ITEM_LINES = 3
#: A line that ends in an item's number: "1." alone, or "… points with them:  1.".
_ENDS_IN_NUMBER = re.compile(r"(?:^|[\s:])\(?\d{1,2}[.)]\s*$")
#: An item's number in running text: "Con Ed has asked:  (1)  that Market Quotation …".
_INLINE_NUMBER = re.compile(r"(?<![\w(])\((\d{1,2})\)(?=\s)")
#: … unless the number is a day of a date: "… also effective June 1."
_ENDS_IN_A_DATE = re.compile(rf"\b{MONTH_RE}\s+\d{{1,2}}\.\s*$", re.IGNORECASE)
#: A numbered list this short, of items this short, is said whole at the cost of one
#: sentence: "1) WebLogic. 2) Data postings. 3) Outages." is one thing the mail says.
SHORT_LIST_ITEMS, SHORT_ITEM_WORDS = 4, 12
#: At most this many words make a line an item of a list without marks ("WSPP Agt.").
BARE_ITEM_WORDS = 5
_THE_FOLLOWING = re.compile(r"\b(?:the\s+following|as\s+follows)\b", re.IGNORECASE)
#: A line that announces the very next one: "… something like:", "… as follows."
_ANNOUNCES_NEXT = re.compile(r":\s*$|\b(?:the\s+following|as\s+follows)\W*$", re.IGNORECASE)
#: A section's heading: a few capitalised words, or numbers after a word, joined by
#: "and", "of", "&" … ("Stations 3 and 4.", "Russ and Greg.", "Due Diligence:").
_HEADING_JOINERS = frozenset({"and", "of", "for", "the", "to", "in"})
_HEADING = re.compile(
    r"^(?!(?:dear|hi|hello|welcome)\b)[A-Z][A-Za-z'-]*"
    r"(?:\s+(?:(?:and|of|for|the|to|in|&)\s+)?(?:[A-Z][A-Za-z'-]*|\d{1,3})){1,3}\s*[.:]\s*$",
    re.IGNORECASE,
)


def is_list_item(sentences: Sequence[Sentence], position: int) -> bool:
    """Whether ``sentences[position]`` is an item of a list or a cell of a table: it opens
    with a list marker or follows a line that is only one ("1." / "Contact name at
    Counterparty 6."), follows a line that points ahead ("… the following information:"),
    is a row with sibling rows, or is a short line after a short line without a stop (a
    table's cells: "Duke Energy Marketing LP" / "ECC.") or in a run of items. Only a short
    line (at most ``MAX_ITEM_WORDS`` words) is an item."""
    return _item(sentences, position, MAX_LIST_RUN)


def _item(sentences: Sequence[Sentence], position: int, budget: int) -> bool:
    text = sentences[position].text
    # A long sentence after "… as follows:" is the content itself, not an item of it.
    if not _short_row(text):
        return False
    if _MARKER_ONLY.match(text) or _MARKER_START.match(text):
        return True
    if list_siblings(sentences, position):
        return True
    before = previous_said(sentences, position)
    if before is None:
        # The mail's first line has nothing before it to tell a cell from a title.
        return False
    if _MARKER_ONLY.match(sentences[before].text) or points_ahead(sentences[before].text):
        return True
    if _short_row(sentences[before].text) and not _ended(sentences[before].text):
        return True  # a table's cells: "Duke Energy Marketing LP" / "ECC."
    return budget > 0 and _item(sentences, before, budget - 1)


def lone_item(sentences: Sequence[Sentence], position: int) -> bool:
    """An item of a list or table that does not ask anything by itself."""
    text = sentences[position].text
    return is_list_item(sentences, position) and not _ASKS_ITSELF.search(text)


#: A please that only points the way to what follows: "Please see example below:".
_POINTER = re.compile(r"^\W*(?:please\s+)?(?:see|find|note|refer\s+to|read)\b", re.IGNORECASE)


def asks_ahead(
    ahead: Sequence[Sentence],
    ranked: Sequence[Sentence],
    requests: Mapping[int, Any],
    sentences: Sequence[Sentence],
) -> list[Sentence]:
    """The sentences of ``ahead`` (those that point at a list) that stay candidates for the
    request: ones that say please or ask the reader ("Please email me the following
    information:"; not "Joe, see end of message."), where an item of their list is taken
    for an ask ("Contact name at Counterparty 6.") or nothing else in the mail asks.
    Otherwise the other asks and the list's items say more than the line that introduces
    them."""
    positions = {s.index: n for n, s in enumerate(sentences)}
    # With no other ask ("Attached for your review and comment, please find Defendant's
    # proposed discovery requests:" over a disclaimer), the announcing ask is the request,
    # unless it only points the way ("Please see example below:") or ends in the first
    # cell of what it announces ("… the menu will be as follows: Monday.").
    others_ask = any(s.start in requests for s in ranked)
    if others_ask and not any(
        s.start in requests and lone_item(sentences, positions[s.index]) for s in ranked
    ):
        return []
    return [
        s
        for s in ahead
        if s not in ranked
        and s.start in requests
        and getattr(requests[s.start], "cue", None) in ("please", "ask")
        and (others_ask or not (_POINTER.match(s.text) or ends_in_a_first_cell(s.text)))
    ]


def skips_items(sentences: Sequence[Sentence], taken: Collection[int], position: int) -> bool:
    """Whether saying the numbered item ``sentences[position]`` beside the ``taken``
    positions would leave out an item between two said ones: "1) Deployment of WebLogic."
    then "3) Transmission line outages." reads as a list of two (campbell-l_inbox_531)."""
    number = item_number(sentences[position].text)
    if number is None:
        return False
    for other in taken:
        other_number = item_number(sentences[other].text)
        if other_number is None or abs(other_number - number) < 2:
            continue
        low, high = sorted((other, position))
        between = [k for k in range(low + 1, high) if item_number(sentences[k].text) is not None]
        if any(k not in taken for k in between) or len(between) < abs(other_number - number) - 1:
            return True
    return False


def short_numbered_list(sentences: Sequence[Sentence], position: int) -> list[int]:
    """The positions of the whole numbered list ``sentences[position]`` is an item of, when
    it is short (at most ``SHORT_LIST_ITEMS`` one-line items of at most
    ``SHORT_ITEM_WORDS`` words, numbered on from 1); else []."""
    number = _opening_number(sentences[position].text)
    if number is None:
        return []
    first = position - (number - 1)
    run: list[int] = []
    k = first
    while 0 <= k < len(sentences) and _opening_number(sentences[k].text) == len(run) + 1:
        run.append(k)
        k += 1
    if position not in run or not 1 < len(run) <= SHORT_LIST_ITEMS:
        return []
    if any(len(_WORDS.findall(sentences[k].text)) > SHORT_ITEM_WORDS for k in run):
        return []
    return run


def announced_by(sentences: Sequence[Sentence], position: int) -> int | None:
    """The line that announces the numbered list whose item ``sentences[position]`` is
    ("The above counterparty has requested the following changes to the ETA:  1." before
    "Make the reps in section 2(d) reciprocal  2."), or None. Said without it, the items
    read as the writer's own orders. A numbered item (one that opens with its number,
    follows a line that is only one, or follows a line that ends in one) is followed back
    to its list's announcement; any line right after an announcement that says something
    ("The following is the statement we are using with the media:") brings it too."""
    before = previous_said(sentences, position)
    if (
        before == position - 1
        and points_ahead(sentences[before].text)
        # "… as follows:", "… the following." announce the next line; "see end of
        # message" points elsewhere.
        and bool(_ANNOUNCES_NEXT.search(sentences[before].text))
        and says_something(sentences[before], len(sentences))
    ):
        return before
    here = position
    for _ in range(MAX_LIST_RUN):
        before = previous_said(sentences, here)
        if before is None:
            return None
        text = sentences[before].text
        numbered = (
            _opening_number(sentences[here].text) is not None
            or bool(_MARKER_ONLY.match(sentences[here].text))
            or _ends_in_item_number(text)
            or bool(_MARKER_ONLY.match(text))
        )
        if not numbered:
            return None
        if points_ahead(text):
            return before
        here = before
    return None


def _ends_in_item_number(text: str) -> bool:
    """Whether ``text`` ends in a list item's number ("… points with them:  1."), not in a
    date's day ("… also effective June 1.")."""
    return bool(_ENDS_IN_NUMBER.search(text)) and not _ENDS_IN_A_DATE.search(text)


def headed_by(sentences: Sequence[Sentence], position: int) -> int | None:
    """The heading line just before ``sentences[position]`` ("Stations 3 and 4." before
    "I received a call from Roger Kohn, the permit engineer …"), or None. Said without it,
    the sentence reads as about the whole mail, or as said to every reader ("Russ and
    Greg." / "You will be one cost center …"). A heading opens a block: the line before it
    is not another short line of the kind (a list of names), nor cut off by an
    abbreviation ("Enron Expat. Services, Inc.")."""
    before = previous_said(sentences, position)
    if before is None or before != position - 1 or sentences[before].lead_in:
        return None
    text = sentences[before].text
    above = previous_said(sentences, before)
    return (
        before
        if _heading(text)
        and not is_sign_off(text)
        and not is_list_item(sentences, before)
        and (above is None or not _heading(sentences[above].text))
        else None
    )


def _heading(text: str) -> bool:
    # Case-insensitive matching lets "and" through; each other word must be capitalised.
    # A shouted line is a heading only with a colon ("PAYMENT NETTING:"); "SORRY FOR
    # INCONVENIENCE." is a sentence.
    words = _WORDS.findall(text)
    shouted = all(w.isupper() or w.isdigit() for w in words)
    return (
        bool(_HEADING.match(text))
        and all(w[0].isupper() or w.isdigit() or w.lower() in _HEADING_JOINERS for w in words)
        and (not shouted or text.rstrip().endswith(":"))
    )


def list_goes_on(sentences: Sequence[Sentence], position: int) -> bool:
    """Whether the brief's last sentence, ``sentences[position]``, announces a list or is
    one of its items, and the mail goes on with an item the brief does not say ("(1) …
    (2) …" of three)."""
    last = sentences[position]
    before = previous_said(sentences, position)
    item = (
        _opening_number(last.text) is not None
        or is_list_item(sentences, position)
        # "2." / "Add …", "… open credit points with them: 1." / "They want …"
        or (before is not None and _ends_in_item_number(sentences[before].text))
    )
    ahead = [k for k in range(position + 1, len(sentences)) if not sentences[k].lead_in]
    # An item that ends in the next item's number ("Make the assignment provision in
    # Section 6(b) reciprocal  3.") says there is a next item.
    if item and ahead and _ends_in_item_number(last.text):
        return True
    # "… (1) that Market Quotation apply … (2) to jointly determine …" with "(3) to
    # identify …" further on.
    numbers = [int(found) for found in _INLINE_NUMBER.findall(last.text)]
    if numbers and any(f"({max(numbers) + 1})" in sentences[k].text for k in ahead[:ITEM_LINES]):
        return True
    # A line further on must show it is an item ("(3) …", "- …", "2."), within the next
    # few (an item may run over a line or two: "… arbitration provision." / "Is this
    # correct?" / "2."); a short "Thanks." after the last item ends the list.
    if (item or points_ahead(last.text)) and any(
        _marked(sentences[k].text) for k in ahead[:ITEM_LINES]
    ):
        return True
    # Unmarked items: "… print out the docs in the following files?" / "WSPP Agt." /
    # "Municipality Info": a short line after "the following", and a short line after it;
    # not an ask ("Please call with any questions.").
    return (
        before is not None
        and request_cue(last.text) is None
        and bool(_THE_FOLLOWING.search(sentences[before].text))
        and bool(ahead)
        and all(
            len(_WORDS.findall(sentences[k].text)) <= BARE_ITEM_WORDS for k in (position, ahead[0])
        )
    )


def list_goes_before(sentences: Sequence[Sentence], position: int) -> bool:
    """Whether the brief opens inside a list: its first sentence, ``sentences[position]``,
    is an item after another item the brief does not say ("3. The transaction must be …")."""
    before = previous_said(sentences, position)
    if before is None:
        return False
    number = _opening_number(sentences[position].text)
    return (number is not None and number > 1) or (
        is_list_item(sentences, position) and is_list_item(sentences, before)
    )


def _opening_number(text: str) -> int | None:
    """The number a line opens with, followed by the item's words ("2) Data postings …");
    not a bare "1." nor "… THE EVENING OF : 2." (the next item's number, cut off)."""
    found = _NUMBER_OPENS.match(text)
    return int(found.group(1)) if found else None


def _marked(text: str) -> bool:
    return marker_only(text) or bool(_MARKER_START.match(text)) or item_number(text) is not None


def marker_only(text: str) -> bool:
    """Whether a line is only a list marker ("1.", "(b)", "-"): leaving it out leaves
    nothing out."""
    return bool(_MARKER_ONLY.match(text))


def _short_row(text: str) -> bool:
    return 0 < len(_WORDS.findall(text)) <= MAX_ITEM_WORDS


def _ended(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))


__all__ = [
    "announced_by",
    "asks_ahead",
    "headed_by",
    "is_list_item",
    "list_goes_before",
    "list_goes_on",
    "lone_item",
    "marker_only",
    "short_numbered_list",
    "skips_items",
]
