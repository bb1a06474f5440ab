"""Candidate times no reader wants, whatever the learned weights say.

Sixteen kinds are ruled out before the decision: times turned down or called off ("cancel
the 3pm call", "no meeting Friday", "no longer necessary to have this meeting on Thursdays",
"will NOT have a staff meeting next week": on train/dev, 8 candidates and no labelled event),
the old time of a reschedule ("moved from Tuesday at 3pm to Thursday", "instead of Monday",
"scheduled for this Thursday has been moved to next Tuesday", "rescheduled from today at
3PM."), a meeting named as the source of what the mail carries ("As per our
meeting on Tuesday"), an event told as over ("The meeting took place on March 28"), thanks
for today's event ("Thanks again for attending the lunch today"), the second of two days in
a row ("the offsite on December 14th and 15th"), the dates a notice or a record carries
(``notices``: "your fax of May 15th", "Term: 1/1/2004 thru 12/31/2004", "The outage will
begin at approximately 11:35 AM", "Effective Monday, November 19, Mark will office in the
new building"), a week named by one of its days ("can we shoot for sometime the week of
November 6th?"), a plan told as one that no longer holds ("We had planned to hold an
all-employee meeting tomorrow", "It was scheduled to start at 1:30 today"), today's event
told in the past tense ("I just got off the call this morning", "your memo of earlier
today"), the writer's own whereabouts and appointments ("I will be out Thursday", "I have a
doctor's appointment at 3", "I will be in a class tomorrow afternoon", "in case I am not in
the office tomorrow"), a third person's ("Lynn is in a seminar on Thursday"), the writer's
own tasks ("I will forward it to Barry by 1:00 pm", "I'll call Maria tomorrow am", "I will
let you know by 5:00 today") and a third person's ("Awais is trying to get them back by
today"), the last four when the sentence asks nothing of the reader beyond the diary's own
"meet" or "we will".
"""

from __future__ import annotations

import re

from plugin.drafts.calendar.cues import rejected, sentence_bounds
from plugin.drafts.calendar.mention import TimeMention
from plugin.drafts.calendar.notices import letter_or_record_date, outage_or_effective_date
from plugin.drafts.calendar.timewords import MOVED_FROM

