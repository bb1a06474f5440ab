"""Tuned models belong to a user: recorded, served only to their jobs, refused to others."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from plugin.jobs.store import User
from tests.tune.helpers import FAST_FLAGS, add_feedback


@dataclass
class Owned:
    home: Path
    parent: Path
    ann: User
    bob: User
    ann_model: Path  # tuned on ann's feedback alone, owned by her
    install_model: Path  # tuned on everybody's feedback, owned by the install


def _cli(*args: str) -> int:
    from plugin.cli import main

    return main(list(args))


@pytest.fixture(scope="module")
def owned(tiny_parent: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Owned]:
    from plugin.config import settings
    from plugin.jobs.queue import open_queue

    home = tmp_path_factory.mktemp("owned-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DESKDRAFT_HOME", str(home))
        settings.cache_clear()
        store = open_queue().store
        ann, _ = store.add_user("ann")
        bob, _ = store.add_user("bob")
        add_feedback(store, ann.id, 40, seed=1)
        add_feedback(store, bob.id, 30, seed=2)
        parent = ["--parent", str(tiny_parent), *FAST_FLAGS]
        assert _cli("model", "tune", "--from-feedback", "--user", "ann", *parent) == 0
        assert _cli("model", "tune", "--from-feedback", "--name", "everyone", *parent) == 0
        [ann_model] = (home / "models").glob("*-ann-tuned-*")
        yield Owned(home, tiny_parent, ann, bob, ann_model, home / "models" / "everyone")
        settings.cache_clear()


@pytest.fixture
def fresh(owned: Owned, monkeypatch: pytest.MonkeyPatch) -> Owned:
    """The module's home with no default chosen: the tiny parent serves everybody."""
    from plugin.config import settings
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import MODEL_ID_KEY, personal_model_key

    monkeypatch.setenv("DESKDRAFT_HOME", str(owned.home))
    settings.cache_clear()
    (owned.home / "models" / "default.json").unlink(missing_ok=True)
    store = open_queue().store
    for key in (personal_model_key(owned.ann.id), personal_model_key(owned.bob.id)):
        store.meta_set(key, "")
    store.meta_set(MODEL_ID_KEY, "")
    assert _cli("model", "use", str(owned.parent)) == 0
    return owned


def _audit(action: str) -> list[str]:
    from plugin.jobs.queue import open_store

    return [f"{e.source} {e.outcome}" for e in open_store().audit_entries() if e.action == action]


def test_a_tune_records_its_owner_and_learns_only_from_their_feedback(owned: Owned) -> None:
    from plugin.engine import manifest as mf
    from plugin.engine import registry

    mine = mf.read(owned.ann_model) or {}
    assert mine["owner"] == "ann" and registry.owner_of(owned.ann_model) == "ann"
    assert mine["tuned"]["data"]["pairs"] == 40  # none of bob's 30
    assert mine["tuned"]["data"]["origin"] == "feedback of ann"
    assert mine["tuned"]["data"]["feedback_users"] == 1
    everyone = mf.read(owned.install_model) or {}
    assert everyone["owner"] is None and registry.owner_of(owned.install_model) is None
    assert everyone["tuned"]["data"]["pairs"] == 70
    assert everyone["tuned"]["data"]["feedback_users"] == 2


