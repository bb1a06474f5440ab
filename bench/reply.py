"""Reply drafts on the labelled set: asks covered, invented content, placeholders, latency.

    python bench/reply.py [--shared DIR] [--split test|dev|all] [--no-model] [--show FILE]
                          [--rouge-pairs N]

Reads ``tests/data/reply_labels.json`` (AESLC messages in ``../shared`` that ask something
of the reader, labelled by hand: the asks, an intent, and whether the intent answers each
ask). The set is split by mailbox owner; the rules were written looking at ``dev`` only and
the figures to quote are ``test``'s. For each message one reply is drafted on its own (so
the time is a per-reply latency, model included) and judged by code that does not reuse the
draft's own checks:

* asks covered: each labelled ask is answered (the intent answers it) or left as a visible
  placeholder; "I'll get back to you by <day>" covers every ask;
* unsupported fact: a number, capitalised word or link of the reply that is not, literally,
  in the mail, the intent, the profile, the calendar answer or the fixed template words;
* invented answer: an ask the label says the intent does not answer, answered anyway;
* invented commitment: a yes/no/promise word that the intent does not license;
* placeholder-free: no placeholder left where the label says the intent answers every ask;
* two readers (``readers_agree``): where a message was read twice, blind, the second
  reader's asks against the first's (``bench/reply_agreement.py``), the ceiling of "asks
  covered" that the labels themselves allow.

Secondary: ROUGE of the draft against real replies in the SpamAssassin threads (a message
and the corpus message that answers it), beside the template-only baseline. The last
stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import zlib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from reply_agreement import norm, readers_agree  # noqa: E402  (bench scripts import by path)

LABELS = REPO / "tests" / "data" / "reply_labels.json"
#: Intents written for asking mails of the ask labels (their asks, unchanged): the dev
#: round "s36-dev", scored beside the reply labels (docs/replies.md).
INTENT_LABELS = REPO / "tests" / "data" / "reply_intents.json"
REFERENCE = "2001-10-01T09:00:00-05:00"  # AESLC bodies carry no Date header
#: Words the templates write themselves (greetings, answers, the placeholder label).
_TEMPLATE_TEXT = """hi hello hey dear thanks thank for your message about the note yes no
i i'm i'll i can do that afraid can't make it works me on this by could we find another time
would or work instead not free best regards answer send file again it does seem to be
attached get back you"""
TEMPLATE_WORDS = frozenset(re.findall(r"\S+", _TEMPLATE_TEXT))
COMMITMENTS = {
    "yes": re.compile(r"\byes\b|\bi can do\b", re.I),
    "no": re.compile(r"\bno\b|\bi'm afraid\b|\bcan't\b", re.I),
    "later": re.compile(r"\bi'll get back\b", re.I),
    "accept": re.compile(r"\bworks for me\b", re.I),
    "decline": re.compile(r"\bcan't make\b", re.I),
}
_TOKEN = re.compile(r"(?:https?://|www\.)\S+|\$?\d[\d,.:/%]*\d%?|\d|[A-Z][\w'’&-]*")
_PLACEHOLDER = re.compile(r"\[(?:Answer|Add)[^\]]*\]")
#: The round of a label written before labels said theirs ("round": "s8-dev" …).
OLDER_ROUND = "older"


def owner(path: str) -> str:
    return re.split(r"_(?:inbox|sent|all|notes|discussion|deleted)", Path(path).name)[0]


def split_of(path: str) -> str:
    """Mailbox-level split: about 60% of the owners are held out for the figures."""
    return "test" if zlib.crc32(owner(path).encode()) % 10 < 6 else "dev"


def label_messages() -> list[dict[str, Any]]:
    """The reply labels, then the intents written for the ask labels' mails."""
    return [
        message
        for path in (LABELS, INTENT_LABELS)
        for message in json.loads(path.read_text(encoding="utf-8"))["messages"]
    ]


