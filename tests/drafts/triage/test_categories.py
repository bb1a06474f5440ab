"""Mail categories refined by the classifier, asks that are real, and the shipped weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from connectors.document import Document
from connectors.mailcategory import CATEGORIES, SIGNALS
from plugin.drafts.summary.asks import may_ask, reader_asks, real_asks
from plugin.drafts.triage.categories import WEIGHTS, load_model, refine_categories
from plugin.drafts.triage.labels import load_document
from tests.conftest import python_outside_repo


def test_weights_are_plain_json_and_load_without_shared(tmp_path: Path) -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["classes"]) <= set(CATEGORIES) and data["signals"] == list(SIGNALS)
    # A fresh interpreter with ../shared pointed elsewhere and sklearn blocked: numpy only.
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import numpy as np\n"
        "from plugin.drafts.triage.categories import load_model\n"
        "m = load_model()\n"
        "text = m.text.rows(['Your order has shipped', 'Hi Bob, lunch?'])\n"
        "assert m.text_width > 1000 and all(len(i) for i, _ in text)\n"
        "p = m.probabilities(np.zeros((2, m.coef.shape[1] - m.text_width)), text)\n"
        "assert p.shape == (2, len(m.classes)) and abs(p.sum() - 2) < 1e-9\n"
        "print(len(m.classes), m.embed_dim)\n"
    )
    out = python_outside_repo(code, tmp_path)
    assert out.stdout.split() == [str(len(data["classes"])), str(data["embed_dim"])]


def _mail(text: str, signals: list[str], category: str = "person", **kw: object) -> Document:
    return Document(
        id="m",
        kind="email",
        source="t",
        title=str(kw.get("title", "Hello")),
        author="Ann <ann@example.com>",
        text=text,
        metadata={"category": category, "signals": signals},
    )


def test_settled_categories_stay_and_no_engine_keeps_the_header_guess() -> None:
    bounce = _mail(
        "Your message could not be delivered. Please check the address.",
        ["report", "daemon_sender"],
        "notification",
    )
    guess = _mail("Hi Bob, could you send the file?", [], "person")
    assert refine_categories([bounce, guess], engine=None) == ["notification", "person"]


def test_bulk_signals_veto_person_mail_but_promotional_words_do_not() -> None:
    from plugin.drafts.triage.categories import choose

    classes = ("person", "list", "marketing")
    sure_person = np.array([0.9, 0.05, 0.05])
    # Business mail says "sale" and "discount" ("the sale of the plant"): a feature only.
    trader = _mail(
        "Hi Sara, the sale of the plant closes Friday; can you check it?", ["promo_words"]
    )
    assert choose(classes, sure_person, trader)[0] == "person"
    mailing = _mail(
        "Hi Sara, the sale of the plant closes Friday.", ["promo_words", "list_unsubscribe"]
    )
    assert choose(classes, sure_person, mailing)[0] == "list"


def test_wrong_embedding_size_is_a_clear_error(tiny_engine) -> None:
    # The tiny BERT is 32 wide, MiniLM 384: the shipped weights cannot take its vectors.
    assert tiny_engine.embed(["x"]).shape[1] != load_model().embed_dim
    with pytest.raises(ValueError, match="dimensional embeddings"):
        refine_categories([_mail("Hi Bob, could you send the file?", [])], tiny_engine)


def test_automated_list_and_marketing_mail_never_asks() -> None:
    text = "Please check the address and try again. Could you reply by Friday?"
    for category in ("notification", "receipt", "marketing"):
        assert not reader_asks(_mail(text, [], category), addressed=True)
    # a list mail asks only when a person wrote to the reader personally, not in bulk
    assert not reader_asks(_mail(text, ["list_id"], "list"), addressed=False)
    assert not reader_asks(_mail(text, ["list_id", "list_unsubscribe"], "list"), addressed=True)
    assert reader_asks(_mail(text, ["list_id"], "list"), addressed=True)
    assert may_ask("outreach", [], addressed=False)


def test_manners_are_not_asks() -> None:
    assert not real_asks("Let me know if you need anything else. Thanks, Kevin")
    assert not real_asks("Please join me in congratulating Dari and Maria.")
    assert not real_asks("If you are outside the US, please contact your HR representative.")
    [ask] = real_asks("Sara here. Just wondering if I could have a response today on Bear.")
    assert ask.text.startswith("Just wondering")
    # information formulas and sympathy are not asks either
    assert not real_asks("Please be advised that Mr. Palmer is the right person to ask.")
    assert not real_asks("Please take note of the date change.")
    assert not real_asks("Let me know if you wish to discuss this further or have any questions.")
    assert not real_asks("I am sorry you have to endure this.")
    assert not real_asks("Feel free to call us to discuss our service.")


def test_soft_asks_count() -> None:
    for text in (
        "I was hoping that maybe we could chat a few minutes at lunch in Bellville.",
        "Just following up to see if there are any openings you would discuss with him.",
        "I'd love the chance to speak with you over the phone.",
        "I'll be back in NYC Jan. 6 - any hope for dinner on Thurs. eve.?",
    ):
        assert real_asks(text), text


ENRON_ASK = "data/aeslc-dev/bass-e_sent_920.subject"  # "Could you please re-map HPL meter…"
ENRON_NEWS = "data/aeslc-dev/dean-c_inbox_1009.subject"  # company-wide announcement
NEWSLETTER = "corpus/mail/spamassassin/hard-ham-1_00099.83f69964f7132d2c244a3374b94c285e.eml"
SHOPPER = "corpus/mail/spamassassin/hard-ham-1_00044.b2f03a4d512deb2c4702a3bd60a4fd88.eml"
BOUNCE = "corpus/mail/fixtures/flanker/mailbox-full.eml"


@pytest.mark.integration
def test_categories_and_asks_per_family_on_corpus_mail(shared_dir: Path, real_engine) -> None:
    docs = {
        rel: load_document(shared_dir, rel)
        for rel in (ENRON_ASK, ENRON_NEWS, NEWSLETTER, SHOPPER, BOUNCE)
    }
    refine_categories(list(docs.values()), real_engine)
    got = {rel: doc.metadata["category"] for rel, doc in docs.items()}
    assert got == {
        ENRON_ASK: "person",
        ENRON_NEWS: "list",
        NEWSLETTER: "list",
        SHOPPER: "marketing",
        BOUNCE: "notification",
    }
    assert docs[SHOPPER].metadata["category_source"] == "model"
    assert docs[BOUNCE].metadata["category_source"] == "headers"
    asks = reader_asks(docs[ENRON_ASK], addressed=False)
    assert asks and "re-map HPL meter" in asks[0].text
    for rel in (ENRON_NEWS, NEWSLETTER, SHOPPER, BOUNCE):
        assert not reader_asks(docs[rel], addressed=True), rel


@pytest.mark.integration
def test_retraining_reproduces_the_shipped_weights(shared_dir: Path, real_engine) -> None:
    from plugin.drafts.triage.training import same_weights, train

    retrained = train(real_engine, shared_dir)
    shipped = load_model()
    assert same_weights(retrained, shipped)
    assert np.abs(retrained.coef).max() > 0.1  # a fitted model, not zeros
