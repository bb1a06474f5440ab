"""Access tokens for Microsoft Graph through msal: client credentials or device code.

* ``auth = "client_credentials"`` (the default unless an access token is given): an app
  registration with *application* permissions (Mail.Read, Calendars.ReadWrite, Mail.Send)
  reads the mailbox named in the URI. Needs ``client_id`` and ``client_secret[_env|_keyring]``.
* ``auth = "device_code"``: a person signs in once on another device; the refresh token is
  kept in ``token_cache`` (default ``$DESKDRAFT_HOME/graph-token-cache.json``, mode 0600) so
  later runs are silent. Needs ``client_id`` of a public client app. The first sign-in
  needs a terminal (or a ``device_code_prompt`` callback); a worker without either gets an
  ``AuthError`` saying so instead of waiting for a code nobody sees.
* ``access_token[_env]``: a token acquired elsewhere (for example Office SSO / OBO).

Errors from the identity platform become ``AuthError`` with its AADSTS code and description,
scrubbed of every credential.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from connectors.credentials import (
    find_secret,
    install_log_redaction,
    require_secret,
    safe_text,
)
from connectors.errors import AuthError, ConfigError, TransientError
from connectors.secrets import Secret

GRAPH_SCOPES_APP = ["https://graph.microsoft.com/.default"]
GRAPH_SCOPES_DELEGATED = [
    "https://graph.microsoft.com/Mail.Read",
    "https://graph.microsoft.com/Mail.Send",
    "https://graph.microsoft.com/Calendars.ReadWrite",
]

TokenProvider = Callable[[], Secret]


def _default_cache_path() -> Path:
    home = os.environ.get("DESKDRAFT_HOME")
    if home:
        return Path(home).expanduser() / "graph-token-cache.json"
    import platformdirs

    return Path(platformdirs.user_data_dir("deskdraft")) / "graph-token-cache.json"


def _raise_for_msal(result: Mapping[str, Any] | None, item: str, *secrets: Secret) -> Secret:
    if result and result.get("access_token"):
        return Secret(str(result["access_token"]))
    result = result or {}
    code = str(result.get("error") or "no_token")
    description = safe_text(str(result.get("error_description") or ""), *secrets)
    first_line = description.splitlines()[0] if description else ""
    if code in {"temporarily_unavailable", "server_error"}:
        raise TransientError(f"sign-in service unavailable: {code} {first_line}", item=item)
    raise AuthError(
        f"Microsoft sign-in failed: {code}: {first_line}".rstrip(": "),
        item=item,
        hint="check tenant, client_id and the client secret or consent",
    )


class MsalTokens:
    """Acquires (and caches) Graph access tokens for one connector."""

    def __init__(self, options: Mapping[str, Any], *, tenant: str, account: str, item: str) -> None:
        self.options = options
        self.tenant = str(options.get("tenant_id") or tenant)
        self.account = account
        self.item = item
        self.authority = str(
            options.get("authority") or f"https://login.microsoftonline.com/{self.tenant}"
        )
        self._lock = threading.Lock()
        self._app: Any = None
        self._cache: Any = None
        self._cache_path: Path | None = None
        self.static_token = find_secret(options, "access_token", account=account, item=item)
        self.client_secret: Secret | None = None
        mode = str(options.get("auth") or "").lower().replace("-", "_")
        if not mode:
            # Device code needs a person at a terminal, so it is never picked implicitly:
            # without a token or secret the user gets "no client_secret configured".
            mode = "access_token" if self.static_token else "client_credentials"
        self.mode = mode
        if self.mode not in {"client_credentials", "device_code", "access_token"}:
            raise ConfigError(
                f"unknown Graph auth {self.mode!r}",
                item=item,
                hint="use client_credentials, device_code or access_token",
            )

    def _client_id(self) -> str:
        client_id = self.options.get("client_id")
        if not client_id:
            raise ConfigError(
                "no client_id configured for Microsoft Graph",
                item=self.item,
                hint="register an app in Entra ID and set client_id (docs/connectors.md)",
            )
        return str(client_id)

    def _build_app(self) -> Any:
        import msal

        install_log_redaction("msal", "urllib3", "requests")

        common = {
            "authority": self.authority,
            # Discovery would reach out to the network for every new authority; the
            # authority is given explicitly, so validating it offline is enough.
            "instance_discovery": False,
            "timeout": float(self.options.get("timeout_s", 30)),
        }
        if self.mode == "client_credentials":
            if self.client_secret is None:
                self.client_secret = require_secret(
                    self.options, "client_secret", account=self.account, item=self.item
                )
            return msal.ConfidentialClientApplication(
                self._client_id(), client_credential=self.client_secret.reveal(), **common
            )
        self._cache = msal.SerializableTokenCache()
        self._cache_path = Path(self.options.get("token_cache") or _default_cache_path())
        if self._cache_path.is_file():
            self._cache.deserialize(self._cache_path.read_text(encoding="utf-8"))
        return msal.PublicClientApplication(self._client_id(), token_cache=self._cache, **common)

    def _save_cache(self) -> None:
        if self._cache is not None and self._cache_path and self._cache.has_state_changed:
            self._cache_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._cache_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self._cache.serialize())

    def token(self) -> Secret:
        if self.mode == "access_token":
            if not self.static_token:
                self.static_token = require_secret(
                    self.options, "access_token", account=self.account, item=self.item
                )
            return self.static_token
        with self._lock:
            try:
                if self._app is None:
                    self._app = self._build_app()
                if self.mode == "client_credentials":
                    result = self._app.acquire_token_for_client(scopes=GRAPH_SCOPES_APP)
                else:
                    result = self._device_code()
            except (ConfigError, AuthError, TransientError):
                raise
            except Exception as exc:  # requests/msal network faults
                secrets = [s for s in (self.client_secret,) if s]
                raise TransientError(
                    f"cannot reach the Microsoft sign-in service: {safe_text(exc, *secrets)}",
                    item=self.item,
                ) from None
            secrets = [s for s in (self.client_secret,) if s]
            return _raise_for_msal(result, self.item, *secrets)

    def _device_code(self) -> Mapping[str, Any] | None:
        accounts = self._app.get_accounts()
        if accounts:
            result = self._app.acquire_token_silent(GRAPH_SCOPES_DELEGATED, account=accounts[0])
            if result and result.get("access_token"):
                self._save_cache()
                return result
        prompt = self.options.get("device_code_prompt")
        if not callable(prompt) and not sys.stderr.isatty():
            # A worker would wait for a sign-in nobody sees until the code expires.
            raise AuthError(
                "Microsoft sign-in needed (device code), but no terminal is attached",
                item=self.item,
                hint="run `deskdraft ingest SOURCE` once in a terminal to sign in; "
                "the token is then cached for workers",
            )
        flow = self._app.initiate_device_flow(scopes=GRAPH_SCOPES_DELEGATED)
        if "user_code" not in flow:
            return flow
        if callable(prompt):
            prompt(flow["message"])
        else:
            print(flow["message"], file=sys.stderr, flush=True)
        result = self._app.acquire_token_by_device_flow(flow)
        self._save_cache()
        return result

    def invalidate(self) -> None:
        """Forget a token the server refused (msal re-acquires on the next call)."""
        if self.mode == "access_token":
            return
        with self._lock:
            if self._app is not None and self.mode == "client_credentials":
                self._app = None
