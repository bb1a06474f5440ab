"""Prompt templates kept in ``templates/prompts/`` (shipped in the wheel).

Templates use ``string.Template`` placeholders (``$text``, ``$sentence``) so that braces
in mail text or JSON never clash with the template syntax.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

#: The tasks a model can be tuned for (``deskdraft model tune``), each with one prompt
#: template ``task_<name>.txt`` used both to train and at inference.
TASKS = ("subject", "title", "reply")
#: Source text a task prompt carries. Cut in characters, the same way at training and at
#: inference, so the model never sees a longer mail than it was tuned on.
TASK_TEXT_CHARS = 1500
#: The system prompt of each task (None: none). Titles were measured without one; a reply
#: keeps the system prompt the reply writer has always sent.
_TASK_SYSTEM = {"subject": "system", "title": None, "reply": "reply_system"}

#: ``(user, system) -> prompt``: ``Engine.chat_prompt`` or ``runtime.render_chat`` bound
#: to a checkpoint's chat template.
ChatFormat = Callable[[str, "str | None"], str]


@cache
def _template(name: str) -> Template:
    resource = files("templates").joinpath("prompts", f"{name}.txt")
    return Template(resource.read_text(encoding="utf-8"))


def render(name: str, **values: str) -> str:
    """The prompt ``templates/prompts/<name>.txt`` with ``values`` filled in."""
    return _template(name).substitute(**values).rstrip("\n")


def few_shot(engine: Any, name: str, **values: str) -> str:
    """``render(name, ...)`` for a prompt that starts with fixed instructions and examples.

    That fixed head (the template up to its first placeholder) is declared to the engine
    as a shared prefix, so its keys/values are computed once per process and each prompt
    prefills only its own tail: the examples are most of a subject-line prompt's tokens.
    The cache matches by tokens, so what is generated cannot change.
    """
    add_prefix = getattr(engine, "add_prefix", None)
    head = template_head(name)
    if add_prefix is not None and head:
        add_prefix(head)
    return render(name, **values)


@cache
def template_head(name: str) -> str:
    """The text of template ``name`` before its first placeholder, without trailing
    whitespace (a space before the value would merge with the value's first token)."""
    text = _template(name).template
    start = text.find("$")
    return text[:start].rstrip() if start > 0 else ""


def task_input(text: str) -> str:
    """The source text as a task prompt holds it: whitespace runs folded, cut to size."""
    folded = "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
    return "\n".join(part for part in folded.split("\n") if part)[:TASK_TEXT_CHARS]


def title_input(subject: str, sentence: str) -> str:
    """The ``title`` task's input: the mail's subject line (if any) and the event sentence."""
    head = f"Subject: {subject}\n" if subject else ""
    return f"{head}Message: {sentence}"


def task_prompt(chat: ChatFormat, task: str, text: str) -> str:
    """The prompt of ``task`` for ``text``: the one a tuned model is trained on and the one
    the draft kind sends it (``SummaryDraft`` for ``subject``, ``MeetingsDraft`` titles,
    the reply writer for ``reply``, whose text is the plan's notes: ``writer.plan_notes``)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; one of {TASKS}")
    system = _TASK_SYSTEM[task]
    return chat(render(f"task_{task}", text=task_input(text)), render(system) if system else None)


def tuned_for(engine: Any, task: str) -> bool:
    """Whether the engine's model was tuned for ``task`` (its manifest says so)."""
    manifest = getattr(engine, "manifest", None)
    tuned = manifest.get("tuned") if isinstance(manifest, dict) else None
    return isinstance(tuned, dict) and task in (tuned.get("tasks") or [])


__all__ = [
    "TASKS",
    "few_shot",
    "render",
    "task_prompt",
    "template_head",
    "title_input",
    "tuned_for",
]
