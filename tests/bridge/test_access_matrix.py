"""Who sees what: two users and an admin against every endpoint and verb in openapi.json.

Each caller tries their own job's id, another user's job id and a random id. Someone
else's job answers exactly like a missing one (404), so ids cannot be confirmed; admins
see everything. A new endpoint fails ``test_the_matrix_covers_every_operation`` until it
gets its row here.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from plugin.bridge.validation import openapi_spec
from plugin.jobs.queue import JobQueue, open_store
from tests.bridge.helpers import problem

CALLERS = ("ann", "bob", "admin")
#: Whose job is "another user's" for each caller.
OTHER = {"ann": "bob", "bob": "ann", "admin": "ann"}
TARGETS = ("own", "other", "random")

#: (method, path) → {caller: (own id, other user's id, random id)}.
MATRIX: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {
    ("GET", "/jobs/{id}"): {
        "ann": (200, 404, 404), "bob": (200, 404, 404), "admin": (200, 200, 404)},
    ("DELETE", "/jobs/{id}"): {
        "ann": (200, 404, 404), "bob": (200, 404, 404), "admin": (200, 200, 404)},
    ("GET", "/jobs/{id}/events"): {
        "ann": (200, 404, 404), "bob": (200, 404, 404), "admin": (200, 200, 404)},
    ("GET", "/jobs/{id}/files/{name}"): {
        "ann": (200, 404, 404), "bob": (200, 404, 404), "admin": (200, 200, 404)},
    # The job id travels in the body.
    ("POST", "/feedback"): {
        "ann": (201, 404, 404), "bob": (201, 404, 404), "admin": (201, 201, 404)},
    # No id: the same answer whoever asks, whatever the target.
    ("POST", "/jobs"): {c: (202, 202, 202) for c in CALLERS},
    ("GET", "/health"): {c: (200, 200, 200) for c in CALLERS},
    ("GET", "/openapi.json"): {c: (200, 200, 200) for c in CALLERS},
}  # fmt: skip


def _operations() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in openapi_spec()["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_the_matrix_covers_every_operation() -> None:
    assert _operations() - set(MATRIX) == set(), "add the new endpoint to MATRIX"
    assert set(MATRIX) - _operations() == set(), "MATRIX lists an endpoint that is gone"


def _job_of(queue: JobQueue, owner_id: str, outputs: Path) -> str:
    folder = outputs / uuid.uuid4().hex
    folder.mkdir(parents=True)
    (folder / "report.docx").write_bytes(b"PK\x03\x04 " + owner_id.encode())
    result = {"echo": f"mail of {owner_id}", "files": {"docx": str(folder / "report.docx")}}
    return queue.store.create("probe", {"text": f"private {owner_id}"}, {}, 10,
                              result=result, owner=owner_id).id  # fmt: skip


def _call(client: FlaskClient, method: str, path: str, job_id: str, headers: dict[str, str]
          ) -> Any:  # fmt: skip
    url = "/api/v1" + path.replace("{id}", job_id).replace("{name}", "docx")
    if (method, path) == ("POST", "/feedback"):
        return client.post(url, headers=headers, json={"job_id": job_id, "rating": 1})
    if (method, path) == ("POST", "/jobs"):
        return client.post(url, headers=headers, json={"kind": "probe", "input": {"text": job_id}})
    return client.open(url, method=method, headers=headers)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_access_matrix(client: FlaskClient, queue: JobQueue, people: dict[str, dict[str, str]],
                       deskdraft_home: Path, method: str, path: str) -> None:  # fmt: skip
    store = open_store()
    ids = {name: (store.require_user(name).id) for name in CALLERS}
    outputs = deskdraft_home / "outputs"
    seen: dict[tuple[str, str], int] = {}
    for caller in CALLERS:
        for target in TARGETS:
            if target == "random":
                job_id = uuid.uuid4().hex
            else:
                owner = caller if target == "own" else OTHER[caller]
                job_id = _job_of(queue, ids[owner], outputs)
            with _call(client, method, path, job_id, people[caller]) as response:
                seen[(caller, target)] = response.status_code
                if response.status_code >= 400:
                    body = json.dumps(problem(response))
                    # Nothing of the job leaks into a refusal.
                    assert "private" not in body and "mail of" not in body
    expected_cells = {
        (caller, target): status
        for caller in CALLERS
        for target, status in zip(TARGETS, MATRIX[(method, path)][caller], strict=True)
    }
    assert seen == expected_cells


def test_identical_cached_requests_get_a_job_and_feedback_each(
    client: FlaskClient, people: dict[str, dict[str, str]], queue: JobQueue, runner: Any
) -> None:
    from tests.bridge.helpers import run_all

    request = {"kind": "probe", "input": {"text": "the same mail"}, "options": {}}
    first = client.post("/api/v1/jobs", headers=people["ann"], json=request).get_json()["id"]
    run_all(queue, runner)
    ann = client.post("/api/v1/jobs", headers=people["ann"], json=request).get_json()
    bob = client.post("/api/v1/jobs", headers=people["bob"], json=request).get_json()
    again = client.post("/api/v1/jobs", headers=people["bob"], json=request).get_json()
    assert ann["status"] == bob["status"] == "done"  # the cached result is reused ...
    assert len({first, ann["id"], bob["id"]}) == 3  # ... under a job record of each user's
    assert again["id"] == bob["id"]
    answers = {
        who: client.get(f"/api/v1/jobs/{job_id}", headers=people[who]).get_json()
        for who, job_id in (("ann", ann["id"]), ("bob", bob["id"]))
    }
    assert answers["ann"]["result"] == answers["bob"]["result"]
    assert client.get(f"/api/v1/jobs/{bob['id']}", headers=people["ann"]).status_code == 404

    client.post("/api/v1/feedback", headers=people["ann"], json={"job_id": ann["id"], "rating": 1})
    assert [f["rating"] for f in queue.store.feedback(ann["id"])] == [1]
    assert queue.store.feedback(bob["id"]) == []


def test_a_remembered_finished_answer_is_still_checked_for_its_owner(
    client: FlaskClient, people: dict[str, dict[str, str]], queue: JobQueue, deskdraft_home: Path
) -> None:
    ann_id = open_store().require_user("ann").id
    job_id = _job_of(queue, ann_id, deskdraft_home / "outputs")
    assert client.get(f"/api/v1/jobs/{job_id}", headers=people["admin"]).status_code == 200
    assert client.get(f"/api/v1/jobs/{job_id}", headers=people["ann"]).status_code == 200
    assert problem(client.get(f"/api/v1/jobs/{job_id}", headers=people["bob"]))["status"] == 404


def test_users_read_only_the_sources_shared_with_them(
    client: FlaskClient, people: dict[str, dict[str, str]], deskdraft_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from plugin.config import settings

    # As `[sources."HOME/ann"] owners = ["ann"]` in the config file would.
    monkeypatch.setitem(settings().sources, f"{deskdraft_home}/ann", {"owners": ["ann"]})
    for who, source, status in [
        ("ann", f"{deskdraft_home}/ann/inbox.mbox", 202),
        ("bob", f"{deskdraft_home}/ann/inbox.mbox", 422),
        ("ann", f"{deskdraft_home}/ann/../bob/inbox.mbox", 422),
        ("ann", "/etc/passwd", 422),
        ("admin", "/etc/hostname", 202),
    ]:
        response = client.post(
            "/api/v1/jobs",
            headers=people[who],
            json={"kind": "ingest", "input": {"source": source}},
        )
        assert response.status_code == status, (who, source)
    refused = client.post(
        "/api/v1/jobs",
        headers=people["ann"],
        json={"kind": "digest", "input": {"text": "x"}, "options": {"deliver": "dir:/tmp"}},
    )
    assert problem(refused)["status"] == 422 and "only admins" in problem(refused)["detail"]
