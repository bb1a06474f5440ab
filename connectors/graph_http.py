"""HTTP to Microsoft Graph: bearer tokens, throttling (429/503 ``Retry-After``), paging.

Graph's throttling guidance: on 429 (and 503/504) wait the ``Retry-After`` seconds and try
again. We retry ``max_retries`` times, waiting at most ``max_wait_s`` each time; after that
the call fails with a ``TransientError`` carrying ``retry_after`` so the job queue can
reschedule it instead of hammering the service.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests

from connectors.credentials import safe_text
from connectors.errors import AuthError, BadInputError, ConfigError, TransientError
from connectors.graph_auth import MsalTokens

log = logging.getLogger(__name__)

GRAPH_URL = "https://graph.microsoft.com/v1.0"
RETRY_STATUSES = {429, 503, 504}


class DeltaExpired(TransientError):
    """HTTP 410: the delta token is no longer known to the server; sync from scratch."""


def _graph_error(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return str(response.status_code), response.reason or ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or response.status_code), str(error.get("message") or "")
    return str(response.status_code), response.reason or ""


class GraphHttp:
    def __init__(
        self,
        tokens: MsalTokens,
        options: Mapping[str, Any],
        *,
        item: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tokens = tokens
        self.item = item
        self.base = str(options.get("graph_url") or GRAPH_URL).rstrip("/")
        self.timeout = float(options.get("timeout_s", 30))
        self.max_retries = int(options.get("max_retries", 5))
        self.max_wait = float(options.get("max_wait_s", 60))
        self.sleep = sleep
        self.session = requests.Session()
        self.throttled = 0  # how many 429/503 answers we waited out (for tests and logs)

    def url(self, path: str) -> str:
        return (
            path
            if path.startswith("https://") or path.startswith("http://")
            else (f"{self.base}/{path.lstrip('/')}")
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        what: str = "",
        **kwargs: Any,
    ) -> requests.Response:
        url = self.url(path)
        refreshed = False
        attempt = 0
        while True:
            token = self.tokens.token()
            all_headers = {"Authorization": f"Bearer {token.reveal()}", **(headers or {})}
            try:
                response = self.session.request(
                    method, url, headers=all_headers, timeout=self.timeout, **kwargs
                )
            except requests.RequestException as exc:
                raise TransientError(
                    f"Microsoft Graph unreachable: {safe_text(exc, token)}", item=self.item
                ) from None
            status = response.status_code
            if status in RETRY_STATUSES:
                wait = _retry_after(response)
                if attempt >= self.max_retries or wait > self.max_wait:
                    raise TransientError(
                        f"Microsoft Graph is throttling requests (HTTP {status})",
                        item=self.item,
                        hint="the job retries later",
                        retry_after=wait,
                    )
                attempt += 1
                self.throttled += 1
                log.info("Graph throttled %s (HTTP %s): waiting %.1fs", what, status, wait)
                self.sleep(wait)
                continue
            if status == 401 and not refreshed:
                # An expired or revoked token: get a fresh one once, then give up.
                refreshed = True
                self.tokens.invalidate()
                if self.tokens.mode != "access_token":
                    continue
            if status >= 400:
                self._raise(response, what or f"{method} {path.split('?')[0]}", token)
            return response

    def _raise(self, response: requests.Response, what: str, token: Any) -> None:
        code, message = _graph_error(response)
        message = safe_text(message, token)
        status = response.status_code
        if status in (401, 403):
            raise AuthError(
                f"Microsoft Graph refused {what}: {code}: {message}".rstrip(": "),
                item=self.item,
                hint="check the app's permissions (Mail.Read, Calendars.ReadWrite, Mail.Send) "
                "and admin consent",
            )
        if status == 410:
            raise DeltaExpired(f"sync state expired on {what}: {code}", item=self.item)
        if status == 404:
            raise ConfigError(f"not found: {what}: {code}", item=self.item)
        if status >= 500:
            raise TransientError(
                f"Microsoft Graph error on {what}: HTTP {status} {code}", item=self.item
            )
        raise BadInputError(f"Microsoft Graph rejected {what}: {code}: {message}", item=self.item)

    def get_json(self, path: str, **kwargs: Any) -> dict[str, Any]:
        data = self.request("GET", path, **kwargs).json()
        if not isinstance(data, dict):
            raise TransientError("Microsoft Graph sent an unexpected answer", item=self.item)
        return data

    def pages(self, path: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Each page of a collection, following ``@odata.nextLink``."""
        url: str | None = path
        params = kwargs.pop("params", None)
        while url:
            page = self.get_json(url, params=params, **kwargs)
            params = None  # the next link already carries the query
            yield page
            url = page.get("@odata.nextLink")


def _retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 5.0  # no header or an HTTP date: Graph's documented default is a few seconds
