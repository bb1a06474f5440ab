"""``deskdraft reply`` and ``deskdraft profile``: files, stdin, a Dovecot Sent folder, the job
kind, and the real model's path."""

from __future__ import annotations

import io
import json
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from plugin.cli import main
from plugin.config import settings
from plugin.drafts.base import draft_kinds
from plugin.drafts.inputs import documents_from_input
from plugin.drafts.reply import ReplyDraft
from plugin.drafts.reply.voice import load_profile
from plugin.drafts.reply.writer import problems
from plugin.drafts.text.verify import SourceIndex
from tests.servers.dovecot import dovecot_server

PASSWORD = "sent-folder-pass"
ASKING = (
    "Hi Bob,\n\nCould you send me the signed lease by Friday? What is the deposit amount?\n"
    "Also, can we meet on Wednesday, December 2 at 2pm to walk through the unit?\n\n"
    "Thanks,\nAnnie\n"
)


def _mail(subject: str, sender: str, to: str, body: str, date: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"], msg["Date"] = subject, sender, to, date
    msg.set_content(body)
    return msg.as_bytes()


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, Any]], str]:
    code = main(args)
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.startswith("{")]
    return code, lines, captured.err


@pytest.fixture()
def asking_mail(tmp_path: Path) -> Path:
    path = tmp_path / "lease.eml"
    path.write_bytes(
        _mail(
            "Lease for 12 Elm St",
            "Ann Lee <ann@example.com>",
            "Bob Stone <bob@example.com>",
            ASKING,
            "Mon, 30 Nov 2026 09:00:00 +0000",
        )
    )
    return path


def test_reply_json_without_the_model(
    asking_mail: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, [reply], _ = run_cli(
        ["reply", str(asking_mail), "--intent", "accept", "--json", "--no-model"], capsys
    )
    assert code == 0
    assert reply["subject"] == "Re: Lease for 12 Elm St" and reply["to"].startswith("Ann Lee")
    assert reply["path"] == "template" and reply["verified"] is True and reply["model"] == "none"
    assert reply["reply"].startswith("Hi Annie,\n")
    assert "Wednesday, December 2 at 2:00 PM works for me." in reply["reply"]
    # accept answers the meeting; the lease and the deposit stay visible placeholders
    assert reply["placeholders"] == [
        "[Answer: Could you send me the signed lease by Friday?]",
        "[Answer: What is the deposit amount?]",
    ]
    kinds = [i["kind"] for i in reply["intents"]]
    assert kinds[:2] == ["accept", "decline"] and "later" in kinds


def test_reply_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ASKING.encode())))
    code, [reply], _ = run_cli(
        ["reply", "-", "--no-model", "--intent", "later:Thursday", "--json"], capsys
    )
    assert code == 0 and reply["source"] == "stdin" and reply["placeholders"] == []
    assert "I'll get back to you on this by Thursday." in reply["reply"]


def test_reply_text_mode_prints_the_reply(
    asking_mail: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["reply", str(asking_mail), "--no-model", "--intent", "later:Thursday"])
    out = capsys.readouterr().out
    assert code == 0
    assert "[template, verified]" in out and "I'll get back to you on this by Thursday." in out


