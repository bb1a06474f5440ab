"""The words the candidate features look for: event nouns, proposals, tense, negation, who
acts, reschedules, recurrence and the layout of lists. ``cues`` holds the rules' own
vocabulary, which the features read as well."""

from __future__ import annotations

import re

from plugin.drafts.calendar.filters import JUST_DONE
from plugin.drafts.calendar.timewords import MOVED_FROM

# Event nouns alone: "meeting", "call", "lunch" (the cue list also holds proposal phrases).
EVENT_NOUN = re.compile(
    r"\b(?:meet(?:ing|ings)?|call|con(?:ference)?[- ]?call|conference|lunch(?:eon)?|dinner|"
    r"breakfast|coffee|drinks|session|presentation|interviews?|appointment|seminar|workshop|"
    r"training|class|party|talk|review|off-?site|webinar|visit|reception|show|concert|"
    r"brown\s+bag|demo|hearing|mixer|event|simulation|draft|retreat|game|happy\s+hour|trip|"
    r"tee\s+time|golf|forum|round\s*table|clinic|panel|ceremony|picnic|fundraiser|open\s+house|"
    r"get[- ]together|celebration|boil|due\s+diligence|super\s+saturday)\b",
    re.IGNORECASE,
)
PROPOSAL = re.compile(
    r"\b(?:can\s+we|could\s+we|shall\s+we|let'?s|how\s+about|would\s+you|are\s+you\s+(?:free|"
    r"available|around|still\s+on)|does\s+\S+\s+work|works?\s+for|is\s+\S+\s+(?:ok|good|fine)|"
    r"please\s+(?:join|attend|plan|mark|hold|come|save)|join\s+us|hope\s+to\s+see|see\s+you|"
    r"invit\w*|rsvp|r\.s\.v\.p|mark\s+your\s+calendars?|save\s+the\s+date|"
    r"(?:schedul|reschedul|set\s+up|arrange)\w*|available|availability|let\s+me\s+know)",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:will|shall|going\s+to|'ll|plan(?:s|ning)?\s+to|upcoming|next)\b", re.IGNORECASE
)
PAST = re.compile(
    r"\b(?:was|were|had|did|went|met|yesterday|last|ago|held|attended|"
    rf"\w+ed\s+(?:on|at|with)|{JUST_DONE})\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|no|never|n't|cannot|can't|won't|unable|cancel\w*|"
    r"postpone\w*|declin\w*)\b",
    re.IGNORECASE,
)
# The writer's own whereabouts: "I'll be out", "I am in London", "my vacation".
WRITER_AWAY = re.compile(
    r"\b(?:I(?:'ll|\s+will|\s+am|'m|\s+was)?\s+(?:be\s+)?(?:out|off|away|on\s+vacation|on\s+"
    r"holiday|travel\w*|leaving|in\s+[A-Z]\w+|at\s+(?:a|the)\s+\w+)|out\s+of\s+(?:the\s+)?"
    r"office|vacation|holidays?|my\s+(?:doctor|dentist|dental|flight|trip)|time\s+off|"
    r"I\s+have\s+(?:a|an)\s+\w+|(?:he|she|they)\s+will\s+be\s+(?:out|off|in|on)|"
    r"(?:not|be)\s+in\s+the\s+office|tied\s+up)",
    re.IGNORECASE,
)
WRITER_BEFORE = re.compile(r"\b(?:I|I'm|I'll|my)\b[^.?!\n]{0,50}$")
SECOND_PERSON = re.compile(r"\b(?:you|your|y'all)\b", re.IGNORECASE)
FIRST_PLURAL = re.compile(r"\b(?:we|us|our|let'?s)\b", re.IGNORECASE)
FIRST_SINGULAR = re.compile(r"\b(?:I|me|my)\b")
RESCHEDULE_NEW = re.compile(
    r"\b(?:moved?\s+to|resched\w*\s+(?:for|to)|postponed\s+(?:to|until)|changed\s+to|"
    r"instead|new\s+(?:date|time)|now\s+(?:be\s+)?(?:on|at))\W+(?:\w+\W+){0,3}$"
    # "moved the review from 2pm to 4pm": the time after "to" is the new one
    rf"|{MOVED_FROM}\s[^.!?\n]{{1,30}}?\b(?:to|until)\s+$",
    re.IGNORECASE,
)
RESCHEDULE_OLD = re.compile(
    r"\b(?:from|originally|instead\s+of|was\s+(?:scheduled|set)\s+for|rather\s+than)\s+"
    r"(?:\w+\s+){0,2}(?<!\bto\s)$",
    re.IGNORECASE,
)
RECURRING = re.compile(
    r"\b(?:every|each|weekly|monthly|daily|recurring|biweekly|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b",
    re.IGNORECASE,
)
NOT_EVENT_WORDS = re.compile(
    r"\b(?:effective|as\s+of|through|until|thru|expir\w*|valid|delivered|deliver\w*|"
    r"flow(?:s|ing)?|trade[sd]?|volumes?|price[sd]?|index|outage|closed|open|hours|"
    r"newscast|published?|issued|dated|terminat\w*|birthday|anniversary|born)\b",
    re.IGNORECASE,
)
BULK = re.compile(r"unsubscribe|newsletter|press\s+release|click\s+here|www\.|http", re.IGNORECASE)
ALTERNATIVE = re.compile(r"\b(?:or|either|alternatively)\b", re.IGNORECASE)
QUESTION_AFTER = re.compile(r"^[^.!\n]{0,80}\?")
PLEASE = re.compile(r"\bplease\b", re.IGNORECASE)
LIST_LINE = re.compile(r"^\s*(?:[-*•·>o]|\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]+\))\s")
WEEKDAY_ONLY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?$", re.IGNORECASE)
