"""Judged briefs: the figures of judged files, and fresh briefs for a person to judge.

A judged file (``tests/data/brief_judged.json``, ``brief_judged_2.json``, ``_3``, …)
holds ``brief`` summaries, each read against its mail by a person: ``faithful`` (every
claim is supported), ``useful`` (the main point or request comes through) and a
``reason``. ``split`` is dev or test by mailbox (``mailbox_split``); an item whose mail
was read while building the pipeline is moved to dev (``"moved"`` says why) and counts
as dev. Items without verdicts yet (a fresh sample) are counted as ``unjudged`` only.

Fresh samples (``write_brief_sample``): ``fresh=N`` takes N AESLC mails (dev, then
train) that are in none of the judged or label files, from test-split mailboxes only, so
whatever a judge finds is a held-out figure.
The file has the judged files' item format without the verdicts.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
JUDGED = REPO / "tests" / "data" / "brief_judged.json"
#: The label files whose mails count as read (every JSON file of the tests' data).
LABELS = REPO / "tests" / "data"
#: The fresh samples, once a judge has filled them in (brief_judged_2.json, _3, …).
FRESH_GLOB = "brief_judged_*.json"
#: The first judged sample: this many AESLC dev mails and SpamAssassin ham mails, seed 12.
JUDGED_AESLC, JUDGED_HAM, JUDGED_SEED = 150, 16, 12


def default_judged() -> list[Path]:
    fresh = sorted(JUDGED.parent.glob(FRESH_GLOB), key=lambda p: int(p.stem.rsplit("_", 1)[1]))
    return [p for p in (JUDGED, *fresh) if p.exists()] or [JUDGED]


def mailbox_split(mailbox: str) -> str:
    """dev or test, by mailbox (a third of the mailboxes are test)."""
    return "test" if int(hashlib.sha1(mailbox.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def mail_text(shared: Path, relative: str) -> str:
    """The text a judged draft was made from (an AESLC body or a parsed .eml)."""
    path = shared / relative
    if path.suffix == ".subject":
        return aeslc_body(path)
    return judged_document(shared, relative).full_text()


def passes_todays_checks(item: dict[str, Any], text: str) -> bool:
    """Whether today's token and claim checks pass a judged draft of ``text``: its lines
    as the product checked them one by one where the file keeps them (from the
    seventeenth sample on; the joined draft split again can merge two lines and refuse
    what the product passed), against the sentences the product checks them against (a
    legal footer cut)."""
    from plugin.drafts.text.claims import check_claims
    from plugin.drafts.text.sentences import summary_sentences
    from plugin.drafts.text.verify import check

    lines = item.get("lines")
    said = [str(x) for x in lines] if isinstance(lines, list) else str(item["draft"])
    return check(str(item["draft"]), text).ok and check_claims(said, summary_sentences(text)).ok


def aeslc_body(path: Path) -> str:
    """An AESLC ``.subject`` file's mail body (what comes before its subject line)."""
    return path.read_text(encoding="utf-8").split("\n@subject\n")[0]


def load_items(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["items"])


def has_verdicts(item: dict[str, Any]) -> bool:
    return isinstance(item.get("faithful"), bool) and isinstance(item.get("useful"), bool)


def judged_metrics(
    paths: Path | Sequence[Path] = JUDGED, split: str = "test", shared: Path | None = None
) -> dict[str, float]:
    """Faithful/useful shares and the precision of ``verified`` on one split.

    ``split="sampled"`` is the held-out samples as drawn and judged: the test items and
    the ones read and moved to dev since (``moved``). Moving every read unfaithful item
    out of test leaves ``test`` itself faithful by construction, so this is the figure
    each sample gave when it was judged.

    Over all ``paths`` together as ``judged_<split>_*``; with more than one file, each
    file's own figures too, as ``judged_<file stem>_<split>_*``. With ``shared``, the
    judged drafts are also checked again by today's checks (``recheck_*``): the claim
    check's agreement with the reader as the code stands.
    """
    files = [paths] if isinstance(paths, Path) else list(paths)

    def chosen(item: dict[str, Any]) -> bool:
        if split == "sampled":
            return item["split"] == "test" or bool(item.get("moved"))
        return item["split"] == split

    per_file = {p: [i for i in load_items(p) if chosen(i)] for p in files if p.exists()}
    out: dict[str, float] = {}
    everything = [i for items in per_file.values() for i in items]
    out.update(_figures(everything, f"judged_{split}", shared))
    if len(per_file) > 1:
        for path, items in per_file.items():
            out.update(_figures(items, f"judged_{path.stem}_{split}", shared))
    return out


