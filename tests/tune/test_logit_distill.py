"""Token-level distillation (``--distill-kind logits``) with full decoder-layer training,
on the tiny 4-layer Llama."""

from __future__ import annotations

import copy
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from connectors.errors import UsageError
from plugin.engine import manifest as mf
from tests.tune.conftest import FAST, topic_pairs, tune_in
from tests.tune.logit_helpers import model_and_tokenizer, topic_batch

#: Full weights move far faster than adapters: FAST's adapter learning rate (1e-2) throws
#: the tiny model far from its teacher in a step.
LAYERS = replace(FAST, full_layers=True, learning_rate=1e-4, max_steps=12, eval_every=4)


def test_kl_is_zero_for_a_copy_and_matches_torch_for_a_cut_copy(tiny_parent: Path) -> None:
    import torch

    from plugin.tune.examples import IGNORE
    from plugin.tune.logit_distill import kl_loss, kl_sums
    from plugin.tune.prune import prune_layers

    teacher, tokenizer = model_and_tokenizer(tiny_parent)
    batch = topic_batch(tokenizer)
    with torch.no_grad():
        assert float(kl_loss(copy.deepcopy(teacher), teacher, batch)) == pytest.approx(0, abs=1e-6)
        student = copy.deepcopy(teacher)
        prune_layers(student, None, [], (1,), 256)
        every, count, on_target, targets = kl_sums(student, teacher, batch)
        # The same figures by torch's own KL, row by row over real and target positions.
        real = batch["attention_mask"][:, 1:].bool()
        wanted = torch.log_softmax(teacher(**_inputs(batch)).logits[:, :-1][real], -1)
        got = torch.log_softmax(student(**_inputs(batch)).logits[:, :-1][real], -1)
        per_position = torch.nn.functional.kl_div(
            got, wanted, log_target=True, reduction="none"
        ).sum(-1)
        target = (batch["labels"][:, 1:] != IGNORE)[real]
    assert count == int(real.sum()) and targets == int(target.sum()) > 0
    assert float(every) == pytest.approx(float(per_position.sum()), rel=1e-4)
    assert float(on_target) == pytest.approx(float(per_position[target].sum()), rel=1e-4)
    assert float(every) > 0


def _inputs(batch: dict[str, Any]) -> dict[str, Any]:
    return {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}


def test_only_decoder_layers_and_the_final_norm_train(tiny_parent: Path) -> None:
    from plugin.tune.logit_distill import train_decoder_layers

    model, _ = model_and_tokenizer(tiny_parent)
    train_decoder_layers(model)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    assert trainable and all(".layers." in n or n == "model.norm.weight" for n in trainable)
    assert "model.embed_tokens.weight" in frozen


def test_a_teacher_of_another_vocabulary_is_refused(tiny_parent: Path) -> None:
    from plugin.tune.logit_distill import load_teacher

    class OtherTokenizer:
        def get_vocab(self) -> dict[str, int]:
            return {"hello": 0}

    with pytest.raises(UsageError, match="vocabulary differs") as caught:
        load_teacher(tiny_parent, OtherTokenizer())
    assert caught.value.item == str(tiny_parent)
    with pytest.raises(UsageError, match="cannot load the teacher"):
        load_teacher(tiny_parent / "missing", OtherTokenizer())


def test_a_pruned_model_heals_on_its_teachers_logits(tiny_parent: Path, tmp_path: Path) -> None:
    import torch

    from plugin.tune.logit_distill import kl_loss
    from plugin.tune.prune import prune_layers

    teacher_dir = tiny_parent
    result = tune_in(
        tmp_path / "home",
        teacher_dir,
        pairs=topic_pairs(96),
        prune=(0,),
        name="healed-by-logits",
        distill_from=teacher_dir,
        distill_kind="logits",
        recipe=LAYERS,
    )
    info = result["tuned"]
    assert info["distilled"]["kind"] == "logits"
    assert info["distilled"]["hash"] == mf.model_hash(mf.read(teacher_dir) or {})
    assert "targets" not in info["distilled"]  # the data's own targets stay
    training = info["training"]
    assert training["eval_measure"] == "KL to the teacher"
    assert training["weights"] == "decoder layers"
    assert info["pruned"]["layers_after"] == 3
    teacher, tokenizer = model_and_tokenizer(teacher_dir)
    healed, _ = model_and_tokenizer(Path(result["model"]))
    unhealed = copy.deepcopy(teacher)
    prune_layers(unhealed, None, [], (0,), 256)
    # The embedding was frozen; the kept layers moved.
    assert torch.equal(healed.model.embed_tokens.weight, teacher.model.embed_tokens.weight)
    assert not torch.equal(
        healed.model.layers[0].mlp.up_proj.weight, unhealed.model.layers[0].mlp.up_proj.weight
    )
    # On mail it never trained on, the healed model is closer to its teacher.
    batch = topic_batch(tokenizer, 16, seed=99)
    with torch.no_grad():
        before = float(kl_loss(unhealed, teacher, batch))
        after = float(kl_loss(healed, teacher, batch))
    assert after < 0.5 * before, (before, after)


