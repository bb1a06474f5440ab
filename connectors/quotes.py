"""Split a mail body into the new text and the quoted history; strip signatures.

Recognises reply attributions and forward/original-message markers in English, German,
French and Spanish, Outlook-style header blocks (``From:``/``Sent:``/``Subject:`` and their
translations), ``>``-prefixed quotes, RFC 3676 signature delimiters, "sent from my phone"
lines, mailing-list footers and trailing legal disclaimers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.mailtrailers import (
    strip_disclaimers,
    strip_list_footer,
    strip_pgp_armour,
    strip_signature,
)

# Reply attributions. They may wrap over two lines, so they are matched on a line and the
# one after it joined together.
_ATTRIBUTION = re.compile(
    r"""^\s*(?:
        (?:on|at)\s.{4,200}?\b(?:wrote|writes|said)\s*:            # EN
      | .{0,120}?\bwrote\s*:                                        # EN, "Bob wrote:"
      | am\s.{4,200}?\bschrieb\b.{0,120}?:                          # DE
      | .{0,120}?\bschrieb\s*:                                      # DE, "Bob schrieb:"
      | le\s.{4,200}?\ba\s+[ée]crit\s*:                             # FR
      | .{0,120}?\ba\s+[ée]crit\s*:                                 # FR, "Bob a écrit :"
      | el\s.{4,200}?\bescribi[óo]\s*:                              # ES
      | .{0,120}?\bescribi[óo]\s*:                                  # ES, "Bob escribió:"
      | .{4,200}?\b(?:schreef|ha\s+scritto|escreveu|написал[аи]?)\s*:  # NL, IT, PT, RU
      | .{0,200}?(?:写道|寫道|書きました|のメッセージ)\s*[:：]            # ZH, JA
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_FORWARD_MARKER = re.compile(
    r"""^\s*(?:
        -{2,}\s*(?:original\s+message|forwarded\s+message|ursprüngliche\s+nachricht
          |weitergeleitete\s+nachricht|message\s+d'origine|message\s+original
          |message\s+transféré|mensaje\s+original|mensaje\s+reenviado)\s*-{2,}
      | begin\s+forwarded\s+message\s*:
      | anfang\s+der\s+weitergeleiteten\s+nachricht\s*:
      | d[ée]but\s+du\s+message\s+r[ée]exp[ée]di[ée]\s*:
      | inicio\s+del\s+mensaje\s+reenviado\s*:
      | _{20,}                                          # Outlook's rule above a header block
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Outlook header block: a "From:" line followed closely by "Sent:"/"Date:" and "Subject:".
_HDR_FROM = re.compile(
    r"^\s*\*?(?:from|von|de|da|发件人|寄件者|差出人)\s*[:：]\*?\s*\S", re.IGNORECASE
)
_HDR_OTHER = re.compile(
    r"^\s*\*?(?:sent|date|to|cc|subject|gesendet|datum|an|betreff|envoy[ée]|date|[àa]|objet"
    r"|enviado(?:\s+el)?|fecha|para|asunto|发送时间|日期|收件人|抄送|主题|寄件日期|收件者|主旨"
    r"|送信日時|宛先|件名)\s*[:：]\*?",
    re.IGNORECASE,
)
# Looser attributions, trusted only when a quote follows: "Bob writes:", "Ann mentioned:",
# "So sprach Bob am …:", "In message <…>, Bob writes:", "Adam Beberg:", "Bob <b@x> 10:00:"
_ATTRIBUTION_VERB = re.compile(
    r"\b(?:wrote|writes|said|says|mentioned|thought|stated(?:\s+the\s+following)?|spake"
    r"|fwded|forwarded|quoted|schrieb|a\s+[ée]crit|escribi[óo]|sprach|scritto|escreveu"
    r"|schreef|think|thinks|написал[аи]?)\b.{0,60}[:：]\s*$",
    re.IGNORECASE,
)
_NAME_ONLY = re.compile(r"^\s*[\w.'\"-]+(?:\s+[\w.'\"-]+){0,3}\s*:\s*$")
_ADDRESS_COLON = re.compile(r"<[^<>@\s]+@[^<>\s]+>\s*[:：]\s*$")

#: Quoted lines kept in `text` beside the inline answer they explain start with this.
CONTEXT_PREFIX = "> "
# ">" quotes, indented or nested, and Supercite's "Name>" / "=>" prefixes
_QUOTE_PREFIX = re.compile(r"^\s{0,6}(?:(?:[A-Za-z][\w.-]{0,11}|&)?>(?=\s|>|$)|=>|>)")
_RULE = re.compile(r"^\s*[-=_*~]{10,}\s*$")
_MAX_DEPTH = 3
_UUENCODE_BEGIN = re.compile(r"^begin [0-7]{3,4} \S")
_BLANKS = re.compile(r"\n{3,}")


@dataclass(slots=True)
class SplitBody:
    text: str
    quoted: str
    signature: str = ""


def normalize_body(body: str) -> str:
    """Line ends to ``\\n``, no-break spaces to spaces, NULs dropped: the text whose lines
    the labelled set (tests/data/mail_authorship.json) counts."""
    return body.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\x00", "")


def _is_header_block(lines: list[str], i: int) -> bool:
    if not _HDR_FROM.match(lines[i]):
        return False
    following = [line for line in lines[i + 1 : i + 7] if line.strip()][:4]
    return sum(1 for line in following if _HDR_OTHER.match(line)) >= 2


def _next_nonblank(lines: list[str], i: int) -> int | None:
    return next((j for j in range(i, len(lines)) if lines[j].strip()), None)


def _attribution_length(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) a reply attribution starting at line ``i`` spans, or 0."""
    line = lines[i]
    stripped = line.strip()
    if not stripped or len(stripped) > 400:
        return 0
    for span in (1, 2):
        if i + span > len(lines):
            break
        text = " ".join(x.strip() for x in lines[i : i + span])
        if span == 2 and (len(stripped) > 300 or not lines[i + 1].strip()):
            break
        if not text.rstrip().endswith((":", "：")):
            continue
        if _ATTRIBUTION.match(text):
            return span
        after = _next_nonblank(lines, i + span)
        quote_follows = after is not None and bool(_QUOTE_PREFIX.match(lines[after]))
        if (
            quote_follows
            and len(text) < 250
            and (
                _ATTRIBUTION_VERB.search(text)
                or _NAME_ONLY.match(text)
                or _ADDRESS_COLON.search(text)
            )
        ):
            return span
    return 0


def _classify(lines: list[str]) -> list[str]:
    """Per line: ``blank``, ``quote``, ``attrib``, ``marker`` (forward/original-message
    marker), ``header`` (a header block under a marker, or an Outlook one) or ``text``."""
    kinds = ["text"] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            kinds[i] = "blank"
        elif _QUOTE_PREFIX.match(line):
            kinds[i] = "quote"
        elif _UUENCODE_BEGIN.match(line):
            # an attachment pasted into the body (uuencode): not words anybody wrote
            end = next((j for j in range(i, len(lines)) if lines[j].strip() == "end"), len(lines))
            kinds[i : end + 1] = ["blob"] * (end + 1 - i)
            i = end + 1
            continue
        elif _FORWARD_MARKER.match(line) and (
            not line.strip().startswith("_") or _rule_above_header(lines, i)
        ):
            kinds[i] = "marker"
            i = _mark_header(lines, kinds, i + 1)
            continue
        elif _is_header_block(lines, i):
            i = _mark_header(lines, kinds, i)
            continue
        else:
            span = _attribution_length(lines, i)
            if span:
                kinds[i : i + span] = ["attrib"] * span
                i += span
                continue
        i += 1
    return kinds


def _rule_above_header(lines: list[str], i: int) -> bool:
    """An underscore rule only counts when an Outlook header block follows it."""
    nxt = _next_nonblank(lines, i + 1)
    return nxt is not None and nxt < i + 4 and _is_header_block(lines, nxt)


def _mark_header(lines: list[str], kinds: list[str], i: int) -> int:
    """Mark the header lines of a forwarded/original message from ``i``; return the index
    after them. A field's wrapped continuation stays with it."""
    i_start = i
    while i < len(lines) and not lines[i].strip() and i - i_start < 2:
        kinds[i] = "blank"
        i += 1
    in_fields = False
    while i < len(lines) and lines[i].strip() and i - i_start < 14:
        line = lines[i]
        if _HDR_FROM.match(line) or _HDR_OTHER.match(line) or re.match(r"^\s*[\w-]{2,30}:\s", line):
            in_fields = True
        elif not (in_fields and (line[:1].isspace() or len(line.split()) <= 3)):
            break
        kinds[i] = "header"
        i += 1
    return i


def _unquote(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = _QUOTE_PREFIX.match(line)
        if match:
            line = line[match.end() :]
            line = line[1:] if line.startswith(" ") else line
        out.append(line)
    return out


def _unquote_all(lines: list[str]) -> list[str]:
    """Strip quote levels while every non-blank line is still quoted (a forwarded body that
    arrived quoted)."""
    for _ in range(8):
        body = [line for line in lines if line.strip()]
        if not body or not all(_QUOTE_PREFIX.match(line) for line in body):
            break
        lines = _unquote(lines)
    return lines


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
            if not seen_quote or (answers and answers[-1] and answers[-1][-1] > last_quotes[-1]):
                last_quotes = []
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
            after = _next_nonblank(lines, i + 1)
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
                        _unquote([lines[j]])[0].strip()
                        for j in last_quotes[-2:]
                        if _unquote([lines[j]])[0].strip()
                    ]
                )
        i += 1
    return _Layout(top, answers, contexts, first, forward_body)


def _lines_text(lines: list[str], indexes: list[int]) -> list[str]:
    """The lines at ``indexes`` with the blank lines between consecutive ones."""
    if not indexes:
        return []
    return [
        lines[i]
        for i in range(indexes[0], indexes[-1] + 1)
        if i in set(indexes) or not lines[i].strip()
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
    sections = _digest_sections(lines)
    if sections and _depth < _MAX_DEPTH:
        return _split_digest(lines, sections, footer + armour, _depth)
    kinds = _classify(lines)
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
    quoted = _BLANKS.sub("\n\n", "\n".join(_unquote(history))).strip()

    if not text and layout.forward_body is not None and _depth < _MAX_DEPTH:
        # a forward with nothing written above it: the forwarded body is the content
        inner = split_quoted("\n".join(_unquote_all(lines[layout.forward_body :])), _depth + 1)
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
        nxt = _next_nonblank(lines, i + 1)
        if nxt is None or nxt > i + 3:
            continue
        fields = [x for x in lines[nxt : nxt + 4] if x.strip()][:3]
        if (
            any(_HDR_FROM.match(x) for x in fields)
            and sum(1 for x in fields if _HDR_OTHER.match(x)) >= 1
        ):
            starts.append(i)
    return starts if len(starts) >= 2 else []


def _split_digest(lines: list[str], starts: list[int], trailer: list[str], depth: int) -> SplitBody:
    """Each message of a digest is split on its own; their texts make the digest's text."""
    parts = [split_quoted("\n".join(lines[: starts[0]]), depth + 1)]
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        kinds = ["text"] * len(lines)
        body = _mark_header(lines, kinds, (_next_nonblank(lines, start + 1) or start + 1))
        parts.append(split_quoted("\n".join(lines[body:end]), depth + 1))
    return SplitBody(
        text="\n\n".join(part.text for part in parts if part.text),
        quoted="\n\n".join(part.quoted for part in parts if part.quoted),
        signature="\n\n".join([*(p.signature for p in parts if p.signature), *trailer]).strip(),
    )
