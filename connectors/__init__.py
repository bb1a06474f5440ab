"""Connectors: turn mailboxes and files into normalized documents.

Every connector yields :class:`~connectors.document.Document` objects.

Nothing in this package knows about drafts, queues or HTTP.
"""
