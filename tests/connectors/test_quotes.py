"""Quoted-reply and forward separation in English, German, French and Spanish; signatures
and disclaimers."""

from __future__ import annotations

import pytest

from connectors.quotes import split_quoted

REPLIES = {
    "en": (
        "Sounds good, see you Tuesday.",
        "On Mon, Mar 3, 2025 at 10:00 AM Alice Smith <alice@example.com> wrote:",
    ),
    "en-apple": (
        "Sounds good, see you Tuesday.",
        "On Mar 3, 2025, at 10:00, Alice Smith <alice@example.com> wrote:",
    ),
    "de": (
        "Passt, bis Dienstag.",
        "Am Mo., 3. März 2025 um 10:00 Uhr schrieb Hans Müller <hans@example.de>:",
    ),
    "fr": (
        "Parfait, à mardi.",
        "Le lun. 3 mars 2025 à 10:00, Jean Dupont <jean@example.fr> a écrit :",
    ),
    "es": (
        "Perfecto, nos vemos el martes.",
        "El lun, 3 mar 2025 a las 10:00, Juan Pérez (<juan@example.es>) escribió:",
    ),
}


@pytest.mark.parametrize("lang", sorted(REPLIES))
def test_reply_attribution_splits_new_text_from_history(lang: str) -> None:
    new, attribution = REPLIES[lang]
    body = f"{new}\n\n{attribution}\n> Original line one\n> Original line two\n"
    split = split_quoted(body)
    assert split.text == new
    assert split.quoted.startswith(attribution)
    assert "Original line one\nOriginal line two" in split.quoted
    assert not any(line.startswith(">") for line in split.quoted.splitlines())


def test_attribution_wrapped_over_two_lines() -> None:
    body = (
        "Yes.\n\nEl lun, 3 mar 2025 a las 10:00, Juan Pérez\n(<juan@example.es>) escribió:\n"
        "> Hola\n"
    )
    split = split_quoted(body)
    assert split.text == "Yes."
    assert "Hola" in split.quoted


OUTLOOK_BLOCKS = {
    "en": "From: Alice <a@example.com>\nSent: Monday, March 3, 2025 10:00\nTo: Bob\n"
    "Subject: Budget",
    "de": "Von: Hans <h@example.de>\nGesendet: Montag, 3. März 2025 10:00\nAn: Bob\n"
    "Betreff: Budget",
    "fr": "De : Jean <j@example.fr>\nEnvoyé : lundi 3 mars 2025 10:00\nÀ : Bob\nObjet : Budget",
    "es": "De: Juan <j@example.es>\nEnviado el: lunes, 3 de marzo de 2025 10:00\nPara: Bob\n"
    "Asunto: Budget",
}


@pytest.mark.parametrize("lang", sorted(OUTLOOK_BLOCKS))
def test_outlook_header_block_starts_the_history(lang: str) -> None:
    body = f"Approved.\n\n________________________________\n{OUTLOOK_BLOCKS[lang]}\n\nOld text"
    split = split_quoted(body)
    assert split.text == "Approved."
    assert split.quoted.endswith("Old text")
    assert "Budget" in split.quoted


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Forwarded message ---------",
        "-----Original Message-----",
        "Begin forwarded message:",
        "-----Ursprüngliche Nachricht-----",
        "---------- Weitergeleitete Nachricht ----------",
        "Anfang der weitergeleiteten Nachricht:",
        "-------- Message original --------",
        "-------- Message transféré --------",
        "Début du message réexpédié :",
        "-----Mensaje original-----",
        "---------- Mensaje reenviado ---------",
        "Inicio del mensaje reenviado:",
    ],
)
def test_forward_markers(marker: str) -> None:
    split = split_quoted(f"FYI, see below.\n\n{marker}\nFrom: x@example.com\nForwarded body")
    assert split.text == "FYI, see below."
    assert split.quoted.startswith(marker)
    assert "Forwarded body" in split.quoted


