"""Mail categories from headers alone: the signals that are free before any model.

Every parsed message gets ``metadata["category"]`` (one of :data:`CATEGORIES`),
``metadata["category_source"] = "headers"`` and ``metadata["signals"]`` (the names of the
header signals that fired). The header category is decisive for bounces, auto-replies and
mailing-list traffic; for the rest (bulk mail without list headers, plain mail from a
person or from a shop) it is the best guess that headers allow, and the drafts side
refines it with a classifier over text embeddings (``plugin.drafts.triage.categories``),
setting ``category_source = "model"``. Connectors never need the model.

Signals (``SIGNALS`` lists them in the order the classifier sees them):

* ``report``: a ``multipart/report`` (bounce, delivery or read report) or a
  ``message/delivery-status`` part;
* ``auto_submitted``: ``Auto-Submitted`` other than ``no``, ``X-Autoreply``,
  ``X-Autorespond``, or an out-of-office subject;
* ``null_return_path``: ``Return-Path: <>`` (the envelope of bounces and auto-replies);
* ``daemon_sender``: MAILER-DAEMON, postmaster, a "Mail Delivery" sender;
* ``noreply_sender``: ``no-reply``/``noreply``/``do-not-reply``/``notify``/``alerts``/``bot``
  local parts;
* ``list_id``: ``List-Id``, ``List-Post``, ``List-Archive``, ``Mailing-List``,
  ``X-Mailing-List``, ``X-List`` or ``X-BeenThere``, or a list server's ``Sender``
  (``owner-…``, ``…-owner@``, ``…-admin@``, ``…-request@``, ``…-bounce@``);
* ``list_unsubscribe``: ``List-Unsubscribe``;
* ``bulk``: ``Precedence: bulk``, ``list`` or ``junk``;
* ``bulk_sender``: a sender address that a person does not use (``newsletter``, ``news``,
  ``info``, ``marketing``, ``offers``, ``deals``, ``updates``, ``list``, ``rss``, ``bounce`` in the
  local part or the Return-Path, or a VERP-style Return-Path);
* ``bulk_mailer``: an ``X-Mailer`` of a mass-mailing tool, or ``Feedback-ID`` /
  campaign headers;
* ``undisclosed``: the To header is empty or ``undisclosed-recipients``;
* ``calendar``: a ``text/calendar`` part (invitations and calendar notices);
* ``receipt_words``: the subject or the head of the text names a receipt, an invoice,
  an order or a payment;
* ``receipt``: it uses a phrase only receipts use ("Thank you for shopping", "order
  confirmation", "has been charged", "E-Ticket purchase"): this settles the category.

Text shape (still no model), for the classifier:

* ``reply``: a reply (``In-Reply-To``/``References`` or a ``Re:`` subject);
* ``greeting``: the text opens by naming its reader ("Hi Phillip,", "Jim:");
* ``promo_words``: offers, prices and calls to buy in the subject or the head of the text;
* ``many_links``: five or more links in the head of the text;
* ``long_text``: more than 4,000 characters of new text;
* ``opt_out``: an unsubscribe or "you are receiving this" line anywhere in the text (mail
  sent to a list of addresses, even without list headers: Enron-era newsletters and spam);
* ``customer_greeting``: it opens on a reader it does not know by name ("Dear Friend",
  "Dear Valued Customer", "Dear PIRA Client");
* ``group_greeting``: it opens on a group ("Hi everyone", "To all", "All,"): a person
  writing to a team, or an announcement;
* ``we_voice``: "we/our/us" outnumber "I/me/my" in the head of the text (organisations
  write as "we", people as "I");
* ``notice_subject``: the subject names a kind of mailing ("REMINDER", "Newsletter",
  "Weekly Report", "Daily", "Bulletin");
* ``html_residue``: quoted-printable left-overs ("=20", "=09") of a converted HTML mailing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

PERSON = "person"
LIST = "list"
NOTIFICATION = "notification"
RECEIPT = "receipt"
MARKETING = "marketing"
OUTREACH = "outreach"
CATEGORIES = (PERSON, LIST, NOTIFICATION, RECEIPT, MARKETING, OUTREACH)
#: Plural labels for the digest's collapsed lines ("12 newsletters and lists").
CATEGORY_LABELS = {
    PERSON: "from people",
    LIST: "newsletters and lists",
    NOTIFICATION: "notifications",
    RECEIPT: "receipts",
    MARKETING: "marketing",
    OUTREACH: "cold outreach",
}

SIGNALS = (
    "report",
    "auto_submitted",
    "null_return_path",
    "daemon_sender",
    "noreply_sender",
    "list_id",
    "list_unsubscribe",
    "bulk",
    "bulk_sender",
    "bulk_mailer",
    "undisclosed",
    "calendar",
    "receipt_words",
    "receipt",
    "reply",
    "greeting",
    "promo_words",
    "many_links",
    "long_text",
    "opt_out",
    "customer_greeting",
    "group_greeting",
    "we_voice",
    "notice_subject",
    "html_residue",
)

_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery (?:system|subsystem)", re.I)
_NOREPLY = re.compile(
    r"(?:^|[._+-])(?:no-?reply|do-?not-?reply|donotreply|notify|notifications?|alerts?|"
    r"bot|automated|system)(?:[._+-]|@|$)",
    re.I,
)
_BULK_LOCAL = re.compile(
    r"(?:^|[._+-])(?:newsletters?|news|info|marketing|offers?|deals|updates?|list|lists|"
    r"listmanager|mailinglist|bounces?|subscriptions?|enews|promo(?:tions?)?|announce|"
    r"rss|rssfeeds?|feeds?)"
    r"(?:[._+-]|@|$)",
    re.I,
)
_VERP = re.compile(r"bounce|[=#]|\d{5,}|\.b@|-return-", re.I)
_BULK_MAILERS = re.compile(
    r"accucast|listmanager|lyris|sendmail-bulk|mailchimp|sendgrid|constant ?contact|"
    r"exacttarget|campaign|targetmail|store-mailer|mime::lite|sendemail|bulk",
    re.I,
)
_OUT_OF_OFFICE = re.compile(
    r"^(?:re:\s*)?(?:auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office|"
    r"abwesenheit|vacation reply)\b|\bis out of the office\b",
    re.I,
)
_RECEIPT_WORDS = re.compile(r"\b(?:receipt|invoice|your order|payment)\b", re.I)
#: Phrases only a receipt uses: they settle the category.
_RECEIPT_PHRASES = re.compile(
    r"\b(?:order (?:confirmation|summary)|your order (?:number|summary|confirmation|has)|"
    r"payment (?:received|confirmation)|(?:booking|reservation|purchase) (?:is )?confirmed|"
    r"e-?ticket (?:purchase|confirmed)|has shipped|shipping confirmation|"
    r"thank you for (?:shopping|your (?:order|purchase|payment))|has been charged|"
    r"confirmation number)\b",
    re.I,
)
_PROMO_WORDS = re.compile(
    r"\b(?:\d+% off|save (?:up to )?(?:an extra )?[$€£]?\d+|free shipping|special offer|"
    r"exclusive offer|limited time|great deals?|discount|sale\b|buy now|order now|"
    r"register today|sign up today|act now|rebate|coupon|just [$€£]\d+|only [$€£]\d+)",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|morning|good (?:morning|afternoon))\s+[A-Z][\w.-]+|"
    r"[A-Z][a-z]+(?:\s*(?:,|and|&)\s*[A-Z][a-z]+)*\s*[:,-]\s*$)",
    re.M,
)
_LIST_HEADERS = (
    "list-id",
    "list-post",
    "list-archive",
    "mailing-list",
    "x-mailing-list",
    "x-list",
    "x-beenthere",
)
_LIST_SENDER = re.compile(r"\bowner-|-(?:owner|admin|request|bounces?)@", re.I)
_LINK = re.compile(r"https?://|www\.", re.I)
_OPT_OUT = re.compile(
    r"\bunsubscribe\s+(?:me\b|from\b|by\b|at\b|here\b|in\s+the\b|link\b|instructions\b)"
    r"|\bto\s+unsubscribe\b|\bwith\s+unsubscribe\b|\bunsubscribe\s+\S+@"
    r"|\byou\s+(?:are\s+receiving|received)\s+this\s+(?:e-?mail|message|newsletter)\b"
    r"|\bif\s+you\s+(?:no\s+longer|do\s+not|don't)\s+(?:wish|want|would\s+like)\s+to\s+"
    r"receive\b|\bto\s+be\s+removed\s+from\b|\bremove\s+me\b|\bopt[- ]?(?:in|out)\b",
    re.I,
)
_CUSTOMER_GREETING = re.compile(
    r"^\s*(?:dear|hello|hi)\s+(?:valued\s+|fellow\s+)?(?:[A-Z][\w.&-]*\s+){0,3}(?:friends?|customers?|"
    r"members?|subscribers?|investors?|clients?|readers?|users?|shoppers?|travell?ers?|"
    r"sir(?:\s+or\s+madam)?|madam|colleagues?)\b",
    re.I,
)
_GROUP_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|greetings|good\s+(?:morning|afternoon))\s+(?:all|everyone|everybody|"
    r"team|folks|guys)\b|to\s+all\b|all\s*[:,]|everyone\s*[:,])",
    re.I,
)
_WE = re.compile(r"\b(?:we|our|us|we're|we've|we'll)\b", re.I)
#: The writer speaking of themselves (also a "who writes" feature of triage.authorship).
FIRST_PERSON = re.compile(r"\b(?:I|me|my|I'm|I've|I'll|I'd)\b")
_NOTICE_SUBJECT = re.compile(
    r"\b(?:reminders?|notices?|notifications?|newsletters?|bulletin|digest|announcements?|"
    r"announcing|alerts?|updates?|releases?|news|newscast|webcast|reports?|issue|vol\.?|edition|"
    r"weekly|daily|monthly|a\.word\.a\.day)\b",
    re.I,
)
_QP_RESIDUE = re.compile(r"=(?:20|09|3D)|= \S")
TEXT_HEAD = 1500
TEXT_TAIL = 1500


def _values(headers: Mapping[str, list[str]], name: str) -> list[str]:
    return headers.get(name, [])


def _first(headers: Mapping[str, list[str]], name: str) -> str:
    values = _values(headers, name)
    return values[0].strip() if values else ""


def header_signals(
    headers: Mapping[str, list[str]],
    *,
    subject: str,
    author: str,
    to: Iterable[str],
    part_types: Iterable[str],
    text: str = "",
) -> list[str]:
    """The names of the signals that fire for one message (``headers``: lower-cased names
    to raw values; ``part_types``: the MIME types of all its parts; ``text``: the new
    text of the body)."""
    types = {t.lower() for t in part_types}
    fired: set[str] = set()
    if "multipart/report" in types or "message/delivery-status" in types:
        fired.add("report")
    auto = _first(headers, "auto-submitted").lower()
    if (
        (auto and not auto.startswith("no"))
        or _values(headers, "x-autoreply")
        or _values(headers, "x-autorespond")
        or _OUT_OF_OFFICE.search(subject)
    ):
        fired.add("auto_submitted")
    return_path = _first(headers, "return-path")
    if return_path.replace(" ", "") == "<>":
        fired.add("null_return_path")
    sender_address = author.rsplit("<", 1)[-1].rstrip(">").strip()
    if _DAEMON.search(author):
        fired.add("daemon_sender")
    if _NOREPLY.search(sender_address):
        fired.add("noreply_sender")
    if any(_values(headers, name) for name in _LIST_HEADERS) or _LIST_SENDER.search(
        _first(headers, "sender")
    ):
        fired.add("list_id")
    if _values(headers, "list-unsubscribe"):
        fired.add("list_unsubscribe")
    if _first(headers, "precedence").lower() in {"bulk", "list", "junk"}:
        fired.add("bulk")
    if _BULK_LOCAL.search(sender_address) or _VERP.search(return_path.split("@")[0]):
        fired.add("bulk_sender")
    if _BULK_MAILERS.search(_first(headers, "x-mailer")) or any(
        _values(headers, name)
        for name in ("feedback-id", "x-campaign", "x-campaignid", "x-mailgun-tag", "x-sg-eid")
    ):
        fired.add("bulk_mailer")
    recipients = [r for r in to if r.strip()]
    if not recipients or any("undisclosed" in r.lower() for r in recipients):
        fired.add("undisclosed")
    if "text/calendar" in types:
        fired.add("calendar")
    fired.update(text_signals(subject, text[:TEXT_HEAD], len(text), text[-TEXT_TAIL:]))
    if _values(headers, "in-reply-to") or _values(headers, "references"):
        fired.add("reply")
    return [name for name in SIGNALS if name in fired]


def text_signals(subject: str, head: str, length: int, tail: str = "") -> set[str]:
    """The signals read from the subject and text alone (also for mail without headers):
    ``head`` and ``tail`` are the first and last ``TEXT_HEAD`` characters of the new text."""
    fired: set[str] = set()
    if _OPT_OUT.search(head) or _OPT_OUT.search(tail):
        fired.add("opt_out")
    if _CUSTOMER_GREETING.search(head[:200]):
        fired.add("customer_greeting")
    if _GROUP_GREETING.search(head[:200]):
        fired.add("group_greeting")
    if len(_WE.findall(head)) > max(2, len(FIRST_PERSON.findall(head))):
        fired.add("we_voice")
    if _NOTICE_SUBJECT.search(subject):
        fired.add("notice_subject")
    if _OUT_OF_OFFICE.search(subject):
        fired.add("auto_submitted")
    if len(_QP_RESIDUE.findall(head)) >= 3:
        fired.add("html_residue")
    if _RECEIPT_WORDS.search(subject) or _RECEIPT_WORDS.search(head[:500]):
        fired.add("receipt_words")
    if _RECEIPT_PHRASES.search(subject) or _RECEIPT_PHRASES.search(head[:500]):
        fired.add("receipt")
    if re.match(r"\s*(?:re|aw|sv)\s*:", subject, re.I):
        fired.add("reply")
    if _GREETING.search(head[:200]):
        fired.add("greeting")
    if _PROMO_WORDS.search(subject) or _PROMO_WORDS.search(head):
        fired.add("promo_words")
    if len(_LINK.findall(head)) >= 5:
        fired.add("many_links")
    if length > 4000:
        fired.add("long_text")
    return fired


def header_category(signals: Iterable[str]) -> tuple[str, bool]:
    """The category headers alone suggest, and whether the headers settle it.

    Bounces, reports, auto-replies and calendar notices are settled; so is mail that
    carries list headers (a person writing through a list stays ``list``; whether it asks
    the reader is decided by the ask rules, which look at To/Cc). Everything else is a
    guess for the classifier to refine.
    """
    fired = set(signals)
    if fired & {"report", "auto_submitted", "null_return_path", "daemon_sender", "calendar"}:
        return NOTIFICATION, True
    if "list_id" in fired:
        return LIST, True
    if "receipt" in fired:
        return RECEIPT, True
    if "receipt_words" in fired:
        return RECEIPT, False
    if "noreply_sender" in fired:
        return NOTIFICATION, False
    if fired & {"list_unsubscribe", "bulk", "bulk_sender", "bulk_mailer"}:
        return LIST, False
    return PERSON, False


__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "LIST",
    "MARKETING",
    "NOTIFICATION",
    "OUTREACH",
    "PERSON",
    "RECEIPT",
    "SIGNALS",
    "header_category",
    "header_signals",
    "text_signals",
]
