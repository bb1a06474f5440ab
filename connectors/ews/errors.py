"""exchangelib's exceptions translated to deskdraft errors, and the ErrorServerBusy backoff.

Exchange throttles with ``ErrorServerBusy`` and says how long to wait
(``BackOffMilliseconds``). exchangelib runs with ``FailFast`` here so that *we* own the
waiting: each remote operation is retried after the server's back-off (capped), and when
it keeps refusing the caller gets a ``TransientError`` with ``retry_after`` for the queue.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import requests

from connectors.credentials import safe_text
from connectors.errors import AuthError, ConfigError, DeskdraftError, TransientError
from connectors.secrets import Secret

log = logging.getLogger(__name__)
T = TypeVar("T")


def translate(
    exc: BaseException, *, item: str, what: str, secrets: tuple[Secret, ...] = ()
) -> DeskdraftError:
    """The deskdraft error for an exchangelib (or requests) failure during ``what``."""
    from exchangelib import errors as e

    text = safe_text(exc, *secrets)
    if isinstance(exc, DeskdraftError):
        return exc
    if isinstance(exc, e.UnauthorizedError):
        return AuthError(
            f"Exchange refused the credentials during {what}",
            item=item,
            hint="check user name, password (or token) and auth type",
        )
    if isinstance(exc, PermissionError):
        # requests_ntlm: the server answered the NTLM negotiation with a refusal.
        return AuthError(
            f"Exchange refused the credentials during {what} ({text})",
            item=item,
            hint="check user name (DOMAIN\\user for NTLM) and password",
        )
    if isinstance(exc, e.ErrorImpersonateUserDenied | e.ErrorAccessDenied):
        return AuthError(
            f"access denied during {what}: {text}",
            item=item,
            hint="the account needs the ApplicationImpersonation role or "
            "delegate access to this mailbox",
        )
    if isinstance(exc, e.ErrorNonExistentMailbox):
        return ConfigError(f"mailbox does not exist: {text}", item=item)
    if isinstance(exc, e.ErrorFolderNotFound | e.ErrorSyncFolderNotFound):
        return ConfigError(f"folder not found during {what}", item=item)
    if isinstance(exc, e.ErrorServerBusy):
        return TransientError(
            f"Exchange is busy (ErrorServerBusy) during {what}",
            item=item,
            hint="the job retries later",
            retry_after=exc.back_off,
        )
    if isinstance(exc, requests.RequestException | e.TransportError | OSError):
        return TransientError(f"Exchange unreachable during {what}: {text}", item=item)
    if isinstance(exc, e.EWSError):
        return TransientError(f"Exchange error during {what}: {text}", item=item)
    return TransientError(
        f"unexpected failure during {what}: {type(exc).__name__}: {text}", item=item
    )


class Backoff:
    """Retries one remote call while Exchange answers ErrorServerBusy."""

    def __init__(
        self,
        *,
        item: str,
        max_retries: int = 5,
        max_wait_s: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        secrets: tuple[Secret, ...] = (),
    ) -> None:
        self.item = item
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self.sleep = sleep
        self.secrets = secrets
        self.waited: list[float] = []

    def call(
        self,
        what: str,
        fn: Callable[[], T],
        passthrough: tuple[type[BaseException], ...] = (),
    ) -> T:
        """``fn()``, retried on ErrorServerBusy; ``passthrough`` errors reach the caller as is."""
        from exchangelib.errors import ErrorServerBusy

        attempt = 0
        while True:
            try:
                return fn()
            except ErrorServerBusy as exc:
                wait = float(exc.back_off or 2**attempt)
                if attempt >= self.max_retries or wait > self.max_wait_s:
                    raise translate(exc, item=self.item, what=what) from None
                attempt += 1
                log.info("Exchange busy during %s: backing off %.1fs", what, wait)
                self.waited.append(wait)
                self.sleep(wait)
            except passthrough:
                raise
            except Exception as exc:
                raise translate(exc, item=self.item, what=what, secrets=self.secrets) from None
