"""Calendar suggestions: proposed meetings, calls and deadlines found in mail.

The face of the family: ``MeetingsDraft`` (kind ``suggest_meetings``). Its private helpers:
time words and atoms (``timewords``, ``atoms``), time parsing (``parse``), zone names in
text (``zones``), meeting cues (``cues``), free/busy conflicts (``freeslots``), ICS output
(``ics``) and the labelled-set evaluation (``evaluation``, ``quality_hook``).
"""

from plugin.drafts.calendar.meetings import MeetingsDraft

__all__ = ["MeetingsDraft"]
