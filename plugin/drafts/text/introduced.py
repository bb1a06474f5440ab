"""A demonstrative that points back with a noun a left-out sentence introduced.

"I don't think all of you need to be on this call" means the call a sentence before it
introduced ("our commercial team would then like to have a call with ACE"). A draft that
keeps the sentence, leaves out the one that introduced the call and says something else
before it ("we will talk with you about this on Monday") reads "this call" as that
other call. Most demonstratives name their referent well enough: "Please sign this
agreement by Friday." quoted alone is about the attached agreement, whatever the mail
said before it; "this report" is the one attached. So a "this/these/those <noun>" is
refused only when all three hold: the draft says something before it, nothing it says
before names the noun, and a sentence it left out between them (at most ``LOOK_BACK``
back) does.

Measured before it was adopted (issue 12, the fourteenth judged sample): refusing every
"this <noun>" quoted without the sentence before it caught 4 unfaithful dev drafts and
refused 17 faithful ones; this form caught 3 and refused 1.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from plugin.drafts.text.sentences import Sentence, word_set

#: "this call", "these people": a demonstrative and the noun it points back with.
_DEMONSTRATIVE_NOUN = re.compile(r"\b(?:this|these|those)\s+([a-z]{3,})\b", re.IGNORECASE)
#: Words after a demonstrative that point at the mail itself, the calendar or nothing.
_NOT_BACK = word_set(
    """email e-mail mail message note memo letter week weekend morning afternoon evening
    night year month quarter time season summer fall winter spring monday tuesday
    wednesday thursday friday saturday sunday is are was were will would could should can
    may might must has have had one ones"""
)
_WORDS = re.compile(r"[a-z]+")
#: How many sentences back a left-out sentence may have introduced the noun.
LOOK_BACK = 2


def _stem(word: str) -> str:
    word = word.lower()
    for ending in ("ies", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORDS.findall(text.lower())}


def introduced_in_a_gap(
    sentences: Sequence[Sentence], said: Collection[int], position: int
) -> int | None:
    """The position of the left-out sentence that introduced the noun of a "this <noun>"
    in ``sentences[position]``, when the draft says the positions ``said`` (which hold
    ``position``) and something of them comes before it (see the module docstring); else
    None."""
    before = [k for k in said if k < position]
    if not before:
        return None
    text = sentences[position].text
    named = set().union(*(_stems(sentences[k].text) for k in before))
    for found in _DEMONSTRATIVE_NOUN.finditer(text):
        noun = _stem(found.group(1))
        if found.group(1).lower() in _NOT_BACK or noun in named:
            continue
        if noun in _stems(text[: found.start()]):
            continue
        for k in range(position - 1, max(max(before), position - 1 - LOOK_BACK), -1):
            if noun in _stems(sentences[k].text):
                return k
    return None


__all__ = ["LOOK_BACK", "introduced_in_a_gap"]
