"""Dates a notice or a record carries that are not the reader's events (the labelling
convention's outages, go-live and effective dates, and tables): the day of a letter already
written ("your fax of May 15th") or the dateline that opens one, a record's field ("Term:
1/1/2004 thru 12/31/2004", "Eta next port : May 13th"), an outage's times ("The outage will
begin at approximately 11:35 AM") and an effective date ("Effective Monday, November 19,
Mark will office in the new building"). ``filters.ruled_out`` asks these before the
decision.
"""

from __future__ import annotations

import re

# A date that names a letter already written, not an event: "the updates you requested in
# your December 11 email", "my memo of October 3", "the letter dated May 2".
_DOCUMENT = r"(?:e-?mails?|memos?|letters?|notes?|messages?|faxe?s?|voice\s?mails?)"
_DOCUMENT_BEFORE = re.compile(
    rf"\b{_DOCUMENT}\s+(?:of|dated|sent(?:\s+on)?)\s+(?:the\s+)?$", re.IGNORECASE
)
_DOCUMENT_AFTER = re.compile(rf"^['’]?s?\s+{_DOCUMENT}\b", re.IGNORECASE)
_OWNED_BEFORE = re.compile(r"\b(?:your|my|his|her|their|our|the|\w+['’]s)\s+$", re.IGNORECASE)
# A date filed under a record's field, not an event: a deal's "Term: 10/1/01 - 6/30/02",
# "Begin Date: 12/4/2001", "Message Date: 12/7/2001", "Updated On: 10/19/01", a ship's
# "ETA next port : June 12th" (not "When:", "Start Time:" or "Meeting date:").
_RECORD_FIELD = re.compile(
    r"(?:^|\s)(?:(?:\w+\s+)?term|begin\s+date|end\s+date|message\s+date|updated(?:\s+on)?|"
    r"posted|published|eta(?:\s+\w+){0,2}|effective\s+date|trade\s+date|expiration\s+date)"
    r"\s*:\s*$",
    re.IGNORECASE,
)
# An outage, told with its times: "The Envision System will be down beginning Friday,
# October 26th at 5:00pm", "The outage will begin at approximately 11:35 AM", "the Unix team
# will perform maintenance and reboot app server emerald" - the convention's outages, not
# events; unless the sentence names one ("the Outage Coordination … meeting is 11/14/01").
_OUTAGE = re.compile(
    r"\b(?:outages?|downtime|maintenance|reboot\w*|shut\s*down|shutdown|"
    r"(?:will\s+be|is\s+being|be)\s+(?:\w+ly\s+)?(?:taken\s+)?(?:down|offline|unavailable))\b",
    re.IGNORECASE,
)
_EVENT_NOUN = re.compile(
    r"\b(?:meetings?|(?<!-)calls?|conferences?|reviews?|sessions?|presentations?|lunch|dinner|"
    r"training|class(?:es)?)\b",
    re.IGNORECASE,
)
# An effective or go-live date, not an event (the convention): "effective January 1, 2002",
# "his resignation … effective close of business tomorrow", "the implementation date has
# been changed to 10/26", "Momentum is expected to be in service by 5/1/2003".
_EFFECTIVE_BEFORE = re.compile(
    r"\b(?:effective(?:\s+as\s+of)?(?:\s+on)?|(?:implementation|go[- ]live|in[- ]service|"
    r"effective|conversion|migration|cut-?over)\s+dates?\s+(?:is|will\s+be|of|has\s+been"
    r"\s+(?:changed|moved)\s+to)|(?:be|go|placed)\s+in(?:to)?\s+service\s+(?:by|on))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# A letter's or a notice's dateline: a date with its year that opens the mail ("October 24,
# 2001 To: Transcontinental Gas Pipe Line Corporation Customers", "Tuesday, November 13,
# 2001 Enron will be hosting our previously scheduled bank meeting on Monday, November
# 19th"), not one told after "On" ("On Friday January 11, 2002 from 8:30 a.m. till 1:00
# p.m. we will be meeting").
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def letter_or_record_date(text: str, start: int, end: int) -> bool:
    """Whether the time from ``start`` to ``end`` dates a letter or fills a record's field."""
    if not text[:start].strip() and _YEAR.search(text, start, end):
        return True
    before = text[max(0, start - 40) : start]
    if _RECORD_FIELD.search(before) or _DOCUMENT_BEFORE.search(before):
        return True
    return bool(_OWNED_BEFORE.search(before) and _DOCUMENT_AFTER.match(text[end:]))


def outage_or_effective_date(text: str, start: int, sentence: str, asks: bool) -> bool:
    """Whether the time at ``start`` is an outage's (unless the reader is asked something) or
    an effective date, in a ``sentence`` that names no meeting ("Effective Tuesday April
    23rd, we will reinstitute the morning meeting" stays)."""
    if _EVENT_NOUN.search(sentence):
        return False
    before = text[max(0, start - 40) : start]
    return bool((_OUTAGE.search(sentence) and not asks) or _EFFECTIVE_BEFORE.search(before))