def test_model_info_names_each_models_owner(
    fresh: Owned, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli("model", "use", fresh.ann_model.name, "--user", "ann", "--force") == 0
    capsys.readouterr()
    assert _cli("model", "info", "--json") == 0
    models = {m["name"]: m for m in json.loads(capsys.readouterr().out)["models"]}
    assert models[fresh.ann_model.name]["owner"] == "ann"
    assert models[fresh.ann_model.name]["owned_by"] == "ann"
    assert models[fresh.ann_model.name]["default_for"] == ["ann"]
    assert models["everyone"]["owner"] is None
    assert models["everyone"]["owned_by"] == (
        "the install (admins): tuned on the feedback of 2 user(s)"
    )
    assert _cli("model", "info") == 0
    text = capsys.readouterr().out
    assert "owned by ann" in text and "personal default of: ann" in text


def test_a_users_model_is_refused_to_everyone_else(
    fresh: Owned, capsys: pytest.CaptureFixture[str]
) -> None:
    from plugin.engine import registry

    capsys.readouterr()
    assert _cli("model", "use", fresh.ann_model.name) == 2
    err = capsys.readouterr().err
    assert "owned by ann" in err and len(err.strip().splitlines()) <= 2
    assert registry.current() == fresh.parent.resolve()
    assert _cli("model", "use", fresh.ann_model.name, "--user", "bob") == 2
    assert "owned by ann" in capsys.readouterr().err
    assert _cli("model", "use", fresh.ann_model.name, "--user", "bob", "--force") == 2
    assert registry.current("bob") is None
    assert (
        _audit("model.use")[-2:]
        == [
            f"for:bob refused: owned by ann: {fresh.ann_model.name}@" + _id(fresh.ann_model),
        ]
        * 2
    )
    # An admin may still force it on everybody; the audit trail says so.
    assert _cli("model", "use", fresh.ann_model.name, "--force") == 0
    assert registry.current() == fresh.ann_model
    assert _audit("model.use")[-1].startswith(
        "for:install forced: ann's model is now everybody's default"
    )


def _id(folder: Path) -> str:
    from plugin.engine.registry import model_id

    return model_id(folder)


def test_a_personal_default_serves_only_its_users_jobs(fresh: Owned) -> None:
    from plugin.engine.runtime import Engine
    from plugin.jobs.queue import open_queue
    from plugin.jobs.runner import personal_model_key
    from plugin.jobs.worker import make_runner

    assert _cli("model", "use", fresh.ann_model.name, "--user", "ann", "--force") == 0
    queue = open_queue()
    assert queue.store.meta_get(personal_model_key(fresh.ann.id)) == _id(fresh.ann_model)
    runner = make_runner(queue)
    text = {"text": "Please review the quarterly budget report before Friday.\nAnn"}

    def run(owner: User | None) -> tuple[str, bool]:
        job = queue.submit_job("summarize", text, {"style": "oneline"}, owner=owner and owner.id)
        if not job.cached:
            runner.run(job.id)
        done = queue.status(job.id)
        assert done.status == "done", done.error
        return done.result["model"], done.cached

    ann_id = Engine(fresh.ann_model, threads=1).model_id
    parent_id = Engine(fresh.parent, threads=1).model_id
    assert ann_id != parent_id
    assert run(fresh.ann) == (ann_id, False)
    # Bob asks for exactly the same draft: his job runs on the install model; ann's
    # cached result, made with her model, is never his.
    assert run(fresh.bob) == (parent_id, False)
    assert run(None) == (parent_id, True)  # the system's job: the install model (cached)
    assert run(fresh.ann) == (ann_id, True)  # ann again: her own cached result
    # Rolling ann back sends her jobs to the install model again, and only hers.
    assert _cli("model", "use", "--previous", "--user", "ann") == 0
    assert queue.store.meta_get(personal_model_key(fresh.ann.id)) == ""
    queue._model_ids.clear()  # as a submitter would after MODEL_ID_TTL_S
    assert run(fresh.ann) == (parent_id, True)
    assert runner._loaded.get(str(fresh.ann_model)) is not None  # kept, bounded (LRU)


def test_rollback_is_per_user_and_revoking_a_user_retires_their_default(
    fresh: Owned, capsys: pytest.CaptureFixture[str]
) -> None:
    from plugin.engine import registry

    everyone = str(fresh.install_model)
    assert _cli("model", "use", everyone, "--user", "bob", "--force") == 0
    assert _cli("model", "use", fresh.ann_model.name, "--user", "ann", "--force") == 0
    assert _cli("model", "use", everyone, "--user", "ann", "--force") == 0
    assert registry.current("ann") == fresh.install_model
    assert _cli("model", "use", "--previous", "--user", "ann") == 0
    assert registry.current("ann") == fresh.ann_model
    assert registry.current("bob") == fresh.install_model  # untouched
    assert registry.current() == fresh.parent.resolve()  # untouched
    capsys.readouterr()
    assert _cli("user", "revoke", "ann") == 0
    assert f"{fresh.ann_model.name} is no longer ann's default model" in capsys.readouterr().out
    assert registry.current("ann") is None
    assert registry.personal_defaults() == {"bob": fresh.install_model}
    assert _cli("model", "use", fresh.ann_model.name, "--user", "ann") == 2  # revoked
    rollbacks = _audit("model.rollback")
    assert rollbacks[-1] == f"for:ann ok: {fresh.ann_model.name}@{_id(fresh.ann_model)}"
    tunes = _audit("model.tune")
    assert any(t.startswith("for:ann ok (feedback of ann)") for t in tunes)
    assert any(t.startswith("for:install ok (feedback)") for t in tunes)
