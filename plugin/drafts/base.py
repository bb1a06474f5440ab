"""The ``DraftKind`` interface, the ``Draft`` it returns, and the draft-kind registry.

A draft kind turns documents into a draft: text plus structured fields, with
attributions (source spans) for each statement, ``verified`` (did the faithfulness check
pass) and ``model`` (which model hash and variant wrote it). Kinds are registered through
the ``deskdraft.drafts`` entry-point group, built-ins included.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from connectors.document import Document
from connectors.registry import Registry


@dataclass(slots=True)
class Span:
    """Characters ``start``..``end`` of a source document's text."""

    start: int
    end: int
    document_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.document_id:
            out["document_id"] = self.document_id
        return out


@dataclass(slots=True)
class Draft:
    kind: str
    text: str
    #: Kind-specific, JSON-ready fields (``summary``, ``key_points``, ``suggestions``...).
    data: dict[str, Any] = field(default_factory=dict)
    attributions: list[Span] = field(default_factory=list)
    verified: bool = False
    #: "<model hash>:<variant>", or "none" for drafts written by code alone.
    model: str = "none"

    def to_json(self) -> dict[str, Any]:
        """The object the matching CLI command prints with ``--json`` (and the job result)."""
        return {
            **self.data,
            "verified": self.verified,
            "model": self.model,
        }


class DraftKind(ABC):
    """One kind of draft. Instances are cheap; the engine is passed in and shared."""

    name: ClassVar[str]
    #: Whether the kind needs the language model; a kind that needs it only for some
    #: options says so in :meth:`uses_model` (a report loads it only for a model narrative).
    needs_model: ClassVar[bool] = True
    #: Kinds that read a source themselves (a digest keeps its own sync cursor) get
    #: ``{"source": ...}`` inputs as ``options["source"]`` and no documents.
    reads_source: ClassVar[bool] = False
    #: Kinds only deskdraft's scheduler submits (a re-training): the bridge does not offer them.
    scheduled_only: ClassVar[bool] = False
    #: Kinds whose result depends on who asks (a digest stored as theirs, the sources shared
    #: with them): the runner puts the job owner's name in ``options["owner"]`` (unless an
    #: admin named one) and ``options["owner_admin"]``, and never caches the result.
    runs_as_owner: ClassVar[bool] = False

    def __init__(self, engine: Any | None = None) -> None:
        self.engine = engine

    @classmethod
    def uses_model(cls, options: Mapping[str, Any]) -> bool:
        """Whether a job of this kind with ``options`` needs the model loaded."""
        return cls.needs_model

    @abstractmethod
    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        """Draft from ``documents``. Returns one draft per input unless the kind merges them."""


draft_kinds: Registry[type[DraftKind]] = Registry("deskdraft.drafts", "draft kind")
