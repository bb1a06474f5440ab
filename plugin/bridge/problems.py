"""RFC 9457 problem details: the only shape an error leaves the bridge in."""

from __future__ import annotations

from typing import Any

from flask import Response, json

from connectors.secrets import redact

PROBLEM_TYPE = "urn:deskdraft:problem:"


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = headers or {}

    def response(self, instance: str | None = None) -> Response:
        return problem_response(
            self.status, self.slug, self.title, self.detail, instance, self.headers
        )


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"type": PROBLEM_TYPE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = redact(detail)
    if instance:
        body["instance"] = instance
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
