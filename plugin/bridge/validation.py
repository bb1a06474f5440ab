"""Request bodies checked against ``openapi.json``, the same document the API serves.

Every failure is a ``Problem`` (415, 400) naming what is wrong: the media type, malformed
JSON, nesting deeper than allowed, or the first schema error and where it is.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from flask import request
from jsonschema import Draft202012Validator

from plugin.bridge.hardening import json_depth_exceeds
from plugin.bridge.problems import Problem
from plugin.jobs.memo import Lru


@cache
def openapi_spec() -> dict[str, Any]:
    text = resources.files("plugin.bridge").joinpath("openapi.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def served_spec(kinds: list[str]) -> dict[str, Any]:
    """The OpenAPI document with ``kind`` narrowed to the job kinds installed here, and
    described by them (a hand-kept list fell behind when kinds were added)."""
    spec = copy.deepcopy(openapi_spec())
    kind = spec["components"]["schemas"]["JobRequest"]["properties"]["kind"]
    kind["enum"] = kinds
    kind["description"] = "One of the job kinds installed here: " + ", ".join(kinds) + "."
    return spec


def body_validators(spec: dict[str, Any]) -> dict[str, Draft202012Validator]:
    return {
        name: Draft202012Validator(
            {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        )
        for name in ("JobRequest", "Feedback")
    }


def json_body(
    validator: Draft202012Validator,
    known_valid: Lru[bytes, bool] | None = None,
    max_depth: int = 32,
) -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise Problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "send the body as application/json",
        )
    raw = request.get_data(cache=False)
    too_deep = Problem(
        400,
        "too-deep",
        "JSON nested too deeply",
        f"objects and arrays may nest {max_depth} levels at most",
    )
    try:
        body = json.loads(raw or b"null")
    except RecursionError:
        raise too_deep from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(
            400, "malformed-json", "Malformed JSON", f"the body is not JSON: {exc}"
        ) from None
    # A client repeating a request (a pane re-opened on the same mail) skips validation.
    digest = hashlib.sha256(raw).digest() if known_valid is not None else b""
    if known_valid is not None and known_valid.get(digest):
        return body  # type: ignore[no-any-return]
    if json_depth_exceeds(body, max_depth):
        raise too_deep
    error = next(iter(sorted(validator.iter_errors(body), key=lambda e: e.path)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(body)"
        raise Problem(400, "invalid-request", "Invalid request", f"{where}: {error.message[:300]}")
    if known_valid is not None:
        known_valid.put(digest, True)
    return body  # type: ignore[no-any-return]
