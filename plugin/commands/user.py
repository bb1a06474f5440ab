"""``deskdraft user``: add, list, issue tokens for, revoke and unlock bridge users."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "user",
        help="people who may call the bridge, and their tokens",
        description="Each user has their own bearer token (stored only as a hash) and sees "
        "only their own jobs; admins see everything. The install token (`deskdraft token`) "
        "is the first admin.",
    )
    actions = parser.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a user and print their first token (once)")
    add.add_argument("name")
    add.add_argument("--admin", action="store_true", help="may see and manage every job")
    add.add_argument(
        "--sso",
        metavar="OID",
        help="map this Entra ID object id (or user name) to the user; no bearer token is issued",
    )
    add.set_defaults(func=run_add)
    listing = actions.add_parser("list", help="users, their state and token prefixes")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    token = actions.add_parser("token", help="issue a new token (the old one stops working)")
    token.add_argument("name")
    token.set_defaults(func=run_token)
    revoke = actions.add_parser("revoke", help="revoke a user's token for good")
    revoke.add_argument("name")
    revoke.set_defaults(func=run_revoke)
    unlock = actions.add_parser("unlock", help="unlock a user locked by anomaly detection")
    unlock.add_argument("name")
    unlock.set_defaults(func=run_unlock)


def _store() -> Any:
    from plugin.jobs.queue import open_store

    return open_store()


def run_add(args: argparse.Namespace) -> int:
    store = _store()
    user, token = store.add_user(args.name, admin=args.admin, with_token=not args.sso,
                                 sso_subject=args.sso)  # fmt: skip
    _audit(store, "user.add", user.name)
    role = "admin" if user.admin else "user"
    if token is None:
        print(f"added {role} {user.name} (SSO {args.sso})")
    else:
        print(f"added {role} {user.name}; token (shown once, keep it secret):\n{token}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    users = _store().users()
    rows = [
        {"name": u.name, "admin": u.admin, "state": u.state, "token": u.token_prefix,
         "sso": u.sso_subject, "created": _iso(u.created_at), "locked_reason": u.locked_reason}
        for u in users
    ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'NAME':24} {'ROLE':6} {'STATE':8} {'TOKEN':10} CREATED")
    for row in rows:
        role = "admin" if row["admin"] else "user"
        line = f"{row['name']:24} {role:6} {row['state']:8} {row['token'] or '-':10} "
        line += str(row["created"])
        if row["locked_reason"]:
            line += f"  ({row['locked_reason']})"
        print(line)
    return 0


def run_token(args: argparse.Namespace) -> int:
    store = _store()
    token = store.issue_token(args.name)
    _audit(store, "user.token", args.name)
    print(token)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from plugin.engine import registry
    from plugin.jobs.runner import personal_model_key

    store = _store()
    user = store.revoke(args.name)
    _audit(store, "user.revoke", args.name)
    print(f"revoked {args.name}: their token no longer works")
    # Their models stay on disk, still theirs (no one else may use them), but no longer
    # serve even their own jobs (a schedule running as them gets the install default).
    personal = registry.forget_user(user.name)
    store.meta_set(personal_model_key(user.id), "")
    if personal is not None:
        _audit(store, "model.forget", f"{args.name} {personal.name}")
        print(f"  {personal.name} is no longer {args.name}'s default model")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    store = _store()
    store.unlock(args.name)
    _audit(store, "user.unlock", args.name)
    print(f"unlocked {args.name}")
    return 0


def _audit(store: Any, action: str, name: str) -> None:
    """Administrative actions join the audit trail, as the OS account that ran them."""
    import getpass

    store.audit(user=f"cli:{getpass.getuser()}", action=f"{action} {name}", outcome="ok")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")
