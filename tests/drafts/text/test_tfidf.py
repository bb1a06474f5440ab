"""TF-IDF features in numpy alone, term for term scikit-learn's (the category model and the
calendar decision read them)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from plugin.drafts.text.tfidf import (
    CHAR_NGRAMS,
    MIN_DF,
    WORD_NGRAMS,
    TextFeatures,
    char_terms,
    fit_text_features,
    word_terms,
)

TEXTS = [
    "Your order #1234 has shipped.\nAmazon <no-reply@amazon.com>\nsig_receipt\nThanks for shopping",
    "Re: lunch?\nAnn <ann@example.com>\n\nHi Bob, could you send the file by Friday? Ann",
    "CNET News.com Daily Dispatch\nsig_bulk_mailer sig_many_links\nClick here to unsubscribe",
    "Your order #9876 has shipped!  Thanks for shopping at Gap.\n\n\tOrder total: $40",
    "Hi Bob -- the file is attached. Could you send comments by Friday? Thanks, Ann",
    "Weekly newsletter: click here; unsubscribe at the bottom. Ä ö é x I a",
]


def _dense(features: TextFeatures, texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), features.width))
    for row, (index, values) in zip(out, features.rows(texts), strict=True):
        row[index] = values
    return out


def test_features_equal_scikit_learns_tfidf_vectorizer() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    ours = fit_text_features(TEXTS, {"word": 10**6, "char": 10**6})
    blocks = []
    for analyzer, ngrams in (("word", WORD_NGRAMS), ("char_wb", CHAR_NGRAMS)):
        vectorizer = TfidfVectorizer(
            analyzer=analyzer, ngram_range=ngrams, min_df=MIN_DF, sublinear_tf=True
        )
        blocks.append(vectorizer.fit_transform(TEXTS).toarray())
        block = ours.blocks[len(blocks) - 1]
        assert list(vectorizer.vocabulary_) and block.vocabulary == {
            term: int(i) for term, i in vectorizer.vocabulary_.items()
        }
        assert np.allclose(block.idf, vectorizer.idf_)
    unseen = ["Could you send the order file? Thanks", "zzz"]
    assert np.allclose(_dense(ours, TEXTS), np.hstack(blocks))
    assert np.allclose(
        _dense(ours, unseen)[:, : len(ours.blocks[0].idf)],
        TfidfVectorizer(ngram_range=WORD_NGRAMS, min_df=MIN_DF, sublinear_tf=True)
        .fit(TEXTS)
        .transform(unseen)
        .toarray(),
    )


def test_short_words_count_once_whole() -> None:
    assert char_terms("I ab") == [" i", "i ", " i ", " a", "ab", "b ", " ab", "ab ", " ab "]


def test_vocabulary_keeps_the_most_frequent_terms_seen_twice() -> None:
    features = fit_text_features(TEXTS, {"word": 3, "char": 5})
    words = features.blocks[0].vocabulary
    counts = [Counter(word_terms(t)) for t in TEXTS]
    seen_twice = {term for c in counts for term in c if sum(term in d for d in counts) >= 2}
    total = {term: sum(c[term] for c in counts) for term in seen_twice}
    assert len(words) == 3 and set(words) <= seen_twice
    assert min(total[t] for t in words) >= max(total[t] for t in seen_twice - set(words))
    assert len(features.blocks[1].vocabulary) == 5 and features.width == 8


def test_a_higher_document_frequency_keeps_fewer_terms() -> None:
    counts = [Counter(word_terms(t)) for t in TEXTS]
    for min_df in (2, 3):
        words = fit_text_features(TEXTS, {"word": 10**6}, min_df=min_df).blocks[0].vocabulary
        assert set(words) == {t for c in counts for t in c if sum(t in d for d in counts) >= min_df}
    assert "thanks" in words and "shipped" not in words  # "shipped" is in two texts, not three


def test_json_round_trip_and_bad_blocks() -> None:
    features = fit_text_features(TEXTS, {"word": 50, "char": 80})
    again = TextFeatures.from_json(features.to_json())
    assert np.allclose(_dense(again, TEXTS), _dense(features, TEXTS))
    bad = features.to_json()
    bad[0]["idf"] = bad[0]["idf"][:-1]
    with pytest.raises(ValueError, match="TF-IDF block"):
        TextFeatures.from_json(bad)
