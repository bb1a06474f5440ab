"""Retrain the calendar decision from the labels: ``python bench/train_meetings.py [SHARED]
[--check]`` (see ``plugin.drafts.calendar.training``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin.drafts.calendar.training import main

if __name__ == "__main__":
    raise SystemExit(main())