def test_empty_mail_is_skipped_with_a_reason(
    tmp_path: Path, asking_mail: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.eml"
    empty.write_bytes(
        _mail("", "x@example.com", "bob@example.com", "\n", "Mon, 30 Nov 2026 09:00:00 +0000")
    )
    code, lines, err = run_cli(
        ["reply", str(empty), str(asking_mail), "--json", "--no-model"], capsys
    )
    assert code == 3 and len(lines) == 1
    assert "no text to reply to" in err and "empty.eml" in err


def test_reply_is_a_job_kind_reading_the_same_sources(asking_mail: Path) -> None:
    assert draft_kinds.get("reply") is ReplyDraft
    documents = documents_from_input({"source": str(asking_mail)})
    [draft] = ReplyDraft().draft(documents, {"model": False, "intent": "yes"})
    assert draft.verified and "Yes." in draft.text


@pytest.mark.integration
def test_profile_from_a_dovecot_sent_folder_gives_the_reply_its_voice(
    asking_mail: Path,
    deskdraft_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sent = [
        _mail(
            "Re: invoices",
            "Bob Stone <bob@example.com>",
            "ann@example.com",
            "Hey Ann,\n\nSure, I'll take a look tonight!\n\nCheers,\nBob\n",
            "Tue, 03 Nov 2026 10:00:00 +0000",
        ),
        _mail(
            "Re: lunch",
            "Bob Stone <bob@example.com>",
            "kim@example.com",
            "Hey Kim,\n\nThursday works, see you at noon. Can't wait!\n\nCheers,\nBob\n",
            "Wed, 04 Nov 2026 10:00:00 +0000",
        ),
        _mail(
            "Re: keys",
            "Bob Stone <bob@example.com>",
            "lee@example.com",
            "Hey Lee,\n\nI left them with the front desk, they're in an envelope.\n\n"
            "Cheers,\nBob\n",
            "Thu, 05 Nov 2026 10:00:00 +0000",
        ),
    ]
    with dovecot_server({"bob": PASSWORD}) as server:
        server.append("bob", "Sent", *sent)
        source = server.uri("bob", "Sent")
        (deskdraft_home / "config.toml").write_text(
            f'[sources."{source.rsplit("/", 1)[0]}"]\npassword_env = "SENT_TEST_PW"\n'
            f'ca_file = "{server.ca_file}"\n'
        )
        monkeypatch.setenv("SENT_TEST_PW", PASSWORD)
        settings.cache_clear()
        code = main(["profile", "build", source, "--user", "bob@example.com", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    built = json.loads(out.out)
    assert PASSWORD not in out.out + out.err
    profile = load_profile("bob@example.com")
    assert profile.to_json() == built and profile.messages == 3
    assert (profile.name, profile.greeting, profile.sign_off) == ("Bob", "Hey", "Cheers,")
    assert profile.formality == "casual" and 8 <= profile.typical_words <= 20
    code, [reply], _ = run_cli(
        ["reply", str(asking_mail), "--user", "bob@example.com", "--json", "--no-model"], capsys
    )
    assert reply["reply"].startswith("Hey Annie,\n")
    assert reply["reply"].endswith("Cheers,\nBob") and reply["verified"]
    code = main(["profile", "show", "--user", "bob@example.com"])
    assert code == 0 and "Cheers," in capsys.readouterr().out


@pytest.mark.integration
def test_real_model_path_is_reported_and_its_text_passes_the_check(
    asking_mail: Path,
    real_engine: Any,
) -> None:
    documents = documents_from_input({"source": str(asking_mail)})
    intent = "The deposit is one month's rent. I'll send the lease tomorrow."
    [draft] = ReplyDraft(real_engine).draft(documents, {"intent": intent})
    data = draft.data
    assert data["path"] in ("model", "template") and draft.verified
    if data["path"] == "model":
        assert draft.model == real_engine.model_id
        plan = _plan(documents, intent)
        body = draft.text.split("\n\n")[1]
        assert problems(body, plan, SourceIndex(plan.facts), strict=False) == []
    else:
        assert draft.model == "none"
        # Both tries were made and each was turned down for a stated reason.
        assert [r["strict"] for r in data["rejected"]] == [False, True]
        assert all(r["problems"] for r in data["rejected"])
    assert "[Answer: Also, can we meet" in draft.text  # the meeting is not the intent's
    assert "one month's rent" in draft.text


def _plan(documents: list[Any], intent: str) -> Any:
    from plugin.drafts.reply.intents import parse_intent
    from plugin.drafts.reply.plan import build_plan
    from plugin.drafts.reply.voice import Profile

    return build_plan(documents[0], intent=parse_intent(intent), profile=Profile())