# The old time of a reschedule, told outright: "instead of Monday", "rather than Friday",
# "replaces the every Friday Meeting", "(originally scheduled for December 10-11)" - but not
# "will go ahead as originally scheduled on Friday".
_REPLACED_BEFORE = re.compile(
    r"(?:\binstead\s+of|\brather\s+than)\s+(?:the\s+|our\s+)?$"
    r"|\breplac(?:es|ing)\s+(?:the\s+|our\s+)?(?:\w+\s+)?$"
    r"|(?<!\bas\s)\boriginally\s+(?:scheduled|set|planned)\s+(?:for|on)\s+(?:the\s+)?$"
    # "we are postponing the donor appreciation reception (scheduled for May 2) until
    # September" - not "postponed, and now scheduled for Friday"
    r"|\b(?:postpon|delay|resched|cancel)\w*\b[^.?!\n]{0,60}(?<!\bnow\s)\b(?:scheduled|set|"
    r"planned|slated)\s+(?:for|on)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# ... or moved from, when the new time follows: "moved from Tuesday at 3pm to Thursday".
_MOVE_OLD_TIME = re.compile(rf"{MOVED_FROM}\s+(?:the\s+|our\s+)?$", re.IGNORECASE)
# ... or told as moved after it, when the new day follows: "the conference scheduled for this
# Thursday has been moved to next Tuesday at 10:00 a.m." (not "moved to 3pm": the day stays).
_MOVED_AWAY_AFTER = re.compile(
    r"^[\s,)]*(?:[\w']+\s+){0,3}?(?:has\s+|have\s+|had\s+)?(?:been|is\s+being|was|were)\s+"
    r"(?:moved|rescheduled|postponed|changed|pushed|delayed|bumped)\s+(?:back\s+|out\s+)?"
    r"(?:to|until|till)\s+(?:the\s+)?(?:next\s+|following\s+)?"
    r"(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|tomorrow|\d)",
    re.IGNORECASE,
)
_REPLACED_AFTER = re.compile(r"^[\s,]*(?:\w+[\s,]+){0,3}?(?:to|until|till)\b", re.IGNORECASE)
_ENDS = re.compile(r"^[\s)]*(?:[.!?\n]|$)")
# A plan told as one that no longer holds: "We had planned to hold an all-employee meeting
# tomorrow … we've decided to postpone it", "It was scheduled to start at 1:30 today" (a
# clause that turns, "I was going to call Friday, but can we meet Monday", and the new time
# of a delay, "put off the project I had planned until the Dec. 5th class", keep their time).
_FORMER_PLAN = re.compile(
    r"\b(?:had\s+(?:been\s+)?(?:planned|scheduled|hoped|intended|wanted|expected)|"
    r"(?:was|were)\s+(?:supposed|going|scheduled|planned|set|slated|meant)\s+to)\b"
    r"(?![^.?!\n]*\b(?:until|till)\b)[^.?!\n]{0,80}$",
    re.IGNORECASE,
)
# The writer's own whereabouts and appointments: "I will be out Thursday", "I have a
# doctor's appointment at 3", "I am in London next week" - unless the sentence also asks
# the reader ("I'm in London Tuesday; can we meet?").
_WRITER_ONLY = re.compile(
    r"^[\W_]*(?:\w+[\s,]+){0,3}?I(?:'ll|\s+will|\s+am|'m|\s+shall)?\s+(?:be\s+|also\s+)?"
    r"(?:out|off|away|gone|OOTO\b|OOO\b|travel\w*|on\s+(?:vacation|holiday|leave)|in\s+[A-Z]\w+|"
    # "I am tied up in other PRC meetings on December 7, 8 and 11"
    r"tied\s+up|busy|booked|unavailable|not\s+available|"
    # "I'm scheduled to be in a meeting tomorrow am", "I am meeting with Tammy at 1:30
    # tomorrow" (not "… with you")
    r"(?:scheduled|supposed|set|slated)\s+to\s+be\s+(?:in|at|on)\s+(?:a|an|the|my)\s|"
    r"(?:scheduled\s+to\s+meet|meeting|having\s+(?:lunch|dinner|breakfast|coffee|drinks))"
    r"\s+with\s+(?!you\b|us\b|y'all\b)|"
    r"at\s+(?:a|an|the|my)\s+\w+|not\s+(?:be\s+)?in\b|"
    # "I will be in a due diligence this afternoon", "I'm in meetings all day Monday"
    r"in\s+(?:(?:a|an|the|my)\s+)?(?:[\w-]+\s+){0,2}?(?:meetings?|seminars?|class(?:es)?|"
    r"training|conferences?|depositions?|hearings?|court|diligence|sessions?|offsite)\b|"
    # "I am attending a wedding Friday night", "I will be taking a 1/2 day of vacation on Friday"
    r"attending\s+(?:a|an|my)\s|taking\s+[^.?!\n]{0,20}\b(?:vacation|off)\b)"
    # "I have a doctor's appointment at 3", "Also, I hold a weekly Friday call with Brent"
    r"|^[\W_]*(?:\w+[\s,]+){0,3}?I(?:\s+|(?='))(?:have|had|'ve\s+got|hold|host|run)\s+(?:a|an|my)\s+",
)
# The writer (or the writer's party) travelling or away, anywhere before the time in its
# sentence: "in case I am not in the office tomorrow", "I will be going to NYC on Wednesday".
_WRITER_TRAVELS = re.compile(
    r"\b(?:I|we)(?:'m|'re|\s+am|\s+are|\s+will\s+be|'ll\s+be|\s+will)\s+(?:not\s+)?"
    r"(?:be\s+)?(?:(?:arriving|leaving|flying|driving|travel+ing|returning|head(?:ing|ed)|"
    r"back|out|off|away)\b|going\s+(?:(?:up|down|over|back)\s+)?(?:to\s+(?-i:[A-Z])|home|"
    r"out\s+of\s+town)|in\s+the\s+office\b)"
    r"[^.?!\n]{0,90}$"
    # "I fly home Friday night and arrive in Houston on Saturday morning at 6:30 am", "I will
    # probably leave Houston around 9 am", "I will return on January 16" - not "they will be
    # due before I leave on Thursday afternoon", nor "I am going to leave her a message"
    r"|(?<!before\s)(?<!until\s)(?<!when\s)(?<!after\s)\bI(?:'ll|\s+will|\s+plan\s+to|"
    r"\s+am\s+going\s+to)?\s+(?:probably\s+|likely\s+)?(?:fly|arrive|return|depart|"
    r"leave(?!\s+(?:\w+\s+){0,2}(?:message|note|voice\s*mail|word)s?\b))\b"
    r"[^.?!\n]{0,90}$",
    re.IGNORECASE,
)
# Someone other than the writer and the reader: a name, he or she (not the capitalised
# words that open a sentence about a thing: "This is scheduled to be held on Friday").
_SOMEONE = (
    r"(?:\b(?!(?:We|You|Our|Your|This|That|It|There|Here|What|Which|Who|Everyone|Everybody|"
    r"All|Lunch|Dinner|Meeting|Class|Call|Office)\b)[A-Z][a-z]+|\b[Hh]e|\b[Ss]he)"
)
# A third person's whereabouts or attendance, anywhere before the time in its sentence:
# "Gary Hickerson will be attending a … meeting on Friday", "I believe that Lynn is in a
# seminar on Thursday", "My husband is scheduled for a baseball game on Wednesday night",
# "Samantha anticipates being in the office around 9:15", "Carol has a 2 pm call with the
# lawyers" - news of someone else's diary, unless the sentence asks the reader ("Steve will
# be out Friday; can you take the 2:00?").
_THIRD_PARTY_AWAY = re.compile(
    rf"(?:{_SOMEONE}|\b[Mm]y\s+[a-z]+)\s+"
    r"(?:(?:will\s+be|is|'s|is\s+going\s+to\s+be|(?:anticipate|expect)s\s+(?:being|to\s+be)|"
    r"plans\s+to\s+be)\s+"
    r"(?:also\s+)?(?:attending|in\s+(?:a|an)\s+(?:meeting|seminar|class|training|conference)|"
    r"out\b|off\b|away\b|on\s+vacation|travel+ing|flying|driving|arriving|leaving|returning|"
    r"in\s+the\s+office|"
    r"scheduled\s+(?:to\s+be\s+(?:in|at|on)\s+(?:a|an|the|his|her)|for\s+(?:a|an))\s)"
    r"[^.?!\n]{0,80}"
    # "Carol has a 2 pm call with the lawyers and I will listen", "my son has an appointment
    # with the neurologist at 9:20 am tomorrow", "Jeff has his staff meetings on Monday mornings"
    r"|(?:has|had)\s+(?:a|an|his|her|their)\s+(?:(?:\w+\s+){0,2}(?:appointment|meeting|call|"
    r"class|flight)s?\b[^.?!\n]{0,60})?)$"
)
# Delivering something: "send", "forward", "get back to", "get them back", "finish", "let
# everyone know", "putting all the results together".
_DELIVERS = (
    r"(?:(?:send|forward|e-?mail|fax|circulat|distribut|submitt?|deliver)\w*|get\s+back\s+to|"
    r"get\s+(?:it|them|this|that)\s+back|finish|complete|let\s+(?:you|everyone|everybody|"
    r"all|him|her|them|(?-i:[A-Z])\w+)\s+know|put(?:ting)?\s+(?:[\w-]+\s+){0,4}?together)"
)
# ... unless a meeting is named between the promise and the time.
_NO_MEETING_AFTER = (
    r"(?![^.?!\n]*\b(?:meeting|conference|session|presentation|hearing|PHC|lunch|dinner)\b)"
)
# The writer's own task: a promise to deliver something ("I plan on sending this file to
# Susan by tomorrow afternoon", "I will have the agreement to you for review before 11:00" -
# the convention's "I will get back to you with that by Thursday"), or a call or talk with
# someone other than the reader ("I will call Sharon Tischer on Wednesday", "I'll call him
# at 130"), unless a meeting is named before the time ("questions I would like to submit
# before your floor meeting on Wednesday").
_WRITER_TASK = re.compile(
    # the convention's tentative call: "I may even call you today if I can"
    r"\bI\s+(?:may|might)\s+(?:even\s+|also\s+)?(?:call|phone|stop\s+by|come\s+by)\b"
    r"[^.?!\n]{0,40}$|"
    r"\bI(?:'ll|\s+will|\s+shall|\s+plan\s+(?:on|to)|\s+am\s+going\s+to|\s+would\s+like\s+to|"
    r"\s+intend\s+to|\s+hope\s+to|'m\s+hoping\s+to|\s+am\s+hoping\s+to|\s+expect\s+to)\s+"
    r"(?:also\s+|then\s+|either\s+|try\s+to\s+|be\s+)?"
    rf"(?:{_DELIVERS}|have\s+(?:it|this|that|them|the|my)\b[^.?!\n]{{0,40}}\bto\s+you|"
    # "I hope to have a copy of the docs tomorrow", "I'm hoping to have the contract today"
    r"have\s+(?:a|the|my)\s+(?:[\w-]+\s+){0,4}?(?:cop(?:y|ies)|drafts?|contracts?|docs?|"
    r"documents?|files?|versions?|reports?|numbers|agreements?|letters?)\b|"
    # "I will have a timeline for your review on Monday"
    r"have\s+(?:a|the|my)\s+(?:[\w-]+\s+){0,4}?for\s+(?:you|your\s+review)\b|"
    r"(?:call|phone|contact|(?:talk|speak)\w*\s+(?:to|with)|meet\s+with)\s+"
    r"(?:him|her|them|(?-i:[A-Z])\w+))\b"
    rf"{_NO_MEETING_AFTER}[^.?!\n]{{0,80}}$|"
    # the writer's party delivering, the convention's "we will be putting the results
    # together for you by Friday": "We'll distribute the slides … hopefully by COB Friday"
    # (not "we need to send this letter by Friday": the writer and the reader together)
    r"\b[Ww]e(?:'ll|\s+will|\s+plan\s+to|\s+expect\s+to|\s+hope\s+to)\s+"
    rf"(?:also\s+|then\s+|try\s+to\s+|be\s+)?{_DELIVERS}\b{_NO_MEETING_AFTER}[^.?!\n]{{0,80}}$|"
    # a promise already made: "I've promised these to Louise by Friday"
    r"\bI(?:'ve|\s+have)\s+promised\s+(?:it|this|that|these|those|them|the\s+\w+)\s+to\s+"
    r"(?:you|him|her|them|(?-i:[A-Z])\w+)\b[^.?!\n]{0,40}$",
    re.IGNORECASE,
)
# A third person's task: "Awais is trying to get them back by today", "He will send the
# draft to Legal by Friday" - someone else's deadline is news, not the reader's.
_THIRD_PARTY_TASK = re.compile(
    rf"{_SOMEONE}\s+(?:is\s+trying\s+to|will|plans\s+to|is\s+going\s+to|hopes\s+to|"
    rf"expects\s+to)\s+(?:also\s+|try\s+to\s+)?(?:{_DELIVERS}|call(?!\s+you\b)|"
    # "Russel will have this to you by tommorow", "Scott will call tomorrow to see if …"
    rf"have\s+(?:it|this|that|them)\s+to\s+you)\b{_NO_MEETING_AFTER}[^.?!\n]{{0,80}}$"
)
# A meeting named as the source of what the mail carries is a past one: "the draft Pipeline
# Interconnect Forum Minutes from the meeting on October 22", "As per our meeting on Tuesday",
# "the items that resulted from our meeting with Duke on November 14".
_ACCOUNT = r"minutes|notes|recap|summary"
_MEETING_HELD = re.compile(
    rf"\b(?:{_ACCOUNT}|follow[- ]up\s+to|resulted|results?|as\s+per|per)\s+"
    r"(?:from|of|to)?\s*(?:the|our|your|my|this|that|last)?\s*(?:[\w'-]+\s+){0,4}?"
    r"(?:meeting|conversation|call|discussion|session)s?\s+(?:[\w'-]+\s+){0,3}?(?:on|of|held\s+on)\s+$",
    re.IGNORECASE,
)
# An event already over, told so before its time: "The meeting took place on March 28", "a
# summary of the RISI conference held in San Diego, Oct 21-23", "what happened at today's
# FERC hearing" - not "to be held", "will be held", "is being held".
_HELD_BEFORE = re.compile(
    r"\b(?:took\s+place|happened|occurred|(?P<held>held))\s+(?:[^.?!\n]{0,40}?\s)?"
    r"(?:on|in|at|during)?\s*$",
    re.IGNORECASE,
)
# ... "held" alone is past only in an account of it ("a summary of the conference held in San
# Diego"; not "the class held Thursday and Friday" or "a reception held in a nearby room").
_ACCOUNT_OF = re.compile(rf"\b(?:{_ACCOUNT}|report)\b", re.IGNORECASE)
_TO_BE = re.compile(r"\b(?:be|being|been|is|are|was|were)\s+$", re.IGNORECASE)
# Today's event told in the past tense: "I just got off the call with Mark this morning",
# "we met today", "sorry we missed the call today". Only a day the message itself is
# written on can be past yet not before the reference (the send time is often a guess).
JUST_DONE = r"just\s+(?:got|had|\w+ed)|got\s+(?:off|out\s+of|back\s+from)"
_TOLD_AS_PAST = re.compile(
    rf"\b(?:{JUST_DONE}|was|were|had|did|went|met|held|attended|spoke|talked|finished|missed|"
    # "As discussed in the Management Committee meeting this morning, …"
    r"discussed|mentioned|agreed|decided)\b",
    re.IGNORECASE,
)
# "Thanks for your time earlier today", "your memo of earlier today": past by its own words.
_EARLIER_TODAY = re.compile(
    r"\bearlier\s+(?:today|this\s+(?:morning|afternoon|evening))\b", re.IGNORECASE
)
# Thanks for today's event: "Thanks again for attending the lunch today".
_THANKS_FOR = re.compile(
    r"\bthanks?(?:\s+you)?\s+(?:(?:again|so\s+much|very\s+much)\s+)?for\s+"
    r"(?:attending|coming|joining|participating|hosting|meeting|having|your\s+time)\b"
    r"[^.?!\n]{0,60}$",
    re.IGNORECASE,
)
# The second of two days in a row, its bare number joined by "and" ("the offsite on December
# 14th and 15th", "a TxSET meeting on February 14th and 15th"): one event going on, the
# reader's on its first day (the convention). Not the last of a list of sessions ("April 3rd,
# 10th and 11th"), days each named in full ("Monday the 17th and Tuesday the 18th") or days
# offered ("Steve is open March 27th and 28th").
_DAY_BEFORE_AND = re.compile(
    r"(?<!,)(?<!,\s)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:and|&)\s+$", re.IGNORECASE
)
_BARE_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?")
_OFFERED = re.compile(r"\b(?:open|available|free|either|or|works?)\b", re.IGNORECASE)
_TODAYS = re.compile(r"\b(?:today|this\s+(?:morning|afternoon))\b", re.IGNORECASE)
# A week named by one of its days names no day (the convention): "can we shoot for sometime
# the week of November 6th?", "the Credit Watch listing for the week of 10/29/01".
_WEEK_OF = re.compile(r"\bweek\s+(?:of|beginning|starting)\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]")
_TODAY = re.compile(r"^(?:today|this\s+(?:morning|afternoon|a\.?m\b))", re.IGNORECASE)
_CLAUSE_TURN = re.compile(
    r",\s*(?:and\s+)?so\b|,\s*(?:however|though|although|whereas)\b|;|\bbut\b|"
    r"\bso\s+(?:if|that)\b",
    re.IGNORECASE,
)
# A question or a proposal put to the reader: "can you", "shall we", "let's", "join".
_ASKED = r"\?|\b(?:can|could|would|shall|will)\s+(?:you|we)\b|\blet'?s\b|\bjoin\b"
# ... or any sentence that names the reader with the writer: the diaries' test of an ask.
_ASKS_READER = re.compile(
    rf"{_ASKED}|\bwe\s+(?:can|could|should|will)\b|\b(?:with|see|meet)\s+(?:you|us)\b|\bmeet\b",
    re.IGNORECASE,
)
# ... of which a diary's own verbs ask nothing: "I will meet with her", "we will send".
_DIARY_OWN_WORDS = re.compile(r"meet|we\s+(?:can|could|should|will)", re.IGNORECASE)
# ... or only what asks outright, not the words that merely name the reader ("It was great
# to meet with you this morning"): the past-tense test's.
_ASKS_OUTRIGHT = re.compile(
    # "I was hoping that we could speak sometime today"
    rf"{_ASKED}|\bwe\s+(?:can|could|should)\s+(?:\w+\s+)?(?:meet|speak|talk|chat|call|"
    r"get\s+together)\b",
    re.IGNORECASE,
)


def _replaced(text: str, start: int, end: int, whole: bool = True) -> bool:
    """Whether the time from ``start`` to ``end`` is the old one of a reschedule (``whole``:
    the span is a whole mention, not the tail of one that may hold the new time itself)."""
    before = text[max(0, start - 80) : start]
    return bool(
        _REPLACED_BEFORE.search(before)
        or _MOVED_AWAY_AFTER.match(text[end : end + 100])
        or (
            _MOVE_OLD_TIME.search(before)
            # the new time follows, or is told elsewhere ("Meet to discuss pipeline set-up
            # process for UBS--rescheduled from today at 3PM.")
            and bool(
                _REPLACED_AFTER.match(text[end : end + 60])
                or (whole and _ENDS.match(text[end : end + 3]))
            )
        )
    )


def _over_or_going_on(lead: str, mention: TimeMention) -> bool:
    """Whether the words ``lead`` just before the time make it a past event's (a meeting
    the mail reports on, one that took place, thanks for today's) or the second day of one
    going on ("December 14th and 15th")."""
    if _MEETING_HELD.search(lead):
        return True
    window = lead[-60:]
    held = _HELD_BEFORE.search(window)
    if (
        held
        and not _TO_BE.search(window[: held.start()])
        and (not held.group("held") or _ACCOUNT_OF.search(window[: held.start()]))
    ):
        return True
    before = lead[-40:]
    day_before = _DAY_BEFORE_AND.search(before)
    if (
        day_before
        and _BARE_DAY.fullmatch(mention.text)
        and mention.start_date().day == int(day_before.group(1)) + 1
        and not _OFFERED.search(before)
    ):
        return True
    return bool(_TODAYS.search(mention.text) and _THANKS_FOR.search(lead))


def ruled_out(text: str, mention: TimeMention) -> bool:
    """Candidates no reader wants, whatever the weights say (the kinds the module's
    docstring lists), in order: turned down, replaced, over or going on, a notice's or a
    record's date, a week named by one of its days, past today, a former plan, and the
    diaries of the writer and others."""
    if rejected(text, mention):
        return True
    # "moved the Tuesday review from 2pm to 4pm": the day joined the old time, so the
    # reschedule's "from" lies inside the mention.
    inner_from = mention.text.lower().rfind(" from ")
    if _replaced(text, mention.span_start, mention.span_end) or (
        inner_from > 0
        and _replaced(text, mention.span_start + inner_from + 6, mention.span_end, whole=False)
    ):
        return True
    if _over_or_going_on(text[max(0, mention.span_start - 120) : mention.span_start], mention):
        return True
    if letter_or_record_date(text, mention.span_start, mention.span_end):
        return True
    if _WEEK_OF.search(text, max(0, mention.span_start - 30), mention.span_start):
        return True
    earlier = _EARLIER_TODAY.search(text, max(0, mention.span_start - 16), mention.span_end)
    if earlier and earlier.end() > mention.span_start:
        return True
    left, right = sentence_bounds(text, mention.span_start, mention.span_end)
    head = text[left : mention.span_start]
    asks = _ASKS_READER.search(text[left:right])
    if outage_or_effective_date(text, mention.span_start, text[left:right], bool(asks)):
        return True
    former = _FORMER_PLAN.search(head)
    if former and not _CLAUSE_TURN.search(head[former.start() :]):
        # asked in its own clause ("were you going to join us Friday?") the plan still holds
        tail = _CLAUSE_TURN.split(text[mention.span_end : right])[0]
        if not _ASKS_READER.search(head[former.start() :] + tail):
            return True
    # "It was great to meet with you this morning" names the reader but asks nothing
    if _TODAY.match(mention.text) and not _ASKS_OUTRIGHT.search(text[left:right]):
        clause = (
            _CLAUSE_BREAK.split(text[left : mention.span_start])[-1]
            + _CLAUSE_BREAK.split(text[mention.span_end : right])[0]
        )
        if _TOLD_AS_PAST.search(clause):
            return True
    # "I will be out Friday and Monday, and so … we speak by Thursday": a time after the
    # clause turns is not the writer's absence.
    alone = _WRITER_ONLY.match(head)
    if alone and not _CLAUSE_TURN.search(head[alone.start() :]):
        # the writer alone: the ask is looked for beside the whereabouts ("I am scheduled to
        # meet with Mark" asks nothing; "I'm in London Tuesday; can we meet?" does)
        beside = head[: alone.start()] + " " + text[left + alone.end() : right]
        return not _ASKS_READER.search(beside)
    # anyone's travel or task is looked for in the time's own clause, after the last turn
    turns = list(_CLAUSE_TURN.finditer(head))
    own_clause = head[turns[-1].end() :] if turns else head
    clause_start = mention.span_start - len(own_clause) - left
    for diary in (_WRITER_TRAVELS, _THIRD_PARTY_AWAY, _WRITER_TASK, _THIRD_PARTY_TASK):
        found = diary.search(own_clause)
        if not found:
            continue
        # "We will be going to Taco Milagro on Thursday night from 7-9 PM" (a club's news):
        # "we" going somewhere may take the reader along, so its "we will" still asks
        we_go = diary is _WRITER_TRAVELS and found.group(0)[:2].lower() == "we"
        own = (0, 0) if we_go else (clause_start + found.start(), clause_start + found.end())
        if not _asks_beside(text[left:right], *own):
            return True
    return False


def _asks_beside(sentence: str, start: int, end: int) -> bool:
    """Whether the sentence asks the reader (``_ASKS_READER``) in more than a diary's own
    "meet" or "we will" (the diary from ``start`` to ``end``): "I will either meet with her
    this afternoon" and "We will be putting all the results together for you by Friday"
    ask nothing; "… can we meet after?" and "Jeff has a meeting with you on Friday" do."""
    return any(
        not (start <= ask.start() < end and _DIARY_OWN_WORDS.fullmatch(ask.group(0)))
        for ask in _ASKS_READER.finditer(sentence)
    )
