from __future__ import annotations

from typing import Any

import numpy as np

from plugin.drafts.summary.rank import cue_features, rank_many, rank_sentences
from plugin.drafts.text.sentences import split_sentences

MAIL = (
    "Hi Ann,\n\nHope you had a good weekend.\n"
    "Please send the signed gas contract for Malin by Friday.\n"
    "The contract covers 5,000 MMBtu per day.\n"
    "Thanks,\nBob"
)


def test_greetings_and_sign_offs_rank_last_without_an_engine() -> None:
    ranked = rank_sentences(split_sentences(MAIL))
    texts = [r.sentence.text for r in ranked]
    assert texts[0] == "Please send the signed gas contract for Malin by Friday."
    assert set(texts[-3:]) == {"Hi Ann,", "Thanks,", "Bob"}
    assert ranked[0].features["request"] == 1.0 and ranked[0].features["deadline"] == 1.0
    assert all(r.features["centrality"] == 0.0 for r in ranked)


def test_cue_features_flag_tables_and_boilerplate() -> None:
    table, boiler = split_sentences(
        "1,608,683.05 250,000.00 223,259.09\nLet me know if you have any questions."
    )
    assert cue_features(table, 2)["penalty"] > 0.5
    assert cue_features(boiler, 2)["penalty"] > 0.5


def test_centrality_uses_engine_embeddings(tiny_engine: Any) -> None:
    docs = [split_sentences(MAIL), split_sentences("One sentence here. Another one there.")]
    together = rank_many(docs, tiny_engine)
    alone = [rank_sentences(d, tiny_engine) for d in docs]
    for a, b in zip(together, alone, strict=True):
        assert [r.sentence.index for r in a] == [r.sentence.index for r in b]
        assert np.allclose([r.score for r in a], [r.score for r in b], atol=1e-5)
    centrality = [r.features["centrality"] for r in together[0]]
    assert all(-1.0001 <= c <= 1.0001 for c in centrality) and any(c != 0 for c in centrality)
