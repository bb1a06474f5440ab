"""``deskdraft keys``: the data key that seals job content at rest (docs/security.md)."""

from __future__ import annotations

import argparse
import base64
import sys
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("keys", help="the data key that encrypts stored jobs and files")
    actions = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="where the key comes from and its id (not the key)")
    show.set_defaults(func=run_show)
    new = actions.add_parser("new", help="print a new random key (for DESKDRAFT_DATA_KEY)")
    new.set_defaults(func=run_new)
    rotate = actions.add_parser(
        "rotate",
        help="make a new key and reseal everything with it (resumable)",
        description="Stores a new key in front of the old one, reseals every stored value "
        "and file, then drops the old key. Killed halfway, run it again: it continues. "
        "Stop the bridge, workers and scheduler first (or restart them afterwards).",
    )
    rotate.add_argument("--limit", type=int, help=argparse.SUPPRESS)  # stop early (tests)
    rotate.set_defaults(func=run_rotate)


def run_show(args: argparse.Namespace) -> int:
    from plugin.config import settings
    from plugin.jobs.keys import key_id, load_keys

    keys = load_keys(settings().data_dir)
    ids = ", ".join(key_id(k) for k in keys.keys)
    print(
        f"data key {key_id(keys.current)} from {keys.describe()}"
        f"{f'; rotation in progress (keys {ids})' if len(keys.keys) > 1 else ''}"
    )
    return 0


def run_new(args: argparse.Namespace) -> int:
    from plugin.jobs.keys import new_key

    print(base64.urlsafe_b64encode(new_key()).decode())
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    from plugin.config import settings
    from plugin.digest import store as digests
    from plugin.jobs.keys import key_id, load_keys, new_key, save_keys
    from plugin.jobs.queue import store_url
    from plugin.jobs.rotation import Budget, Interrupted, reseal_files, reseal_store
    from plugin.jobs.sealing import Sealer
    from plugin.jobs.store import JobStore

    s = settings()
    keys = load_keys(s.data_dir)
    if len(keys.keys) == 1:
        keys = save_keys(keys, (new_key(), *keys.keys))
        print(f"new data key {key_id(keys.current)} stored in {keys.describe()}")
    else:
        print(f"resuming the rotation to key {key_id(keys.current)}")
    sealer = Sealer(keys, enabled=True)
    budget = Budget(args.limit)
    store = JobStore(store_url(s), sealer)
    try:
        reseal_store(store, sealer, budget, lambda line: print(line, file=sys.stderr))
        reseal_files(sorted((s.data_dir / "outputs").rglob("*")), sealer, budget)
        digests.reseal(sealer, budget)
    except Interrupted:
        print(f"stopped after {budget.done} value(s); run `deskdraft keys rotate` again")
        return 1
    finally:
        store.close()
    if keys.source == "env":
        print(
            f"resealed {budget.done} value(s); now set DESKDRAFT_DATA_KEY to the new key "
            "alone (drop the old one)"
        )
        return 0
    save_keys(keys, (keys.current,))
    print(f"resealed {budget.done} value(s) under key {key_id(keys.current)}; old key dropped")
    return 0
