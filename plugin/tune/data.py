"""Training pairs for ``deskdraft model tune``: where they come from and how they split.

Three sources, one shape (:class:`Pair`):

* a folder of AESLC ``.subject`` files: the mail body, then ``@subject`` and the sender's
  subject line (``@ann0``… annotations, where present, become extra references);
* a JSONL file of ``{"task", "input", "target"}`` objects;
* the job store's feedback (``--from-feedback``): a draft the user edited becomes the job's
  input document plus the edited text (a reply: the notes its plan gave the model plus the
  user's own words, ``replies.pair_from_feedback``). Feedback that was not edited, or whose
  job or input can no longer be read, is skipped and counted by reason.

The held-out split is by *group* (the AESLC mailbox, the feedback job's source), so no
sender's mail is both trained on and judged on.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors.errors import BadInputError, UsageError
from plugin.drafts.text.prompts import TASKS

#: Draft kinds whose edited text is a training target, and the task it trains.
FEEDBACK_TASKS = {"summarize": "subject", "suggest_meetings": "title", "reply": "reply"}
#: Fewer usable pairs than this cannot be split into training and held-out data.
MIN_PAIRS = 8


@dataclass(frozen=True, slots=True)
class Pair:
    task: str
    input: str
    target: str
    #: Pairs of one group (a mailbox, a source) stay on one side of the split.
    group: str = ""
    #: Extra acceptable targets (AESLC annotators), used only when scoring.
    references: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "input": self.input,
            "target": self.target,
            "group": self.group,
            "references": list(self.references),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pair:
        return cls(
            str(data["task"]),
            str(data["input"]),
            str(data["target"]),
            str(data.get("group", "")),
            tuple(data.get("references") or ()),
        )


@dataclass(slots=True)
class Loaded:
    pairs: list[Pair]
    skipped: Counter[str] = field(default_factory=Counter)

    def extend(self, other: Loaded) -> None:
        self.pairs.extend(other.pairs)
        self.skipped.update(other.skipped)


def _mailbox(stem: str) -> str:
    # AESLC names are "<owner>_<folder>_<n>": the owner's mailbox is the group.
    return stem.split("_", 1)[0]


def load_aeslc(folder: Path, limit: int | None = None) -> Loaded:
    """``.subject`` files (body → subject line), in file-name order."""
    if not folder.is_dir():
        raise UsageError("not a folder of AESLC .subject files", item=str(folder))
    loaded = Loaded([])
    for path in sorted(folder.glob("*.subject")):
        text = path.read_text(encoding="utf-8", errors="replace")
        body, marker, rest = text.partition("\n@subject\n")
        subject = rest.split("\n@ann", 1)[0].strip() if marker else ""
        if not body.strip() or not subject:
            loaded.skipped["no body or subject"] += 1
            continue
        refs = tuple(r.strip() for r in re.findall(r"@ann\d+\n(.+)", rest) if r.strip())
        loaded.pairs.append(Pair("subject", body.strip(), subject, _mailbox(path.stem), refs))
        if limit is not None and len(loaded.pairs) >= limit:
            break
    return loaded


def load_jsonl(path: Path) -> Loaded:
    """``{"task", "input", "target"}`` per line; a bad line is skipped and counted."""
    loaded = Loaded([])
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read the training file: {exc}", item=str(path)) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            task, source, target = data["task"], data["input"], data["target"]
        except (ValueError, KeyError, TypeError):
            loaded.skipped["malformed"] += 1
            continue
        if task not in TASKS:
            loaded.skipped["unknown task"] += 1
        elif (
            not isinstance(source, str)
            or not isinstance(target, str)
            or not (source.strip() and target.strip())
        ):
            loaded.skipped["malformed"] += 1
        else:
            group = str(data.get("group") or f"{path.name}:{number}")
            loaded.pairs.append(Pair(task, source.strip(), target.strip(), group))
    return loaded


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
            from plugin.tune.replies import pair_from_feedback

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


def split(pairs: Sequence[Pair], held_share: float, seed: int) -> tuple[list[Pair], list[Pair]]:
    """``(train, held_out)``, whole groups on one side; about ``held_share`` held out."""
    groups = sorted({p.group for p in pairs})
    random.Random(seed).shuffle(groups)
    want = max(1, round(held_share * len(pairs)))
    held_groups: set[str] = set()
    held = 0
    sizes = Counter(p.group for p in pairs)
    if len(groups) >= 2:
        for group in groups:
            if held >= want or len(held_groups) == len(groups) - 1:
                break
            held_groups.add(group)
            held += sizes[group]
    else:  # a single group (one mailbox): split its pairs instead
        order = list(range(len(pairs)))
        random.Random(seed).shuffle(order)
        chosen = set(order[:want])
        return (
            [p for i, p in enumerate(pairs) if i not in chosen],
            [p for i, p in enumerate(pairs) if i in chosen],
        )
    return (
        [p for p in pairs if p.group not in held_groups],
        [p for p in pairs if p.group in held_groups],
    )


def data_hash(pairs: Sequence[Pair]) -> str:
    digest = hashlib.sha256()
    for pair in pairs:
        digest.update(json.dumps([pair.task, pair.input, pair.target]).encode())
    return digest.hexdigest()


def check_size(pairs: Sequence[Pair], skipped: Counter[str], origin: str) -> None:
    if len(pairs) < MIN_PAIRS:
        why = ", ".join(f"{n} {reason}" for reason, n in skipped.items()) or "none skipped"
        raise UsageError(
            f"only {len(pairs)} usable training pairs ({why}); at least {MIN_PAIRS} are needed",
            item=origin,
            hint="add more examples (a few hundred give a useful model)",
        )


def save_pairs(path: Path, pairs: Sequence[Pair]) -> None:
    path.write_text("".join(json.dumps(p.to_json()) + "\n" for p in pairs), encoding="utf-8")


def read_pairs(path: Path) -> list[Pair]:
    return [
        Pair.from_json(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
