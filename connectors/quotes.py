"""Split a mail body into the author's new text, the quoted history and the signature.

Top-posted text, bottom-posted and inline answers stay in ``text`` (an inline answer keeps
the quoted line it answers as ``"> "`` context); a forward with nothing written above it
gives its forwarded body; a list digest gives each contributor's new text. What the lines
are comes from :mod:`connectors.quotemarks`; signatures, list footers, disclaimers and PGP
armour are cut by :mod:`connectors.mailtrailers` and kept in ``signature``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.mailtrailers import (
    strip_disclaimers,
    strip_list_footer,
    strip_newsletter_footer,
    strip_pgp_armour,
    strip_signature,
)
from connectors.quotemarks import (
    HDR_FROM,
    HDR_OTHER,
    classify,
    mark_header,
    next_nonblank,
    unquote,
    unquote_all,
)

#: Quoted lines kept in `text` beside the inline answer they explain start with this.
CONTEXT_PREFIX = "> "
_RULE = re.compile(r"^\s*[-=_*~]{10,}\s*$")
_MAX_DEPTH = 3
_BLANKS = re.compile(r"\n{3,}")


@dataclass(slots=True)
class SplitBody:
    text: str
    quoted: str
    signature: str = ""


#: Outlook types ’ ‘ “ ” where every rule that reads a mail expects ' and " ("I’d like your
#: opinion", "Let’s discuss", "can’t make it"); one code point for one, so no line moves.
_PLAIN_QUOTES = str.maketrans("‘’“”", "''\"\"")


def plain_quotes(text: str) -> str:
    """``text`` with typographic quotes made plain, every offset kept."""
    return text.translate(_PLAIN_QUOTES)


def plain_typing(text: str) -> str:
    """``text`` with typographic quotes and no-break spaces made plain, every offset kept
    (a pane highlights a draft's sources by offsets into the text it sent)."""
    return plain_quotes(text.replace("\u00a0", " "))


def normalize_body(body: str) -> str:
    """Line ends to ``\\n``, no-break spaces to spaces and typographic quotes to plain ones:
    with NULs dropped (``mailparse.body_text``), the text whose lines the labelled set
    (tests/data/mail_authorship.json) counts."""
    return plain_typing(body.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(slots=True)
class _Layout:
    top: list[int]  # author lines above the history
    answers: list[list[int]]  # blocks of author lines written below quoted lines
    contexts: list[list[str]]  # per answer block, the quoted lines it answers
    history_start: int | None
    forward_body: int | None  # where a forwarded message's own body starts


def _layout(lines: list[str], kinds: list[str]) -> _Layout:
    first = next((i for i, kind in enumerate(kinds) if kind not in {"text", "blank"}), None)
    if first is None:
        return _Layout(list(range(len(lines))), [], [], None, None)
    top = [i for i in range(first) if kinds[i] == "text"]
    answers: list[list[int]] = []
    contexts: list[list[str]] = []
    forward_body = None
    seen_quote = False
    last_quotes: list[int] = []
    i = first
    while i < len(lines):
        kind = kinds[i]
        if kind == "quote":
            if not seen_quote or (
                answers and answers[-1] and (not last_quotes or answers[-1][-1] > last_quotes[-1])
            ):
                last_quotes = []  # a new run of quotes (after an answer, or the first one)
            seen_quote = True
            last_quotes.append(i)
        elif kind in {"marker", "header"}:
            body = i
            while body < len(lines) and kinds[body] in {"marker", "header", "blank"}:
                body += 1
            reply_below = (
                body < len(lines)
                and kinds[body] == "quote"
                and any(kinds[j] == "text" for j in range(body, len(lines)))
            )
            if not reply_below:
                forward_body = body if i == first else None
                break
            seen_quote = False
            i = body
            continue
        elif kind == "attrib":
            after = next_nonblank(lines, i + 1)
            if after is not None and kinds[after] == "text":
                if top or answers:
                    break  # an attribution above unquoted old text: the rest is history
                # nothing written above it: the unquoted text below is the author's, or the
                # message would say nothing
                seen_quote = True
                last_quotes = []
                i += 1
                continue
            seen_quote = False
        elif kind == "text" and seen_quote:
            if (
                answers
                and answers[-1]
                and all(kinds[j] in {"text", "blank"} for j in range(answers[-1][-1] + 1, i))
            ):
                answers[-1].append(i)
            else:
                answers.append([i])
                contexts.append(
                    [
                        unquote([lines[j]])[0].strip()
                        for j in last_quotes[-2:]
                        if unquote([lines[j]])[0].strip()
                    ]
                )
        i += 1
    return _Layout(top, answers, contexts, first, forward_body)


def _lines_text(lines: list[str], indexes: list[int]) -> list[str]:
    """The lines at ``indexes`` with the blank lines between consecutive ones."""
    if not indexes:
        return []
    wanted = set(indexes)
    return [
        lines[i] for i in range(indexes[0], indexes[-1] + 1) if i in wanted or not lines[i].strip()
    ]


def split_quoted(body: str, _depth: int = 0) -> SplitBody:
    """Separate the author's new text from quoted replies, forwarded blocks and signatures.

    Top-posted text, bottom-posted and inline answers stay in ``text``; an inline answer
    keeps the quoted line it answers above it as ``"> "`` context. A forwarded message
    with nothing written above it gives its own body as ``text``. Signatures, list footers,
    disclaimers and PGP armour go to ``signature``.
    """
    lines = normalize_body(body).split("\n")
    lines, armour = strip_pgp_armour(lines)
    lines, footer = strip_list_footer(lines)
    lines, newsletter_footer = strip_newsletter_footer(lines)
    footer = newsletter_footer + footer
    sections = _digest_sections(lines)
    if sections and _depth < _MAX_DEPTH:
        return _split_digest(lines, sections, footer + armour, _depth)
    kinds = classify(lines)
    layout = _layout(lines, kinds)
    interleaved = len(layout.answers) > 1 or bool(
        layout.answers and any(k == "quote" for k in kinds[layout.answers[-1][-1] + 1 :])
    )

    top, top_signature = strip_signature(_lines_text(lines, layout.top))
    blocks: list[list[str]] = []
    signature = list(top_signature)
    for number, (block, context) in enumerate(zip(layout.answers, layout.contexts, strict=True)):
        block_lines = _lines_text(lines, block)
        if number == len(layout.answers) - 1:
            block_lines, block_signature = strip_signature(block_lines)
            signature += block_signature
        if interleaved and context and any(x.strip() for x in block_lines):
            block_lines = [CONTEXT_PREFIX + x for x in context] + block_lines
        blocks.append(block_lines)
    kept = set(layout.top) | {i for block in layout.answers for i in block}
    history = (
        []
        if layout.history_start is None
        else [
            line
            for i, line in enumerate(lines[layout.history_start :], layout.history_start)
            if i not in kept
        ]
    )
    text_lines = top + ([""] if top and blocks else []) + [x for b in blocks for x in b]
    text, disclaimer = strip_disclaimers("\n".join(text_lines))
    text = _BLANKS.sub("\n\n", text).strip()
    quoted = _BLANKS.sub("\n\n", "\n".join(unquote(history))).strip()

    if not text and layout.forward_body is not None and _depth < _MAX_DEPTH:
        # a forward with nothing written above it: the forwarded body is the content
        inner = split_quoted("\n".join(unquote_all(lines[layout.forward_body :])), _depth + 1)
        if inner.text:
            head = lines[layout.history_start : layout.forward_body]
            text, signature = inner.text, signature + inner.signature.split("\n")
            quoted = "\n".join([*head, inner.quoted]).strip()
    signature_text = "\n\n".join(
        part
        for part in (
            "\n".join(signature).strip(),
            disclaimer,
            "\n".join(footer).strip(),
            "\n".join(armour).strip(),
        )
        if part
    )
    if not text and not quoted and signature_text:
        # a body that is nothing but a signature block: that block is the message
        text, signature_text = "\n".join(signature).strip() or signature_text, ""
    return SplitBody(text=text, quoted=quoted, signature=signature_text)


def _digest_sections(lines: list[str]) -> list[int]:
    """Starts of the messages of a list digest: rules directly above a From/Subject/Date
    header block. A digest needs two of them; one is an ordinary forward."""
    starts = []
    for i, line in enumerate(lines):
        if not _RULE.match(line):
            continue
        nxt = next_nonblank(lines, i + 1)
        if nxt is None or nxt > i + 3:
            continue
        fields = [x for x in lines[nxt : nxt + 4] if x.strip()][:3]
        if (
            any(HDR_FROM.match(x) for x in fields)
            and sum(1 for x in fields if HDR_OTHER.match(x)) >= 1
        ):
            starts.append(i)
    return starts if len(starts) >= 2 else []


def _split_digest(lines: list[str], starts: list[int], trailer: list[str], depth: int) -> SplitBody:
    """Each message of a digest is split on its own; their texts make the digest's text."""
    parts = [split_quoted("\n".join(lines[: starts[0]]), depth + 1)]
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        kinds = ["text"] * len(lines)
        body = mark_header(lines, kinds, (next_nonblank(lines, start + 1) or start + 1))
        parts.append(split_quoted("\n".join(lines[body:end]), depth + 1))
    return SplitBody(
        text="\n\n".join(part.text for part in parts if part.text),
        quoted="\n\n".join(part.quoted for part in parts if part.quoted),
        signature="\n\n".join([*(p.signature for p in parts if p.signature), *trailer]).strip(),
    )
