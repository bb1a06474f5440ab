"""The ``reply`` tuning task: pairs rebuilt from the user's threads in a Maildir, the
training prompt equal to the writer's, a tiny model tuned end to end, and bad input."""

from __future__ import annotations

import mailbox
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.errors import UsageError
from plugin.drafts.reply.voice import Profile
from plugin.tune.data import Pair
from tests.tune.helpers import FAST_FLAGS

ME = "Bob Stone <bob@example.com>"
PROFILE = Profile(user="bob@example.com", name="Bob", greeting="Hi", sign_off="Best,")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def message(
    number: int,
    author: str,
    subject: str,
    body: str,
    *,
    to: str = ME,
    reply_to: str | None = None,
    references: str | None = None,
    attachment: bytes | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = author
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(START + timedelta(hours=number))
    msg["Message-ID"] = f"<m{number}@example.com>"
    if reply_to:
        msg["In-Reply-To"] = reply_to
        msg["References"] = references or reply_to
    msg.set_content(body)
    if attachment is not None:
        msg.clear_content()
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="a.pdf")
    return msg


def write_maildir(folder: Path, messages: list[EmailMessage]) -> str:
    box = mailbox.Maildir(folder)
    for msg in messages:
        box.add(msg)
    box.close()
    return f"maildir:{folder}"


def thread_fixture() -> list[EmailMessage]:
    """incoming → my reply → their answer → my reply, and one message per skip reason."""
    ann = "Ann Lee <ann@example.com>"
    return [
        message(1, ann, "Q3 budget", "Hi Bob,\n\nCan you send me the Q3 budget figures?\n\nAnn"),
        message(
            2,
            ME,
            "Re: Q3 budget",
            "Hi Ann,\n\nSure, I will send them on Thursday.\n\nBest,\nBob\n\n"
            "On Mon, Ann Lee wrote:\n> Can you send me the Q3 budget figures?\n",
            to=ann,
            reply_to="<m1@example.com>",
        ),
        message(
            3,
            ann,
            "Re: Q3 budget",
            "Great. Does the file include the travel costs?\n\nThanks,\nAnn",
            reply_to="<m2@example.com>",
            references="<m1@example.com> <m2@example.com>",
        ),
        message(
            4,
            ME,
            "Re: Q3 budget",
            "Hi Ann,\nYes, the travel costs are on the second sheet.\n\nBest,\nBob",
            to=ann,
            reply_to="<m3@example.com>",
            references="<m1@example.com> <m2@example.com> <m3@example.com>",
        ),
        # A follow-up to my own message, not an answer.
        message(
            5,
            ME,
            "Re: Q3 budget",
            "One more thing: the file is large.\nBob",
            to=ann,
            reply_to="<m4@example.com>",
        ),
        # Its parent is not in the mail read.
        message(
            6,
            ME,
            "Re: Lunch",
            "Tuesday suits me.\n\nBest,\nBob",
            to=ann,
            reply_to="<gone@example.com>",
        ),
        # Nothing of my own: greeting and sign-off only.
        message(
            7, ME, "Re: Q3 budget", "Hi Ann,\n\nBest,\nBob", to=ann, reply_to="<m1@example.com>"
        ),
        # Longer than a training example may be.
        message(
            8,
            ME,
            "Re: Q3 budget",
            "The figures need a long story. " * 120,
            to=ann,
            reply_to="<m1@example.com>",
        ),
        # An attachment and no text at all.
        message(
            9,
            ME,
            "Re: Q3 budget",
            "",
            to=ann,
            reply_to="<m3@example.com>",
            attachment=b"%PDF-1.4 tiny",
        ),
    ]


@pytest.fixture(scope="module")
def tokenizer(tiny_parent: Path) -> Any:
    from transformers import AutoTokenizer

    from plugin.tune.output import parent_checkpoint

    return AutoTokenizer.from_pretrained(parent_checkpoint(tiny_parent))


