"""Prompt-lookup drafts: guess the next tokens from where the text already said them.

A summary, a subject line or a reply repeats phrases of the mail in front of it. When the
last few tokens written also occur earlier in the prompt (or in the answer so far), the
tokens that followed them there are a good guess for what comes next. The decode loop
feeds such a guess with the token it has just chosen and checks every guessed token in
the same run (``decode.greedy_decode``): each one the model would have chosen anyway is
kept, the first one it would not is replaced by the model's own choice, and the rest are
dropped. No second model is involved; a step with no match is an ordinary step.

When it is used (``exact_for``): a run over several positions rounds differently from a
one-token run. In fp32 the logits differ by about 1e-4, and the answer is the plain
loop's. A variant that rounds its activations to 8 bits (``accuracy_level`` 4, every
int8 and int4 recipe) turns that float noise into steps of a few tenths of a logit, and
the cache of kept guesses carries it on: on SmolLM2-135M int8, 1 in 5 free subject lines
and 1 in 40 one-line summaries came out otherwise (as good by ROUGE, but not the same
text as batched or plain decoding). So it is on by itself only where it is exact;
``[engine] prompt_lookup = "on"`` asks for it anyway (docs/model.md, "Prompt-lookup
decoding").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: ``[engine] prompt_lookup``: "auto" leaves it to ``exact_for``.
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


def exact_for(variant: Mapping[str, Any]) -> bool:
    """Whether prompt lookup gives exactly the plain loop's tokens on a built variant (a
    manifest ``variants`` entry): true unless its MatMuls round activations to 8 bits."""
    options = variant.get("options") or {}
    return int(options.get("accuracy_level") or 0) < 4
