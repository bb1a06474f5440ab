"""Measured quality and speed of each variant, and the default they choose.

The default variant is not a name written in the code: it is the fastest variant whose
recorded ROUGE-1 loss against fp32 (``bench/variants.py``: subject lines of held-out
AESLC mail, best of three human references) is at most ``MAX_ROUGE1_LOSS``. fp32 loses
nothing by definition, so it is the fallback when nothing else has been measured.

Figures reach a manifest two ways:

* ``RECORDED``: the figures measured on the bundled SmolLM2 GGUF (keyed by its sha256
  and by each variant's recipe, so a changed recipe or another model never inherits
  them), written by ``build`` into every manifest built from that file;
* ``record(model_dir, figures)``: ``bench/variants.py --record`` measures a built
  directory and stores its own figures (any checkpoint), which re-chooses the default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugin.engine import manifest as mf

#: How far below fp32 (ROUGE-1 points) the default may score.
MAX_ROUGE1_LOSS = 0.5
#: Keys of a variant's ``quality`` entry this module reads.
LOSS, SPEED = "rouge1_loss", "decode_tokens_per_s"

#: sha256 of SmolLM2-135M-Instruct.Q4_1.gguf -> variant -> recipe and figures
#: (docs/model.md: bench/variants.py, 60 mails; bench/model.py, 30 mails, load 0.74).
RECORDED: dict[str, dict[str, dict[str, Any]]] = {
    "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53": {
        "int8": {
            "options": {
                "bits": 8,
                "block_size": 32,
                "accuracy_level": 4,
                "include_lm_head": True,
                "sensitive": [],
                "sensitive_bits": 8,
            },
            "quality": {
                "rouge1": 22.49,
                LOSS: 0.29,
                "exact_agreement": 0.62,
                "mails": 60,
                SPEED: 84.7,
                "measured": "2026-11-28",
            },
        },
        "int4": {
            "options": {
                "bits": 4,
                "block_size": 32,
                "accuracy_level": 4,
                "include_lm_head": True,
                "sensitive": ["down_proj", "lm_head"],
                "sensitive_bits": 8,
            },
            "quality": {
                "rouge1": 13.88,
                LOSS: 8.9,
                "exact_agreement": 0.17,
                "mails": 60,
                SPEED: 105.1,
                "measured": "2026-11-28",
            },
        },
    },
}


def choose_default(variants: dict[str, dict[str, Any]]) -> str:
    """The fastest variant whose recorded ROUGE-1 loss is within ``MAX_ROUGE1_LOSS``.

    Speed is the recorded decode tokens/s when every candidate has one; otherwise the
    smaller variant (a decode step reads every weight once, so size orders speed).
    Variants without a recorded loss are never chosen; fp32 is the fallback.
    """
    eligible = [
        name
        for name, info in variants.items()
        if name != "fp32"
        and isinstance((info.get("quality") or {}).get(LOSS), int | float)
        and info["quality"][LOSS] <= MAX_ROUGE1_LOSS
    ]
    if not eligible:
        return "fp32" if "fp32" in variants or not variants else next(iter(variants))

    speeds = [variants[name]["quality"].get(SPEED) for name in eligible]
    if all(isinstance(v, int | float) and v > 0 for v in speeds):
        return max(eligible, key=lambda name: float(variants[name]["quality"][SPEED]))
    # Speeds measured on different days (or missing) do not compare: size does.
    return min(eligible, key=lambda name: float(variants[name].get("size") or 0))


def recorded_figures(source_hash: str, name: str, options: dict[str, Any]) -> dict | None:
    """The shipped figures for variant ``name`` of the source file, if its recipe matches."""
    entry = RECORDED.get(source_hash, {}).get(name)
    if entry is None or entry["options"] != options:
        return None
    return dict(entry["quality"])


def default_variant(data: dict[str, Any]) -> str:
    """The default a manifest's figures choose (older manifests: their recorded name)."""
    variants = data.get("variants") or {}
    if any("quality" in info for info in variants.values()):
        return choose_default(variants)
    return str(data.get("default_variant") or "fp32")


def record(model_dir: Path, figures: dict[str, dict[str, Any]]) -> str:
    """Store measured ``figures`` (variant -> quality entry) in the manifest and
    re-choose the default. Returns the new default."""
    data = mf.read(model_dir)
    if data is None:
        raise FileNotFoundError(model_dir / mf.MANIFEST)
    for name, quality in figures.items():
        if name in data.get("variants", {}) and name != "fp32":
            data["variants"][name]["quality"] = quality
    data["default_variant"] = choose_default(data["variants"])
    mf.write(model_dir, data)
    return str(data["default_variant"])