def test_pairs_are_rebuilt_from_a_thread_with_counted_skips(tmp_path: Path, tokenizer: Any) -> None:
    from plugin.drafts.inputs import read_sources
    from plugin.drafts.reply.plan import build_plan
    from plugin.drafts.reply.writer import plan_notes
    from plugin.tune.examples import target_fits
    from plugin.tune.replies import load_replies

    source = write_maildir(tmp_path / "Maildir", thread_fixture())
    loaded = load_replies([source], {"bob@example.com"}, PROFILE, target_fits(tokenizer, 256))
    assert [p.target for p in loaded.pairs] == [
        "Sure, I will send them on Thursday.",
        "Yes, the travel costs are on the second sheet.",
    ]
    assert loaded.skipped == Counter(
        {
            "follow-up to the user's own message": 1,
            "no parent found": 1,
            "empty reply": 1,
            "reply longer than the context": 1,
            "non-text": 1,
        }
    )
    documents = {d.message_id: d for d in read_sources([source])[0]}
    for pair, parent in zip(loaded.pairs, ["m1@example.com", "m3@example.com"], strict=True):
        # The input is the writer's notes for the message answered, built by the same code.
        plan = build_plan(documents[parent], intent=None, profile=PROFILE)
        assert pair.input == plan_notes(plan)
        assert (pair.task, pair.group) == ("reply", "ann@example.com")
    assert "Can you send me the Q3 budget figures?" in loaded.pairs[0].input
    assert "[Answer:" in loaded.pairs[0].input  # no intent at training: the ask stays open


def test_without_reference_headers_the_thread_order_finds_the_parent(tmp_path: Path) -> None:
    from plugin.tune.replies import load_replies

    ann = "Ann Lee <ann@example.com>"
    first = message(1, ann, "Offsite", "Where is the offsite this year?\nAnn")
    answer = message(2, ME, "Re: Offsite", "Hi Ann,\nIt is in Leeds again.\nBest,\nBob", to=ann)
    del answer["In-Reply-To"], answer["References"]
    source = write_maildir(tmp_path / "Maildir", [first, answer])
    [pair] = load_replies([source], {"bob@example.com"}, PROFILE, None).pairs
    assert pair.target == "It is in Leeds again."
    assert "Offsite" in pair.input


def test_a_sent_folder_alone_gives_pairs_from_the_quoted_messages(tmp_path: Path) -> None:
    # The messages answered are not in the mail read; each reply quotes the one it answers.
    from plugin.tune.replies import load_replies

    ann = "Ann Lee <ann@example.com>"
    answer = message(
        2,
        ME,
        "Re: Q3 budget",
        "Hi Ann,\n\nSure, I will send them on Thursday.\n\nBest,\nBob\n\n"
        "On Mon, Nov 2, 2026 at 9:00 AM Ann Lee <ann@example.com> wrote:\n"
        "> Can you send me the Q3 budget figures?\n> Ann\n",
        to=ann,
        reply_to="<gone@example.com>",
    )
    follow_up = message(
        3,
        ME,
        "Re: Q3 budget",
        "And the travel costs are on sheet 2.\n\n"
        "On Mon, Nov 2, 2026 at 11:00 AM Bob Stone <bob@example.com> wrote:\n"
        "> Sure, I will send them on Thursday.\n",
        to=ann,
        reply_to="<gone2@example.com>",
    )
    source = write_maildir(tmp_path / "Sent", [answer, follow_up])
    loaded = load_replies([source], {"bob@example.com"}, PROFILE, None)
    [pair] = loaded.pairs
    assert pair.target == "Sure, I will send them on Thursday."
    assert "Can you send me the Q3 budget figures?" in pair.input
    assert pair.group == "ann@example.com"
    assert loaded.skipped == Counter({"follow-up to the user's own message": 1})


def test_unknown_user_and_no_replies_are_one_clear_error(tmp_path: Path) -> None:
    from plugin.tune.replies import load_replies, my_addresses

    with pytest.raises(UsageError, match="the user's address is not known") as caught:
        my_addresses([], Profile())
    assert "--me ADDRESS" in str(caught.value.hint)
    assert my_addresses([], Profile(user="Bob@Example.com")) == {"bob@example.com"}
    assert my_addresses([ME], Profile()) == {"bob@example.com"}
    incoming = [m for m in thread_fixture() if "ann@" in m["From"]]
    source = write_maildir(tmp_path / "Inbox", incoming)
    with pytest.raises(UsageError) as caught:
        load_replies([source], {"bob@example.com"}, PROFILE, None)
    assert caught.value.message.startswith(
        "no replies by bob@example.com to learn from: 2 message(s) read, 0 written by"
    )
    assert caught.value.item == source


