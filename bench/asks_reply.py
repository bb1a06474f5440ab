"""The reply bench's dev figures with a learned ask decision over the reply rules' asks,
for ``bench/asks_cv.py`` (issues #17/#18).

The decision comes as out-of-fold candidate spans: ``keep`` (a veto: a rule ask stays
only where a kept candidate overlaps it) and ``add`` (an adder: a candidate no rule ask
overlaps becomes an ask of its own, of the kind the rules give its wording). Both at once
is "both"; neither is the rules alone.
"""

from __future__ import annotations

from typing import Any

from asks_data import Mail

from connectors.document import Document

Span = tuple[int, int]


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


def candidate_spans(
    mails: list[Mail], chosen: list[list[bool]], source: str = "reply"
) -> dict[str, list[Span]]:
    """Per mail of ``source`` (by document id): the spans of its chosen candidates."""
    return {
        mail.document.id: [
            (c.start, c.end) for c, yes in zip(mail.candidates, said, strict=True) if yes
        ]
        for mail, said in zip(mails, chosen, strict=True)
        if mail.source == source
    }


def decide(
    document: Document, rules: list[Any], kept: list[Span] | None, added: list[Span]
) -> list[Any]:
    """The rules' asks that overlap a ``kept`` span (all when ``kept`` is None), plus an
    ask per ``added`` span no rule ask overlaps; in order, at most ``MAX_ASKS``."""
    from plugin.drafts.reply.asks import MAX_ASKS, ask_kind
    from plugin.drafts.reply.slots import Ask

    asks = rules if kept is None else [a for a in rules if _overlaps(a.start, a.end, kept)]
    for start, end in added:
        if not _overlaps(start, end, [(a.start, a.end) for a in rules]):
            body = document.text[start:end].strip()
            asks = [*asks, Ask(body, start, end, document.id, ask_kind(body))]
    return sorted(asks, key=lambda ask: ask.start)[:MAX_ASKS]


def ask_label_coverage(
    mails: list[Mail],
    keep: list[list[bool]] | None = None,
    add: list[list[bool]] | None = None,
) -> dict[str, Any]:
    """On the session-8 ask labels (fresh: no rule was written from them), the asks the
    reply would make (``decide``, as in ``reply_figures``): the share of labelled
    fragments an ask holds ("covered", the reply's asks covered), the share of asks that
    hold a fragment, and the mails without an ask in which the reply finds one."""
    from asks_data import holds

    from plugin.drafts.reply.asks import find_asks

    kept = candidate_spans(mails, keep, "asks") if keep is not None else None
    added = candidate_spans(mails, add, "asks") if add is not None else {}
    fragments = covered = made = right = quiet = alarms = 0
    for mail in mails:
        if mail.source != "asks":
            continue
        document = mail.document
        rules = find_asks(document, set(), [])
        kept_here = kept.get(document.id, []) if kept is not None else None
        texts = [a.text for a in decide(document, rules, kept_here, added.get(document.id, []))]
        fragments += len(mail.fragments)
        covered += sum(any(holds(t, f) for t in texts) for f in mail.fragments)
        made += len(texts)
        right += sum(any(holds(t, f) for f in mail.fragments) for t in texts)
        quiet += not mail.fragments
        alarms += bool(texts) and not mail.fragments
    return {
        "fragments_covered": round(covered / max(1, fragments), 3),
        "asks_holding_a_fragment": round(right / max(1, made), 3),
        "asks": made,
        "fragments": fragments,
        "mails_without_ask_given_one": f"{alarms}/{quiet}",
    }


def reply_figures(
    mails: list[Mail],
    keep: list[list[bool]] | None = None,
    add: list[list[bool]] | None = None,
) -> dict[str, Any]:
    """``bench/reply.py`` dev figures on the template path (its judge), overall and per
    label round, with the reply rules' asks vetoed by ``keep`` and added to by ``add``."""
    import reply as reply_bench

    from plugin.drafts.reply import plan as reply_plan
    from plugin.drafts.reply.asks import find_asks

    chosen = [m for m in mails if m.source == "reply"]
    kept = candidate_spans(mails, keep) if keep is not None else None
    added = candidate_spans(mails, add) if add is not None else {}

    def decided(document: Document, names: set[str], notes: list[str]) -> list[Any]:
        rules = find_asks(document, names, notes)
        kept_here = kept.get(document.id, []) if kept is not None else None
        return decide(document, rules, kept_here, added.get(document.id, []))

    original = reply_plan.find_asks
    reply_plan.find_asks = decided
    try:
        results = reply_bench.run_labelled([m.label for m in chosen], None)
    finally:
        reply_plan.find_asks = original
    summary = reply_bench.split_summary(results)
    return {**summary.get("dev", {}), "rounds": summary.get("dev_rounds", {})}
