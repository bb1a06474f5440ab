"""Response headers and request limits that every bridge answer gets.

The pane runs inside Office (an iframe of Outlook on the web, or the desktop's webview),
so framing is allowed for Office's own origins only (CSP ``frame-ancestors``; the older
``X-Frame-Options`` cannot name several origins). Scripts come from the bridge and from
Microsoft's office.js CDN, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Origins that host add-in panes: Outlook/Office on the web, Microsoft 365, SharePoint.
OFFICE_FRAME_ANCESTORS = (
    "'self'",
    "https://*.office.com",
    "https://*.office365.com",
    "https://*.officeapps.live.com",
    "https://*.microsoft.com",
    "https://*.cloud.microsoft",
    "https://*.sharepoint.com",
    "https://outlook.live.com",
)
OFFICE_JS = "https://appsforoffice.microsoft.com"

PANE_CSP = "; ".join([
    "default-src 'self'",
    f"script-src 'self' {OFFICE_JS}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    # The pane may be pointed at another bridge (its server setting), or a local one.
    "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    f"frame-ancestors {' '.join(OFFICE_FRAME_ANCESTORS)}",
])  # fmt: skip
#: API answers are data, never pages: nothing may run or frame them.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(*, api: bool) -> tuple[tuple[str, str], ...]:
    """The headers every answer gets; API answers are also never stored by caches."""
    return (
        ("Content-Security-Policy", API_CSP if api else PANE_CSP),
        ("Strict-Transport-Security", HSTS),  # browsers ignore it on plain http
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-site" if api else "cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        *((("Cache-Control", "no-store"),) if api else ()),
    )


class SecurityHeaders:
    """WSGI middleware that puts ``security_headers`` on every answer, errors included.

    At the WSGI layer they are one ``list.extend`` of ready-made pairs per answer; set one
    by one on Flask's response object they cost about as much as the rest of a cached poll.
    A header of the same name that a view set is replaced, as these are the bridge's policy.
    """

    def __init__(self, app: WsgiApp, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self._sets = {api: security_headers(api=api) for api in (True, False)}
        self._names = {
            api: frozenset(name.lower() for name, _ in pairs) for api, pairs in self._sets.items()
        }

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        api = str(environ.get("PATH_INFO", "")).startswith(self.api_prefix)
        extra, names = self._sets[api], self._names[api]

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if any(name.lower() in names for name, _ in headers):
                headers = [pair for pair in headers if pair[0].lower() not in names]
            headers.extend(extra)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
