"""Digest one-liners: junk rules, the "says something" check, fallbacks and the model path."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.document import Document
from connectors.mailparse import parse_message
from plugin.drafts.summary.oneliner import (
    DigestLines,
    act_of,
    junk_reason,
    says_something,
    sender_name,
)

# Lines the old digest printed (issue 18), and why each is junk or says nothing.
OLD_LINES = {
    "http www.quitpalestine.org": "url",
    "he sure did": "fragment",
    "Severity Security": "fragment",
    "From: Ricardo <ricardo@example.org>": "address",
    "On Tue, Ricardo wrote:": "header",
    "contact ricardo@example.org": "address",
    "Gary writes that J> Fine, *I'll* fork it": "header",  # supercite quote markers
    "Steve: &> EL> Yeah, I was thinking of the G4 keyboard": "header",
}
KEYWORD_STRINGS = [
    "sending mail client",
    "get win32 files",
    "passionate about decentralization",
    "that depends on how the list is collected",
]


@pytest.mark.parametrize(("line", "reason"), OLD_LINES.items())
def test_junk_rules(line: str, reason: str) -> None:
    assert junk_reason(line) == reason
    assert not says_something(line)


@pytest.mark.parametrize("line", KEYWORD_STRINGS)
def test_keyword_strings_and_dangling_halves_say_nothing(line: str) -> None:
    assert not says_something(line)


def test_readable_clauses_say_something() -> None:
    assert says_something(
        "Ricardo asks whether mplayer should be built with the Win32 codecs", "Ricardo"
    )
    assert says_something("Kevin: Attached is the headcount for the budget presentation.", "Kevin")
    assert not says_something("Kevin: that depends on how the list is collected", "Kevin")


def test_sender_names_and_verbs() -> None:
    assert sender_name("Ricardo Villalba <ricardo@example.org>") == "Ricardo"
    assert sender_name('"Wynne, Conor" <conor_wynne@maxtor.com>') == "Conor"
    assert sender_name("pudge@perl.org") == "pudge"
    assert sender_name("The Motley Fool <Fool@motleyfool.com>") == "The Motley Fool"
    assert (
        sender_name("CNET News.com Daily Dispatch <x@online.com>") == "CNET News.com Daily Dispatch"
    )
    assert act_of("Could you send the figures?") == "asks"
    assert act_of("Attached is the revised confirmation.") == "sends"
    assert act_of("The call moved to Thursday.") == "writes"


def _doc(text: str, subject: str = "Budget", author: str = "Ann Lee <ann@example.com>") -> Document:
    return Document(id="d", kind="email", source="t", title=subject, author=author, text=text)


def test_without_a_model_the_best_sentence_or_the_labelled_subject() -> None:
    sentence, subject, empty = DigestLines(None).lines(
        [
            _doc("See http://example.org/x\n\nCould you send me the Q3 budget figures by Friday?"),
            _doc("http://example.org/only-a-link", subject="Re: Lunch on Friday"),
            _doc("", subject="Fwd: http://x.example/ ann@example.com"),
        ]
    )
    assert sentence.path == "extractive"
    assert sentence.text == "Ann: Could you send me the Q3 budget figures by Friday?"
    assert sentence.says_something and sentence.verified
    assert (subject.path, subject.text) == ("subject", "Lunch on Friday")
    assert (empty.path, empty.text) == ("subject", "(no subject)")
    for line in (sentence, subject, empty):
        assert junk_reason(line.text) in (None, "fragment") and "http" not in line.text


@pytest.mark.parametrize(
    ("answer", "path"),
    [
        ("for the Q3 budget figures by Friday", "abstractive"),
        ("for the Q3 budget figures, the Q3 budget figures", "extractive"),
    ],
)
def test_a_model_line_that_repeats_itself_falls_back_to_the_sentence(
    answer: str, path: str
) -> None:
    from tests.drafts.engines import FixedAnswerEngine

    (line,) = DigestLines(FixedAnswerEngine(answer)).lines(
        [_doc("Could you send me the Q3 budget figures by Friday?")]
    )
    assert line.path == path, line.rejected
    assert [r.get("repeats", False) for r in line.rejected] == (
        [True] if path != "abstractive" else []
    )


@pytest.mark.integration
def test_real_model_writes_a_checked_line_from_the_top_sentence(
    real_engine, corpus_dir: Path
) -> None:
    request = _doc(
        "Hi Bob,\n\nCould you send me the Q3 budget figures by Friday? The board "
        "meets next week.\n\nThanks,\nAnn"
    )
    bounce = parse_message(
        (corpus_dir / "mail" / "fixtures" / "flanker" / "mailbox-full.eml").read_bytes(), "bounce"
    )
    line, other = DigestLines(real_engine).lines([request, bounce])
    assert line.path == "abstractive", line.rejected
    assert line.text.startswith("Ann asks") and "Q3 budget" in line.text
    assert line.verified and line.says_something and junk_reason(line.text) is None
    assert other.path in {"abstractive", "extractive", "subject"}
    assert junk_reason(other.text) is None or other.path == "subject"
