"""Stopping a process the tests started: politely first, then for sure."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen, timeout: float = 20.0) -> int:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL; the exit status."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)
