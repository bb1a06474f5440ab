"""Two asks in one sentence: "I would like your input as to what gifts we should send, and
how many I should purchase", "Please let me know what your legal interpretation of this
clause is and whether we are required to give him notice". Each half is its own ask (the
fresh labels count two), so an answer to one does not answer the other."""

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


__all__ = ["split_compound"]
