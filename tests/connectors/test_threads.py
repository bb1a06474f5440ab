"""Thread reconstruction from Message-ID/In-Reply-To/References, Exchange ConversationId and
normalized subjects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from connectors.document import Document
from connectors.mailparse import parse_message
from connectors.threads import (
    assign_threads,
    normalize_subject,
    parse_references,
    strip_subject_prefixes,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _mail(
    mid: str, subject: str, minutes: int, in_reply_to: str = "", references: str = ""
) -> Document:
    headers = [
        f"Message-ID: <{mid}>",
        f"Subject: {subject}",
        "From: a@example.com",
        f"Date: {(T0 + timedelta(minutes=minutes)).strftime('%a, %d %b %Y %H:%M:%S +0000')}",
    ]
    if in_reply_to:
        headers.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        headers.append("References: " + " ".join(f"<{r}>" for r in references.split()))
    raw = ("\r\n".join(headers) + "\r\n\r\nbody " + mid).encode()
    return parse_message(raw, f"test:{mid}")


def test_normalize_subject_strips_prefixes_in_many_languages() -> None:
    for subject in (
        "Re: Budget",
        "RE: AW: Budget",
        "Fwd: Re[2]: budget",
        "WG: Budget",
        "TR: RE: Budget",
        "RV: Budget",
        "[team] Re: Budget",
        "Antw: Budget",
        "  re :  Budget  ",
    ):
        assert normalize_subject(subject) == "budget", subject


def test_parse_references_keeps_order_and_drops_duplicates() -> None:
    assert parse_references("<a@x> <b@x>\r\n <a@x> <c@x>") == ["a@x", "b@x", "c@x"]


def test_reply_chain_shares_the_root_thread_key_per_message() -> None:
    root = _mail("root@x", "Budget", 0)
    reply = _mail("r1@x", "Re: Budget", 5, in_reply_to="root@x", references="root@x")
    reply2 = _mail("r2@x", "Re: Budget", 9, in_reply_to="r1@x", references="root@x r1@x")
    assert root.thread_key == reply.thread_key == reply2.thread_key
    assert _mail("other@x", "Budget", 1).thread_key != root.thread_key


def test_assign_threads_links_missing_middle_messages_and_orders_by_date() -> None:
    root = _mail("root@x", "Plan", 0)
    # only In-Reply-To to a message we do not have, which itself answered the root
    late = _mail("r3@x", "Re: Plan", 30, in_reply_to="r2@x", references="root@x r2@x")
    middle = _mail("r2@x", "Re: Plan", 20, in_reply_to="root@x")
    threads = assign_threads([late, root, middle])
    assert len(threads) == 1
    assert [d.message_id for d in threads[0]] == ["root@x", "r2@x", "r3@x"]
    assert len({d.thread_key for d in threads[0]}) == 1


def test_subject_fallback_only_for_replies_without_references() -> None:
    original = _mail("o@x", "Quarterly numbers", 0)
    orphan = _mail("p@x", "RE: Quarterly numbers", 10)  # a client that dropped the headers
    unrelated = _mail(
        "u@x", "Re: Quarterly numbers", 20, in_reply_to="elsewhere@x", references="elsewhere@x"
    )
    threads = assign_threads([original, orphan, unrelated])
    by_id = {d.message_id: d.thread_key for t in threads for d in t}
    assert by_id["o@x"] == by_id["p@x"]
    assert by_id["u@x"] != by_id["o@x"]


def test_exchange_conversation_id_groups_messages() -> None:
    raw_a = b"Message-ID: <a@x>\r\nSubject: One\r\n\r\nhello"
    raw_b = b"Message-ID: <b@x>\r\nSubject: Completely different\r\n\r\nhi"
    a = parse_message(raw_a, "ews:a", {"conversation_id": "AAQkAGI2"})
    b = parse_message(raw_b, "ews:b", {"conversation_id": "AAQkAGI2"})
    assert a.thread_key == b.thread_key
    assert a.metadata["conversation_id"] == "AAQkAGI2"
    assert len(assign_threads([a, b])) == 1


def test_unrelated_messages_stay_apart() -> None:
    threads = assign_threads([_mail("1@x", "Lunch", 0), _mail("2@x", "Invoice", 1)])
    assert len(threads) == 2


def test_strip_subject_prefixes_keeps_the_subjects_own_case_and_words() -> None:
    assert strip_subject_prefixes("RE: Fwd: AW[2]: Q3 Budget review") == "Q3 Budget review"
    assert strip_subject_prefixes("[dev] Re: Plan: next steps") == "Plan: next steps"
    assert strip_subject_prefixes("Remarks on the plan") == "Remarks on the plan"
    assert strip_subject_prefixes(None) == ""
