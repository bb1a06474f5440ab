"""Whether a sentence refers back to the one before it: the grammar of the references.

"Is this sufficient under Texas law?" asks about whatever the mail said just before it; a
brief that quotes it after cutting that sentence attaches it to something else, and the
quote still matches the mail word for word. ``refers_back`` says whether a sentence does
so: a pronoun or demonstrative subject, a question about "this"/"it"/"he", an elliptical
"if so" / "if you do," / "if approved", "the above", "as mentioned", "this"/"these" as a
pronoun further on, a clause-final "it", "your preference" without the options.
``context`` uses it to find the sentence leant on.

The rule is grammatical, not a list of phrases from particular mails: what is detected is
the *form* (a pro-form in subject position or right after a question's auxiliary), whatever
the words around it.
"""

from __future__ import annotations

import re

#: Connectives and comment adverbs that may come before the reference ("But this is ...",
#: "So, it ...", "Needless to say he likes to eat.").
_CONNECTIVE = (
    r"(?:(?:and|but|so|also|however|again|plus|then|now|still|yet|thus|hence|needless\s+to"
    r"\s+say|of\s+course|apparently|unfortunately|fortunately|luckily|obviously|clearly"
    r"|hopefully|anyway|actually|basically|honestly|sadly|in\s+fact|maybe|perhaps)\b[\s,]*)*"
)
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
        |need|needs|want|wants|approve|approved|send|forward|check|avoid|prevent|resolve
        |address|discuss|consider|explain|confirm)
        |about|of|with|on|into|from)\s+that\b
        (?=\s*(?:[?!.,;)]|$|(?:if|when|by|asap|today|tonight|tomorrow|soon|now|already
        |again|too|either|before|after|until|please|for\s+(?:me|us|you)|as\s+well)\b))""",
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


#: "him" or "her" that ends the sentence, in one that names nobody: "Do I have your
#: authority to discuss your accounts with him?" (not "… Francisco's schedule; speak
#: with him").
_OBJECT_PERSON = re.compile(
    r"\b(?:about|of|with|on|for|into|from|at|to)\s+(?:him|her)\s*[?!.]*\s*$", re.IGNORECASE
)
_NAME = re.compile(r"(?<!^)\b(?!I\b)[A-Z][a-z]*\b")
#: A count whose noun was said before: "There are 3 in the negotiation process".
_COUNT_OF_BEFORE = re.compile(
    r"^\W*there\s+(?:are|were|will\s+be)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten"
    r"|several|a\s+few)\s+(?:in|on|at|that|which|left|remaining|pending|outstanding)\b",
    re.IGNORECASE,
)


def refers_back(text: str) -> bool:
    """Whether ``text`` opens with a reference to what came before it (also after a comment
    adverb: "Needless to say he …"; or a count without its noun: "There are 3 in …"), or
    uses "this", "these", "that", "such a", a clause-final "it" or "them", a final "him"
    or "her" in a sentence that names nobody, a pair ("both of us") it does not name,
    "further stated" or "your preference" on its own for it."""
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
        or _COUNT_OF_BEFORE.match(text)
        or (_OBJECT_PERSON.search(text) is not None and not _NAME.search(text))
    )


__all__ = ["refers_back"]