def test_the_cli_says_when_no_user_address_is_known(
    tmp_path: Path, tiny_parent: Path, deskdraft_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plugin.cli import main

    source = write_maildir(tmp_path / "Maildir", thread_fixture())
    assert main(["model", "tune", "--replies", source, "--parent", str(tiny_parent)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) <= 2 and "the user's address is not known" in err
    assert not (deskdraft_home / "models").exists() or not list(
        (deskdraft_home / "models").iterdir()
    )


def many_threads() -> list[EmailMessage]:
    """Twelve correspondents, each asking twice; Bob answers each in his own habit."""
    out: list[EmailMessage] = []
    topics = ["budget", "contract", "schedule", "invoice", "report", "slides"]
    for n in range(12):
        name = ["Ann", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lou", "Max"]
        person = f"{name[n]} Lee <{name[n].lower()}@example.com>"
        topic = topics[n % len(topics)]
        base = 100 * n
        out += [
            message(base + 1, person, f"The {topic}", f"Can you check the {topic}?\n{name[n]}"),
            message(
                base + 2,
                ME,
                f"Re: The {topic}",
                f"Hi {name[n]},\nOn it, the {topic} is next on my list.\nBest,\nBob",
                to=person,
                reply_to=f"<m{base + 1}@example.com>",
            ),
            message(
                base + 3,
                person,
                f"Re: The {topic}",
                f"Thanks. Could you also look at the {topic} notes?\n{name[n]}",
                reply_to=f"<m{base + 2}@example.com>",
            ),
            message(
                base + 4,
                ME,
                f"Re: The {topic}",
                f"Hi {name[n]},\nOn it, the {topic} notes too.\nBest,\nBob",
                to=person,
                reply_to=f"<m{base + 3}@example.com>",
            ),
        ]
    return out


def test_a_tiny_model_tunes_on_replies_and_the_writer_sends_it_the_training_prompt(
    tmp_path: Path,
    tiny_parent: Path,
    deskdraft_home: Path,
    tokenizer: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plugin.cli import main
    from plugin.drafts.inputs import read_sources
    from plugin.drafts.reply import ReplyDraft
    from plugin.drafts.reply.voice import save_profile
    from plugin.drafts.reply.writer import plan_notes
    from plugin.drafts.text.prompts import task_prompt, tuned_for
    from plugin.engine import manifest as mf
    from plugin.engine.runtime import Engine
    from plugin.tune.data import read_pairs
    from plugin.tune.examples import encode
    from plugin.tune.gate import targets_faithful

    save_profile(PROFILE)  # the profile bob's reply jobs use: plans are built with it
    source = write_maildir(tmp_path / "Maildir", many_threads())
    args = ["model", "tune", "--replies", source, "--profile", "bob@example.com"]
    assert main([*args, "--parent", str(tiny_parent), "--name", "bob-replies", *FAST_FLAGS]) == 0
    printed = capsys.readouterr().out
    folder = deskdraft_home / "models" / "bob-replies"
    tuned = (mf.read(folder) or {})["tuned"]
    assert tuned["tasks"] == ["reply"] and tuned["data"]["pairs"] == 24
    assert tuned["evaluation"]["tuned"]["count"] == tuned["data"]["test"] > 0
    held_out = read_pairs(folder / "heldout.jsonl")
    # The faithful share is printed beside the held-out targets' own, its scale.
    own = targets_faithful(held_out)
    assert tuned["evaluation"]["targets_faithful"] == own
    assert f"(the targets' own: {own:.2f})" in printed

    engine = Engine(folder, threads=1, context_tokens=512)
    assert tuned_for(engine, "reply")
    seen: list[str] = []
    generate = engine.generate

    def spy(prompts: list[str], *rest: Any, **kwargs: Any) -> list[str]:
        seen.extend(prompts)
        return generate(prompts, *rest, **kwargs)

    engine.generate = spy  # type: ignore[method-assign]
    pair = held_out[0]
    [incoming] = [
        d
        for d in read_sources([source])[0]
        if d.author.endswith(f"<{pair.group}>") and plan_notes(build_plan_of(d)) == pair.input
    ]
    [draft] = ReplyDraft(engine).draft([incoming], {"profile": PROFILE.to_json()})
    # The writer's first prompt is the task prompt, string for string, and is exactly the
    # prompt part of the training example of the same mail.
    assert seen[0] == task_prompt(engine.chat_prompt, "reply", pair.input)
    [example], _ = encode([Pair("reply", pair.input, "x")], tokenizer, 256)
    prompt_ids = [i for i, label in zip(example.ids, example.labels, strict=True) if label < 0]
    assert tokenizer.decode(prompt_ids) == seen[0]
    # A tuned model is still checked: the tiny one's text (a word repeated, the placeholder
    # gone) is refused, the strict retry is sent as before, then the template stands in.
    assert draft.verified and draft.data["path"] == "template"
    first, retry = draft.data["rejected"]
    assert not first["strict"] and retry["strict"] and len(seen) == 2
    assert any(p.startswith("placeholder lost: [Answer:") for p in first["problems"])
    assert "Copy these sentences" in seen[1]
    assert "[Answer: " in draft.text


def build_plan_of(document: Any) -> Any:
    from plugin.drafts.reply.plan import build_plan

    return build_plan(document, intent=None, profile=PROFILE)
