"""plugin.jobs.users: hashed tokens, prefixes, revocation, and the install-token upgrade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.errors import UsageError
from plugin.jobs.store import JobStore
from plugin.jobs.users import hash_token, token_prefix, verify_token
from tests.jobs.old_store import make_old_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    s = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    yield s
    s.close()


def test_tokens_are_stored_only_as_scrypt_hashes(store: JobStore, tmp_path: Path) -> None:
    user, token = store.add_user("ann")
    assert token is not None and token.startswith(f"dd_{user.token_prefix}_")
    assert token_prefix(token) == user.token_prefix and len(user.token_prefix or "") == 8
    assert user.token_hash is not None and user.token_hash.startswith("scrypt$16384$8$1$")
    assert token not in (tmp_path / "jobs.sqlite").read_bytes().decode("latin-1")
    assert verify_token(token, user.token_hash)
    assert not verify_token(token + "x", user.token_hash)
    assert not verify_token(token, "bcrypt$whatever")
    assert hash_token(token) != hash_token(token)  # salted


def test_add_list_token_revoke(store: JobStore) -> None:
    ann, first = store.add_user("ann")
    store.add_user("boss", admin=True)
    with pytest.raises(UsageError, match="exists"):
        store.add_user("ann")
    with pytest.raises(UsageError, match="invalid user name"):
        store.add_user("../etc")
    assert [(u.name, u.admin, u.state) for u in store.users()] == [
        ("ann", False, "active"),
        ("boss", True, "active"),
    ]
    second = store.issue_token("ann")
    now = store.require_user("ann")
    assert second != first and now.token_prefix == token_prefix(second)
    assert not verify_token(first, now.token_hash or "")
    assert store.user_by_prefix(token_prefix(first) or "") is None
    revoked = store.revoke("ann")
    assert revoked.state == "revoked" and revoked.token_hash is None
    assert store.lock(ann.id, "burst of 404s") and not store.lock(ann.id, "again")
    assert store.require_user("ann").locked_reason == "burst of 404s"
    assert store.unlock("ann").locked_at is None


def test_the_install_token_becomes_the_first_admin_and_adopts_old_jobs(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    make_old_store(path)
    store = JobStore(f"sqlite:///{path}")  # the upgrade: owner columns are added
    old = store.get("a" * 32)
    assert old is not None and old.owner is None and old.result == {"echo": "OLD"}

    install = "Zq3" + "x" * 40
    admin = store.ensure_install_admin(install)
    assert (admin.name, admin.admin, admin.install, admin.token_prefix) == (
        "admin",
        True,
        True,
        install[:8],
    )
    assert store.get("a" * 32).owner == admin.id  # type: ignore[union-attr]
    assert store.feedback("a" * 32)[0]["owner"] == admin.id
    assert store.ensure_install_admin(install).id == admin.id  # idempotent

    rotated = "Rt9" + "y" * 40  # `deskdraft token --rotate`
    again = store.ensure_install_admin(rotated)
    assert again.id == admin.id and verify_token(rotated, again.token_hash or "")
    assert len(store.users()) == 1
    new_job = store.create("probe", {}, {}, 10)
    store.ensure_install_admin(rotated)
    assert store.get(new_job.id).owner is None  # type: ignore[union-attr]
    store.close()
