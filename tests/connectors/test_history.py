"""The messages of a quoted history, by the author each head names."""

from __future__ import annotations

import pytest

from connectors.history import history_messages


@pytest.mark.parametrize(
    "head, author",
    [
        ("On Fri, 26 Jul 2002, Tom wrote:", "Tom"),
        ("At 11:14 AM 7/26/2002 -0400, Tom wrote:", "Tom"),
        ("On Mon, Nov 30, 2026 at 5:00 PM Bob Stone <bob@x.com> wrote:", "Bob Stone <bob@x.com>"),
        ("On Fri, Sep 13, 2002 at 01:33:43PM -0500, vernon wrote:", "vernon"),
        (
            "On Mon, 2 Sep 2002 13:20:46 -0700 (PDT)\nBart Schaefer <bart@z.com> wrote:",
            "Bart Schaefer <bart@z.com>",
        ),
        ("Ciaran Mac Lochlainn stated the following:", "Ciaran Mac Lochlainn"),
        ("On Thu, Aug 08, 2002 at 03:17:52PM -0700, Craig R . Hughes wrote:", "Craig R. Hughes"),
        ("On Thu, Aug 08, 2002 at 01:36:15PM -0700, Craig R.Hughes wrote:", "Craig R.Hughes"),
        ('"Joseph S. Barrera III" <joe@b.org> writes:', '"Joseph S. Barrera III" <joe@b.org>'),
        (
            "-----Original Message-----\nFrom: Bob Stone [mailto:bob@x.com]\n"
            "Sent: Monday, November 30, 2026 5:00 PM\nTo: Ann Lee\nSubject: Q3",
            "Bob Stone <bob@x.com>",
        ),
        (
            "-----Original Message-----\nFrom: fork-admin@x.com [mailto:fork-admin@x.com]On "
            "Behalf Of Karl\nAnderson\nSent: Thursday, September 05, 2002 3:50 AM\nTo: b@m.net",
            "Karl Anderson",
        ),
        (
            "From:  Chris Garrigues <cwg@d.com>\nDate:  Wed, 21 Aug 2002 10:17:45 -0500",
            "Chris Garrigues <cwg@d.com>",
        ),
    ],
)
def test_the_head_names_the_author(head: str, author: str) -> None:
    (message,) = history_messages(f"{head}\n\nCan you send the Q3 figures?\n")
    assert (message.author, message.text) == (author, "Can you send the Q3 figures?")


def test_a_history_of_several_messages_comes_newest_first() -> None:
    quoted = (
        "On Mon, Nov 30, 2026, Bob <bob@x.com> wrote:\n"
        "Which figures?\n\n"
        "On Sun, Nov 29, 2026, Ann <ann@x.com> wrote:\n"
        "> Bob, the board wants the Q3 figures.\n"
        ">\n"
        "> -----Original Message-----\n"
        "> From: Carl\n> Sent: Saturday\n> To: Ann\n> Subject: Q3\n>\n"
        "> Ask Bob for Q3.\n"
    )
    messages = history_messages(quoted)
    assert [(m.author, m.text) for m in messages] == [
        ("Bob <bob@x.com>", "Which figures?"),
        ("Ann <ann@x.com>", "Bob, the board wants the Q3 figures."),
        ("Carl", "Ask Bob for Q3."),
    ]


def test_a_history_with_no_head_is_one_message_by_nobody_named() -> None:
    assert [(m.author, m.text) for m in history_messages("> old words\n> more")] == [
        ("", "old words\nmore")
    ]
    assert history_messages("  \n") == []
