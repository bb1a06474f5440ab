"""Two asks in one sentence: "I would like your input as to what gifts we should send, and
how many I should purchase", "Please let me know what your legal interpretation of this
clause is and whether we are required to give him notice". Each half is its own ask (the
fresh labels count two), so an answer to one does not answer the other.

And one sentence cut in two: "… access the website at www.Enron.BenefitsNow.com   or call
the Phone Enrollment Line …" was split after the address, and its "or call …" became an
ask of its own. A piece that opens with a small "or", "and" or "but" on the line where the
sentence before it ended belongs to that sentence: it joins the ask before it, or, when the
rules did not take that sentence for an ask, it is none either."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from plugin.drafts.reply.slots import Ask

#: The first half asks a wh-question or "whether" (directly or after "as to", "know") …
_FIRST_ASKS = re.compile(r"\b(?:what|when|where|who|which|why|how|whether)\b", re.I)
#: … and "and whether", "and how many" or ", and <wh-word>" opens a second one ("what is
#: included in the price and where we fly into" stays one request).
_SECOND = re.compile(
    r"(?:,\s*|\s+)and\s+(?=(?:whether|how\s+(?:many|much|soon|long))\s+\w+\s+\w+)"
    r"|,\s*and\s+(?=(?:what|when|where|who|which)\s+\w+\s+\w+)",
    re.I,
)


def split_compound(asks: list[Ask], kind_of: Callable[[str], str]) -> list[Ask]:
    """The asks with each two-question sentence split in two (``kind_of`` types a half)."""
    out: list[Ask] = []
    for ask in asks:
        second = _SECOND.search(ask.text)
        if (
            second is None
            or ask.kind == "meeting"
            or not _FIRST_ASKS.search(ask.text, 0, second.start())
        ):
            out.append(ask)
            continue
        first_text, second_text = ask.text[: second.start()], ask.text[second.end() :]
        first_kind = kind_of(first_text)
        second_kind = "yes_no" if second_text.lower().startswith("whether") else "open"
        out.append(replace(ask, text=first_text, end=ask.start + second.start(), kind=first_kind))
        out.append(replace(ask, text=second_text, start=ask.start + second.end(), kind=second_kind))
    return out


#: A piece of a sentence cut in two: it opens with a small conjunction.
_CONTINUES = re.compile(r"(?:or|and|but|nor)\b")


def join_continuations(asks: list[Ask], text: str) -> list[Ask]:
    """The asks with each piece of a sentence cut in two (``_CONTINUES``, on the line of the
    sentence before it) joined to the ask before it, or dropped when none is there."""
    out: list[Ask] = []
    for ask in asks:
        line_start = text.rfind("\n", 0, ask.start) + 1
        cut_mid_line = bool(text[line_start : ask.start].strip())
        if not (cut_mid_line and _CONTINUES.match(ask.text)):
            out.append(ask)
            continue
        before = out[-1] if out else None
        if before is not None and not text[before.end : ask.start].strip():
            out[-1] = replace(before, text=text[before.start : ask.end], end=ask.end)
    return out


__all__ = ["join_continuations", "split_compound"]
