"""Cheap draft kinds for queue tests: no model, but observable.

Importing this module registers them (worker subprocesses load it with
``deskdraft worker --import tests.jobs.kinds``). Each execution appends one line to the
file named by ``$DESKDRAFT_PROBE_LOG``, so tests can count how often each job really ran.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from connectors.document import Document
from connectors.errors import BadInputError, TransientError
from plugin.drafts.base import Draft, DraftKind, draft_kinds
from plugin.jobs.progress import report_progress


def _log(event: str, text: str) -> None:
    path = os.environ.get("DESKDRAFT_PROBE_LOG")
    if path:
        # One short O_APPEND write per line: lines from several processes never interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{event} {os.getpid()} {text}\n".encode())
        finally:
            os.close(fd)


def executions(path: Path, event: str = "done") -> list[str]:
    """The texts of every logged ``event``, one per execution."""
    if not path.exists():
        return []
    return [
        line.split(" ", 2)[2]
        for line in path.read_text().splitlines()
        if line.startswith(event + " ")
    ]


class ProbeDraft(DraftKind):
    """Echoes the text upper-cased. Options: ``sleep_s``, ``fail`` ("bad" | "transient"),
    ``transient_times`` (fail transiently this many times, counted in ``$DESKDRAFT_PROBE_LOG``)."""

    name: ClassVar[str] = "probe"
    needs_model: ClassVar[bool] = False

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        text = " ".join(doc.text for doc in documents)
        _log("start", text)
        if options.get("fail") == "bad":
            raise BadInputError("the probe refuses this input", item="probe")
        if options.get("transient_times"):
            log = Path(os.environ["DESKDRAFT_PROBE_LOG"])
            if len(executions(log, "start")) <= int(options["transient_times"]):
                raise TransientError("the probe's server is busy", item="probe")
        steps = 4
        for step in range(steps):
            time.sleep(float(options.get("sleep_s", 0)) / steps)
            report_progress((step + 1) / steps, f"step {step + 1} of {steps}")
        _log("done", text)
        return [Draft(kind="probe", text=text.upper(), data={"echo": text.upper()}, verified=True)]


class ModelProbeDraft(DraftKind):
    """A kind that needs the model: calls ``engine.generate`` once per document."""

    name: ClassVar[str] = "model_probe"

    def draft(self, documents: Sequence[Document], options: Mapping[str, Any]) -> list[Draft]:
        outputs = self.engine.generate([doc.text for doc in documents])
        return [
            Draft(kind="model_probe", text=out, data={"summary": out}, model=self.engine.model_id)
            for out in outputs
        ]


def register() -> None:
    draft_kinds.register("probe", ProbeDraft)
    draft_kinds.register("model_probe", ModelProbeDraft)


register()
