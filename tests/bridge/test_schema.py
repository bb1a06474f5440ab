"""Property-based API testing with schemathesis against the served OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

import tests.jobs.kinds  # the probe kinds are installed in the app under test too
from plugin.bridge.app import served_spec
from plugin.jobs.runner import available_job_kinds

tests.jobs.kinds.register()
SPEC = served_spec(available_job_kinds())
schema = schemathesis.openapi.from_dict(SPEC)


@pytest.fixture
def bridge_app(app: Flask) -> Flask:
    # schemathesis treats a test argument named ``app`` specially; pass it under another name.
    return app


def test_the_tested_document_is_the_served_one(app: Flask, auth: dict[str, str]) -> None:
    assert app.test_client().get("/api/v1/openapi.json", headers=auth).get_json() == SPEC


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any, bridge_app: Flask,
                                                   auth: dict[str, str]) -> None:
    if case.path.endswith("/events"):
        # A queued job's stream stays open for minutes; its contract is tested directly.
        case.path_parameters = {"id": "f" * 32}
    response = case.call(app=bridge_app, headers=auth)
    assert response.status_code < 500, response.text
    # Its own follow-up probes (the same request without credentials) go to the app as well.
    case.validate_response(response, headers=auth, transport_kwargs={"app": bridge_app})
