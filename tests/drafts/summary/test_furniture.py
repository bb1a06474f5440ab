"""The furniture of bulk mail: which lines a brief of a newsletter must not quote."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import numpy as np
import pytest

from plugin.drafts.summary import furniture
from plugin.drafts.summary.furniture import (
    SHAPE_FEATURES,
    WEIGHTS,
    FurnitureModel,
    is_bulk,
    load_model,
)
from plugin.drafts.summary.rank import rank_many
from plugin.drafts.text.sentences import summary_sentences
from tests.conftest import REPO, python_outside_repo

LABELS = REPO / "tests" / "data" / "furniture_labels.json"
#: A dev newsletter of the fifty-eighth sample: masthead and promos first, the news after.
INVESTOR_DISPATCH = "corpus/mail/spamassassin/hard-ham-1_00048.edce23084d9ebd5cd49924ba4bd2c344.eml"
DIM = 4


class _Embedder:
    """Embeds a line as a unit vector: axis 0 for lines that mention "news", axis 1 else."""

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), DIM))
        for row, text in zip(rows, texts, strict=True):
            row[0 if "news" in text.lower() else 1] = 1.0
        return rows


def _story_model(bar: float = 0.5) -> FurnitureModel:
    # story when the embedding's axis 0 is set, whatever the shape
    coef = np.zeros(DIM + len(SHAPE_FEATURES))
    coef[0], coef[1] = 8.0, -8.0
    return FurnitureModel(coef, 0.0, DIM, bar)


MAILING = (
    "Gadget Weekly Newsletter, issue 12.\n\n"
    "Visit our sponsor for great deals on printers today.\n\n"
    "The big news this week is that Acme cut the price of its tablet by half.\n\n"
    "Analysts expect the news to push rivals to follow before the holidays.\n\n"
    "To change your subscription settings go to our web site.\n"
)


def test_bulk_is_read_from_the_headers_category_and_signals() -> None:
    assert is_bulk({"category": "list", "signals": []})
    assert is_bulk({"category": "person", "signals": ["list_unsubscribe"]})
    assert not is_bulk({"category": "person", "signals": ["reply"]})
    assert not is_bulk({})  # a document without mail headers (a .docx, an AESLC body)


def test_a_bulk_mail_keeps_only_its_content_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(furniture, "load_model", lambda: _story_model())
    sentences = summary_sentences(MAILING)
    engine = _Embedder()
    bulk, person = rank_many([sentences, sentences], engine, bulk=[True, False])
    kept = [r.sentence.text for r in bulk]
    assert kept and all("news" in t.lower() for t in kept)
    assert any("sponsor" in r.sentence.text for r in person)
    assert len(person) == len(sentences)
    # without the flag (every caller but the summarizer) nothing changes
    assert [r.sentence.index for r in rank_many([sentences], engine)[0]] == [
        r.sentence.index for r in person
    ]


def test_a_mail_of_nothing_but_furniture_keeps_its_ranking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(furniture, "load_model", lambda: _story_model())
    sentences = summary_sentences(
        "Gadget Weekly, issue 12.\n\nVisit our sponsor for deals on printers.\n"
    )
    (ranked,) = rank_many([sentences], _Embedder(), bulk=[True])
    assert len(ranked) == len(sentences)


def test_other_embeddings_leave_the_ranking_alone_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    model = _story_model()
    monkeypatch.setattr(
        furniture, "load_model", lambda: FurnitureModel(np.zeros(8 + 7), 0.0, 8, model.bar)
    )
    furniture._warn_other_embeddings.cache_clear()
    sentences = summary_sentences(MAILING)
    with caplog.at_level(logging.WARNING, logger="plugin.drafts.summary.furniture"):
        (ranked,) = rank_many([sentences], _Embedder(), bulk=[True])
    assert len(ranked) == len(sentences)
    assert "8-dimensional" in caplog.text and "retrain" in caplog.text
    furniture._warn_other_embeddings.cache_clear()


def test_weights_that_do_not_fit_their_layout_are_refused() -> None:
    data = load_model().to_json()
    with pytest.raises(ValueError, match="shape features"):
        FurnitureModel.from_json({**data, "shape_features": ["position"]})
    with pytest.raises(ValueError, match="layout"):
        FurnitureModel.from_json({**data, "coef": data["coef"][:-1]})


def test_weights_are_plain_json_and_load_without_shared(tmp_path: Path) -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["shape_features"] == list(SHAPE_FEATURES) and 0 < data["bar"] < 1
    # A fresh interpreter outside the repo, with scikit-learn blocked: numpy only.
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import numpy as np\n"
        "from plugin.drafts.summary.furniture import load_model\n"
        "m = load_model()\n"
        "p = m.story_probability(np.zeros((2, m.coef.shape[0])))\n"
        "assert p.shape == (2,) and ((0 < p) & (p < 1)).all()\n"
        "print(m.embed_dim)\n"
    )
    out = python_outside_repo(code, tmp_path)
    assert out.stdout.split() == ["384"]


def test_the_labels_name_no_mail_the_bulk_briefs_are_judged_on() -> None:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    mails = data["mails"]
    assert len(mails) >= 200 and len({m["group"] for m in mails}) >= 60
    for mail in mails:
        assert mail["group"] and mail["lines"], mail["mail"]
        assert all(re.fullmatch(r"[0-9a-f]{12}", key) for key in mail["lines"])
        assert all(isinstance(v, bool) for v in mail["lines"].values())
        assert set(mail["main"]) <= {k for k, v in mail["lines"].items() if v}
    judged = json.loads((REPO / "tests" / "data" / "brief_judged_59.json").read_text("utf-8"))
    assert not {m["mail"] for m in mails} & {i["mail"] for i in judged["items"]}
    shares = [v for m in mails for v in m["lines"].values()]
    assert 0.3 < sum(shares) / len(shares) < 0.7  # both kinds are well represented


@pytest.fixture(scope="module")
def labelled_lines(shared_dir: Path, real_model_dir: Path):  # -> LabelledLines
    """The labelled lines embedded once by the real engine, as ``real_engine`` loads it."""
    from plugin.config import settings
    from plugin.drafts.summary.furniture_training import read_lines
    from plugin.engine.runtime import get_engine

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESKDRAFT_ENGINE_MODEL", str(real_model_dir))
        settings.cache_clear()
        lines = read_lines(get_engine(), shared_dir)
    settings.cache_clear()
    return lines


@pytest.mark.integration
def test_retraining_reproduces_the_shipped_weights(shared_dir: Path, labelled_lines) -> None:
    from plugin.drafts.summary.furniture_training import same_weights, train

    # every labelled line is found again where the splitter puts it
    assert labelled_lines.missing == 0 and len(labelled_lines.texts) > 4000
    retrained = train(None, shared_dir, labelled_lines)
    assert same_weights(retrained, load_model())
    assert np.abs(retrained.coef).max() > 0.1  # a fitted model, not zeros


@pytest.mark.integration
def test_the_model_drops_more_furniture_than_the_rules_in_grouped_cv(
    shared_dir: Path, labelled_lines
) -> None:
    from plugin.drafts.summary.furniture_training import BAR, C, cross_validate

    figures = cross_validate(None, shared_dir, labelled_lines)
    shipped = figures[f"model_C{C}"][f"bar_{BAR}"]
    # what docs/quality.md reports: most furniture goes, nine story lines in ten stay
    assert shipped["story_kept"] >= 0.9
    assert shipped["furniture_dropped"] >= figures["rules"]["furniture_dropped"] + 0.1
    assert shipped["accuracy"] > figures["shape_only"][f"bar_{BAR}"]["accuracy"]


@pytest.mark.integration
def test_a_newsletters_brief_tells_its_news_not_its_masthead(shared_dir: Path, real_engine) -> None:
    from plugin.drafts.summary.summarize import SummaryDraft
    from plugin.drafts.triage.labels import load_document

    document = load_document(shared_dir, INVESTOR_DISPATCH)
    assert is_bulk(document.metadata)
    (draft,) = SummaryDraft(real_engine).draft([document], {"style": "brief"})
    summary = draft.to_json()["summary"]
    assert "Intel" in summary, summary
    assert "[CNET Investor Dispatch]" not in summary and "Top CIOs" not in summary
    # The ranking alone, without the furniture model, puts the masthead first.
    sentences = summary_sentences(document.full_text())
    (plain,) = rank_many([sentences], real_engine)
    (bulk,) = rank_many([sentences], real_engine, bulk=[True])
    masthead = [r for r in plain if "CNET Investor Dispatch" in r.sentence.text]
    assert masthead and not [r for r in bulk if "CNET Investor Dispatch" in r.sentence.text]
