"""Per-user rate limits and the rules that lock a token (docs/security.md, "Anomalies").

Every rule counts in fixed windows of ``security.window_s`` seconds on a clock that tests
can set, so each outcome is deterministic:

* **rate limit**: more than ``rate_limit`` requests in a window → 429 with
  ``Retry-After`` (the seconds left in the window). Nothing is locked.
* **guessing**: ``lock_after_not_found`` answers of 404, or ``lock_after_failed_auth``
  wrong secrets for a known token prefix, in one window → the user is locked.
* **volume jump**: once a user has ``volume_history`` earlier windows, a window with more
  than ``volume_factor`` × their average and at least ``volume_min`` requests → locked.
* **new networks**: the first network (IPv4 /24, IPv6 /48) a user calls from is learned;
  more than ``new_networks_per_day`` further networks within 24 hours → locked.

A locked user gets 403 until an admin runs ``deskdraft user unlock NAME``; the lock and its
reason are in the audit trail and ``deskdraft user list``. Counters live in each bridge
process (N processes allow up to N × the rate); locks live in the store, for all of them.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from plugin.config import SecuritySettings
from plugin.jobs.store import JobStore

log = logging.getLogger(__name__)
DAY_S = 86400.0


@lru_cache(maxsize=4096)
def network_of(ip: str | None) -> str:
    if not ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


@dataclass
class _UserCounts:
    window: int = -1
    requests: int = 0
    not_found: int = 0
    failed_auth: int = 0
    history: deque[int] = field(default_factory=lambda: deque(maxlen=60))
    networks: dict[str, float] = field(default_factory=dict)  # network → first seen


@dataclass(frozen=True, slots=True)
class Verdict:
    """What ``admit`` decided: go ahead, slow down (429) or locked (403)."""

    status: int = 200
    retry_after: int = 0
    reason: str = ""


class AnomalyWatch:
    def __init__(
        self, rules: SecuritySettings, store: JobStore, clock: Callable[[], float] = time.time
    ) -> None:
        self.rules = rules
        self.store = store
        self.clock = clock
        self._users: dict[str, _UserCounts] = defaultdict(_UserCounts)
        self._lock = threading.Lock()

    def _counts(self, user_id: str) -> tuple[_UserCounts, float]:
        now = self.clock()
        window = int(now // self.rules.window_s)
        counts = self._users[user_id]
        if counts.window != window:
            if counts.window >= 0:
                counts.history.append(counts.requests)
                counts.history.extend([0] * min(window - counts.window - 1, 60))
            counts.window, counts.requests, counts.not_found, counts.failed_auth = window, 0, 0, 0
        return counts, now

    def admit(self, user_id: str, user_name: str, ip: str | None) -> Verdict:
        """Count a request of an authenticated user; 429 or a lock when a rule trips."""
        with self._lock:
            counts, now = self._counts(user_id)
            counts.requests += 1
            if reason := self._new_network(counts, ip, now):
                return self._locked(user_id, user_name, reason)
            history = list(counts.history)[-self.rules.volume_history :]
            if (
                len(history) >= self.rules.volume_history > 0
                and counts.requests >= self.rules.volume_min
                and counts.requests
                > self.rules.volume_factor * max(sum(history) / len(history), 1.0)
            ):
                return self._locked(
                    user_id, user_name, f"volume jump: {counts.requests} requests in one window"
                )
            if 0 < self.rules.rate_limit < counts.requests:
                left = self.rules.window_s - (now % self.rules.window_s)
                return Verdict(429, max(1, int(left + 0.999)), "rate limit")
        return Verdict()

    def _new_network(self, counts: _UserCounts, ip: str | None, now: float) -> str:
        network = network_of(ip)
        if network in counts.networks or self.rules.new_networks_per_day < 0:
            return ""
        first = not counts.networks
        counts.networks[network] = now
        if first:
            return ""
        recent = [seen for seen in list(counts.networks.values())[1:] if now - seen < DAY_S]
        if len(recent) > self.rules.new_networks_per_day:
            return f"used from {len(recent)} new networks in a day (latest {network})"
        return ""

    def observe(
        self, user_id: str | None, user_name: str | None, status: int, failed_auth: bool = False
    ) -> None:
        """Count an answer: 404s of a user, or wrong secrets for a user's token prefix."""
        if user_id is None or not (status == 404 or failed_auth):
            return
        with self._lock:
            counts, _ = self._counts(user_id)
            if failed_auth:
                counts.failed_auth += 1
                tripped = counts.failed_auth >= self.rules.lock_after_failed_auth > 0
                reason = f"{counts.failed_auth} wrong secrets for this token in one window"
            else:
                counts.not_found += 1
                tripped = counts.not_found >= self.rules.lock_after_not_found > 0
                reason = f"{counts.not_found} answers of 404 in one window (guessing ids)"
        if tripped:
            self._locked(user_id, user_name or "?", reason)

    def _locked(self, user_id: str, user_name: str, reason: str) -> Verdict:
        if self.store.lock(user_id, reason):
            log.warning("locked user %s: %s", user_name, reason)
            self.store.audit(user=user_name, action="user.lock", outcome=reason)
        return Verdict(403, 0, reason)
