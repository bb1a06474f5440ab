from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from connectors.errors import ConfigError
from plugin.digest.leader import FileLeaderLock, RedisLeaderLock, leader_lock_for

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from plugin.digest.leader import FileLeaderLock
    lock = FileLeaderLock(Path(sys.argv[1]))
    assert lock.try_acquire()
    print("held", flush=True)
    time.sleep(60)
    """
)


def test_file_lock_is_exclusive_across_processes_and_freed_on_death(tmp_path: Path) -> None:
    path = tmp_path / "scheduler.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        standby = FileLeaderLock(path)
        assert standby.try_acquire() is False
        holder.kill()  # the kernel drops the lock with the process
        holder.wait()
        deadline = time.monotonic() + 5
        while not standby.try_acquire():
            assert time.monotonic() < deadline, "standby never got the lock"
            time.sleep(0.05)
        assert standby.still_held()
        standby.release()
        assert not standby.still_held()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout:
            holder.stdout.close()


def test_lock_choice_follows_the_queue_backend(tmp_path: Path) -> None:
    assert isinstance(leader_lock_for("", tmp_path), FileLeaderLock)
    assert isinstance(leader_lock_for("redis://127.0.0.1:1/0", tmp_path), RedisLeaderLock)
    with pytest.raises(ConfigError, match="no scheduler lock"):
        leader_lock_for("amqp://x", tmp_path)