def _figures(items: list[dict[str, Any]], prefix: str, shared: Path | None) -> dict[str, float]:
    judged = [i for i in items if has_verdicts(i)]
    out: dict[str, float] = {}
    if len(judged) < len(items):
        out[f"{prefix}_unjudged"] = len(items) - len(judged)
    if not judged:
        return out
    verified = [i for i in judged if i["verified"]]
    written = [i for i in judged if i["path"] == "abstractive" and i["verified"]]
    out.update(
        {
            f"{prefix}_briefs": len(judged),
            f"{prefix}_faithful_share": round(sum(i["faithful"] for i in judged) / len(judged), 4),
            f"{prefix}_useful_share": round(sum(i["useful"] for i in judged) / len(judged), 4),
            f"{prefix}_verified_precision": round(
                sum(i["faithful"] for i in verified) / len(verified), 4
            )
            if verified
            else 1.0,
            f"{prefix}_verified_share": round(len(verified) / len(judged), 4),
            f"{prefix}_model_checked_share": round(len(written) / len(judged), 4),
            f"{prefix}_p50_ms": round(statistics.median(i["elapsed_ms"] for i in judged), 1),
        }
    )
    # A paired sample (the fifty-ninth) judged each mail's brief beside the one before it.
    paired = [i for i in judged if isinstance(i.get("baseline"), dict)]
    for field in ("faithful", "useful") if paired else ():
        share = sum(i["baseline"][field] for i in paired) / len(paired)
        out[f"{prefix}_baseline_{field}_share"] = round(share, 4)
    for side in ("this", "other") if paired else ():
        out[f"{prefix}_preferred_{side}"] = sum(i.get("preferred") == side for i in paired)
    if shared is not None and shared.is_dir():
        now = [i for i in judged if passes_todays_checks(i, mail_text(shared, i["mail"]))]
        out[f"{prefix}_recheck_verified_share"] = round(len(now) / len(judged), 4)
        out[f"{prefix}_recheck_verified_precision"] = (
            round(sum(i["faithful"] for i in now) / len(now), 4) if now else 1.0
        )
    return out


def _aeslc_document(path: Path) -> Any:
    from connectors.document import Document

    return Document(id=path.stem, kind="email", source=path.name, text=aeslc_body(path))


def judged_document(shared: Path, relative: str) -> Any:
    """The Document a judged brief was made from (an AESLC body or a parsed .eml)."""
    from connectors.document import Document
    from plugin.drafts.inputs import iter_source

    path = shared / relative
    if path.suffix == ".subject":
        return _aeslc_document(path)
    return next(d for d in iter_source(str(path)) if isinstance(d, Document))


def brief_sample(shared: Path) -> list[tuple[str, str, Any]]:
    """The first judged sample's mails: (path relative to ``shared``, mailbox, Document)."""
    from connectors.document import Document
    from plugin.drafts.inputs import iter_source

    aeslc = sorted((shared / "data" / "aeslc-dev").glob("*.subject"))
    picked = [
        (p, _aeslc_document(p)) for p in random.Random(JUDGED_SEED).sample(aeslc, JUDGED_AESLC)
    ]
    ham = sorted((shared / "corpus" / "mail" / "spamassassin").glob("easy-ham-*.eml"))
    for path in random.Random(JUDGED_SEED).sample(ham, JUDGED_HAM):
        documents = [d for d in iter_source(str(path)) if isinstance(d, Document)]
        if documents and documents[0].full_text().strip():
            picked.append((path, documents[0]))
    return [(str(p.relative_to(shared)), p.name.split("_")[0], d) for p, d in picked]


#: A mail file name as the label files write it ("mims-thurston-p_inbox_165").
_MAIL_NAME = re.compile(r"[a-z][a-z-]*-[a-z]_[a-z_]+?_\d+")


def named_in_labels(data: Path | None = None) -> set[str]:
    """The AESLC mails some label file of the project names (in ``data``, by default
    ``LABELS``): a person has read them."""
    names: set[str] = set()
    for path in (data or LABELS).glob("*.json"):
        names.update(_MAIL_NAME.findall(path.read_text(encoding="utf-8")))
    return names