def load(shared: Path, split: str) -> list[dict[str, Any]]:
    messages = label_messages()
    out = []
    for label in messages:
        label = dict(label, split=label.get("split") or split_of(label["path"]))
        if split in ("all", label["split"]):
            path = shared / Path(label["path"]).relative_to("../shared")
            label["body"] = path.read_text(encoding="utf-8").split("\n@subject")[0].strip()
            out.append(label)
    return out


def unsupported_tokens(reply: str, sources: str) -> list[str]:
    text = _PLACEHOLDER.sub(lambda m: m.group()[len("[Answer:") : -1], reply)
    known = norm(sources)
    found = []
    for token in _TOKEN.findall(text):
        word = token.rstrip(".,;:!?)").strip("’'")
        if not word or word.lower() in TEMPLATE_WORDS or norm(word) in known:
            continue
        found.append(word)
    return found


def invented_commitments(reply: str, intent_kind: str | None, intent_text: str) -> list[str]:
    body = _PLACEHOLDER.sub(" ", reply)
    out = []
    for kind, pattern in COMMITMENTS.items():
        for match in pattern.finditer(body):
            # "yes" to a proposed time accepts it ("… works for me"); "no" declines it.
            licensed = (
                intent_kind == kind
                or (kind == "yes" and intent_kind == "accept")
                or (kind == "no" and intent_kind == "decline")
                or (kind == "accept" and intent_kind == "yes")
                or (kind == "decline" and intent_kind == "no")
                or norm(match.group()) in norm(intent_text)
            )
            if not licensed:
                out.append(match.group())
    return out


