"""The exceptions every layer of deskdraft raises and understands.

Each error names the item it is about and, where we know it, what the user can do.
``retryable`` tells the job queue whether trying again can help (a busy server) or not
(a corrupt file).
"""

from __future__ import annotations


class DeskdraftError(Exception):
    """Base for every error that reaches a user. Its message is safe to show: no secrets."""

    retryable: bool = False
    exit_code: int = 1

    def __init__(self, message: str, *, item: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.item = item
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.item}: {self.message}" if self.item else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class BadInputError(DeskdraftError):
    """The input itself is unusable (corrupt, hostile, oversized, not the expected type)."""


class UsageError(DeskdraftError):
    """The command or request was called wrongly."""

    exit_code = 2


class ConfigError(DeskdraftError):
    """A setting is missing or invalid."""

    exit_code = 2


class AuthError(DeskdraftError):
    """A server refused the credentials. Retrying with the same ones will not help."""


class TransientError(DeskdraftError):
    """A fault that may clear by itself: a timeout, a busy or unreachable server."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        item: str | None = None,
        hint: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, item=item, hint=hint)


class ResourceError(DeskdraftError):
    """The machine ran out of something (disk space, memory)."""