def fresh_sample(
    shared: Path, count: int, seed: int, judged: Sequence[Path], labels: Path | None = None
) -> list[tuple[str, str, Any]]:
    """``count`` AESLC mails of test-split mailboxes that nobody has read: no judged file
    and no label file (in ``labels``) names them, and none is a copy of a dev mail (AESLC
    has the same mail in several mailboxes; the pool keeps one copy). The pool is
    aeslc-dev's test-split mails, which the tenth sample used up, and aeslc-train's, which
    no brief rule was read from; the fifty-seventh sample used up what was left of it."""
    seen = {i["mail"] for path in judged if path.exists() for i in load_items(path)}
    read = named_in_labels(labels)
    dev = {
        p: aeslc_body(p).strip() for p in sorted((shared / "data" / "aeslc-dev").glob("*.subject"))
    }
    dev_bodies = set(dev.values())
    first_copy: dict[str, Path] = {}
    for paths in (dev, sorted((shared / "data" / "aeslc-train").glob("*.subject"))):
        for path in paths:
            if (
                mailbox_split(path.name.split("_")[0]) != "test"
                or str(path.relative_to(shared)) in seen
                or path.stem in read
            ):
                continue
            body = dev[path] if path in dev else aeslc_body(path).strip()
            if body and (path in dev or body not in dev_bodies):
                first_copy.setdefault(body, path)
    pool = list(first_copy.values())
    if count > len(pool):
        raise SystemExit(f"only {len(pool)} unjudged test-split mails; asked for {count}")
    return [
        (str(p.relative_to(shared)), p.name.split("_")[0], _aeslc_document(p))
        for p in random.Random(seed).sample(pool, count)
    ]


def write_brief_sample(
    shared: Path,
    out: Path,
    batch_size: int,
    fresh: int = 0,
    seed: int = 0,
    judged: Sequence[Path] = (JUDGED,),
    compress: bool = False,
    labels: Path | None = None,
) -> dict[str, Any]:
    """Briefs for a person to judge (no verdicts in them): of the first judged sample's
    mails, or with ``fresh`` of that many unjudged test-split mails; with ``compress`` the
    model shortens the chosen sentences. Returns the timing line: p50 ``elapsed_ms``, CPU
    seconds per brief and the 1-minute load average."""
    from tqdm import tqdm

    from plugin.drafts.summary.summarize import SummaryDraft
    from plugin.engine.runtime import get_engine

    sample = fresh_sample(shared, fresh, seed, judged, labels) if fresh else brief_sample(shared)
    engine = get_engine()
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), _cpu_s()
    with tqdm(total=len(sample), desc="briefs", unit="brief", file=sys.stderr) as bar:
        drafts = SummaryDraft(engine).draft(
            [d for _, _, d in sample],
            {
                "style": "brief",
                "batch_size": batch_size,
                "progress": bar.update,
                "compress": compress,
            },
        )
    cpu_s = _cpu_s() - cpu_started
    items = []
    for (mail, mailbox, _), draft in zip(sample, drafts, strict=True):
        data = draft.to_json()
        item = {
            "mail": mail,
            "mailbox": mailbox,
            "split": mailbox_split(mailbox),
            "draft": data["summary"],
            # The lines the product checked one by one (re-splitting the joined draft can
            # merge two), so a test can check exactly what the product checked; none when
            # it checked none (a brief with no sentence to check is "not checked").
            "lines": [c["text"] for c in data["check"].get("claims", [])],
            "path": data["path"],
            "verified": data["verified"],
            "check": data["check"]["label"],
            "elapsed_ms": data["elapsed_ms"],
        }
        if not item["lines"]:
            del item["lines"]
        items.append(item)
    line = {
        "briefs": len(items),
        "p50_elapsed_ms": round(statistics.median(i["elapsed_ms"] for i in items), 1),
        # CPU time of all threads: what the briefs cost whatever else runs on the machine.
        "cpu_s_per_brief": round(cpu_s / len(items), 3),
        "wall_s": round(time.perf_counter() - started, 1),
        "load_avg_1m": round((load_before + os.getloadavg()[0]) / 2, 2),
        "cpus": os.cpu_count(),
        "model": engine.model_id,
    }
    header: dict[str, Any] = {
        "about": "briefs to judge (no verdicts yet): fill in faithful, useful and reason per item",
        **line,
        "generated": {"commit": commit_id(), "batch_size": batch_size},
    }
    if fresh:
        header["sample"] = {
            "fresh": fresh,
            "seed": seed,
            "split": "test",
            "excluded": [_shown(p) for p in judged],
        }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**header, "items": items}, indent=1), encoding="utf-8")
    return line


def commit_id() -> str:
    """The checkout's commit, so a judged sample names the pipeline that wrote it."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip()


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def _cpu_s() -> float:
    """CPU seconds of this process and its threads (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
