"""The OpenAPI document the bridge serves: its paths, and the job kinds it names."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_health_and_openapi(client: FlaskClient, auth: dict[str, str]) -> None:
    health = client.get("/api/v1/health")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"
    spec = client.get("/api/v1/openapi.json", headers=auth).get_json()
    assert spec["openapi"].startswith("3.1")
    assert {
        "/jobs",
        "/jobs/{id}",
        "/jobs/{id}/events",
        "/jobs/{id}/files/{name}",
        "/feedback",
        "/health",
        "/openapi.json",
    } <= set(spec["paths"])


def test_openapi_kind_description_names_every_installed_kind(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    served = client.get("/api/v1/openapi.json", headers=auth).get_json()
    kind = served["components"]["schemas"]["JobRequest"]["properties"]["kind"]
    assert {"reply", "digest_sources", "probe"} <= set(kind["enum"])
    described = set(kind["description"].rstrip(".").split(": ", 1)[1].split(", "))
    assert described == set(kind["enum"])


def test_packaged_openapi_names_every_built_in_kind() -> None:
    """The document as packaged (read without a bridge) names each kind deskdraft ships."""
    from importlib.metadata import entry_points

    from plugin.bridge.validation import openapi_spec
    from plugin.drafts.base import draft_kinds

    text = openapi_spec()["components"]["schemas"]["JobRequest"]["properties"]["kind"]
    built_in = {
        entry.name
        for entry in entry_points(group="deskdraft.drafts")
        if entry.value.startswith("plugin.") and not draft_kinds.get(entry.name).scheduled_only
    }
    assert {"reply", "digest_sources"} <= built_in
    named = set(text["description"].replace(",", " ").split())
    expected = built_in | {"ingest"}
    assert expected <= named, expected - named
