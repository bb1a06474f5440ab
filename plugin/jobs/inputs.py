"""Turn a job's input (``{"text"}``, ``{"source"}`` or ``{"document"}``) into Documents.

The drafts package owns the real conversion (``plugin.drafts.inputs``); until it exists
this module carries a minimal one with the same contract, so the worker never depends on
which of the two is installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from connectors.document import Document, content_id
from connectors.errors import BadInputError


def _minimal_documents_from_input(input_: Mapping[str, Any]) -> list[Document]:
    if "text" in input_:
        text = str(input_["text"])
        if not text.strip():
            raise BadInputError("the text to draft from is empty", item="input.text")
        return [Document(id=content_id("text", text), kind="text", source="api:text",
                         text=text)]
    if "document" in input_:
        try:
            return [Document.from_json(dict(input_["document"]))]
        except (TypeError, ValueError, KeyError) as exc:
            raise BadInputError(f"not a valid document: {exc}", item="input.document") from None
    if "source" in input_:
        return _documents_from_source(str(input_["source"]))
    raise BadInputError("the input needs one of text, source or document", item="input")


def _documents_from_source(source: str) -> list[Document]:
    from connectors.base import ItemError, open_source
    from plugin.config import settings

    documents: list[Document] = []
    errors: list[ItemError] = []
    with open_source(source, settings().source_options(source)) as connector:
        for item in connector.iter_documents(None):
            if isinstance(item, Document):
                documents.append(item)
            else:
                errors.append(item)
    if not documents:
        detail = "; ".join(f"{e.source}: {e.error}" for e in errors[:3]) or "it is empty"
        raise BadInputError(f"no readable documents ({detail})", item=source)
    return documents


def _resolve() -> Callable[[Mapping[str, Any]], list[Document]]:
    try:
        module = importlib.import_module("plugin.drafts.inputs")
    except ModuleNotFoundError as exc:
        if exc.name not in {"plugin.drafts.inputs"}:
            raise
        return _minimal_documents_from_input
    return module.documents_from_input  # type: ignore[no-any-return]


def documents_from_input(input_: Mapping[str, Any]) -> list[Document]:
    return list(_resolve()(input_))
