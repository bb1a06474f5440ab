"""bench/bridge_cpu.py: the real bridge answers its seeded cached results, as a worker
would have filed them, so every counted round trip went through auth, ownership, the
result cache and decryption."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_bridge_cpu_bench_counts_only_verified_round_trips(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKDRAFT_")}
    env.update({"PYTHONPATH": str(REPO), "HOME": str(tmp_path)})
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bridge_cpu.py"), "--seconds", "1",
         "--clients", "2", "--client-processes", "1"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["errors"] == 0 and out["reconnects"] == 0
    assert out["requests"] > 0
    assert 0 < out["bridge_cpu_ms_per_round_trip"] < 1000
