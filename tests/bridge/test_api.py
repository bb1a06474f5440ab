"""The /api/v1 contract: jobs, events, files, feedback, health, problem details."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from plugin.jobs.queue import JobQueue
from plugin.jobs.runner import Runner
from tests.bridge.helpers import problem, run_all
from tests.jobs.kinds import executions


def test_submit_poll_and_read_the_result(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner
) -> None:
    response = client.post(
        "/api/v1/jobs",
        headers=auth,
        json={"kind": "probe", "input": {"text": "meeting notes"}, "options": {"sleep_s": 0}},
    )
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued"
    assert body["links"] == {
        "self": f"/api/v1/jobs/{body['id']}",
        "events": f"/api/v1/jobs/{body['id']}/events",
    }
    assert response.headers["Location"] == body["links"]["self"]

    job = client.get(body["links"]["self"], headers=auth).get_json()
    assert {k: job[k] for k in ("id", "kind", "status", "progress", "result", "error")} == {
        "id": body["id"],
        "kind": "probe",
        "status": "queued",
        "progress": 0.0,
        "result": None,
        "error": None,
    }

    assert run_all(queue, runner) == 1
    job = client.get(body["links"]["self"], headers=auth).get_json()
    assert job["status"] == "done" and job["progress"] == 1.0
    assert job["result"] == {"echo": "MEETING NOTES", "verified": True, "model": "none"}
    assert job["finished_at"] is not None


def test_document_input_is_accepted(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner
) -> None:
    document = {
        "kind": "email",
        "title": "Re: budget",
        "from": "Ann <ann@example.com>",
        "date": "2024-05-02T09:30:00+02:00",
        "text": "Budget approved.",
    }
    job_id = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "probe", "input": {"document": document}}
    ).get_json()["id"]
    run_all(queue, runner)
    assert (
        client.get(f"/api/v1/jobs/{job_id}", headers=auth).get_json()["result"]["echo"]
        == "BUDGET APPROVED."
    )


def test_bad_input_job_fails_with_a_clear_error(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner
) -> None:
    job_id = client.post(
        "/api/v1/jobs",
        headers=auth,
        json={"kind": "probe", "input": {"text": "x"}, "options": {"fail": "bad"}},
    ).get_json()["id"]
    run_all(queue, runner)
    job = client.get(f"/api/v1/jobs/{job_id}", headers=auth).get_json()
    assert job["status"] == "failed"
    assert job["error"] == {
        "type": "bad-input",
        "title": "BadInputError",
        "detail": "probe: the probe refuses this input",
    }


def test_cached_result_comes_back_done_without_running(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner, probe_log: Path
) -> None:
    request = {"kind": "probe", "input": {"text": "same text"}, "options": {}}
    first = client.post("/api/v1/jobs", headers=auth, json=request).get_json()
    run_all(queue, runner)
    second = client.post("/api/v1/jobs", headers=auth, json=request)
    assert second.status_code == 202 and second.get_json()["status"] == "done"
    job = client.get(second.get_json()["links"]["self"], headers=auth).get_json()
    assert job["cached"] is True
    assert job["result"] == client.get(first["links"]["self"], headers=auth).get_json()["result"]
    assert run_all(queue, runner) == 0
    assert executions(probe_log) == ["same text"]


def test_cancel(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner, probe_log: Path
) -> None:
    job_id = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "probe", "input": {"text": "stop me"}}
    ).get_json()["id"]
    response = client.delete(f"/api/v1/jobs/{job_id}", headers=auth)
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    run_all(queue, runner)
    assert executions(probe_log, "start") == []
    assert client.get(f"/api/v1/jobs/{job_id}", headers=auth).get_json()["status"] == "cancelled"


def test_unknown_job_is_a_404_problem(client: FlaskClient, auth: dict[str, str]) -> None:
    for path in (
        "/api/v1/jobs/" + "0" * 32,
        "/api/v1/jobs/not-an-id",
        "/api/v1/jobs/" + "0" * 32 + "/events",
        "/api/v1/jobs/" + "0" * 32 + "/files/x",
    ):
        body = problem(client.get(path, headers=auth))
        assert body["status"] == 404
    assert problem(client.delete("/api/v1/jobs/" + "1" * 32, headers=auth))["status"] == 404


def test_unknown_kind_is_a_400_problem_naming_the_known_kinds(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    body = problem(
        client.post("/api/v1/jobs", headers=auth, json={"kind": "nope", "input": {"text": "x"}})
    )
    assert body["status"] == 400
    assert body["detail"].startswith("kind: 'nope' is not one of")
    assert "'ingest'" in body["detail"] and "'probe'" in body["detail"]


def test_a_kind_only_the_scheduler_submits_is_refused(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue
) -> None:
    """``retrain`` tunes on a user's mail and changes defaults: never a client's request."""
    body = problem(
        client.post(
            "/api/v1/jobs",
            headers=auth,
            json={"kind": "retrain", "input": {"text": "x"}, "options": {"user": "ann"}},
        )
    )
    assert body["status"] == 400
    assert body["detail"].startswith("kind: 'retrain' is not one of")
    assert queue.store.counts().get("queued", 0) == 0


def test_events_stream_progress_until_the_final_state(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner
) -> None:
    job_id = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "probe", "input": {"text": "streamed"}}
    ).get_json()["id"]
    run_all(queue, runner)
    response = client.get(f"/api/v1/jobs/{job_id}/events", headers=auth)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    text = response.get_data(as_text=True)
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert text.startswith("retry: 2000")
    assert "event: status" in text
    assert events[-1]["status"] == "done" and events[-1]["result"]["echo"] == "STREAMED"


def test_files_are_served_only_from_the_outputs_folder(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, deskdraft_home: Path, tmp_path: Path
) -> None:
    out = deskdraft_home / "outputs" / "job1"
    out.mkdir(parents=True)
    (out / "report.docx").write_bytes(b"PK\x03\x04 docx bytes")
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours")
    result = {"files": {"docx": str(out / "report.docx"), "txt": str(outside)}}
    job = queue.store.create("probe", {"text": "x"}, {}, 10, result=result)

    with client.get(f"/api/v1/jobs/{job.id}/files/docx", headers=auth) as response:
        assert response.status_code == 200
        assert response.data == b"PK\x03\x04 docx bytes"
        assert "report.docx" in response.headers["Content-Disposition"]
    assert problem(client.get(f"/api/v1/jobs/{job.id}/files/txt", headers=auth))["status"] == 404
    assert problem(client.get(f"/api/v1/jobs/{job.id}/files/pdf", headers=auth))["status"] == 404


def test_feedback_is_stored(client: FlaskClient, auth: dict[str, str], queue: JobQueue) -> None:
    job = queue.store.create("probe", {"text": "x"}, {}, 10, result={"echo": "X"})
    response = client.post(
        "/api/v1/feedback",
        headers=auth,
        json={"job_id": job.id, "rating": 4, "edited_text": "X, but better", "comment": "close"},
    )
    assert response.status_code == 201
    stored = queue.store.feedback(job.id)
    assert [(f["rating"], f["edited_text"], f["comment"]) for f in stored] == [
        (4, "X, but better", "close")
    ]
    assert (
        problem(
            client.post("/api/v1/feedback", headers=auth, json={"job_id": "f" * 32, "rating": 3})
        )["status"]
        == 404
    )
    assert (
        problem(
            client.post("/api/v1/feedback", headers=auth, json={"job_id": job.id, "rating": 9})
        )["status"]
        == 400
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [
        (b"{not json", "application/json", 400, "not JSON"),
        (b"[]", "application/json", 400, "is not of type 'object'"),
        (b'{"kind": "probe"}', "application/json", 400, "'input' is a required property"),
        (
            b'{"kind": "probe", "input": {"text": "a", "source": "b"}}',
            "application/json",
            400,
            "input",
        ),
        (
            b'{"kind": "probe", "input": {"text": "a"}, "priority": "now"}',
            "application/json",
            400,
            "priority",
        ),
        (b"kind=probe", "application/x-www-form-urlencoded", 415, "application/json"),
    ],
)
def test_malformed_bodies_get_4xx_problems(
    client: FlaskClient,
    auth: dict[str, str],
    body: bytes,
    content_type: str,
    status: int,
    fragment: str,
) -> None:
    response = client.post(
        "/api/v1/jobs", headers={**auth, "Content-Type": content_type}, data=body
    )
    details = problem(response)
    assert details["status"] == status
    assert fragment in details["detail"]


@pytest.mark.parametrize("bridge_env", [{"DESKDRAFT_BRIDGE_MAX_BODY_MB": "0.01"}], indirect=True)
def test_oversized_bodies_get_413(client: FlaskClient, auth: dict[str, str]) -> None:
    big = json.dumps({"kind": "probe", "input": {"text": "x" * 20_000}})
    details = problem(
        client.post("/api/v1/jobs", headers=auth, data=big, content_type="application/json")
    )
    assert details["status"] == 413 and "0.01 MB" in details["detail"]
    small = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "probe", "input": {"text": "x" * 100}}
    )
    assert small.status_code == 202


def test_unexpected_errors_are_problems_without_traces_or_secrets(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("db password=hunter2 at /srv/secret")

    monkeypatch.setattr(queue.store, "_one", broken)  # every read of a job record fails
    response = client.get("/api/v1/jobs/" + "a" * 32, headers=auth)
    details = problem(response)
    assert details["status"] == 500
    assert "hunter2" not in response.get_data(as_text=True)
    assert "/srv/secret" not in response.get_data(as_text=True)


def test_unknown_paths_and_methods_are_problems(client: FlaskClient, auth: dict[str, str]) -> None:
    assert problem(client.get("/api/v1/nothing", headers=auth))["status"] == 404
    response = client.put("/api/v1/jobs", headers=auth, json={})
    assert problem(response)["status"] == 405


def test_addin_files_are_served_from_the_same_origin(client: FlaskClient) -> None:
    from plugin.bridge.app import WEB_DIR

    for name in ("outlook.html", "outlook.js", "pane.css", "assets/icon-32.png"):
        with client.get(f"/addin/{name}") as response:
            assert response.status_code == 200
            assert response.data == (WEB_DIR / name).read_bytes()
    assert problem(client.get("/addin/../config.py"))["status"] == 404
    # The web folder is a Python package too; its modules are not served.
    assert (WEB_DIR / "icons.py").is_file()
    assert problem(client.get("/addin/icons.py"))["status"] == 404
    assert problem(client.get("/addin/__init__.py"))["status"] == 404


def test_events_follow_a_running_job(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner
) -> None:
    import threading

    job_id = client.post(
        "/api/v1/jobs",
        headers=auth,
        json={"kind": "probe", "input": {"text": "watched"}, "options": {"sleep_s": 2.0}},
    ).get_json()["id"]
    worker = threading.Thread(target=run_all, args=(queue, runner))
    worker.start()
    response = client.get(f"/api/v1/jobs/{job_id}/events", headers=auth, buffered=False)
    text = "".join(
        chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in response.response
    )
    response.close()
    worker.join(30)
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    states = [(e["status"], e["progress"]) for e in events]
    assert any(status == "running" and 0 < progress < 1 for status, progress in states), states
    assert states[-1] == ("done", 1.0)
    assert len(states) == len(set(states))  # one event per change, no repeats


def test_finished_answers_are_kept_but_unfinished_ones_are_read_fresh(
    client: FlaskClient,
    auth: dict[str, str],
    queue: JobQueue,
    runner: Runner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job_id = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "probe", "input": {"text": "fresh"}}
    ).get_json()["id"]
    assert client.get(f"/api/v1/jobs/{job_id}", headers=auth).get_json()["status"] == "queued"
    run_all(queue, runner)
    done = client.get(f"/api/v1/jobs/{job_id}", headers=auth)
    assert done.get_json()["status"] == "done" and done.get_json()["result"]["echo"] == "FRESH"

    read = queue.store._one

    def unreachable(sql: str, params: Any = ()) -> Any:
        # The caller's user row is read on every request (revocation is immediate); the
        # job record is not.
        if "FROM jobs" in sql:
            raise AssertionError("the store was read")
        return read(sql, params)

    monkeypatch.setattr(queue.store, "_one", unreachable)
    again = client.get(f"/api/v1/jobs/{job_id}", headers=auth)
    assert again.status_code == 200 and again.get_data() == done.get_data()
    assert again.headers["Cache-Control"] == "no-store"
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 401  # still guarded


def test_repeated_requests_are_still_validated_and_answered_alike(
    client: FlaskClient, auth: dict[str, str], queue: JobQueue, runner: Runner
) -> None:
    bad = {"kind": "probe", "input": {"text": "x"}, "priority": "urgent"}
    for _ in range(2):
        assert problem(client.post("/api/v1/jobs", headers=auth, json=bad))["status"] == 400
    request = {"kind": "probe", "input": {"text": "twice"}, "options": {}}
    first = client.post("/api/v1/jobs", headers=auth, json=request).get_json()["id"]
    run_all(queue, runner)
    cached = [client.post("/api/v1/jobs", headers=auth, json=request) for _ in range(3)]
    assert all(r.status_code == 202 and r.get_json()["status"] == "done" for r in cached)
    # The cached result is filed under one job, whichever bridge answers.
    assert len({r.get_json()["id"] for r in cached} | {first}) == 2
