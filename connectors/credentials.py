"""Credentials for remote sources: from config, the environment or the OS keyring.

Connector options (usually ``settings().source_options(uri)``, i.e. the merged
``[sources."PREFIX"]`` tables) name where each credential lives. For a credential called
``password`` (likewise ``client_secret``, ``token``):

* ``password = "..."``            the value itself, in the config file (least safe);
* ``password_env = "VAR"``        read from the environment variable ``VAR``;
* ``password_keyring = "svc"``    read from the OS keyring, service ``svc``, user
                                  ``keyring_user`` or the account name (``true`` means
                                  service ``deskdraft``).

Without any of these the keyring is still asked (service ``deskdraft``, user
``SCHEME://USER@HOST``), so ``keyring set deskdraft imap://me@mail.example.com`` just works.
Every value comes back as a :class:`~connectors.secrets.Secret`; errors name the option or
variable, never the value.
"""

from __future__ import annotations

import base64
import logging
import os
import re
from collections.abc import Mapping
from typing import Any

from connectors.errors import ConfigError
from connectors.secrets import Secret, redact, register_secret

log = logging.getLogger(__name__)

KEYRING_SERVICE = "deskdraft"


def keyring_password(service: str, user: str) -> str | None:
    """The OS keyring's value for ``service``/``user``; ``None`` when it has none or no
    backend answers (a headless server has none: that is "not configured", not an error)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        return keyring.get_password(service, user)
    except KeyringError as exc:
        # No backend (headless server) is normal: fall through to "not configured".
        log.debug("keyring lookup %s/%s failed: %s", service, user, type(exc).__name__)
        return None
    except Exception as exc:  # backends raise dbus/OS errors of their own
        log.debug("keyring backend error for %s/%s: %s", service, user, type(exc).__name__)
        return None


def find_secret(options: Mapping[str, Any], name: str, *, account: str, item: str) -> Secret | None:
    """The credential ``name`` for ``account`` (e.g. ``imap://me@host``), or ``None``."""
    value = options.get(name)
    if isinstance(value, Secret):
        return value if value else None
    if value not in (None, ""):
        if not isinstance(value, str):
            raise ConfigError(f"option {name!r} must be a string", item=item)
        return Secret(value)

    env_name = options.get(f"{name}_env")
    if env_name:
        env_value = os.environ.get(str(env_name))
        if not env_value:
            raise ConfigError(
                f"environment variable {env_name} (named by option {name}_env) is not set",
                item=item,
            )
        return Secret(env_value)

    service = options.get(f"{name}_keyring")
    explicit = bool(service)
    if service is True or service in (None, ""):
        service = KEYRING_SERVICE
    user = str(options.get("keyring_user") or account)
    keyed = keyring_password(str(service), user if name == "password" else f"{user}#{name}")
    if keyed:
        return Secret(keyed)
    if explicit:
        raise ConfigError(
            f"no {name} in the OS keyring for service {service!r}, user {user!r}",
            item=item,
            hint=f"store it with: keyring set {service} {user}",
        )
    return None


def require_secret(options: Mapping[str, Any], name: str, *, account: str, item: str) -> Secret:
    """Like :func:`find_secret`; a missing credential is a ``ConfigError`` saying what to set."""
    secret = find_secret(options, name, account=account, item=item)
    if secret is None:
        raise ConfigError(
            f"no {name} configured",
            item=item,
            hint=(
                f'set {name}_env = "VARIABLE" (or {name}_keyring = true) in '
                f'[sources."{account}"] of the config file, '
                f"or store it with: keyring set {KEYRING_SERVICE} {account}"
            ),
        )
    return secret


def safe_text(exc: BaseException | str, *secrets: Secret | None) -> str:
    """A library's error message with every known credential masked, for our own errors."""
    for secret in secrets:
        if secret:
            register_secret(secret.reveal())
    return redact(str(exc))


# HTTP auth headers as libraries log them (exchangelib logs request headers at DEBUG).
_AUTH_HEADER = re.compile(
    r"(?i)(?P<head>authorization['\"]?\s*[:=]\s*['\"]?(?:basic|bearer|ntlm|negotiate)\s+)"
    r"[A-Za-z0-9+/=._~-]+"
)


def register_basic_auth(username: str, password: Secret) -> None:
    """Also mask the base64 ``user:password`` a Basic auth header carries."""
    token = base64.b64encode(f"{username}:{password.reveal()}".encode()).decode()
    register_secret(token)


class RedactingFilter(logging.Filter):
    """A logging filter that masks credentials in records of third-party libraries."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix
            return True
        cleaned = _AUTH_HEADER.sub(r"\g<head>***", redact(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


def install_log_redaction(*logger_names: str) -> None:
    """Attach the redacting filter to the named loggers and every existing child logger.

    Logger filters do not apply to records of child loggers, so call this again after the
    library has been imported (its module loggers exist then). Idempotent.
    """
    existing = list(logging.root.manager.loggerDict)
    for prefix in logger_names:
        for name in [prefix, *(n for n in existing if n.startswith(prefix + "."))]:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
