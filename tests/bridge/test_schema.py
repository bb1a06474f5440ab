"""Property-based API testing with schemathesis: the served OpenAPI document against the
bridge running on cheroot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

import tests.jobs.kinds  # the probe kinds are installed in the app under test too
from plugin.bridge.app import served_spec
from plugin.bridge.server import make_server
from plugin.jobs.runner import available_job_kinds

tests.jobs.kinds.register()
SPEC = served_spec(available_job_kinds())
schema = schemathesis.openapi.from_dict(SPEC)


@pytest.fixture
def live_api(app: Flask) -> Iterator[str]:
    server = make_server(app, "127.0.0.1", 0, threads=4)
    server.start_in_thread()
    yield f"http://127.0.0.1:{server.port}/api/v1"
    server.stop()


def test_the_tested_document_is_the_served_one(app: Flask, auth: dict[str, str]) -> None:
    assert app.test_client().get("/api/v1/openapi.json", headers=auth).get_json() == SPEC


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any, live_api: str,
                                                   auth: dict[str, str]) -> None:
    if case.path.endswith("/events"):
        # A queued job's stream stays open for minutes; its contract is tested directly.
        case.path_parameters = {"id": "f" * 32}
    response = case.call(base_url=live_api, headers=auth, timeout=30)
    assert response.status_code < 500, response.text
    # Its follow-up probes (e.g. the same request without credentials) go to the server too.
    case.validate_response(response, headers=auth, transport_kwargs={"base_url": live_api})
