"""Split a mail body into the new text and the quoted history; strip signatures.

Recognises reply attributions and forward/original-message markers in English, German,
French and Spanish, Outlook-style header blocks (``From:``/``Sent:``/``Subject:`` and their
translations), ``>``-prefixed quotes, RFC 3676 signature delimiters, "sent from my phone"
lines, mailing-list footers and trailing legal disclaimers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_HDR_FROM = re.compile(r"^\s*\*?(?:from|von|de|da)\s*:\*?\s*\S", re.IGNORECASE)
_HDR_OTHER = re.compile(
    r"^\s*\*?(?:sent|date|to|cc|subject|gesendet|datum|an|betreff|envoy[ée]|date|[àa]|objet"
    r"|enviado(?:\s+el)?|fecha|para|asunto)\s*:\*?",
    re.IGNORECASE,
)

_SIG_DELIMITER = re.compile(r"^-- ?$")
_MOBILE_SIG = re.compile(
    r"""^\s*(?:sent\s+from\s+my\s+\w+.*|sent\s+from\s+(?:mail|outlook)\s+for\s+\w+.*
      |get\s+outlook\s+for\s+\w+.*|von\s+meinem\s+\w+\s+gesendet.*|gesendet\s+von\s+meinem\s+\w+.*
      |envoy[ée]\s+de\s+mon\s+\w+.*|enviado\s+desde\s+mi\s+\w+.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_FOOTER = re.compile(
    r"^(?:_{10,}|-{10,})\s*\n(?:.*\n){0,2}.*(?:mailing\s+list|listinfo|unsubscribe)",
    re.IGNORECASE | re.MULTILINE,
)
_DISCLAIMER = re.compile(
    r"""(?:confidential(?:ity)?\s+notice|this\s+(?:e-?mail|message|communication)\b.{0,160}?
        \b(?:confidential|privileged|intended\s+(?:solely|only))
      |if\s+you\s+(?:are\s+not|have\s+received\s+this).{0,80}?(?:intended\s+recipient|in\s+error)
      |diese\s+(?:e-?mail|nachricht)\b.{0,160}?\b(?:vertraulich|rechtlich\s+geschützt)
      |wenn\s+sie\s+nicht\s+der\s+(?:richtige|beabsichtigte)\s+(?:adressat|empfänger)
      |ce\s+(?:message|courriel|e-?mail)\b.{0,160}?\b(?:confidentiel|destinataire)
      |si\s+vous\s+n['’][êe]tes\s+pas\s+(?:le\s+)?destinataire
      |este\s+(?:mensaje|correo)\b.{0,160}?\b(?:confidencial|destinatario)
      |si\s+usted\s+no\s+es\s+el\s+destinatario)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
#: Quoted lines kept in `text` beside the inline answer they explain start with this.
CONTEXT_PREFIX = "> "
_QUOTE_PREFIX = re.compile(r"^\s{0,3}>")
_BLANKS = re.compile(r"\n{3,}")


@dataclass(slots=True)
class SplitBody:
    text: str
    quoted: str
    signature: str = ""


def _is_header_block(lines: list[str], i: int) -> bool:
    if not _HDR_FROM.match(lines[i]):
        return False
    following = [line for line in lines[i + 1:i + 7] if line.strip()][:4]
    return sum(1 for line in following if _HDR_OTHER.match(line)) >= 2


def _quote_start(lines: list[str]) -> int | None:
    """Index of the first line of quoted/forwarded history, or None."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _QUOTE_PREFIX.match(line):
            continue
        if _FORWARD_MARKER.match(line):
            if stripped.startswith("_"):
                # an underscore rule only counts when an Outlook header block follows it
                nxt = next((j for j in range(i + 1, min(i + 4, len(lines)))
                            if lines[j].strip()), None)
                if nxt is None or not _is_header_block(lines, nxt):
                    continue
            return i
        if _is_header_block(lines, i):
            return i
        if len(stripped) < 400 and ":" in stripped[-3:] and _ATTRIBUTION.match(line):
            return i
        if i + 1 < len(lines) and len(stripped) < 300:
            joined = stripped + " " + lines[i + 1].strip()
            if joined.rstrip().endswith(":") and _ATTRIBUTION.match(joined):
                return i
    return None


def _starts_with_attribution(line: str, following: list[str]) -> bool:
    """Whether the history starts with a reply attribution (not a forward or header block)."""
    if _FORWARD_MARKER.match(line) or _HDR_FROM.match(line):
        return False
    joined = line.strip() + (" " + following[0].strip() if following else "")
    return bool(_ATTRIBUTION.match(line) or _ATTRIBUTION.match(joined))


def _answers_after_quote(quoted: list[str]) -> set[int]:
    """Indexes of unquoted lines that follow '>' lines: answers written below the quote.

    A nested forward or header block inside the quote ends the search: what follows it is
    older history.
    """
    seen_quote = False
    answers: set[int] = set()
    for index, line in enumerate(quoted[1:], start=1):
        if _QUOTE_PREFIX.match(line):
            seen_quote = True
            continue
        if not line.strip():
            continue
        if _FORWARD_MARKER.match(line) or _is_header_block(quoted, index) or (
                _ATTRIBUTION.match(line) and not seen_quote):
            break
        if seen_quote:
            answers.add(index)
    return answers


def _strip_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if _SIG_DELIMITER.match(line):
            return lines[:i], lines[i:]
    for i in range(len(lines) - 1, max(len(lines) - 6, -1), -1):
        if _MOBILE_SIG.match(lines[i]):
            return lines[:i], lines[i:]
    return lines, []


def _strip_disclaimers(text: str) -> tuple[str, str]:
    """Drop trailing paragraphs that are legal boilerplate or a mailing-list footer."""
    removed: list[str] = []
    footer = _LIST_FOOTER.search(text)
    if footer and footer.start() > 0:
        removed.append(text[footer.start():])
        text = text[:footer.start()]
    paragraphs = re.split(r"\n\s*\n", text.rstrip())
    while len(paragraphs) > 1 and _DISCLAIMER.search(paragraphs[-1]):
        removed.insert(0, paragraphs.pop())
    return "\n\n".join(paragraphs), "\n\n".join(removed)


def _unquote(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(">"):
            stripped = stripped[1:]
            line = stripped[1:] if stripped.startswith(" ") else stripped
        out.append(line)
    return out


def normalize_body(body: str) -> str:
    """Line ends to ``\\n``, no-break spaces to spaces, NULs dropped: the text whose lines
    the labelled set (tests/data/mail_authorship.json) counts."""
    return (body.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
            .replace("\x00", ""))


def split_quoted(body: str) -> SplitBody:
    """Separate the new text from quoted replies, forwarded blocks and signatures."""
    body = normalize_body(body)
    lines = body.split("\n")
    start = _quote_start(lines)
    new_lines, quoted_lines = (lines, []) if start is None else (lines[:start], lines[start:])
    if start is not None and _starts_with_attribution(lines[start], lines[start + 1:start + 2]):
        # bottom-posted or inline answers after a '>' quote are new text, not history
        answers = _answers_after_quote(quoted_lines)
        if answers:
            quoted_lines = [line for i, line in enumerate(quoted_lines) if i not in answers]
            new_lines = new_lines + [""] + [lines[start + i] for i in sorted(answers)]
    # inline or bottom-posted '>' quotes left in the new part are history too
    if any(_QUOTE_PREFIX.match(line) for line in new_lines):
        kept, moved = [], []
        for line in new_lines:
            (moved if _QUOTE_PREFIX.match(line) else kept).append(line)
        while kept and not kept[-1].strip():
            kept.pop()
        quoted_lines = _unquote(moved) + ([""] if quoted_lines else []) + quoted_lines
        new_lines = kept
    new_lines, signature = _strip_signature(new_lines)
    text, boilerplate = _strip_disclaimers("\n".join(new_lines))
    signature_text = "\n".join(signature).strip()
    if boilerplate:
        signature_text = (signature_text + "\n\n" + boilerplate).strip()
    text = _BLANKS.sub("\n\n", text).strip()
    quoted = _BLANKS.sub("\n\n", "\n".join(_unquote(quoted_lines))).strip()
    if not text and not quoted and signature_text:
        # a body that is nothing but a signature block: that block is the message
        text, signature_text = "\n".join(signature).strip() or signature_text, ""
    return SplitBody(text=text, quoted=quoted, signature=signature_text)
