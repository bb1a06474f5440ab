"""Hypothesis fuzzing of the mail parser: any bytes give a Document or a BadInputError."""

from __future__ import annotations

from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.client_mail import client_mail
from connectors.document import Document
from connectors.errors import BadInputError
from connectors.history import history_messages
from connectors.mailparse import parse_message
from connectors.quotes import normalize_body, split_quoted

HEADER_NAMES = [
    "Subject",
    "From",
    "To",
    "Cc",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
    "MIME-Version",
]
_header_value = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            'multipart/mixed; boundary="b"',
            "multipart/alternative; boundary=b",
            "text/html; charset=bogus",
            "text/plain; charset=utf-16",
            "message/rfc822",
            "base64",
            "quoted-printable",
            "x-uuencode",
            "=?utf-8?B?broken",
            "=?x?Q?a?=",
            "attachment; filename*=utf-8''%E2%82%AC.docx",
            "<a@b> <c@d>",
            "Thu, 31 Feb 2025",
            "undisclosed-recipients:;",
            '"Group": a@b, c@d;',
        ]
    ),
)
_line = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "--b",
            "--b--",
            "> quoted",
            "On Mon, A wrote:",
            "-- ",
            "<p>html</p>",
            "=C3=A9",
            "begin 644",
        ]
    ),
)


def _check(raw: bytes) -> None:
    try:
        doc = parse_message(raw, "fuzz")
    except BadInputError as exc:
        assert exc.item == "fuzz"
        return
    assert isinstance(doc, Document)
    assert isinstance(doc.text, str) and isinstance(doc.quoted, str)
    assert doc.date is None or doc.date.tzinfo is not None
    doc.to_json()


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw: bytes) -> None:
    _check(raw)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(st.tuples(st.sampled_from(HEADER_NAMES), _header_value), max_size=10),
    st.lists(_line, max_size=30),
)
def test_structured_but_hostile_messages(headers: list[tuple[str, str]], lines: list[str]) -> None:
    head = "\r\n".join(
        f"{name}: {value}".replace("\r", " ").replace("\n", " ") for name, value in headers
    )
    raw = (head + "\r\n\r\n" + "\r\n".join(lines)).encode("utf-8", "surrogatepass")
    _check(raw)


@settings(max_examples=60, deadline=None, database=None)
@given(st.text(max_size=300), st.text(max_size=300), st.binary(max_size=300))
def test_well_formed_messages_keep_their_words(body: str, subject: str, blob: bytes) -> None:
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())[:60]
    msg["From"] = "a@example.com"
    msg.set_content(body or "x")
    msg.add_attachment(blob, maintype="application", subtype="octet-stream", filename="data.bin")
    doc = parse_message(msg.as_bytes(), "fuzz")
    assert doc.attachments[0].size == len(blob)
    words = [w for w in body.split() if w.isalnum()]
    combined = doc.text + doc.quoted + doc.metadata.get("signature", "")
    for word in words[:5]:
        assert word in combined


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=1000))
def test_quote_split_never_invents_text(body: str) -> None:
    split = split_quoted(body)
    # the body as the split reads it: line ends, no-break spaces and quotes made plain
    plain = normalize_body(body)
    for word in (split.text + " " + split.quoted + " " + split.signature).split():
        assert word in plain


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(st.tuples(st.sampled_from(HEADER_NAMES), _header_value), max_size=10),
    st.lists(_line, max_size=30),
    st.text(max_size=200),
)
def test_a_mail_as_the_add_in_reads_it(
    headers: list[tuple[str, str]], lines: list[str], junk: str
) -> None:
    # what the Outlook pane sends: any headers text (folded, junk, CR-only) and body text
    head = "\r\n".join(f"{name}: {value}" for name, value in headers) + junk
    record = {"source": "fuzz", "body": "\n".join(lines), "headers": head, "date": junk}
    try:
        doc = client_mail(record)
    except BadInputError as exc:
        assert exc.item == "fuzz"
        return
    assert doc.kind == "email"
    assert doc.date is None or doc.date.tzinfo is not None
    doc.to_json()


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(_line, max_size=40))
def test_a_quoted_history_split_never_invents_text(lines: list[str]) -> None:
    quoted = "\n".join(lines)
    plain = normalize_body(quoted)
    for message in history_messages(quoted):
        for word in (message.author + " " + message.text).split():
            assert word.strip("<>") in plain


_STRUCTURED_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "> quoted",
            ">> deeper",
            "Bob wrote:",
            "On Mon, 2 Sep 2002, Ann <a@x.com> wrote:",
            "-----Original Message-----",
            "From: Ann Lee [mailto:a@x.com]",
            "Sent: Monday",
            "Subject: Q3",
            "To: Bob",
            "-- ",
            "Thanks,",
            "Ann",
            "words of the author",
            "________________________________",
            "Begin forwarded message:",
            "Ann> supercite",
            "To unsubscribe, visit http://x",
        ]
    ),
    st.text(max_size=30),
)


@settings(max_examples=600, deadline=None, database=None)
@given(st.lists(_STRUCTURED_LINE, max_size=40))
def test_any_layout_of_quotes_attributions_and_headers_splits(lines: list[str]) -> None:
    # parse_message turns a crash into "malformed message": here the cleaner itself must
    # not raise, whatever order replies, quotes, headers and signatures come in (this found
    # the IndexError of a quote run after a lone attribution in a few hundred examples;
    # 5,000 found nothing more)
    body = "\n".join(lines)
    split = split_quoted(body)
    plain = normalize_body(body)
    for word in (split.text + " " + split.quoted + " " + split.signature).split():
        assert word in plain
    history_messages(split.quoted)
