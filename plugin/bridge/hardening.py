"""Response headers and request limits that every bridge answer gets.

The pane runs inside Office (an iframe of Outlook on the web, or the desktop's webview),
so framing is allowed for Office's own origins only (CSP ``frame-ancestors``; the older
``X-Frame-Options`` cannot name several origins). Scripts come from the bridge and from
Microsoft's office.js CDN, nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Response

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


def add_security_headers(response: Response, *, api: bool) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = API_CSP if api else PANE_CSP
    headers["Strict-Transport-Security"] = HSTS  # browsers ignore it on plain http
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Resource-Policy"] = "same-site" if api else "cross-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    return response


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
