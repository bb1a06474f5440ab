"""Rate limits, locks on guessing, volume jumps and new networks, and the audit entries,
on a clock the test sets (the rules are deterministic)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from plugin.cli import main
from plugin.jobs.queue import open_store
from tests.bridge.helpers import problem

RULES = {
    "DESKDRAFT_SECURITY_RATE_LIMIT": "8",
    "DESKDRAFT_SECURITY_LOCK_AFTER_NOT_FOUND": "5",
    "DESKDRAFT_SECURITY_LOCK_AFTER_FAILED_AUTH": "3",
    "DESKDRAFT_SECURITY_VOLUME_MIN": "6",
    "DESKDRAFT_SECURITY_VOLUME_FACTOR": "2",
    "DESKDRAFT_SECURITY_VOLUME_HISTORY": "3",
    "DESKDRAFT_SECURITY_NEW_NETWORKS_PER_DAY": "1",
}
pytestmark = pytest.mark.parametrize("bridge_env", [RULES], indirect=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1_699_999_980.0  # the start of a 60 s window (a multiple of 60)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    clock = Clock()
    app.extensions["deskdraft.gate"].watch.clock = clock
    return clock


def _get(client: FlaskClient, headers: dict[str, str], ip: str = "127.0.0.1") -> Any:
    return client.get(
        f"/api/v1/jobs/{uuid.uuid4().hex}", headers=headers, environ_base={"REMOTE_ADDR": ip}
    )


def _health(client: FlaskClient, headers: dict[str, str], ip: str = "127.0.0.1") -> Any:
    return client.get("/api/v1/openapi.json", headers=headers, environ_base={"REMOTE_ADDR": ip})


def test_the_rate_limit_answers_429_with_retry_after(
    client: FlaskClient, people: dict[str, dict[str, str]], clock: Clock
) -> None:
    clock.now += 15  # 45 s left in the window
    for _ in range(8):
        assert _health(client, people["ann"]).status_code == 200
    limited = _health(client, people["ann"])
    assert problem(limited)["status"] == 429 and limited.headers["Retry-After"] == "45"
    assert _health(client, people["bob"]).status_code == 200  # per user
    clock.now += 45
    assert _health(client, people["ann"]).status_code == 200  # a new window
    assert open_store().require_user("ann").state == "active"  # slowed down, not locked


def test_guessing_ids_locks_the_token_until_an_admin_unlocks_it(
    client: FlaskClient,
    people: dict[str, dict[str, str]],
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    statuses = [_get(client, people["ann"]).status_code for _ in range(6)]
    assert statuses == [404, 404, 404, 404, 404, 403]
    assert problem(_health(client, people["ann"]))["title"] == "Token locked"
    assert _health(client, people["bob"]).status_code == 200
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "locked" in listing and "5 answers of 404" in listing
    locks = [e for e in open_store().audit_entries(user="ann") if e.action == "user.lock"]
    assert len(locks) == 1 and "404" in locks[0].outcome

    assert main(["user", "unlock", "ann"]) == 0
    clock.now += 60
    assert _health(client, people["ann"]).status_code == 200


def test_wrong_secrets_for_a_users_prefix_lock_that_user(
    client: FlaskClient, people: dict[str, dict[str, str]], clock: Clock
) -> None:
    good = people["ann"]["Authorization"]
    forged = {"Authorization": good[:-6] + "xxxxxx"}
    assert [_health(client, forged).status_code for _ in range(3)] == [401, 401, 401]
    assert problem(_health(client, people["ann"]))["status"] == 403
    assert open_store().require_user("ann").locked_reason == (
        "3 wrong secrets for this token in one window"
    )


def test_a_jump_in_volume_locks(
    client: FlaskClient, people: dict[str, dict[str, str]], clock: Clock
) -> None:
    for _ in range(3):  # a quiet history: 2 requests a window
        for _ in range(2):
            assert _health(client, people["ann"]).status_code == 200
        clock.now += 60
    answers = [_health(client, people["ann"]).status_code for _ in range(6)]
    assert answers == [200, 200, 200, 200, 200, 403]  # 6 > 2 × average and ≥ volume_min
    assert "volume jump" in (open_store().require_user("ann").locked_reason or "")


def test_new_networks_beyond_the_daily_allowance_lock(
    client: FlaskClient, people: dict[str, dict[str, str]], clock: Clock
) -> None:
    assert _health(client, people["ann"], "10.0.0.5").status_code == 200  # learned
    assert _health(client, people["ann"], "10.0.0.99").status_code == 200  # same /24
    assert _health(client, people["ann"], "192.168.7.1").status_code == 200  # 1 new: allowed
    assert problem(_health(client, people["ann"], "203.0.113.9"))["status"] == 403
    assert "new networks" in (open_store().require_user("ann").locked_reason or "")


def test_every_api_request_is_audited_without_content(
    client: FlaskClient, people: dict[str, dict[str, str]], clock: Clock
) -> None:
    secret = "Quarterly layoffs list for Ann"
    created = client.post(
        "/api/v1/jobs", headers=people["ann"], json={"kind": "probe", "input": {"text": secret}}
    )
    job_id = created.get_json()["id"]
    client.get(f"/api/v1/jobs/{job_id}", headers=people["ann"])
    client.get(f"/api/v1/jobs/{job_id}", headers=people["bob"])
    client.get("/api/v1/openapi.json", headers={"Authorization": "Bearer nope"})
    client.application.extensions["deskdraft.gate"].flush()
    store = open_store()
    entries = list(store.audit_entries())
    mine = [(e.user, e.action, e.job_id, e.kind, e.outcome, e.ip) for e in entries]
    assert ("ann", "POST /api/v1/jobs", job_id, "probe", "202", "127.0.0.1") in mine
    assert ("ann", "GET /api/v1/jobs/<job_id>", job_id, "probe", "200", "127.0.0.1") in mine
    assert ("bob", "GET /api/v1/jobs/<job_id>", None, None, "404", "127.0.0.1") in mine
    assert (None, "GET /api/v1/openapi.json", None, None, "401", "127.0.0.1") in mine
    ann = store.require_user("ann")
    assert {e.credential for e in entries if e.user == "ann"} == {ann.token_prefix}
    assert all(secret not in str(e.to_json()) for e in entries)
    assert store.verify_audit().ok
