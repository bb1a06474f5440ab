"""bench/asks_reply.py: how a learned veto and adder change the reply rules' asks."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from asks_reply import decide

from plugin.drafts.inputs import text_document
from plugin.drafts.reply.asks import find_asks

TEXT = (
    "Hi Ann,\n\nCould you send me the signed contract by Friday? "
    "Lets discuss the budget next week.\n\nThanks,\nBob"
)


def _span(document, words: str) -> tuple[int, int]:
    start = document.text.index(words)
    return start, start + len(words)


def test_veto_keeps_only_rule_asks_a_kept_span_overlaps_and_adder_appends_in_order() -> None:
    document = text_document(TEXT)
    rules = find_asks(document, set(), [])
    assert [a.text for a in rules] == ["Could you send me the signed contract by Friday?"]
    wish = _span(document, "Lets discuss the budget next week.")
    # no veto, no adder: the rules' asks as they are
    assert decide(document, rules, None, []) == rules
    # a veto that keeps nothing the rule ask overlaps drops it; the adder adds the wish
    [added] = decide(document, rules, [wish], [wish])
    assert (added.text, added.kind) == ("Lets discuss the budget next week.", "request")
    # a candidate a rule ask already overlaps is not added twice
    both = decide(document, rules, None, [_span(document, "Could you send"), wish])
    assert [a.text[:9] for a in both] == ["Could you", "Lets disc"]
