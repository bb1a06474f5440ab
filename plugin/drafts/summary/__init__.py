"""Summaries of mail, threads and documents, and the action items in them.

The face of the family: ``SummaryDraft`` (kind ``summarize``) and ``ActionItemsDraft``
(kind ``action_items``). The modules beside it are its private helpers: sentence ranking
(``rank``), subject lines (``headline``), long documents (``mapreduce``), threads
(``thread``) and requests (``actions``).
"""

from plugin.drafts.summary.actions import ActionItemsDraft
from plugin.drafts.summary.summarize import STYLES, SummaryDraft

__all__ = ["STYLES", "ActionItemsDraft", "SummaryDraft"]
