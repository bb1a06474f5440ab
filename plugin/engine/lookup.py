"""Prompt-lookup drafts: guess the next tokens from where the text already said them.

A summary, a subject line or a reply repeats phrases of the mail in front of it. When the
last few tokens written also occur earlier in the prompt (or in the answer so far), the
tokens that followed them there are a good guess for what comes next. The decode loop
feeds such a guess with the token it has just chosen and checks every guessed token in
the same run (``decode.greedy_decode``): each one the model would have chosen anyway is
kept, the first one it would not is replaced by the model's own choice, and the rest are
dropped. No second model is involved; a step with no match is an ordinary step.

When it is used: a run over several positions rounds differently from a one-token run.
In fp32 the logits differ by about 1e-4, and the answer is the plain loop's, so lookup is
on by itself there. A variant that rounds its activations to 8 bits (``accuracy_level``
4, every int8 and int4 recipe) turns that float noise into steps of a few tenths of a
logit: on SmolLM2-135M int8, with one-token steps in between, 1 in 5 free subject lines
and 1 in 40 one-line summaries came out otherwise. ``[engine] prompt_lookup = "on"``
turns it on for such a variant in **wide steps** (``needs_wide_steps``;
``decode.greedy_decode(wide=)``): every run feeds at least two tokens, so every position
goes through the multi-token path and the guesses change no token, alone or batched.
The text is then the wide loop's, not always the default one-token loop's (6 of 60
one-line summaries and 13 of 40 free subject lines differed; as good by ROUGE), and it is
not faster for the product's short lines or batches, so it stays off by default
(docs/model.md, session 43).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: ``[engine] prompt_lookup``: "auto" is on where the plain loop gives the same tokens.
SETTINGS: dict[str, bool | None] = {"auto": None, "on": True, "off": False}
#: Most tokens guessed per step. Longer guesses cost more per run than they save.
DRAFT_TOKENS = 4
#: The n-gram lengths looked up, longest first. A single repeated token ("the", ",") is
#: a weak cue whose wrong guesses each cost a wider run; matching 2-3 tokens paid best
#: over 85 recorded one-line prompts.
LONGEST_MATCH = 3
SHORTEST_MATCH = 2


def draft(
    context: Sequence[int],
    limit: int = DRAFT_TOKENS,
    longest: int = LONGEST_MATCH,
    shortest: int = SHORTEST_MATCH,
) -> list[int]:
    """Up to ``limit`` tokens that followed the latest earlier occurrence of the
    context's last ``n`` tokens, trying ``n`` from ``longest`` down to ``shortest``;
    ``[]`` when none occurs earlier."""
    if limit <= 0:
        return []
    tokens = list(context)
    size = len(tokens)
    for n in range(min(longest, size - 1), shortest - 1, -1):
        key = tokens[size - n :]
        first = key[0]
        # The latest occurrence that still has a token after it (so not the key itself).
        for start in range(size - n - 1, -1, -1):
            if tokens[start] == first and tokens[start : start + n] == key:
                return tokens[start + n : start + n + limit]
    return []


def needs_wide_steps(variant: Mapping[str, Any]) -> bool:
    """Whether a built variant (a manifest ``variants`` entry) needs wide steps for prompt
    lookup to change no token: true where its MatMuls round activations to 8 bits."""
    options = variant.get("options") or {}
    return int(options.get("accuracy_level") or 0) >= 4
