"""Today's briefs of the judged mails, each beside its judged draft and verdicts
(``bench/quality.py --rewrite-dev``): what a change to the brief does to mails a person
has already read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from brief_judging import JUDGED, commit_id, has_verdicts, judged_document, load_items


def rewrite_judged(
    shared: Path,
    out: Path,
    batch_size: int,
    split: str = "dev",
    judged: Sequence[Path] = (JUDGED,),
    compress: bool = False,
) -> dict[str, Any]:
    """Write today's briefs of one split's judged mails to ``out``, each beside its judged
    draft and verdicts. A draft that did not change keeps its verdicts; a changed one needs
    a person to read it (``changed``), so the figures say only what the code can carry:
    ``carried_useful`` counts the unchanged drafts judged useful."""
    from plugin.drafts.summary.summarize import SummaryDraft
    from plugin.engine.runtime import get_engine

    commit = commit_id()  # before the slow part: the checkout may move on meanwhile
    items = [
        i
        for path in judged
        if path.exists()
        for i in load_items(path)
        if i["split"] == split and has_verdicts(i)
    ]
    documents = [judged_document(shared, item["mail"]) for item in items]
    drafts = SummaryDraft(get_engine()).draft(
        documents, {"style": "brief", "batch_size": batch_size, "compress": compress}
    )
    rows = []
    for item, draft in zip(items, drafts, strict=True):
        data = draft.to_json()
        rows.append(
            {
                "mail": item["mail"],
                "judged_draft": item["draft"],
                "draft": data["summary"],
                "changed": data["summary"] != item["draft"],
                "verified": data["verified"],
                "check": data["check"]["label"],
                "carries": data.get("carries"),
                "faithful": item["faithful"],
                "useful": item["useful"],
                "reason": item["reason"],
            }
        )
    same = [r for r in rows if not r["changed"]]
    line = {
        "split": split,
        "briefs": len(rows),
        "changed": len(rows) - len(same),
        "carried_useful": sum(r["useful"] for r in same),
        "verified_share": round(sum(r["verified"] for r in rows) / max(len(rows), 1), 4),
        "commit": commit,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**line, "items": rows}, indent=1), encoding="utf-8")
    return line