def test_inline_answers_stay_with_the_quoted_line_they_answer_as_context() -> None:
    body = "> Can you come?\nYes.\n> At ten?\nBetter eleven."
    split = split_quoted(body)
    assert split.text == "> Can you come?\nYes.\n> At ten?\nBetter eleven."
    assert split.quoted == "Can you come?\nAt ten?"


def test_signature_delimiter_and_mobile_footer_are_stripped() -> None:
    assert split_quoted("See you.\n-- \nBob Smith\nCEO, Example").text == "See you."
    split = split_quoted("On my way.\n\nSent from my iPhone")
    assert split.text == "On my way."
    assert "iPhone" in split.signature
    for footer in (
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPhone",
        "Enviado desde mi iPhone",
        "Get Outlook for Android",
    ):
        assert split_quoted(f"Ok.\n\n{footer}").text == "Ok."


@pytest.mark.parametrize(
    "disclaimer",
    [
        "This e-mail and any attachments are confidential and intended solely for the addressee.",
        "CONFIDENTIALITY NOTICE: the information in this message is privileged.",
        "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen.",
        "Ce message et toutes les pièces jointes sont confidentiels et réservés au destinataire.",
        "Este mensaje es confidencial y está dirigido únicamente a su destinatario.",
    ],
)
def test_trailing_legal_disclaimers_are_stripped(disclaimer: str) -> None:
    split = split_quoted(f"Numbers attached.\n\nRegards, Ann\n\n{disclaimer}")
    assert split.text == "Numbers attached.\n\nRegards, Ann"
    assert disclaimer in split.signature


def test_mailing_list_footer_is_stripped() -> None:
    body = (
        "Patch looks fine.\n\n_______________________________________________\n"
        "Dev mailing list\nDev@lists.example.org\nhttp://lists.example.org/listinfo/dev\n"
    )
    assert split_quoted(body).text == "Patch looks fine."


def test_plain_text_without_history_is_kept_whole() -> None:
    body = "Line one.\n\nThe meeting is at 10:00: room 4.\nThanks"
    split = split_quoted(body)
    assert split.text == body
    assert split.quoted == ""


def test_a_body_that_is_only_a_signature_keeps_it_as_text() -> None:
    assert split_quoted("--\nJane Doe\nExample Inc").text == "--\nJane Doe\nExample Inc"


def test_bottom_posted_and_inline_answers_below_an_attribution_are_new_text() -> None:
    split = split_quoted(
        "On Mon, Ann wrote:\n> Lunch at noon?\nYes, noon works.\n"
        "> And Friday?\nFriday too.\n\n-- \nBob"
    )
    assert split.text == "> Lunch at noon?\nYes, noon works.\n> And Friday?\nFriday too."
    assert split.quoted == "On Mon, Ann wrote:\nLunch at noon?\nAnd Friday?"
    assert split.signature == "-- \nBob"


def test_older_history_below_a_nested_forward_stays_quoted() -> None:
    split = split_quoted(
        "Top answer.\n\nOn Mon, Ann wrote:\n> quoted\n\n"
        "-----Original Message-----\nFrom: Carl\nSent: Sunday\nTo: Ann\n"
        "Subject: x\n\nolder text"
    )
    assert split.text == "Top answer."
    assert "older text" in split.quoted


def test_text_pasted_below_a_scissors_line_is_not_the_authors() -> None:
    split = split_quoted("Their offer is below.\n\n----8<----\nDear Steve,\nWe sell tablets.")
    assert split.text == "Their offer is below."
    assert "We sell tablets." in split.quoted


@pytest.mark.parametrize(
    "attribution",
    [
        "在 2025年3月3日 10:00，李雷 <li@example.cn> 写道：",
        "2025年3月3日(月) 10:00 山田太郎 <yamada@example.jp>:",
        "Am 03.03.2025 um 10:00 schrieb Hans Müller <hans@example.de>:",
    ],
)
def test_chinese_japanese_and_german_attributions_below_an_answer(attribution: str) -> None:
    split = split_quoted(f"好的，周五见。\n\n{attribution}\n> 周五可以吗？\n")
    assert split.text == "好的，周五见。"
    assert split.quoted.startswith(attribution) and "周五可以吗？" in split.quoted


