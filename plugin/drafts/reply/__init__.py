"""Reply drafts: the answer to a mail, planned by code and worded by the model.

The face of the family: ``ReplyDraft`` (kind ``reply``). Its private helpers: the content
plan (``plan``, with ``answers``, ``intents``, ``meeting`` and ``slots``), the model's
wording and its checks (``writer``) and the user's voice profile (``voice``).
"""

from plugin.drafts.reply.draft import ReplyDraft

__all__ = ["ReplyDraft"]
