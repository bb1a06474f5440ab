"""The author's words survive mail cleaning: the hand-labelled corpus set, every posting
style on real messages, and a property test on generated replies."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.authorship import (
    LabelledMail,
    evaluate,
    lines_of,
    load_labels,
    read_body,
    without_context,
    words,
)
from connectors.mailparse import clean_body
from connectors.quotes import CONTEXT_PREFIX, split_quoted

LABELS_PATH = Path(__file__).resolve().parent.parent / "data" / "mail_authorship.json"
LABELS = load_labels(LABELS_PATH)
#: Styles the issue asks the labelled set to cover, with how many real messages show each.
STYLES = {
    "top-posted": 20,
    "bottom-posted": 20,
    "inline": 10,
    "forwarded": 5,
    "outlook-header": 5,
    "html": 5,
    "signature": 20,
    "list-footer": 20,
    "non-english-attribution": 4,
    "newsletter": 5,
    "msg": 5,
}


def _text(body: str) -> str:
    return split_quoted(body).text


@pytest.fixture(scope="module")
def labelled(shared_dir: Path) -> list[tuple[LabelledMail, str]]:
    return [(label, read_body(label, shared_dir)) for label in LABELS]


def test_labelled_set_covers_the_issue_and_splits_by_group() -> None:
    assert len(LABELS) >= 200
    styles = Counter(style for label in LABELS for style in label.styles)
    for style, least in STYLES.items():
        assert styles[style] >= least, (style, styles[style])
    splits: dict[str, set[str]] = {}
    for label in LABELS:
        splits.setdefault(label.group, set()).add(label.split)
        assert label.path.startswith("corpus/"), label.path  # refers to ../shared, no copies
    assert all(len(sides) == 1 for sides in splits.values()), "a group straddles dev and test"
    counts = Counter(label.split for label in LABELS)
    assert counts["test"] >= 75 and counts["dev"] >= 100


def test_every_label_matches_its_decoded_body(labelled: list[tuple[LabelledMail, str]]) -> None:
    for label, body in labelled:
        n_lines = body.count("\n") + 1
        for start, end in (*label.author, *label.signature):
            assert 1 <= start <= end <= n_lines, label.path


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_posting_style_keeps_the_authors_words(
    style: str, labelled: list[tuple[LabelledMail, str]]
) -> None:
    items = [(label, body) for label, body in labelled if style in label.styles]
    scores = evaluate(_text, items)
    assert scores.lost == [], scores.lost
    assert scores.mostly_lost == [], scores.mostly_lost
    assert scores.recall >= 0.98, (style, scores.recall)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_no_author_text_is_lost_and_recall_meets_the_target(
    split: str, labelled: list[tuple[LabelledMail, str]]
) -> None:
    scores = evaluate(_text, [(label, body) for label, body in labelled if label.split == split])
    assert scores.lost == []
    assert scores.recall >= 0.99


def test_precision_meets_the_target_on_dev(labelled: list[tuple[LabelledMail, str]]) -> None:
    scores = evaluate(_text, [(label, body) for label, body in labelled if label.split == "dev"])
    assert scores.precision >= 0.95


def test_the_test_split_meets_every_target(labelled: list[tuple[LabelledMail, str]]) -> None:
    # measured 0.998 / 0.9715 / 0 on 82 messages with the rules frozen (docs/connectors.md)
    scores = evaluate(_text, [(label, body) for label, body in labelled if label.split == "test"])
    assert scores.lost == []
    assert scores.recall >= 0.99
    assert scores.precision >= 0.95


def test_signatures_go_to_metadata(labelled: list[tuple[LabelledMail, str]]) -> None:
    signed = [(label, body) for label, body in labelled if label.signature]
    moved = 0
    for label, body in signed:
        split = split_quoted(body)
        signature_words = words(lines_of(body, label.signature))
        if sum((signature_words & words(split.signature)).values()) >= 0.8 * sum(
            signature_words.values()
        ):
            moved += 1
    assert moved >= 0.9 * len(signed), (moved, len(signed))


def _by_name(labelled: list[tuple[LabelledMail, str]], name: str) -> str:
    return next(body for label, body in labelled if label.path.endswith(name))


def test_inline_answers_keep_the_question_they_answer(
    labelled: list[tuple[LabelledMail, str]],
) -> None:
    body = _by_name(labelled, "easy-ham-2_00762.33cb23d036d704e77b20ec7b4918a0b0.eml")
    text = split_quoted(body).text
    assert "> Don't know if everybody knows this trick...\nYes. They do." in text


def test_forward_with_nothing_written_keeps_the_forwarded_body(
    labelled: list[tuple[LabelledMail, str]],
) -> None:
    body = _by_name(labelled, "easy-ham-1_00165.a626a87fa5b56f724e6a00e7c1ec163a.eml")
    split = split_quoted(body)
    assert split.text.startswith("Please give generously...")
    assert "PLEASE ACT NOW" in split.text and ">" not in split.text
    assert "Subject: please give generously" in split.quoted


def test_digest_keeps_every_contributors_words(labelled: list[tuple[LabelledMail, str]]) -> None:
    body = _by_name(labelled, "hard-ham-1_00161.786d4f37f37d9043eb4fc2d3521b78b4.eml")
    text = split_quoted(body).text
    for phrase in (
        "You are wrong on both counts",
        "The list addy changed",
        "I've been scouring the online docs",
        "You're missing the NEW state",
    ):
        assert phrase in text


# -- property: quoted words never count as the author's; the author's always do ----------

_ORIGINAL_WORD = st.text(alphabet="bcdfg", min_size=3, max_size=8).map(lambda w: "q" + w)
_REPLY_WORD = st.text(alphabet="hjklm", min_size=3, max_size=8).map(lambda w: "r" + w)
_NAME = st.sampled_from(["Alice Smith", "Bob", "Jean Dupont", "Hans Müller", "李雷", "山田太郎"])


def _paragraphs(word: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    line = st.lists(word, min_size=1, max_size=9).map(" ".join)
    return st.lists(line, min_size=1, max_size=6)


_ATTRIBUTIONS = [
    "On Mon, Mar 3, 2025 at 10:00 AM {name} <a@example.com> wrote:",
    "Am 03.03.2025 um 10:00 schrieb {name} <a@example.com>:",
    "Le lun. 3 mars 2025 à 10:00, {name} <a@example.com> a écrit :",
    "El lun, 3 mar 2025 a las 10:00, {name} (<a@example.com>) escribió:",
    "在 2025年3月3日 10:00，{name} <a@example.com> 写道：",
    "2025年3月3日(月) 10:00 {name} <a@example.com>:",
    "{name} wrote:",
]
_HEADER_BLOCK = (
    "-----Original Message-----\nFrom: {name} <a@example.com>\n"
    "Sent: Monday, March 3, 2025 10:00\nTo: Team\nSubject: Plans\n"
)


@settings(max_examples=150, deadline=None, database=None)
@given(
    original=_paragraphs(_ORIGINAL_WORD),
    reply=_paragraphs(_REPLY_WORD),
    name=_NAME,
    attribution=st.sampled_from(_ATTRIBUTIONS),
    style=st.sampled_from(["top", "bottom", "outlook", "inline"]),
)
def test_quoted_text_never_becomes_the_replys_text(
    original: list[str], reply: list[str], name: str, attribution: str, style: str
) -> None:
    header = attribution.format(name=name)
    quoted = [f"> {line}" for line in original]
    if style == "top":
        body = "\n".join([*reply, "", header, *quoted])
    elif style == "bottom":
        body = "\n".join([header, *quoted, "", *reply])
    elif style == "outlook":
        body = "\n".join([*reply, "", _HEADER_BLOCK.format(name=name), *original])
    else:  # each reply line answers one quoted line
        pairs = [[q, r] for q, r in zip(quoted, reply, strict=False)]
        body = "\n".join(
            [
                header,
                *[line for pair in pairs for line in pair],
                *quoted[len(pairs) :],
                *reply[len(pairs) :],
            ]
        )
    text = split_quoted(body).text
    own = without_context(text)
    for line in original:
        for word in line.split():
            assert word not in own.split(), (word, body, text)
    for line in reply:
        for word in line.split():
            assert word in own.split(), (word, body, text)
    # quoted words may stand in the text only as marked context beside an inline answer
    context = [line for line in text.split("\n") if line.startswith(CONTEXT_PREFIX)]
    assert not context or style == "inline"


def test_context_lines_are_the_quoted_lines_answered() -> None:
    body = "On Mon, Ann wrote:\n> Can you make Friday?\nYes\n> And the slides?\nDone."
    split = split_quoted(body)
    assert split.text == "> Can you make Friday?\nYes\n> And the slides?\nDone."
    assert split.quoted == "On Mon, Ann wrote:\nCan you make Friday?\nAnd the slides?"


# -- quotes in HTML: blockquote, Gmail and Outlook divs (converted, then split) ----------

_GMAIL = (
    '<div dir="ltr">Sounds good, see you then.<br></div><br><div class="gmail_quote">'
    '<div dir="ltr" class="gmail_attr">On Mon, Mar 3, 2025 at 10:00 AM Alice Smith &lt;'
    '<a href="mailto:alice@example.com">alice@example.com</a>&gt; wrote:<br></div>'
    '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Lunch on Friday?'
    "<br>Alice</blockquote></div>"
)
_OUTLOOK = (
    '<html><body><div>Approved, go ahead.</div><div><br></div><hr tabindex="-1">'
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Alice Smith '
    "&lt;alice@example.com&gt;<br><b>Sent:</b> Monday, March 3, 2025 10:00 AM<br>"
    "<b>To:</b> Bob<br><b>Subject:</b> Budget</font><div>&nbsp;</div></div>"
    "<div>Can we spend 5k on the fair?</div></body></html>"
)
_APPLE = (
    '<html><body>Hello<div>Two lines from me.</div><div><br><blockquote type="cite">'
    "<div>On 3 Mar 2025, at 10:00, Alice &lt;alice@example.com&gt; wrote:</div><br>"
    "<div>Is the draft ready?</div></blockquote></div></body></html>"
)


@pytest.mark.parametrize(
    ("html", "own", "theirs"),
    [
        (_GMAIL, "Sounds good, see you then.", "Lunch on Friday?"),
        (_OUTLOOK, "Approved, go ahead.", "Can we spend 5k on the fair?"),
        (_APPLE, "Hello\nTwo lines from me.", "Is the draft ready?"),
    ],
    ids=["gmail", "outlook", "apple-mail"],
)
def test_html_quotes_are_history_and_the_answer_is_text(html: str, own: str, theirs: str) -> None:
    split = clean_body(None, html)
    assert split.text == own
    assert theirs in split.quoted


def test_a_newsletters_link_sidebar_after_its_subscription_line_is_footer(
    labelled: list[tuple[LabelledMail, str]],
) -> None:
    # the sidebar (70 short lines) follows the subscription line far from the end
    body = _by_name(labelled, "hard-ham-1_00032.f84b348f70e22edf30de5cc219e50e36.eml")
    split = split_quoted(body)
    assert split.text.endswith("http://www.lockergnome.com/issues/daily/20020711.html")
    assert split.signature.startswith("Your subscribed e-mail address is:")
    assert "Latest Penguin Shell" in split.signature and "Latest Penguin Shell" not in split.text
