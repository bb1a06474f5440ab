"""Sentences that lean on the one before them.

A quote is only as faithful as its context: "Is this sufficient under Texas law?" asks
about whatever the mail said just before it, and "If anyone's interested, please let me
know" is about the offer before it. A draft that keeps such a sentence but cuts the one it
leans on attaches it to something else, and each kept sentence still matches the mail word
for word. ``refers_back`` says whether a sentence opens with such a reference (a
pronoun or demonstrative subject, a question about "this"/"it", an elliptical "if so" /
"if you do," / "if anyone is interested", "the above", "as mentioned") or uses "this"/"these" as a
pronoun further on ("How does EOL keep track of this?"); ``antecedent`` names the sentence
it leans on (the previous one that is not a greeting). ``points_ahead`` is the mirror
case: a sentence that introduces what follows ("Hopefully you will agree: 1.", "Please
note the following:"), which says nothing on its own.

The rule is grammatical, not a list of phrases from particular mails: what is detected is
the *form* of the opening (a pro-form in subject position or right after a question's
auxiliary), whatever the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from plugin.drafts.text.sentences import Sentence

#: Connectives that may come before the reference ("But this is ...", "So, it ...").
_CONNECTIVE = r"(?:(?:and|but|so|also|however|again|plus|then|now|still|yet|thus|hence)\b[\s,]*)*"
#: Pro-forms that stand for something said before.
_PRO_FORM = r"(?:it|they|he|she|this|that|these|those|such)"
#: "It is important to ...", "would it be possible to ...", "is it ok to ...", "it seems
#: that": an empty "it" that stands for the clause after it, not for anything said before
#: (after a question's auxiliary the verb comes before it, so the verb is optional).
_EMPTY_IT = (
    r"it\s+(?:(?:is|was|'s|will\s+be|would\s+be|be|seems|seemed|appears|looks)\s+)?"
    r"(?:(?:very|really|quite|so|not|also|more|most|a)\s+)?"
    r"(?:possible|impossible|necessary|important|essential|critical|easy|easier|hard|"
    r"difficult|ok|okay|fine|best|better|good|great|nice|helpful|useful|likely|unlikely|"
    r"clear|true|worth|time|good\s+idea|that|like|as\s+if|as\s+though)\b"
)
#: "this week", "these days": a demonstrative before a time word points at the calendar.
_TIME_WORD = (
    r"(?:week|weekend|morning|afternoon|evening|night|year|month|quarter|time|season|summer"
    r"|fall|autumn|winter|spring|days|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|past|coming|year's|week's|month's)"
)
_AUXILIARY = (
    r"(?:is|isn't|are|aren't|was|wasn't|were|does|doesn't|do|don't|did|didn't|will|won't"
    r"|would|can|could|should|shall|has|have|had|may|might|must)"
)
#: Verbs a demonstrative pronoun is the subject of in a question ("What does this mean?",
#: "How does that sound?"); after any other word it is a determiner ("Why is this problem
#: persisting?" names its own referent).
_PRO_VERB = (
    r"(?:mean|represent|say|show|cover|include|refer|involve|look|work|matter|cost|affect"
    r"|apply|happen|sound|seem|relate|compare|fit)"
)
_REFERS_BACK = re.compile(
    rf"""^\W*{_CONNECTIVE}(?:
        (?!{_EMPTY_IT}){_PRO_FORM}\b(?!\s+{_TIME_WORD}\b)            # "This is ...", "It was ..."
      | {_AUXILIARY}\s+(?!{_EMPTY_IT}){_PRO_FORM}\b(?!\s+{_TIME_WORD}\b)  # "Is this ...?"
      # not "it": "When should it be???" right after the topic it asks about ("we need
      # to pick a date") reads right, and the pair would crowd out a second question
      | (?:how|why|what|when|where|who|which)\s+{_AUXILIARY}(?:n't)?\s+(?:
            (?:he|she|they)\b                                   # "How did he do it?"
          | (?:this|that|these|those)(?=\s*(?:[^\w\s]|$)|\s+{_PRO_VERB}\b))
                                        # "What does this # represent?", not "this problem"
      | if\s+(?:so|not)\b                                           # "If so, ..."
      | if\s+(?:approved|accepted|agreed|signed|granted|rejected|denied|confirmed|selected
            |chosen|awarded|executed|successful|acceptable)\b          # "If approved, ..."
      | if\s+(?:yes|no)\s*[,.;]                                     # "If yes, ..."
      | if\s+(?:you|we|they|i|he|she)\s+{_AUXILIARY}(?:n't|\s+not)?\s*(?:[,.;]|then\b)
                                                                    # "If you do, ..."
      | if\s+{_PRO_FORM}\b                                          # "If this works, ..."
      | if\s+\w+(?:'s|'re|\s+(?:is|are|were|was|be|would\s+be|'d\s+be|might\s+be|may\s+be))?
            \s+interested\b(?!\s+in\b)                              # interested in what?
      | in\s+(?:that|this|which)\s+case\b | otherwise\b | as\s+such\b
      | in\s+(?:that|this)\s+(?:regard|respect|vein)\b | to\s+(?:that|this)\s+end\b
                                        # "In that regard, would you recommend …"
      | (?:accordingly|consequently|therefore|thus|hence)\b(?!\s+far\b)  # "Accordingly, ..."
      | (?:additionally|furthermore|moreover|in\s+addition)\b(?!\s+to\b)
                                        # "Additionally, Beth plans ...": more of the same
      | (?:subsequently|afterwards?|thereafter|previously|since\s+then
         |until\s+then)\b | (?:after|before|prior\s+to)\s+that\s*,
                                        # "Subsequently, the ISO issued …": after what?
      | for\s+(?:that|this|these|those)\s+reasons?\b | as\s+a\s+result\b
      | because\s+of\s+(?:this|that)\b
      | the\s+(?:first|second|third|last|other)\s+(?:part|half|session|one)\b(?!\s+of\b)
      | the\s+(?:above|former|latter|same)\b
      | as\s+(?:mentioned|noted|stated|said|described|explained|shown|discussed)
            \s+(?:above|earlier|before|previously|below)\b
      | as\s+(?:mentioned|noted|stated|said|described|explained)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


#: "this" or "these" standing alone for something said before, anywhere in the sentence:
#: before a stop ("How does EOL keep track of this?"), a verb ("let me know if this is
#: going to create problems") or a word that cannot follow a determiner ("provide this
#: as soon as possible"). A demonstrative before a noun ("this report") names its own
#: referent; one before a colon points ahead. "Thanks for this." is a courtesy.
_PRONOUN_DEMONSTRATIVE = re.compile(
    r"""(?<!thanks\sfor\s)(?<!thank\syou\sfor\s)\b(?:this|these)\b(?=\s*(?:[?!.,;)]|$)|\s+(?:
        is|isn't|was|wasn't|are|aren't|were|will|won't|would|could|should|can|can't|may
        |might|must|has|have|had|does|doesn't|do|did|didn't|means|meant|seems|seemed|looks
        |sounds|gets|got|goes|went|happens|happened|needs|requires|works|worked|makes|made
        |includes|helps|involves|affects|applies|covers|one|ones
        |as|to|by|for|with|asap|soon|today|tonight|tomorrow|now|before|until|when|if|and|or
        |over|out|up|back|again|at|from|in|on|of|off|into|through|around|please|too|also
        |yet|but|so(?!-)|because|since|though|although|unless|while
        |probably|certainly|really|just|still|clearly|definitely|obviously|actually|only
        |never|always|usually|already)\b)""",
    re.IGNORECASE | re.VERBOSE,
)


#: Asking which the reader prefers leans on the options said before it ("Please let me
#: know your preference." after the two ways to extend a contract, the thirty-sixth
#: sample); not "a directory of your choice", nor "your preference: A or B?".
_PREFERENCE = re.compile(
    r"(?<!\bof\s)\byour\s+(?:preference|choice)\b(?!\s+(?:list|sheet|form|of)\b|\s*:)"
    r"|\bwhich\s+(?:one\s+|option\s+)?(?:you|you'd)\s+prefer\b",
    re.IGNORECASE,
)


#: "it" or "them" as the object that ends a clause stands for something said before: "You
#: probably know about it already.", "What do you think of it?", "Please take a look at
#: them and make sure …", or a doing verb's object that ends the sentence ("How did he do
#: it?"); not "make it to the meeting", nor "has read it and understands it" mid-sentence,
#: nor after a clause or an "it" of the same sentence ("If we are going to discuss the
#: terms, let's do it.", "If it ain't broke, don't fix it."), which names what "it" is;
#: and "it" as the subject of an infinitive ("Please arrange for it to be executed").
_OBJECT_IT = re.compile(
    r"""\b(?:about|of|with|on|for|into|from|at)\s+(?:it|them)\b
        (?=\s*(?:[?!.,;)]|$|(?:already|yet|too|again|now|soon|later|anyway|either|and|or)\b))
      | ^(?:(?!\b(?:it|them)\b)[^,;:])*
        \b(?:do|does|did|doing|done|handle|handled|fix|fixed|approve|approved|sign|signed
        |review|reviewed|send|sent|forward|forwarded|check|checked|need|needs|want|wants
        |use|used|read|change|changed|explain|explained|delete|deleted|remove|removed
        |cancel|cancelled|execute|executed)\s+(?:it|them)\s*[?!.]*\s*$
      | \bfor\s+it\s+to\b""",
    re.IGNORECASE | re.VERBOSE,
)
#: "such a guaranty" further on stands for the kind of thing said before ("Can you let me
#: know if ENE has ever issued such a guaranty?"); an opening "Such …" is ``_REFERS_BACK``.
_SUCH_A = re.compile(r"\bsuch\s+an?\b", re.IGNORECASE)


#: "that" as the object of a doing verb or a preposition, with nothing after it that it
#: could introduce: "Can you do that if I get you the rates?", "I agree with that.".
#: Not the conjunction ("confirm that the rates are final") nor a determiner ("send that
#: file"), which a word of the clause or a noun follows.
_OBJECT_THAT = re.compile(
    r"""\b(?:(?:do|does|did|doing|done|handle|handled|fix|fixed|arrange|arranged|try|tried
        |need|needs|want|wants|approve|approved|send|forward|check)
        |about|of|with|on|into|from)\s+that\b
        (?=\s*(?:[?!.,;)]|$|(?:if|when|by|asap|today|tonight|tomorrow|soon|now|already
        |again|too|either|before|after|until|please|for\s+(?:me|us|you))\b))""",
    re.IGNORECASE | re.VERBOSE,
)

#: "we both", "both of us", "the two of us": a pair the writer belongs to, named before
#: ("I came close with 6 wrong, but we both have St. Louis tonight" after "Joe Step …
#: has won"; "most convenient for both of us" after "Tracy and I would like to …").
_PAIR = re.compile(
    r"\b(?:we|us)\s+both\b|\bboth\s+of\s+us\b|\bthe\s+two\s+of\s+us\b", re.IGNORECASE
)
#: The pair named in the same sentence: "Tracy and I both think …".
_NAMES_PAIR = re.compile(r"\b(?:and|&)\s+(?:i|me|myself)\b|\b(?:i|me)\s+and\b", re.IGNORECASE)
#: "The notice further indicated that this practice …": a report that carries on one
#: said before it.
_FURTHER_SAID = re.compile(
    r"\bfurther\s+(?:indicated|stated|said|noted|explained|added|clarified|provided|states"
    r"|indicates|notes|provides|explains)\b",
    re.IGNORECASE,
)


def refers_back(text: str) -> bool:
    """Whether ``text`` opens with a reference to what came before it, or uses "this",
    "these", "that", "such a", a clause-final "it" or "them", a pair ("both of us") it
    does not name, "further stated" or "your preference" on its own for it."""
    text = " ".join(text.replace("’", "'").split())
    return bool(
        _REFERS_BACK.match(text)
        or _PRONOUN_DEMONSTRATIVE.search(text)
        or _OBJECT_IT.search(text)
        or _OBJECT_THAT.search(text)
        or _SUCH_A.search(text)
        or (_PAIR.search(text) and not _NAMES_PAIR.search(text))
        or _FURTHER_SAID.search(text)
        or _PREFERENCE.search(text)
    )


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

#: A line that is only a quotation: "\"Issues - Sr. Management Approval Required\"." Who
#: says it, or what it is proposed as, is in the line that introduces it (the
#: twenty-eighth sample: a proposed new name read as an existing label).
_QUOTED_ALONE = re.compile(r'^\s*["\u201c][^"\u201c\u201d]+["\u201d][\s.!?,;:]*$')


def antecedent(sentences: Sequence[Sentence], position: int) -> int | None:
    """The position (in ``sentences``) of the sentence that ``sentences[position]`` leans
    on when it refers back, when it says "you" right after a line that names whom it
    is for, when it is a remark between the rows of a dashed list (about the row before
    it), when it is only a value (of the label before it) or only a quotation (of the
    line that introduces it): the previous sentence that
    is not a greeting; None when it does none of these or nothing comes before it."""
    before = previous_said(sentences, position)
    text = sentences[position].text
    if refers_back(text) or _BARE_VALUE.match(text) or _QUOTED_ALONE.match(text):
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
    "refers_back",
    "with_context",
]
