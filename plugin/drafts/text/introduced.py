"""A demonstrative that points back with a noun a left-out sentence introduced.

"I don't think all of you need to be on this call" means the call a sentence before it
introduced ("our commercial team would then like to have a call with ACE"). A draft that
keeps the sentence, leaves out the one that introduced the call and says something else
before it ("we will talk with you about this on Monday") reads "this call" as that
other call. Said first, a demonstrative names its referent well enough: "Please sign this
agreement by Friday." quoted alone is about the attached agreement. So a "this/these/those
<noun>" leans on a left-out sentence only when the draft says something before it and
nothing it says before names the noun: on the left-out sentence that names the noun (at
most ``LOOK_BACK`` back), else on the sentence right before it when that one is left out
and the word reads as a noun ("this treatment", "these deals"; not "this further", "those
who", "this Agreement", "this presents").

Measured before each part was adopted (issue 12). The first part, on the fourteenth judged
sample: refusing every "this <noun>" quoted without the sentence before it caught 4
unfaithful dev drafts and refused 17 faithful ones; this form caught 3 and refused 1. The
second part (5 Dec 2026), with the planner saying the sentence leant on at no cost to the
brief's budget (``brief.plan_brief``): 141 of 3,726 unread dev briefs change; read blind in
pairs, faithful 137 against 126, useful 129 against 103, preferred 97 to 44. Charged to the
budget instead, it crowded out what the brief skipped to (119 pairs: faithful 110 against
108, useful 86 against 94, preferred 46 to 73).
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
#: Words after a demonstrative that are not the noun it points back with: "those who",
#: "this further", "this past", "these days", "this also" (checked in lower case).
_NOT_A_NOUN = word_set(
    """who whom which whose what that then now further also same past next last only just
    very much more most many few all both such other others here there way kind sort type
    one ones days weeks months years times january february march april may june july
    august september october november december holiday holidays let mean taken"""
)


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
    """The position of the left-out sentence that a "this <noun>" in
    ``sentences[position]`` points back to: the one that introduced the noun, else the one
    right before it; when the draft says the positions ``said`` (which hold ``position``)
    and something of them comes before it (see the module docstring); else None."""
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
        if position - 1 not in said and _is_noun(found.group(1), found.group(0).split()[0]):
            return position - 1
    return None


def _is_noun(word: str, determiner: str) -> bool:
    """Whether ``word`` after ``determiner`` reads as the noun (or the adjective before it)
    of a phrase that points back: not a name or defined term ("this Agreement"), an adverb,
    a function word, or a verb after "this" ("this presents a problem")."""
    lower = word.lower()
    if word[0].isupper() or lower in _NOT_A_NOUN or lower.endswith("ly"):
        return False
    singular = determiner.lower() == "this"
    return not (singular and lower.endswith("s") and not lower.endswith(("ss", "us", "is")))


__all__ = ["LOOK_BACK", "introduced_in_a_gap"]
