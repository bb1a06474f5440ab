"""One settings object: a TOML file, overridden by ``DESKDRAFT_*`` environment variables.

Where things live:

* config file: ``$DESKDRAFT_CONFIG``, else ``$DESKDRAFT_HOME/config.toml`` when
  ``DESKDRAFT_HOME`` is set, else ``config.toml`` in the user's config dir;
* data (queue, models, caches, tokens): ``$DESKDRAFT_HOME``, else the user's data dir.

Every scalar setting can be overridden as ``DESKDRAFT_<SECTION>_<KEY>``, for example
``DESKDRAFT_QUEUE_URL=redis://localhost:6379/0`` or ``DESKDRAFT_ENGINE_THREADS=2``.
"""

from __future__ import annotations

import os
import tomllib
import typing
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

import platformdirs

from connectors.errors import ConfigError

APP = "deskdraft"


@dataclass
class EngineSettings:
    #: "default" (the bundled SmolLM2) or a path to a built model directory.
    model: str = "default"
    #: "auto" picks the measured default (int8-asym for the bundled model); or a built
    #: variant by name: fp32, int8, int8-asym, int4, ...
    variant: str = "auto"
    #: ONNX Runtime intra-op threads; 0 means one per physical core.
    threads: int = 0
    #: Let ORT threads spin between the many small ops of a decode step (ORT's own
    #: default): about 30 % faster decoding, at the cost of CPU spent spinning while busy.
    spinning: bool = True
    #: Tokens of context the model may use (prompt + answer).
    context_tokens: int = 2048
    #: One prompt at a time, guess the next tokens from where the prompt already has
    #: them and check the guesses in one run (``engine/lookup.py``). "auto": only where
    #: that gives exactly the plain loop's tokens (fp32); "on" also with int8, which then
    #: decodes in wide steps (the same text with guesses or without, alone or batched, but
    #: not always the default's text, and batches row by row); "off".
    prompt_lookup: Literal["auto", "on", "off"] = "auto"


@dataclass
class QueueSettings:
    #: Empty: SQLite in the data dir. Or redis://… / postgresql://…
    url: str = ""
    #: Worker processes started by ``deskdraft serve``.
    workers: int = 1
    #: Attempts for transient faults (mail server timeouts), with exponential backoff.
    retries: int = 3
    retry_delay_s: float = 2.0
    #: Where job records live. Empty: the queue's Postgres database for postgresql://,
    #: else SQLite in the data dir. Redis across machines needs a postgresql:// store.
    store_url: str = ""
    #: A running job whose worker stops renewing its lease this long is run again.
    lease_s: float = 30.0
    #: Deliveries (worker deaths included) before a job is failed instead of rerun.
    max_deliveries: int = 5


@dataclass
class BridgeSettings:
    host: str = "127.0.0.1"
    port: int = 8443
    tls: bool = True
    cors_origins: list[str] = field(default_factory=list)
    max_body_mb: float = 25.0
    #: Deepest nesting of objects/arrays a JSON body may have (a document needs about 6).
    max_json_depth: int = 32
    #: Office SSO / nested app auth: accept Entra ID JWTs as well as the bearer token.
    sso_enabled: bool = False
    sso_tenant_id: str = ""
    sso_audience: str = ""
    sso_issuer: str = ""
    #: PEM file or JWKS JSON file with the signing keys (no network at run time).
    sso_keys_file: str = ""
    #: Create a user on the first valid SSO token of someone unknown (else an admin adds
    #: them first; see docs/security.md).
    sso_create_users: bool = False
    #: `deskdraft bridge` processes behind the port (connections handed over; Linux/BSD).
    processes: int = 1
    #: Threads answering ordinary requests in each bridge process; each open event stream
    #: (/jobs/ID/events) gets one more of its own. Fewer threads cost less CPU per request
    #: under load; more let slow requests overlap (docs/deploy.md).
    threads: int = 8


@dataclass
class LimitsSettings:
    #: Largest uncompressed size of a .docx/.xlsx, to reject zip bombs before inflating.
    zip_max_uncompressed_mb: float = 200.0
    #: Largest compression ratio of a single zip member.
    zip_max_ratio: float = 200.0
    xlsx_max_rows: int = 1_000_000
    xlsx_max_cells: int = 20_000_000
    #: Largest single e-mail or file accepted for parsing.
    file_max_mb: float = 100.0


@dataclass
class DigestSettings:
    #: Most messages one digest processes; the rest are counted, not dropped silently.
    max_messages: int = 500
    send_empty: bool = False
    #: Summary style for single messages: oneline keeps a 500-message digest in minutes;
    #: brief writes about four sentences each (about three times slower).
    style: str = "oneline"


@dataclass
class CalendarSettings:
    #: Calendar suggestions whose calibrated confidence is below this are hidden from the
    #: pane, job output and digest (0 shows every suggestion the learned decision keeps).
    min_confidence: float = 0.0
    #: Suggestions at or above this are shown as likely; the pane, the text output and the
    #: digest mark the others "maybe". On unseen mail (the test split), 62 of 74 suggestions
    #: at 0.7 or more were right against 22 of 56 below it (docs/calendar.md, "Confidence").
    likely_confidence: float = 0.7


