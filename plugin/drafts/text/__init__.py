"""Text tools that several draft kinds share: sentence splitting (``sentences``), the
faithfulness check (``verify``) and the prompt templates (``prompts``).

Nothing here knows a draft kind, so every family may import it.
"""
