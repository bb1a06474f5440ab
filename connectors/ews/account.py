"""Build the exchangelib ``Account`` for an ``ews://USER@HOST/FOLDER`` source.

Options: ``auth`` (``ntlm`` default, ``basic``, ``oauth2``); ``username`` (login name, e.g.
``CORP\\alice``; default the URI user); ``password[_env|_keyring]``; for OAuth2
``client_id``, ``tenant_id``, ``client_secret[_env|_keyring]`` (client credentials) or
``access_token[_env]``; ``mailbox`` (primary SMTP address; default the URI user when it
contains ``@``, else ``USER@HOST``); ``impersonate`` (SMTP address of a mailbox to open
with ApplicationImpersonation); ``service_endpoint`` (default
``https://HOST/EWS/Exchange.asmx``); ``exchange_version`` (``auto`` or 2010/2013/2016/2019);
``verify_tls`` (default true); ``timeout_s``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connectors.credentials import (
    find_secret,
    install_log_redaction,
    register_basic_auth,
    require_secret,
)
from connectors.errors import ConfigError
from connectors.secrets import Secret

VERSIONS = {"2010": (14, 0), "2013": (15, 0), "2016": (15, 1), "2019": (15, 2)}


@dataclass
class EwsTarget:
    user: str
    host: str
    account: str  # "ews://user@host", the key for credentials and messages
    item: str


def _credentials(
    options: Mapping[str, Any], target: EwsTarget, mailbox: str
) -> tuple[Any, str, tuple[Secret, ...]]:
    from exchangelib import BASIC, NTLM, OAUTH2, Credentials, Identity
    from exchangelib.credentials import OAuth2AuthorizationCodeCredentials, OAuth2Credentials

    auth = str(options.get("auth") or "ntlm").lower()
    if auth in {"ntlm", "basic"}:
        password = require_secret(options, "password", account=target.account, item=target.item)
        username = str(options.get("username") or target.user)
        register_basic_auth(username, password)
        return (
            Credentials(username, password.reveal()),
            (NTLM if auth == "ntlm" else BASIC),
            (password,),
        )
    if auth == "oauth2":
        token = find_secret(options, "access_token", account=target.account, item=target.item)
        if token:
            from oauthlib.oauth2 import OAuth2Token

            creds = OAuth2AuthorizationCodeCredentials(
                access_token=OAuth2Token({"access_token": token.reveal(), "token_type": "Bearer"})
            )
            return creds, OAUTH2, (token,)
        for key in ("client_id", "tenant_id"):
            if not options.get(key):
                raise ConfigError(
                    f"auth = oauth2 needs {key}",
                    item=target.item,
                    hint="or set access_token_env to a token acquired elsewhere",
                )
        secret = require_secret(options, "client_secret", account=target.account, item=target.item)
        creds = OAuth2Credentials(
            client_id=str(options["client_id"]),
            client_secret=secret.reveal(),
            tenant_id=str(options["tenant_id"]),
            identity=Identity(primary_smtp_address=mailbox),
        )
        return creds, OAUTH2, (secret,)
    raise ConfigError(
        f"unknown EWS auth {auth!r}", item=target.item, hint="use ntlm, basic or oauth2"
    )


def build_account(options: Mapping[str, Any], target: EwsTarget) -> tuple[Any, tuple[Secret, ...]]:
    """The exchangelib Account (no network traffic yet) and the secrets it holds."""
    from exchangelib import DELEGATE, IMPERSONATION, Account, Build, Configuration, Version
    from exchangelib.protocol import BaseProtocol, FailFast, NoVerifyHTTPAdapter

    impersonate = options.get("impersonate")
    if impersonate:
        mailbox = str(impersonate)
    elif options.get("mailbox"):
        mailbox = str(options["mailbox"])
    else:
        mailbox = target.user if "@" in target.user else f"{target.user}@{target.host}"
    credentials, auth_type, secrets = _credentials(options, target, mailbox)

    version = None
    wanted = str(options.get("exchange_version") or "auto").lower()
    if wanted != "auto":
        if wanted not in VERSIONS:
            raise ConfigError(
                f"unknown exchange_version {wanted!r}",
                item=target.item,
                hint=f"use auto or one of {', '.join(VERSIONS)}",
            )
        version = Version(build=Build(*VERSIONS[wanted]))
    if not options.get("verify_tls", True):
        # A process-wide switch in exchangelib; only for test servers with private CAs.
        BaseProtocol.HTTP_ADAPTER_CLS = NoVerifyHTTPAdapter
    BaseProtocol.TIMEOUT = int(options.get("timeout_s", 120))
    config = Configuration(
        service_endpoint=str(
            options.get("service_endpoint") or f"https://{target.host}/EWS/Exchange.asmx"
        ),
        credentials=credentials,
        auth_type=auth_type,
        version=version,
        retry_policy=FailFast(),
    )
    account = Account(
        primary_smtp_address=mailbox,
        config=config,
        autodiscover=False,
        access_type=IMPERSONATION if impersonate else DELEGATE,
        default_timezone=_utc(),
    )
    # exchangelib's module loggers exist now; they log request headers at DEBUG.
    install_log_redaction("exchangelib", "requests_ntlm", "requests_oauthlib", "oauthlib")
    return account, secrets


def _utc() -> Any:
    from exchangelib import EWSTimeZone

    return EWSTimeZone("UTC")
