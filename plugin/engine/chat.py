"""Chat templates: one user turn rendered as the model's tokenizer expects it.

``Engine.chat_prompt`` and LoRA training (``plugin.tune``, through
``plugin.engine.runtime.render_chat``) both render with :func:`render_chat`, so a tuned
model is trained on exactly the text it later sees. Templates run in Jinja's immutable
sandbox: a model folder is data, not code.
"""

from __future__ import annotations

import functools
from typing import Any


def render_chat(template: str | None, user: str, system: str | None = None) -> str:
    """One user turn in a chat template, ending where the assistant's answer starts.

    ``Engine.chat_prompt`` and LoRA training (``plugin.tune``) both use it, so a tuned
    model is trained on exactly the text it later sees."""
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": user}
    ]
    if not template:
        head = f"{system}\n\n" if system else ""
        return f"{head}{user}\n"
    return str(
        _compiled(template).render(
            messages=messages, add_generation_prompt=True, bos_token="", eos_token=""
        )
    )


@functools.lru_cache(maxsize=8)
def _compiled(template: str) -> Any:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True).from_string(template)


__all__ = ["render_chat"]
