"""Training pairs from the job store's feedback (``deskdraft model tune --from-feedback``
and the scheduled re-training): a draft the user edited becomes the job's input document
plus the edited text; an edited reply becomes the notes its stored plan gave the model
plus the user's own words (``replies.pair_from_feedback``). Feedback that was not edited,
or whose job or input can no longer be read, is skipped and counted by reason."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from plugin.tune.data import Loaded, Pair
from plugin.tune.replies import pair_from_feedback

#: Draft kinds whose edited text is a training target, and the task it trains.
FEEDBACK_TASKS = {"summarize": "subject", "suggest_meetings": "title", "reply": "reply"}


def from_feedback(records: Iterable[dict[str, Any]]) -> Loaded:
    """Feedback rows (``JobStore.feedback_with_jobs``) → pairs; the rest counted by reason."""
    from plugin.drafts.inputs import documents_from_input

    loaded = Loaded([])
    for record in records:
        edited = record.get("edited_text")
        task = FEEDBACK_TASKS.get(str(record.get("kind")))
        if record.get("kind") is None:
            loaded.skipped["job gone"] += 1
            continue
        if task is None:
            loaded.skipped[f"kind {record.get('kind')} not tunable"] += 1
            continue
        if not isinstance(edited, str) or not edited.strip():
            loaded.skipped["not edited"] += 1
            continue
        try:
            job_input = json.loads(record["input"])
            result = json.loads(record["result"]) if record.get("result") else None
            drafts = result if isinstance(result, list) else [result]
            index = int(record.get("draft_index") or 0)
            draft = drafts[index] if 0 <= index < len(drafts) else None
            draft_text = draft.get("text", draft.get("reply")) if isinstance(draft, dict) else None
            documents = documents_from_input(job_input)
        except Exception:  # any unreadable job input or result is one skipped record
            loaded.skipped["malformed"] += 1
            continue
        if draft_text is not None and " ".join(draft_text.split()) == " ".join(edited.split()):
            loaded.skipped["not edited"] += 1
            continue
        group = str(job_input.get("source") or record.get("job_id"))
        if task == "reply":
            pair = pair_from_feedback(draft, edited, group)
            if isinstance(pair, str):
                loaded.skipped[pair] += 1
            else:
                loaded.pairs.append(pair)
            continue
        document = documents[min(index, len(documents) - 1)]
        source = document.full_text().strip()
        if not source:
            loaded.skipped["malformed"] += 1
            continue
        loaded.pairs.append(Pair(task, source, edited.strip(), group))
    return loaded


def feedback_facts(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the record of a model tuned on ``records`` keeps of them: how many users gave
    them and the time of the newest (a scheduled re-training starts after it)."""
    times = [float(r["created_at"]) for r in records if r.get("created_at") is not None]
    return {
        "feedback_users": len({r.get("owner") for r in records if r.get("owner")}),
        "feedback_until": max(times) if times else None,
    }
