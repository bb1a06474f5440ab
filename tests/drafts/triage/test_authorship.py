"""Features of who writes, and the bar a mail must clear to be person mail."""

from __future__ import annotations

import json

import numpy as np
import pytest

from connectors.document import Document
from plugin.drafts.triage.authorship import AUTHOR_FEATURES, author_vector
from plugin.drafts.triage.categories import (
    PERSON_BAR,
    WEIGHTS,
    CategoryModel,
    choose,
    load_model,
)


def _mail(text: str, signals: list[str] | None = None) -> Document:
    return Document(
        id="m",
        kind="email",
        source="t",
        title="Hello",
        author="",
        text=text,
        metadata={"category": "person", "signals": signals or []},
    )


def _features(text: str) -> dict[str, float]:
    return dict(zip(AUTHOR_FEATURES, author_vector(_mail(text)), strict=True))


def test_a_persons_note_and_a_bulletin_differ_in_who_writes() -> None:
    note = _features(
        "Jim:\nI spoke with Gary this morning. Could you send me the revised schedule "
        "before Friday? I will call you afterwards.\nThanks, Sara"
    )
    bulletin = _features(
        "Enron Net Works and Enron Global Strategic Sourcing recently completed a "
        "company-wide review of the telecommunication operations. As a result of this "
        "analysis, we are pleased to announce that MCI WorldCom will provide long distance "
        "services, calling cards and data services to Enron locations worldwide. " * 4
    )
    assert note["one_greeting"] == 1.0 and bulletin["one_greeting"] == 0.0
    assert note["signed_name"] == 1.0 and bulletin["signed_name"] == 0.0
    assert note["closing_thanks"] == 1.0 and bulletin["closing_thanks"] == 0.0
    assert note["question"] == 1.0 and bulletin["question"] == 0.0
    assert note["short"] == 1.0 and bulletin["short"] == 0.0
    assert note["i_rate"] > 0.5 and bulletin["i_rate"] == 0.0
    assert note["you_rate"] > bulletin["you_rate"]
    assert all(0.0 <= v <= 1.0 for v in (*note.values(), *bulletin.values()))


def test_a_greeting_to_a_group_or_an_unnamed_reader_is_not_to_one_person() -> None:
    for opening in ("Hi all,", "Dear Customer,", "Hello everyone!", "Dear Friends,"):
        assert _features(f"{opening}\nThe office is closed on Monday.")["one_greeting"] == 0.0
    for opening in ("Mike,", "Hi Paul -", "Dear Mr. Casamento,", "Tanya:"):
        assert _features(f"{opening}\nThe office is closed on Monday.")["one_greeting"] == 1.0


def test_person_needs_the_bar_and_no_bulk_signal() -> None:
    classes = ("person", "list", "notification")
    doubtful = np.array([PERSON_BAR - 0.05, 0.3, 0.25])
    assert doubtful.argmax() == 0
    assert choose(classes, doubtful, _mail("x"))[0] == "list"
    sure = np.array([PERSON_BAR + 0.2, 0.2, 0.1])
    assert choose(classes, sure, _mail("x")) == ("person", pytest.approx(PERSON_BAR + 0.2))
    assert choose(classes, sure, _mail("x", ["opt_out"]))[0] == "list"


def test_shipped_weights_name_the_author_features_and_a_mismatch_is_a_clear_error() -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["author_features"] == list(AUTHOR_FEATURES)
    assert data["person_bar"] == PERSON_BAR
    model = load_model()
    assert model.author_features == AUTHOR_FEATURES
    dense = model.embed_dim + len(model.signals) + len(AUTHOR_FEATURES)
    assert model.coef.shape[1] == model.text_width + dense
    stale = dict(data, author_features=["i_rate", "we_rate"])
    with pytest.raises(ValueError, match="retrain the weights"):
        CategoryModel.from_json(stale)
