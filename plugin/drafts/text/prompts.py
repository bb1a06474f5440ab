"""Prompt templates kept in ``templates/prompts/`` (shipped in the wheel).

Templates use ``string.Template`` placeholders (``$text``, ``$sentence``) so that braces
in mail text or JSON never clash with the template syntax.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from string import Template


@cache
def _template(name: str) -> Template:
    resource = files("templates").joinpath("prompts", f"{name}.txt")
    return Template(resource.read_text(encoding="utf-8"))


def render(name: str, **values: str) -> str:
    """The prompt ``templates/prompts/<name>.txt`` with ``values`` filled in."""
    return _template(name).substitute(**values).rstrip("\n")


__all__ = ["render"]
