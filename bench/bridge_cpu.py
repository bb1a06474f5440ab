"""The bridge's CPU per cached submit + poll round trip, in one process, without a model.

    python bench/bridge_cpu.py [--seconds 10] [--clients 16] [--client-processes 2]
                               [--no-tls] [--no-encrypt]

One bridge (the real app, store and cheroot server with TLS, encryption at rest on, a
normal user: ownership checks, anomaly rules and the audit trail on; no rate limit) runs in
this process. Eight summarize results are put in the result cache first, as a worker would
have filed them, so no model or worker is needed. ``bench/https_load.py`` then runs its
closed loop from ``--client-processes`` processes. The bridge's CPU is this process's CPU
time over the window (the load generator runs in its own processes): what one round trip
costs the bridge, which is what decides round trips per second and the latency tail of
``bench/service.py`` on a machine whose cores the bridge and the clients share.

Compare trees as a ratio in the same conditions, back to back (the machine is shared)::

    PYTHONPATH=OTHER_TREE python OTHER_TREE/bench/bridge_cpu.py
    python bench/bridge_cpu.py

The last stdout line is JSON: ``bridge_cpu_ms_per_round_trip`` and the load's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from https_load import LoadPlan, run_load

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

KIND = "summarize"
MODEL_ID = "bench-model"


def fake_result(n: int) -> list[dict[str, Any]]:
    """A summary about the size of a real one (about 2 kB of JSON)."""
    sentence = f"Mail {n}: the quarterly figures are due on Friday and Ann will send them. "
    return [
        {
            "kind": KIND,
            "summary": sentence * 3,
            "style": "brief",
            "points": [{"text": sentence, "span": [i * 80, i * 80 + 79]} for i in range(12)],
            "checked": True,
        }
    ]


def seed(queue: Any, count: int) -> tuple[list[dict[str, Any]], list[Any]]:
    """File ``count`` cached results under the keys the bridge's submit will look up."""
    from plugin.jobs.runner import MODEL_ID_KEY, cache_key

    queue.store.meta_set(MODEL_ID_KEY, MODEL_ID)
    bodies, results = [], []
    for n in range(count):
        body = {"kind": KIND, "input": {"text": f"Hello, mail number {n}. " * 20}, "options": {}}
        key = cache_key(KIND, body["input"], body["options"], MODEL_ID)
        assert key is not None
        queue.store.cache_put(key, fake_result(n))
        bodies.append(body)
        results.append(fake_result(n))
    return bodies, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--no-tls", action="store_true")
    parser.add_argument("--no-encrypt", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="deskdraft-bridge-cpu-") as tmp:
        os.environ.update(
            {
                "DESKDRAFT_HOME": tmp,
                "DESKDRAFT_SECURITY_RATE_LIMIT": "0",
                "DESKDRAFT_SECURITY_ENCRYPT_AT_REST": "false" if args.no_encrypt else "true",
            }
        )
        from plugin.bridge.app import create_app
        from plugin.bridge.server import make_server
        from plugin.bridge.tls import ensure_certs
        from plugin.config import settings
        from plugin.jobs.queue import JobQueue

        s = settings()
        queue = JobQueue(s)
        _, token = queue.store.add_user("bench-user")
        assert token is not None
        bodies, results = seed(queue, 8)
        certs = ensure_certs(s.data_dir)
        tls = {} if args.no_tls else {"cert": str(certs.cert), "key": str(certs.key)}
        server = make_server(create_app(queue, s), "127.0.0.1", 0, **tls)
        server.start_in_thread()
        plan = LoadPlan(server.url, token, str(certs.ca_cert), bodies, results, args.seconds)
        before = os.times()
        out = run_load(plan, args.clients, args.client_processes)
        after = os.times()
        user_s, system_s = after.user - before.user, after.system - before.system
        cpu_s = user_s + system_s
        server.stop()
        queue.close()
    out["bridge_cpu_s"] = round(cpu_s, 2)
    out["bridge_user_s"], out["bridge_system_s"] = round(user_s, 2), round(system_s, 2)
    out["load_average"] = round(os.getloadavg()[0], 1)
    if out["requests"]:
        out["bridge_cpu_ms_per_round_trip"] = round(cpu_s * 1000 / out["requests"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
