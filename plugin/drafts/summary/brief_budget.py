"""How much a brief may say: its budget of sentences, and the lines never worth one.

Long mails get one sentence more, because their point is one of several; a sentence
chosen only for its rank must read cleanly once two are said; a lone word under the mail
(a signature's name) is never said for its rank.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugin.drafts.summary.brief_items import announced_by
from plugin.drafts.text.sentences import LETTER_WORDS, Sentence

#: Three, not two: on 79 unjudged dev mails an independent reader found the three-sentence
#: brief useful for 65 against 53 at two, faithful 76 against 77, and preferred it 59 to 10
#: (docs/quality.md, "Two sentences or three").
MAX_SENTENCES = 3
#: A mail of this many sentences or more gets ``LONG_MAIL_SENTENCES``: its point is one of
#: several. Blind paired readings of unread dev mail: from ten sentences on, 90 differing
#: briefs, useful 66 against 52, faithful 76 against 74, preferred 58 to 32; from eight,
#: 61 more, useful 58 against 44, faithful 59 against 55, preferred 50 to 11; five from
#: twenty on did not pay (docs/quality.md, "Session of 5 Dec 2026 (from 06:46 UTC)").
LONG_MAIL = 8
LONG_MAIL_SENTENCES = 4
#: Sentences said before a sentence chosen only for its rank must pass the lead's penalty bar.
FILLER_AFTER = 2


def brief_limit(sentences: Sequence[Sentence]) -> int:
    """How many sentences the brief of ``sentences`` may say (greetings do not count)."""
    long = sum(not s.lead_in for s in sentences) >= LONG_MAIL
    return LONG_MAIL_SENTENCES if long else MAX_SENTENCES


def lone_word(sentences: Sequence[Sentence], position: int) -> bool:
    """A line of one word that no line announced and that asks nothing: a name under the
    mail, "Thanks." (not "Thoughts?", which is the mail's ask)."""
    text = sentences[position].text
    return (
        len(LETTER_WORDS.findall(text)) < 2
        and not text.rstrip().endswith("?")
        and announced_by(sentences, position) is None
    )


__all__ = [
    "FILLER_AFTER",
    "LONG_MAIL",
    "LONG_MAIL_SENTENCES",
    "MAX_SENTENCES",
    "brief_limit",
    "lone_word",
]