def judge(label: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    reply = data["reply"]
    plan_asks = data["plan"]["asks"]
    intent = data["plan"]["intent"] or {}
    later = intent.get("kind") == "later"
    covered = invented_answers = 0
    for ask in label["asks"]:
        wanted = norm(ask["text"])
        match = next(
            (a for a in plan_asks if wanted in norm(a["text"]) or norm(a["text"]) in wanted), None
        )
        shown = match is not None and (
            match["answered_by"]
            or any(norm(match["text"])[:40] in norm(p) for p in data["placeholders"])
        )
        if later or shown:
            covered += 1
        if (
            match is not None
            and match["answered_by"] == "intent"
            and not ask["answered"]
            and not later
        ):
            invented_answers += 1
    meeting = data["plan"].get("meeting") or {}
    sources = "\n".join(
        [
            label["body"],
            label["intent"],
            meeting.get("when", ""),
            *meeting.get("alternatives", []),
            "Best regards,",
        ]
    )
    return {
        "path": label["path"],
        "split": label["split"],
        "round": label.get("round") or OLDER_ROUND,
        "asks": len(label["asks"]),
        "covered": covered,
        "invented_answers": invented_answers,
        "unsupported": unsupported_tokens(reply, sources),
        "commitments": invented_commitments(reply, intent.get("kind"), label["intent"]),
        "answers_all": all(a["answered"] for a in label["asks"]),
        "placeholder_free": not data["placeholders"],
        "draft_path": data["path"],
        "verified": data["verified"],
        "elapsed_s": data["_elapsed"],
        "reply": reply,
        "intent": label["intent"],
    }


def run_labelled(labels: list[dict[str, Any]], engine: Any) -> list[dict[str, Any]]:
    from plugin.drafts.inputs import text_document
    from plugin.drafts.reply import ReplyDraft

    kind = ReplyDraft(engine)
    options: dict[str, Any] = {"reference": REFERENCE, "model": engine is not None}
    results = []
    for number, label in enumerate(labels, 1):
        document = text_document(label["body"], source=label["path"])
        started = time.perf_counter()
        [draft] = kind.draft([document], {**options, "intent": label["intent"]})
        data = {**draft.to_json(), "_elapsed": time.perf_counter() - started}
        results.append(judge(label, data))
        print(f"\r{number}/{len(labels)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return results


def figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    if not results:
        return {}
    asks = sum(r["asks"] for r in results)
    answers_all = [r for r in results if r["answers_all"]]
    times = sorted(r["elapsed_s"] for r in results)
    return {
        "messages": len(results),
        "asks": asks,
        "asks_covered": round(sum(r["covered"] for r in results) / asks, 4),
        "drafts_with_unsupported_fact": sum(bool(r["unsupported"]) for r in results),
        "drafts_with_invented_answer": sum(r["invented_answers"] > 0 for r in results),
        "drafts_with_invented_commitment": sum(bool(r["commitments"]) for r in results),
        "placeholder_free_when_answered": round(
            sum(r["placeholder_free"] for r in answers_all) / max(len(answers_all), 1), 4
        ),
        "verified": round(sum(r["verified"] for r in results) / len(results), 4),
        "path_model": sum(r["draft_path"] == "model" for r in results),
        "p50_s": round(statistics.median(times), 3),
        "p90_s": round(times[int(0.9 * (len(times) - 1))], 3),
    }


def split_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Each split's figures, and beside them the figures of each label round in it
    ("dev_rounds": {"older": …, "s8-dev": …}), so a round written blind is read apart."""
    summary: dict[str, Any] = {}
    for split in ("test", "dev"):
        part = [r for r in results if r["split"] == split]
        if not part:
            continue
        summary[split] = figures(part)
        rounds = sorted({r["round"] for r in part}, key=lambda name: (name != OLDER_ROUND, name))
        summary[f"{split}_rounds"] = {
            name: figures([r for r in part if r["round"] == name]) for name in rounds
        }
    return summary


def thread_pairs(shared: Path, limit: int) -> list[tuple[Any, Any]]:
    """(message, the corpus message that replies to it) in the SpamAssassin mail: the
    message its In-Reply-To names when the corpus has it, else the newest message it quotes
    (``connectors.history``), as the ``reply`` tuning pairs are rebuilt."""
    from connectors.history import newest_quoted
    from plugin.drafts.inputs import iter_source

    documents = []
    for path in sorted((shared / "corpus" / "mail" / "spamassassin").glob("*.eml")):
        documents.extend(d for d in iter_source(str(path)) if hasattr(d, "message_id"))
    by_id = {d.message_id: d for d in documents if d.message_id}
    pairs = []
    for reply in documents:
        parent = by_id.get(reply.in_reply_to) or newest_quoted(reply)
        if parent is not None and reply.text.strip() and parent.text.strip():
            pairs.append((parent, reply))
    return pairs[:limit]


def rouge(pairs: list[tuple[Any, Any]], engine: Any) -> dict[str, Any]:
    from rouge_score import rouge_scorer

    from plugin.drafts.reply import ReplyDraft

    scorer = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True)
    out: dict[str, Any] = {"pairs": len(pairs)}
    for name, model in (("draft", engine), ("template_only", None)):
        scores = []
        for parent, child in pairs:
            [draft] = ReplyDraft(model).draft([parent], {"model": model is not None})
            score = scorer.score(child.text, draft.text)
            scores.append((score["rouge1"].fmeasure, score["rougeL"].fmeasure))
        if scores:
            out[name] = {
                "rouge1": round(100 * statistics.mean(s[0] for s in scores), 2),
                "rougeL": round(100 * statistics.mean(s[1] for s in scores), 2),
            }
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--split", choices=("test", "dev", "all"), default="all")
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--show", type=Path, help="write every draft with its judgement here")
    parser.add_argument("--rouge-pairs", type=int, default=40)
    args = parser.parse_args(argv)
    engine = None
    if not args.no_model:
        from plugin.engine.runtime import get_engine

        engine = get_engine()
    labels = load(args.shared, args.split)
    results = run_labelled(labels, engine)
    if args.show:
        args.show.write_text("\n\n".join(json.dumps(r, indent=1) for r in results) + "\n")
    summary: dict[str, Any] = {"model": str(engine.model_id) if engine else "none"}
    summary.update(split_summary(results))
    summary["readers_agree"] = readers_agree(labels)
    if args.rouge_pairs:
        summary["rouge_spamassassin"] = rouge(thread_pairs(args.shared, args.rouge_pairs), engine)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
