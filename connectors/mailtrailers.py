"""What gets appended to an author's words: signatures, mailing-list footers, legal
disclaimers and PGP armour. :mod:`connectors.quotes` moves them to
``metadata["signature"]`` instead of dropping them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SIG_DELIMITER = re.compile(r"^-- ?$")
# A short rule ("---", "__") directly above a few short lines that end the text
_SHORT_RULE = re.compile(r"^\s*(?:-{2,5}|_{2,5})\s*$")
_MAX_SIGNATURE_LINES = 20
_MOBILE_SIG = re.compile(
    r"""^\s*(?:sent\s+from\s+my\s+\w+.*|sent\s+from\s+(?:mail|outlook)\s+for\s+\w+.*
      |get\s+outlook\s+for\s+\w+.*|von\s+meinem\s+\w+\s+gesendet.*|gesendet\s+von\s+meinem\s+\w+.*
      |envoy[ée]\s+de\s+mon\s+\w+.*|enviado\s+desde\s+mi\s+\w+.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines that can open a list footer; the footer must then name the list machinery.
_FOOTER_START = re.compile(
    r"""^(?:\s*[-_=~*]{10,}.*                       # a rule, Yahoo's "---- Yahoo! Groups Sponsor"
      |to\s+unsubscribe\b.*
      |your\s+use\s+of\s+yahoo!\s+groups.*
      |this\s+sf\.net\s+email\s+is\s+sponsored.*
      |send\s+and\s+receive\s+hotmail.*
      |join\s+the\s+world's\s+largest\s+e-mail\s+service.*
      |get\s+your\s+free\s+download\s+of\s+msn.*
      |\[?sign\s+up\s+for\s+more\s+free\s+newsletters.*
      |the\s+e-?mail\s+address\s+for\s+your\s+subscription.*
      |\s*https?://\S+/(?:mailman/)?listinfo/\S*\s*
      |.{1,60}\bmailing\s+list\s*(?:<[^>]*>)?\s*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_FOOTER_WORDS = re.compile(
    r"unsubscribe|listinfo|mailing\s+list|yahoo!\s+groups|sponsored\s+by|hotmail|msn\b"
    r"|subscription|list\s+maintainer",
    re.IGNORECASE,
)
_MAX_FOOTER_LINES = 25
# A newsletter's closing subscription block: in its last lines only, and only in long bodies
_SUBSCRIPTION = re.compile(
    r"unsubscribe|subscription|subscribed\s+(?:to|as|e-?mail)|not\s+(?:to\s+)?receive\s+future"
    r"\s+e-?mails|manage\s+(?:my|your)\s+subscriptions",
    re.IGNORECASE,
)
_NEWSLETTER_MIN_LINES = 60
_NEWSLETTER_TAIL_SHARE = 0.15
# ...or anywhere, when all that follows it is a link sidebar: many lines, nearly all short
# (on dev the sidebars had 54-70 lines, 94-97 % of them short; no author text after a
# subscription line had more than 60 % short lines)
_SIDEBAR_MIN_LINES = 20
_SIDEBAR_SHORT_CHARS = 40
_SIDEBAR_SHORT_SHARE = 0.85
_HEADING = re.compile(r"^\s*(?:[-=_*~:]{5,}.*|>>.*<<\s*|[^a-z]{3,60})$")
#: Footer phrases that also sit inside a body's sentences, where the summary's ranking and
#: action rules must know them (one spelling for all three): a legal footer's "if you
#: have received this email in error", and a mailing's "please do not reply to this".
IN_ERROR_PHRASE = r"\breceived\s+this\b[^.?!]{0,60}\bin\s+error\b"
NO_REPLY_PHRASE = (
    r"\bdo\s+not\s+(?:respond|reply)\s+to\s+this\b|\breply\s+to\s+(?:the\s+)?sender\s+only\b"
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
_PGP_HEAD = re.compile(r"^-----BEGIN PGP SIGNED MESSAGE-----\s*$")
_PGP_SIG_START = re.compile(r"^-----BEGIN PGP SIGNATURE-----\s*$")
_PGP_SIG_END = re.compile(r"^-----END PGP SIGNATURE-----\s*$")


def strip_pgp_armour(lines: list[str]) -> tuple[list[str], list[str]]:
    """Drop the clear-signed header and move the signature block out; undo dash-escaping."""
    if not any(_PGP_HEAD.match(line) for line in lines[:5]):
        return lines, []
    kept: list[str] = []
    armour: list[str] = []
    in_signature = False
    in_head = False
    for line in lines:
        if _PGP_HEAD.match(line):
            in_head = True
            armour.append(line)
            continue
        if in_head:  # "Hash: SHA1" lines, then one blank line
            armour.append(line)
            in_head = bool(line.strip())
            continue
        if _PGP_SIG_START.match(line):
            in_signature = True
        if in_signature:
            armour.append(line)
            in_signature = not _PGP_SIG_END.match(line)
            continue
        kept.append(line[2:] if line.startswith("- ") else line)
    return kept, armour


def strip_list_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut a mailing-list footer (Mailman, Yahoo! Groups, SourceForge, Hotmail ads) that ends
    the body: the earliest footer opening, in the last lines, that names the list machinery
    on its first or second line."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    window = nonblank[-_MAX_FOOTER_LINES:]
    for position, index in enumerate(window):
        if not _FOOTER_START.match(lines[index]):
            continue
        tail = [lines[i] for i in window[position:]]
        if any(line.lstrip().startswith(">") for line in tail):
            continue
        if any(_FOOTER_WORDS.search(line) for line in tail[:2]) and any(
            lines[i].strip() for i in range(index)
        ):
            return lines[:index], lines[index:]
    return lines, []


def strip_newsletter_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut the subscription block that closes a newsletter ("To unsubscribe…", "The e-mail
    address for your subscription…", "if you'd rather not receive future e-mails…"): the
    paragraph that says it, with a rule or heading just above it, to the end. The block is
    looked for in the newsletter's last lines, or anywhere when a link sidebar (many short
    lines) follows it to the end."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if len(nonblank) < _NEWSLETTER_MIN_LINES:
        return lines, []
    window = nonblank[-max(10, int(len(nonblank) * _NEWSLETTER_TAIL_SHARE)) :]
    hit = next((i for i in window if _SUBSCRIPTION.search(lines[i])), None)
    sidebar = _subscription_above_sidebar(lines, nonblank)
    if sidebar is not None and (hit is None or sidebar < hit):
        hit = sidebar
    if hit is None or any(lines[i].lstrip().startswith(">") for i in nonblank if i > hit):
        return lines, []
    start = hit
    while start > 0 and lines[start - 1].strip():
        start -= 1
    above = max((i for i in nonblank if i < start), default=None)
    if above is not None and _HEADING.match(lines[above]):
        start = above
    return lines[:start], lines[start:]


def _subscription_above_sidebar(lines: list[str], nonblank: list[int]) -> int | None:
    """The earliest subscription line that a link sidebar follows to the end: many lines,
    nearly all of them short (section names and links rather than prose)."""
    # one pass from the end counts the short lines below each line, so that the
    # subscription pattern runs only on the few lines with a sidebar below them
    candidates: list[int] = []
    short_below = 0
    for position in range(len(nonblank) - 1, -1, -1):
        below = len(nonblank) - 1 - position
        if below >= _SIDEBAR_MIN_LINES and short_below >= _SIDEBAR_SHORT_SHARE * below:
            candidates.append(nonblank[position])
        if len(lines[nonblank[position]].strip()) <= _SIDEBAR_SHORT_CHARS:
            short_below += 1
    return next((i for i in reversed(candidates) if _SUBSCRIPTION.search(lines[i])), None)


def strip_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off a signature: after a ``-- `` delimiter (when what follows is short enough to
    be one), a short rule above a few short closing lines, or a "sent from my phone" line."""
    for i, line in enumerate(lines):
        if _SIG_DELIMITER.match(line):
            rest = [x for x in lines[i + 1 :] if x.strip()]
            if len(rest) <= _MAX_SIGNATURE_LINES:
                return lines[:i], lines[i:]
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(nonblank[-7:-1], start=max(len(nonblank) - 7, 0)):
        if _SHORT_RULE.match(lines[index]):
            after = [lines[i] for i in nonblank[position + 1 :]]
            if after and all(len(x.strip()) <= 60 for x in after):
                return lines[:index], lines[index:]
    for i in range(len(lines) - 1, max(len(lines) - 6, -1), -1):
        if _MOBILE_SIG.match(lines[i]):
            return lines[:i], lines[i:]
    return lines, []


#: A rule drawn with symbols ("*****", "++++++CONFIDENTIALITY NOTICE+++++"): no words.
_SYMBOL_RULE = re.compile(r"[*=_~+#-]{3,}")
#: A rule long enough to set a footer apart inside a line ("dmp *****…***** The …").
_LONG_RULE = re.compile(r"[*=_~+#-]{10,}")
#: What may stand before a disclaimer's opening in its sentence: a name, a heading or an
#: attachment note ("Charles", "CONFIDENTIALITY NOTICE:", "(See attached file: x.pdf)"),
#: not a sentence of the author's, unless a long rule parts them.
_FOOTER_LEAD_WORDS = 6
#: The disclaimer's own words before "this email …": "The information contained in".
_PREAMBLE = re.compile(
    r"(?:the\s+)?(?:information|material|contents?)\s+(?:contained\s+)?(?:in|of)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")
#: Words before a rule on its own line that are a signature ("dmp", "Paula Smith").
_SIGNATURE_WORDS = 3
#: A sentence that belongs to a legal footer once one has begun.
_LEGAL_WORDS = re.compile(
    r"confidential|privilege|proprietary|intended|recipient|addressee|unauthori[sz]ed|disclos"
    r"|prohibit|unlawful|illegal|in\s+error|notify|delete|destroy|liab(?:le|ility)|virus"
    r"|integrity|intercept|guarantee|endorse|binding|estoppel|dissemina|copying|distribut"
    r"|designated|transmi(?:ssion|tted)|attorney|legal|sender|opinions?\b|herein|secure",
    re.IGNORECASE,
)
#: What else may end the text after a legal footer: thanks, an attachment's name, a rule,
#: a transfer header left behind.
_FOOTER_TAIL = re.compile(
    r"^\W*(?:thank\s*you|thanks)\W*$|^\s*-\s*\S[^\n]*\.\w{2,4}\s*$|^[\W_]*$"
    r"|^\s*content-transfer-encoding:",
    re.IGNORECASE,
)


def legal_footer(sentences: Sequence[str]) -> tuple[int, int] | None:
    """Where a legal footer begins among a text's sentences when no blank line set it apart
    (the flattened mail of the AESLC corpus, a disclaimer pasted under the signature): the
    sentence, and the offset in it, where a disclaimer opens, when every sentence after it
    is legal language, thanks, an attachment's name or a rule. ``None`` when there is
    none, or when the footer would be the whole text."""
    for number, sentence in enumerate(sentences):
        offset = _footer_offset(sentence)
        if offset is None:
            continue
        rest = sentences[number + 1 :]
        if all(_LEGAL_WORDS.search(s) or _FOOTER_TAIL.match(s) for s in rest):
            return None if (number, offset) == (0, 0) else (number, offset)
    return None


def _is_lead(head: str) -> bool:
    """Whether ``head`` may stand before a disclaimer: a few words, no sentence's end."""
    words = _SYMBOL_RULE.sub(" ", head)
    return len(words.split()) <= _FOOTER_LEAD_WORDS and not _SENTENCE_END.search(words + " ")


def _footer_offset(sentence: str) -> int | None:
    """Where in ``sentence`` a disclaimer opens: 0 when only a name, a note or a rule comes
    before it, else the line (or the long rule) that sets it apart from the author's text."""
    opening = _DISCLAIMER.search(_SYMBOL_RULE.sub(lambda m: " " * len(m.group()), sentence))
    if opening is None:
        return None
    head = _PREAMBLE.sub("", sentence[: opening.start()])
    if _is_lead(head):
        return 0
    rules = list(_LONG_RULE.finditer(head))
    if not rules or not _is_lead(head[rules[-1].end() :]):
        return None
    rule = rules[-1].start()
    line = head.rfind("\n", 0, rule) + 1
    if len(head[line:rule].split()) <= _SIGNATURE_WORDS:
        return line
    return rule


def strip_disclaimers(text: str) -> tuple[str, str]:
    """Drop trailing paragraphs that are legal boilerplate."""
    paragraphs = re.split(r"\n\s*\n", text.rstrip())
    removed: list[str] = []
    while len(paragraphs) > 1 and _DISCLAIMER.search(paragraphs[-1]):
        removed.insert(0, paragraphs.pop())
    return "\n\n".join(paragraphs), "\n\n".join(removed)