@pytest.mark.parametrize(
    "header",
    [
        "发件人: 李雷 <li@example.cn>\n发送时间: 2025年3月3日 10:00\n收件人: 韩梅梅\n主题: 预算",
        "差出人: 山田太郎 <yamada@example.jp>\n送信日時: 2025年3月3日 10:00\n"
        "宛先: 佐藤\n件名: 予算",
    ],
)
def test_chinese_and_japanese_outlook_header_blocks(header: str) -> None:
    split = split_quoted(f"同意。\n\n{header}\n\n旧的内容")
    assert split.text == "同意。"
    assert split.quoted.endswith("旧的内容")


def test_list_footer_and_pgp_armour_go_to_the_signature() -> None:
    body = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nShip it.\n\n"
        "-----BEGIN PGP SIGNATURE-----\niQA/AwUBPa\n-----END PGP SIGNATURE-----\n\n"
        "------------------------ Yahoo! Groups Sponsor ---------------------~-->\n"
        "Free stuff\n---------------------------------------------------------------~->\n\n"
        "To unsubscribe from this group, send an email to:\nlist-unsubscribe@egroups.com\n"
    )
    split = split_quoted(body)
    assert split.text == "Ship it."
    assert "Yahoo! Groups Sponsor" in split.signature and "PGP SIGNATURE" in split.signature


def test_a_rule_inside_the_text_is_not_a_footer() -> None:
    body = (
        "Use this script:\n\n----------\n#!/bin/sh\nspamassassin\n----------\n\nAnd then run"
        " it.\n\n-------------------------------------------------------\n"
        "This sf.net email is sponsored by: ThinkGeek\n"
    )
    assert split_quoted(body).text == (
        "Use this script:\n\n----------\n#!/bin/sh\nspamassassin\n----------\n\nAnd then run it."
    )


def _newsletter(after_subscription: list[str]) -> str:
    articles = [
        f"Story {n}: the editor reviews tool number {n} and says what it is good for."
        for n in range(45)
    ]
    return "\n".join(
        [
            *articles,
            "",
            "Your subscribed e-mail address is: [reader@example.com] - To unsubscribe"
            " or change your delivery address, visit the link below.",
            "",
            *after_subscription,
        ]
    )


def test_a_link_sidebar_after_a_newsletters_subscription_line_is_footer() -> None:
    sidebar = [f"Latest {name} Tips" for name in ("Windows", "Linux", "Mac", "Web", "Audio")] * 6
    split = split_quoted(_newsletter(["MORE FROM US", "", *sidebar, "", "(c) 2002 Example LLC."]))
    assert split.text.endswith(
        "Story 44: the editor reviews tool number 44 and says what it is good for."
    )
    assert "Your subscribed e-mail address" not in split.text
    assert "Latest Mac Tips" not in split.text
    assert split.signature.startswith("Your subscribed e-mail address")
    assert "Latest Mac Tips" in split.signature


def test_prose_after_a_subscription_line_in_mid_newsletter_is_kept() -> None:
    prose = [
        f"Reader letter {n}: I tried the tool you wrote about and it changed how I work."
        for n in range(30)
    ]
    text = split_quoted(_newsletter(prose)).text
    assert "Your subscribed e-mail address" in text and "Reader letter 29" in text


def test_a_short_list_after_an_unsubscribe_line_in_a_short_mail_is_kept() -> None:
    body = "How do I unsubscribe? The commands I tried:\n" + "\n".join(
        f"unsub {n}" for n in range(25)
    )
    assert split_quoted(body).text == body


def test_quotes_below_text_written_under_a_lone_attribution_do_not_break_the_split() -> None:
    # "Bob wrote:" with nothing above it, unquoted words, then quotes and an answer: the
    # layout looked back at a quote run that had not started (IndexError: the whole mail
    # was refused as malformed). Found reading quoted histories (connectors.history).
    split = split_quoted("Bob wrote:\n\nI said this\n\n> quoted\n\nanswer")
    assert split.text == "I said this\n> quoted\nanswer"
    assert split.quoted == "Bob wrote:\n\nquoted"
