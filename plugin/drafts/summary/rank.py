"""Rank a document's sentences by how much they carry its point.

Score = centrality (cosine of the sentence's MiniLM embedding to the document centroid)
+ position (mail puts the point first) + cues (requests, questions, deadlines,
decisions) − penalties (greetings, sign-offs, boilerplate, contact lines, pasted tables,
fragments, quoted-printable residue). Weights were tuned on AESLC dev (see
docs/quality.md). Without an engine the centrality term is left out, so ranking still
works for code-only drafts. Bulk mail (newsletters, list mail, mailings) keeps only the
lines a learned model takes for its content, not its furniture (``furniture.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from connectors.mailtrailers import IN_ERROR_PHRASE, NO_REPLY_PHRASE
from plugin.drafts.summary.actions import due_phrase, request_cue
from plugin.drafts.summary.furniture import story_lines
from plugin.drafts.text.sentences import LETTER_WORDS, Sentence

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "centrality": 1.0,
    "position": 1.5,
    "request": 0.25,
    "question": 0.1,
    "deadline": 0.15,
    "decision": 0.2,
    "penalty": 1.0,
}

DECISION = re.compile(
    r"\b(?:decided|agreed|approved|confirmed?|will\s+be|going\s+to|plan\s+to|final(?:ized)?"
    r"|announce[sd]?|effective|cancel(?:l?ed)?|postponed|moved\s+to|rescheduled)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:thanks?(?:\s+(?:you|again|a\s+lot|so\s+much))?|thank\s+you|regards|best(?:\s+regards)?"
    r"|cheers|sincerely|talk\s+(?:to\s+you\s+)?soon|ttyl|take\s+care|love)\b[\s\w,!.]{0,20}$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:let\s+me\s+know\s+if\s+you\s+have\s+any|if\s+you\s+have\s+any\s+questions"
    r"|feel\s+free|can\s+be\s+reached|call\s+me\s+at|my\s+(?:phone|number|cell)"
    r"|confidential|intended\s+recipient|unsubscribe|original\s+message|forwarded\s+by"
    r"|sent\s+from\s+my|all\s+rights\s+reserved|e-?mail\s+address\s+is)\b",
    re.IGNORECASE,
)
#: Quoted-printable left in the text by whoever pasted or forwarded the mail ("=20",
#: "=3D", a soft line break "em= ail"): a sentence carrying it is machine residue.
_QP_RESIDUE = re.compile(r"=(?:20|3D|09)(?![0-9A-F])|[a-z]= [a-z]")


def has_encoding_residue(text: str) -> bool:
    """Whether ``text`` carries quoted-printable residue ("=20", "cont= act")."""
    return bool(_QP_RESIDUE.search(text))


#: Most sentences per document that get an embedding (the rest score no centrality).
MAX_EMBEDDED = 40
_CONTACT = re.compile(r"@|\b\d{3}[ .-]\d{3}[ .-]\d{4}\b|\bext\.?\s*\d+|https?://|www\.")


@dataclass(slots=True)
class RankedSentence:
    sentence: Sentence
    score: float
    features: dict[str, float] = field(default_factory=dict)


#: An opener that carries no point of the mail: an apology for the delay, a wish.
_COURTESY_OPENER = re.compile(
    r"^\W*(?:(?:i'?m|i\s+am|we'?re|we\s+are|so)\s+)*(?:sorry|apologies|my\s+apologies)\b"
    r"|^\W*(?:i|we)\s+hope\s+(?:you|all|this|that\s+you|everyone)\b"
    r"|^\W*(?:hope\s+(?:you|all)|good\s+(?:morning|afternoon|evening)|welcome)\b"
    # A welcome's second line, when it says nothing more: "We are glad to have you on
    # board." (not "… to have you join us as a keynote speaker and …").
    r"|^\W*(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:so\s+|very\s+|really\s+)?(?:glad|happy|pleased"
    r"|delighted|excited|thrilled)\s+to\s+(?:have|welcome)\s+you"
    r"(?:\s+(?:on\s+board|aboard|with\s+us|here|back))*\W*$"
    r"|^\W*(?:[A-Z][a-z]+\s+)?long\s+time\s+no\s+(?:see|speak|talk|hear)\b"
    r"|^\W*(?:it\s+was\s+|it's\s+)?(?:great|good|nice)\s+(?:to\s+)?(?:hear|hearing|see|seeing|talk"
    r"|talking|speak|speaking)\b"
    r"|^\W*thank(?:s|\s+you)\s+(?:so\s+much\s+|very\s+much\s+)?for\s+(?:your|the)\s+"
    r"(?:e-?mail|note|message|reply|response|call|letter)\W*$"
    # A bare greeting on its own line after the name: "Terri, / Hi!"
    r"|^\W*(?:hi|hello|hey|greetings|howdy)(?:\s+(?:there|all|everyone|guys))?\W*$",
    re.IGNORECASE,
)
#: A newsletter's or list's housekeeping, or a legal footer, never the mail's content:
#: "Please do not respond to this e-mail", "reply to sender only", "you have received this
#: message because …", "if you have received this email in error …".
_HOUSEKEEPING = re.compile(
    rf"{NO_REPLY_PHRASE}"
    r"|\byou\s+(?:have\s+)?received\s+this\s+(?:message|e-?mail)\s+because\b"
    r"|\bremoved\s+from\s+(?:the|this|our)\s+(?:distribution|mailing)\s+list\b"
    # a research note's disclaimer: "The information contained herein is based on sources …"
    r"|\b(?:information|material)\s+contained\s+herein\b|\bopinions\s+expressed\s+herein\b"
    r"|\bsolicitation\s+of\s+an\s+offer\s+to\s+(?:buy|sell)\b"
    # a company's legal footer: "If you have received this email in error please notify …"
    rf"|{IN_ERROR_PHRASE}|\bnot\s+the\s+intended\s+recipient\b"
    r"|\bintended\s+(?:solely|only)\s+for\s+the\s+use\s+of\b",
    re.IGNORECASE,
)
#: A date line that heads a letter: "Saturday, December 29, 2001  Richard B Buy Enron ,".
_DATE_LINE = re.compile(
    r"^\W*(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b",
    re.IGNORECASE,
)
#: A header in capitals ("E-NEWS FROM JEFF BLAYLOCK January 24, 2002") names a series,
#: not what this issue says: most of its words are upper case.
HEADER_UPPER_SHARE = 0.6
#: A header is short: a sentence in capitals that says something ("PLEASE NOTE THAT THE
#: DATES WE WERE CONSIDERING … ARE NOT GOING TO WORK") is shouted, not a header.
MAX_HEADER_WORDS = 10


#: "I just got a call from Li Sun.", "Tracy called me at work.", "I spoke w/ Johnny Nor at
#: Navajo today.": how the writer heard, not what; short, and the news follows.
_CONTACT_REPORT = re.compile(
    r"^\W*(?:(?:i|we)\s+(?:just\s+)?(?:got|had|received|returned)\s+(?:a|an|your|his|her)\s+"
    r"(?:\w+\s+)?(?:call|phone\s+call|voice\s*-?mail|message)\b"
    r"|(?:[A-Z][\w'-]*\s+){1,3}(?:just\s+)?(?:called|phoned|rang)\s+(?:me|us)\b"
    r"|(?:i|we)\s+(?:just\s+)?(?:spoke|talked|met|chatted)\s+(?:with\b|w/|to\b))",
    re.IGNORECASE,
)
#: A contact report longer than this carries news of its own.
CONTACT_REPORT_MAX_WORDS = 12
#: "Dear Richard,  Good Morning.": a greeting the splitter left on the opener's line.
_GREETING = re.compile(r"^\W*(?i:dear|hi|hello)\s+[A-Z][a-z]+\s*,\s*")


def is_courtesy_opener(text: str) -> bool:
    """ "Sorry for the delay", "Long time no speak!": opens a mail, says nothing of its point."""
    return bool(_COURTESY_OPENER.match(_GREETING.sub("", text, count=1)))


def is_contact_report(text: str) -> bool:
    """A short report of a call ("I spoke w/ Jon at Acme today."), which the news follows."""
    return bool(_CONTACT_REPORT.match(text)) and (
        len(LETTER_WORDS.findall(text)) <= CONTACT_REPORT_MAX_WORDS
    )


def is_housekeeping(text: str) -> bool:
    """A newsletter's or list's note about itself ("do not respond to this e-mail")."""
    return bool(_HOUSEKEEPING.search(text))


def is_sign_off(text: str) -> bool:
    """Whether ``text`` is a closing formula: "Thanks Mark.", "Best regards"."""
    return bool(_SIGN_OFF.match(text))


def is_header(text: str) -> bool:
    """Whether most words of ``text`` (of two letters or more) are in capitals, or it is a
    short line that opens with a full date."""
    words = LETTER_WORDS.findall(text)
    upper = sum(w.isupper() for w in words)
    if 0 < len(words) <= MAX_HEADER_WORDS and _DATE_LINE.match(text):
        return True
    return 0 < len(words) <= MAX_HEADER_WORDS and upper >= HEADER_UPPER_SHARE * len(words)


#: A sentence penalised no more than for a contact detail says something of its own: not
#: a greeting, a sign-off, boilerplate, residue or a line of under four words.
CONTENT_MAX_PENALTY = 0.4
#: A line with boilerplate ("If you have any questions …") and more words than this
#: carries something else too.
MAX_FORMULA_WORDS = 25


def says_something(sentence: Sentence, n_sentences: int) -> bool:
    """Whether ``sentence`` is content a reader would miss (``CONTENT_MAX_PENALTY``)."""
    return (
        not sentence.lead_in
        and cue_features(sentence, n_sentences)["penalty"] <= CONTENT_MAX_PENALTY
    )


def missed_if_cut(sentence: Sentence, n_sentences: int) -> bool:
    """Whether leaving ``sentence`` out unmarked would hide something: content
    (``says_something``), and also a row of figures or fields that has words in it
    ("Larry........Deal 729346, NY is showing that HE 14 was 78 mw not 100."). The
    residue penalty keeps such a row from being chosen, not from being missed; so does a
    long line that only ends in a formula ("Name: Mike Roberts Term of Contract: Two
    years … If you have any questions, …")."""
    text = sentence.text
    words = len(LETTER_WORDS.findall(text))
    return says_something(sentence, n_sentences) or (
        not sentence.lead_in
        and not is_sign_off(text)
        and (words > MAX_FORMULA_WORDS or not _BOILERPLATE.search(text))
        and words >= 4
    )


def cue_features(sentence: Sentence, n_sentences: int) -> dict[str, float]:
    """The embedding-free features of one sentence."""
    text = sentence.text
    words = LETTER_WORDS.findall(text)
    letters = sum(c.isalpha() for c in text)
    penalty = 0.0
    if sentence.lead_in or is_sign_off(text):
        penalty += 1.5
    if _BOILERPLATE.search(text):
        penalty += 0.8
    if _CONTACT.search(text):
        penalty += 0.4
    if len(words) < 4:
        penalty += 0.6
    if letters < 0.5 * max(len(text), 1) or has_encoding_residue(text):
        penalty += 0.8  # tables of figures, separators, encoding residue
    if len(words) > 60:
        penalty += 0.3
    cue = request_cue(text)
    return {
        "position": 1.0 / (1.0 + sentence.index) if n_sentences > 1 else 1.0,
        "request": 1.0 if cue in ("please", "ask", "imperative") else 0.0,
        "question": 1.0 if text.rstrip().endswith("?") else 0.0,
        "deadline": 1.0 if due_phrase(text) else 0.0,
        "decision": 1.0 if DECISION.search(text) else 0.0,
        "penalty": penalty,
    }


def _centrality(embeddings: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Cosine of each row to the weighted centroid of the rows."""
    if len(embeddings) == 0:
        return np.zeros(0)
    centroid = (embeddings * weights[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    if norm == 0.0:
        return np.zeros(len(embeddings))
    return embeddings @ (centroid / norm)


def embedded_positions(features: Sequence[Mapping[str, float]]) -> list[int]:
    """The sentences worth embedding, by their ``cue_features``: greetings, sign-offs and
    the cells of a pasted table would cost most of the embedding time and never win."""
    return [i for i, f in enumerate(features) if f["penalty"] < 1.0][:MAX_EMBEDDED]


def rank_many(
    documents: Sequence[Sequence[Sentence]],
    engine: Any | None = None,
    weights: Mapping[str, float] | None = None,
    bulk: Sequence[bool] | None = None,
) -> list[list[RankedSentence]]:
    """Rank the sentences of several documents, embedding them all in one batch. A
    document flagged in ``bulk`` (``furniture.is_bulk``) keeps only the lines the furniture
    model takes for its content, when it finds any (it needs the engine's embeddings)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    features = [[cue_features(s, len(sentences)) for s in sentences] for sentences in documents]
    chosen = [embedded_positions(feats) for feats in features]
    flat = [documents[d][i].text for d, picks in enumerate(chosen) for i in picks]
    embeddings = np.asarray(engine.embed(flat)) if engine is not None and flat else None
    out: list[list[RankedSentence]] = []
    offset = 0
    flags = bulk if bulk is not None else [False] * len(documents)
    for sentences, feats_list, picks, in_bulk in zip(
        documents, features, chosen, flags, strict=True
    ):
        central = np.zeros(len(sentences))
        content: set[int] = set()
        if embeddings is not None and picks:
            rows = embeddings[offset : offset + len(picks)]
            central[picks] = _centrality(rows, np.ones(len(picks)))
            if in_bulk:
                penalties = [f["penalty"] for f in feats_list]
                kept = story_lines(sentences, picks, rows, penalties)
                content = {sentences[k].index for k in kept}
        offset += len(picks)
        ranked = []
        for sentence, feats, c in zip(sentences, feats_list, central, strict=True):
            feats["centrality"] = float(c)
            score = sum(weights[k] * v for k, v in feats.items() if k != "penalty")
            score -= weights["penalty"] * feats["penalty"]
            ranked.append(RankedSentence(sentence, float(score), feats))
        ranked.sort(key=lambda r: (-r.score, r.sentence.index))
        # A newsletter's masthead, ads and footers would otherwise win: they are central
        # to nothing but come first (furniture.py).
        out.append([r for r in ranked if r.sentence.index in content] if content else ranked)
    return out


def rank_sentences(
    sentences: Sequence[Sentence],
    engine: Any | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[RankedSentence]:
    """The sentences best first (ties keep document order)."""
    return rank_many([sentences], engine, weights)[0]


__all__ = [
    "CONTENT_MAX_PENALTY",
    "DEFAULT_WEIGHTS",
    "RankedSentence",
    "cue_features",
    "embedded_positions",
    "has_encoding_residue",
    "is_courtesy_opener",
    "is_header",
    "is_housekeeping",
    "is_sign_off",
    "rank_many",
    "rank_sentences",
    "says_something",
]
