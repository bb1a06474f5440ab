"""Per-user tokens at the bridge, the `deskdraft user` command and the upgrade path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from plugin.cli import main
from plugin.config import settings
from plugin.jobs.queue import JobQueue, open_store
from tests.bridge.helpers import problem
from tests.jobs.old_store import make_old_store


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_user_commands_issue_rotate_and_revoke_tokens(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cli(capsys, "user", "add", "carol")
    token = out.strip().splitlines()[-1]
    assert token.startswith("dd_")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200  # memo

    listing = _cli(capsys, "user", "list")
    assert "carol" in listing and token.split("_")[1] in listing and token not in listing

    fresh = _cli(capsys, "user", "token", "carol").strip()
    assert problem(client.get("/api/v1/openapi.json", headers=headers))["status"] == 401
    headers = {"Authorization": f"Bearer {fresh}"}
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200

    _cli(capsys, "user", "revoke", "carol")
    assert problem(client.get("/api/v1/openapi.json", headers=headers))["status"] == 401
    assert "revoked" in _cli(capsys, "user", "list")
    assert main(["user", "token", "nobody"]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


def test_a_token_with_a_known_prefix_but_a_wrong_secret_is_refused(
    client: FlaskClient, people: dict[str, dict[str, str]]
) -> None:
    good = people["ann"]["Authorization"]
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    assert (
        problem(client.get("/api/v1/openapi.json", headers={"Authorization": forged}))["status"]
        == 401
    )
    assert client.get("/api/v1/openapi.json", headers=people["ann"]).status_code == 200


def test_an_upgraded_install_keeps_its_token_as_admin(
    deskdraft_home: Path, queue: JobQueue, capsys: pytest.CaptureFixture[str]
) -> None:
    from plugin.bridge.app import create_app
    from plugin.bridge.auth import install_token

    queue.close()
    (deskdraft_home / "jobs.sqlite").unlink()
    make_old_store(deskdraft_home / "jobs.sqlite")  # a store from before users existed
    old_token = install_token(deskdraft_home)
    upgraded = JobQueue(settings())
    client = create_app(queue=upgraded, s=settings()).test_client()
    admin = {"Authorization": f"Bearer {old_token}"}
    answer = client.get(f"/api/v1/jobs/{'a' * 32}", headers=admin)
    assert answer.status_code == 200 and answer.get_json()["result"] == {"echo": "OLD"}

    _, ann_token = open_store().add_user("ann")
    ann = {"Authorization": f"Bearer {ann_token}"}
    assert problem(client.get(f"/api/v1/jobs/{'a' * 32}", headers=ann))["status"] == 404
    listed = json.loads(_cli(capsys, "user", "list", "--json"))
    assert [(u["name"], u["admin"], u["state"]) for u in listed] == [
        ("admin", True, "active"),
        ("ann", False, "active"),
    ]
    upgraded.close()