def test_full_layer_checkpoints_resume_to_the_same_weights(
    tiny_parent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    from plugin.tune import train as training
    from plugin.tune.examples import encode
    from plugin.tune.logit_distill import load_teacher
    from plugin.tune.prune import prune_layers

    _, tokenizer = model_and_tokenizer(tiny_parent)
    teacher = load_teacher(tiny_parent, tokenizer)
    examples, _ = encode(topic_pairs(40), tokenizer, 128)
    recipe = replace(LAYERS, max_steps=6, batch_size=4, eval_every=2, seed=3)
    saved = training._save_checkpoint
    early = tmp_path / "step-2.pt"

    def keep_the_first(folder: Path, state: dict[str, Any]) -> None:
        saved(folder, state)
        if state["step"] == 2:
            shutil.copy(folder / training.CHECKPOINT, early)

    monkeypatch.setattr(training, "_save_checkpoint", keep_the_first)

    def run(folder: Path, resume: bool) -> tuple[Any, Any]:
        student, _ = model_and_tokenizer(tiny_parent)
        prune_layers(student, None, [], (1,), 128)
        return training.train(
            student,
            examples[:32],
            examples[32:],
            recipe,
            folder,
            pad_id=0,
            fingerprint="f",
            resume=resume,
            quiet=True,
            teacher=teacher,
        )

    whole, outcome = run(tmp_path / "a", resume=False)
    assert outcome.steps == 6 and outcome.adapter_dir is None
    assert not (tmp_path / "a" / "adapter").exists()
    (tmp_path / "b").mkdir()
    shutil.copy(early, tmp_path / "b" / training.CHECKPOINT)
    resumed, again = run(tmp_path / "b", resume=True)
    assert again.steps == 6 and again.history == outcome.history
    for (name, a), (_, b) in zip(whole.named_parameters(), resumed.named_parameters(), strict=True):
        assert torch.equal(a, b), name


def test_the_kind_of_distillation_is_checked_where_requests_are_made(
    tuned: dict[str, Any],
) -> None:
    from plugin.commands.model_tune import _teacher, full_layers
    from plugin.tune.pipeline import Request, distill_record

    assert full_layers(None, "logits") and not full_layers(None, "answers")
    assert full_layers("layers", "answers") and not full_layers("adapters", "logits")
    with pytest.raises(UsageError, match="needs --distill-from"):
        _teacher(None, 0.0, "logits")
    tiny = Path(tuned["model"])
    mixed = Request(tiny, [], Counter(), "t", distill_from=tiny, distill_mix=0.25)
    assert distill_record(mixed) is not None  # a human share with the teacher's answers
    with pytest.raises(UsageError, match="answers only"):
        distill_record(replace(mixed, distill_kind="logits"))
    with pytest.raises(UsageError, match="--distill-kind takes"):
        distill_record(replace(mixed, distill_kind="tokens"))


def test_the_command_line_offers_exactly_the_kinds_the_pipeline_knows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plugin.cli import main
    from plugin.tune.logit_distill import KINDS

    with pytest.raises(SystemExit) as refused:
        main(["model", "tune", "--aeslc", ".", "--distill-kind", "tokens"])
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'tokens'" in error
    assert all(repr(kind) in error for kind in KINDS), error


def test_a_kl_evaluation_reads_at_most_64_examples_spread_over_the_split(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plugin.tune import logit_distill, train

    examples: list[Any] = list(range(276))
    chosen = train.kl_eval_examples(examples)
    assert len(chosen) <= train.KL_EVAL_EXAMPLES == 64
    assert chosen[0] == 0 and chosen[-1] >= 270  # from the first senders to the last
    assert train.kl_eval_examples(examples[:40]) == examples[:40]
    seen: list[Any] = []

    def eval_kl(model: Any, teacher: Any, given: list[Any], pad: int, batch: int) -> float:
        seen.extend(given)
        return 0.5

    monkeypatch.setattr(logit_distill, "eval_kl", eval_kl)
    assert train._eval_loss(None, examples, 0, 8, teacher=object()) == 0.5
    assert seen == chosen
