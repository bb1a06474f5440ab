"""Recognise the parts of a mail body line by line: ``>`` quotes (also Supercite's
``Name>``), reply attributions (EN, DE, FR, ES, NL, IT, PT, RU, ZH, JA, and looser ones
when a quote follows), forward/original-message markers, Outlook header blocks (and
their DE/FR/ES/ZH/JA translations) and uuencoded blobs. :mod:`connectors.quotes` lays
these out into the author's text and the history.
"""

from __future__ import annotations

import re

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
HDR_FROM = re.compile(
    r"^\s*\*?(?:from|von|de|da|发件人|寄件者|差出人)\s*[:：]\*?\s*\S", re.IGNORECASE
)
HDR_OTHER = re.compile(
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
# ">" quotes, indented or nested, and Supercite's "Name>" / "=>" prefixes
QUOTE_PREFIX = re.compile(r"^\s{0,6}(?:(?:[A-Za-z][\w.-]{0,11}|&)?>(?=\s|>|$)|=>|>)")
_SCISSORS = re.compile(r"^\s*-*\s*(?:8<|>8|✂|-{2,}\s*cut\s+here\s*-{2,})", re.IGNORECASE)
_UUENCODE_BEGIN = re.compile(r"^begin [0-7]{3,4} \S")


def _is_header_block(lines: list[str], i: int) -> bool:
    if not HDR_FROM.match(lines[i]):
        return False
    following = [line for line in lines[i + 1 : i + 7] if line.strip()][:4]
    return sum(1 for line in following if HDR_OTHER.match(line)) >= 2


def next_nonblank(lines: list[str], i: int) -> int | None:
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
        after = next_nonblank(lines, i + span)
        quote_follows = after is not None and bool(QUOTE_PREFIX.match(lines[after]))
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


def classify(lines: list[str]) -> list[str]:
    """Per line: ``blank``, ``quote``, ``attrib``, ``marker`` (forward/original-message
    marker), ``header`` (a header block under a marker, or an Outlook one) or ``text``."""
    kinds = ["text"] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            kinds[i] = "blank"
        elif QUOTE_PREFIX.match(line):
            kinds[i] = "quote"
        elif _UUENCODE_BEGIN.match(line):
            # an attachment pasted into the body (uuencode): not words anybody wrote
            end = next((j for j in range(i, len(lines)) if lines[j].strip() == "end"), len(lines))
            kinds[i : end + 1] = ["blob"] * (end + 1 - i)
            i = end + 1
            continue
        elif _SCISSORS.match(line):
            kinds[i] = "marker"  # "cut here": what follows was pasted in, not written
        elif _FORWARD_MARKER.match(line) and (
            not line.strip().startswith("_") or _rule_above_header(lines, i)
        ):
            kinds[i] = "marker"
            i = mark_header(lines, kinds, i + 1)
            continue
        elif _is_header_block(lines, i):
            i = mark_header(lines, kinds, i)
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
    nxt = next_nonblank(lines, i + 1)
    return nxt is not None and nxt < i + 4 and _is_header_block(lines, nxt)


def mark_header(lines: list[str], kinds: list[str], i: int) -> int:
    """Mark the header lines of a forwarded/original message from ``i``; return the index
    after them. A field's wrapped continuation stays with it."""
    i_start = i
    while i < len(lines) and not lines[i].strip() and i - i_start < 2:
        kinds[i] = "blank"
        i += 1
    in_fields = False
    while i < len(lines) and lines[i].strip() and i - i_start < 14:
        line = lines[i]
        if HDR_FROM.match(line) or HDR_OTHER.match(line) or re.match(r"^\s*[\w-]{2,30}:\s", line):
            in_fields = True
        elif not (in_fields and (line[:1].isspace() or len(line.split()) <= 3)):
            break
        kinds[i] = "header"
        i += 1
    return i


def unquote(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = QUOTE_PREFIX.match(line)
        if match:
            line = line[match.end() :]
            line = line[1:] if line.startswith(" ") else line
        out.append(line)
    return out


def unquote_all(lines: list[str]) -> list[str]:
    """Strip quote levels while every non-blank line is still quoted (a forwarded body that
    arrived quoted)."""
    for _ in range(8):
        body = [line for line in lines if line.strip()]
        if not body or not all(QUOTE_PREFIX.match(line) for line in body):
            break
        lines = unquote(lines)
    return lines