@dataclass
class TuneSettings:
    """Scheduled re-training from feedback (docs/tuning.md, "Scheduled re-training")."""

    #: Off by default: `deskdraft scheduler` then never tunes anything by itself.
    schedule: bool = False
    #: When it runs (5-field cron; a 6th leading field counts seconds): Sundays at 03:00.
    cron: str = "0 3 * * 0"
    tz: str = "UTC"
    #: Usable edited drafts that must have arrived since the last tuned model.
    min_new_records: int = 50
    #: One model per user from their own feedback (theirs alone); off: one for the install.
    per_user: bool = True
    #: Training time budget of one run (minutes).
    max_minutes: float = 30.0
    #: Overrides of the training recipe (``plugin.tune.train.Recipe`` fields).
    recipe: dict[str, Any] = field(default_factory=dict)


@dataclass
class SecuritySettings:
    #: Seal job inputs, results, feedback, files and queue messages with the data key
    #: (docs/security.md). Off only to measure what it costs.
    encrypt_at_rest: bool = True
    #: Job inputs and results older than this many days are purged (0: kept for ever).
    retention_days: int = 30
    #: Audit every API request (docs/security.md, "Audit trail").
    audit: bool = True
    #: Anomaly rules count in windows of this many seconds (docs/security.md, "Anomalies").
    window_s: float = 60.0
    #: Requests per user per window before 429 (0: no limit).
    rate_limit: int = 600
    #: Answers of 404 per user per window (guessing job ids) before the user is locked.
    lock_after_not_found: int = 30
    #: Wrong secrets presented with a user's token prefix per window before a lock.
    lock_after_failed_auth: int = 10
    #: A window with volume_factor × the user's average (over volume_history windows) and at
    #: least volume_min requests locks the user.
    volume_factor: float = 20.0
    volume_min: int = 300
    volume_history: int = 5
    #: New networks (/24, /48) a user may appear from per day beyond the first (-1: any).
    new_networks_per_day: int = 3


@dataclass
class Settings:
    engine: EngineSettings = field(default_factory=EngineSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    bridge: BridgeSettings = field(default_factory=BridgeSettings)
    limits: LimitsSettings = field(default_factory=LimitsSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    tune: TuneSettings = field(default_factory=TuneSettings)
    #: Free-form per-source options and credentials, keyed by a source prefix, e.g.
    #: ``[sources."imap://me@mail.example.com"] password_env = "IMAP_PASSWORD"``.
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Free-form delivery settings (smtp, ews, graph) for digests.
    delivery: dict[str, dict[str, Any]] = field(default_factory=dict)
    data_dir: Path = field(default_factory=Path)
    config_file: Path | None = None

    def source_options(self, source: str) -> dict[str, Any]:
        """The merged options of every ``[sources."PREFIX"]`` table that ``source`` starts with."""
        merged: dict[str, Any] = {"limits": self.limits}
        for prefix in sorted(self.sources, key=len):
            if source.startswith(prefix):
                merged.update(self.sources[prefix])
        return merged


def data_dir() -> Path:
    home = os.environ.get("DESKDRAFT_HOME")
    path = Path(home).expanduser() if home else Path(platformdirs.user_data_dir(APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_path() -> Path:
    if explicit := os.environ.get("DESKDRAFT_CONFIG"):
        return Path(explicit).expanduser()
    if home := os.environ.get("DESKDRAFT_HOME"):
        return Path(home).expanduser() / "config.toml"
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def _coerce(raw: Any, hint: Any, name: str) -> Any:
    origin = typing.get_origin(hint)
    try:
        if hint is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if hint is int:
            return int(raw)
        if hint is float:
            return float(raw)
        if hint is str:
            return str(raw)
        if origin is typing.Literal:
            choices = typing.get_args(hint)
            if isinstance(raw, bool) and "on" in choices:  # TOML true/false for on/off
                raw = "on" if raw else "off"
            if str(raw).strip().lower() in choices:
                return str(raw).strip().lower()
            raise ConfigError(
                f"setting {name} = {raw!r} is not one of {', '.join(map(str, choices))}"
            )
        if origin is list:
            if isinstance(raw, list):
                return raw
            return [part.strip() for part in str(raw).split(",") if part.strip()]
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {name} = {raw!r} is not a valid {getattr(hint, '__name__', hint)}"
        ) from None
    return raw


def _build_section(cls: type, values: dict[str, Any], section: str) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(
            f"unknown setting(s) in [{section}]: {', '.join(sorted(unknown))}",
            hint=f"known: {', '.join(sorted(known))}",
        )
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        env_name = f"DESKDRAFT_{section.upper()}_{f.name.upper()}"
        if env_name in os.environ:
            kwargs[f.name] = _coerce(os.environ[env_name], hints[f.name], env_name)
        elif f.name in values:
            kwargs[f.name] = _coerce(values[f.name], hints[f.name], f"{section}.{f.name}")
    return cls(**kwargs)


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file (if any) and the environment. Raises ``ConfigError`` on bad values."""
    path = path or config_path()
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file: {exc}", item=str(path)) from None
    sections: dict[str, Any] = {}
    hints = typing.get_type_hints(Settings)
    for f in fields(Settings):
        hint = hints[f.name]
        if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
            sections[f.name] = _build_section(hint, dict(raw.get(f.name, {})), f.name)
        elif typing.get_origin(hint) is dict:
            sections[f.name] = dict(raw.get(f.name, {}))
    return Settings(**sections, data_dir=data_dir(), config_file=path if path.is_file() else None)


@cache
def settings() -> Settings:
    """The process-wide settings, read once. Tests call ``settings.cache_clear()``."""
    return load_settings()


__all__ = ["Settings", "config_path", "data_dir", "load_settings", "settings"]
