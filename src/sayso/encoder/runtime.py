"""Loads the int8 ONNX encoder and its tokenizer, and runs sentences through it batched by length."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sayso.encoder import heads

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "encoder"
MODEL_FILE = "encoder.int8.onnx"
FILES = (MODEL_FILE, "tokenizer.json", "config.json")


class EncoderUnavailable(RuntimeError):
    """The accurate tier cannot run here: weights or runtime missing (the message is one line)."""


@dataclass
class SentencePrediction:
    tags: list[str]  # one BIO label of source / cue / content a word
    uncertain: float  # probability that the sentence is uncertain
    cue_scores: list[float]  # per word, how strongly it makes the sentence uncertain (0..1)
    checkworthy: float  # probability that the sentence is check-worthy
    truncated: bool = False  # words past the encoder's window got no prediction
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, first word, end word)


class Encoder:
    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.config: dict[str, Any] = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.labels: list[str] = self.config["labels"]
        self.max_pieces: int = self.config["max_pieces"]
        self.thresholds: dict[str, float] = self.config["thresholds"]
        # span tags read over windows of neighbouring sentences of at most this many pieces (0: a
        # sentence at a time, in the sentence pass)
        self.window: int = int(self.config.get("window", 0))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_dir / MODEL_FILE), opts, providers=["CPUExecutionProvider"])

    def encode(self, words: Sequence[str]) -> tuple[list[int], list[int | None], bool]:
        """Piece ids ([CLS] ... [SEP], at most ``max_pieces``), the word of each piece, and whether
        the sentence was cut."""
        enc = self.tokenizer.encode(list(words), is_pretokenized=True)
        ids, word_ids = list(enc.ids), list(enc.word_ids)
        cut = len(ids) > self.max_pieces
        if cut:
            ids = ids[: self.max_pieces - 1] + [ids[-1]]
            word_ids = word_ids[: self.max_pieces - 1] + [None]
        return ids, word_ids, cut

    def raw(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The network's outputs for one padded batch: tag logits [B,T,7], uncertainty piece logits
        [B,T], check-worthiness logits [B]."""
        n = max(len(x) for x in ids)
        batch = np.zeros((len(ids), n), dtype=np.int64)
        mask = np.zeros((len(ids), n), dtype=np.int64)
        for row, x in enumerate(ids):
            batch[row, : len(x)] = x
            mask[row, : len(x)] = 1
        tags, unc, cw = self.session.run(None, {"input_ids": batch, "attention_mask": mask})
        return tags, unc, cw

    def predict(self, sentences: Sequence[Sequence[str]], batch_size: int = 1) -> list[SentencePrediction]:
        """Predictions for sentences given as words; with ``batch_size`` > 1 sentences of similar
        length share a batch. One a batch by default: int8 activations are scaled per batch (dynamic
        quantization), so in a shared batch a sentence's scores move with its batch mates (by up to
        0.2 measured), and a report would depend on what else was analysed with it. Alone it runs
        as fast on CPU (no padding)."""
        encoded = [self.encode(words) for words in sentences]
        out: list[SentencePrediction | None] = [None] * len(sentences)
        order = sorted((i for i in range(len(sentences)) if sentences[i]), key=lambda i: len(encoded[i][0]))
        for k in range(0, len(order), batch_size):
            idx = order[k : k + batch_size]
            tags, unc, cw = self.raw([encoded[i][0] for i in idx])
            for row, i in enumerate(idx):
                ids, word_ids, cut = encoded[i]
                n_words = len(sentences[i])
                inner = unc[row, 1 : len(ids) - 1]
                word_tags = heads.word_tags(tags[row], heads.first_pieces(word_ids, n_words), self.labels)
                out[i] = SentencePrediction(
                    tags=word_tags,
                    uncertain=float(heads.sigmoid(inner.max() if inner.size else -1e4)),
                    cue_scores=heads.word_scores(unc[row, : len(ids)], word_ids, n_words),
                    checkworthy=float(heads.sigmoid(cw[row])),
                    truncated=cut,
                    spans=heads.chunks(word_tags),
                )
        empty = SentencePrediction([], 0.0, [], 0.0)
        return [p if p is not None else empty for p in out]

    def window_tags(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """One BIO label a word of one document's sentences, read over windows of neighbouring
        sentences (``heads.windows``, as in training), each window run alone (so a report depends on
        its own text only). A span may run on into the next sentence."""
        pieces = [self.tokenizer.encode(list(words), is_pretokenized=True, add_special_tokens=False) for words in sentences]
        cls, sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise EncoderUnavailable("the encoder's tokenizer has no [CLS] or [SEP] piece")
        out = [["O"] * len(words) for words in sentences]
        for group in heads.windows([len(p.ids) for p in pieces], self.window):
            parts = [(pieces[k].ids, pieces[k].word_ids, len(sentences[k])) for k in group]
            ids, word_ids, starts = heads.window_input(parts, cls, sep, self.window)
            n_words = sum(part[2] for part in parts)
            if not n_words:
                continue
            tags, _, _ = self.raw([ids])
            words = heads.word_tags(tags[0], heads.first_pieces(word_ids, n_words), self.labels)
            for k, start in zip(group, starts, strict=True):
                out[k] = words[start : start + len(sentences[k])]
        return out


def missing(model_dir=MODEL_DIR) -> str | None:
    """Why the accurate tier cannot run (one line), or None."""
    gone = [name for name in FILES if not (model_dir / name).is_file()]
    if gone:
        return f"the accurate tier's weights are missing ({', '.join(gone)} not in {model_dir})"
    for package in ("onnxruntime", "tokenizers"):
        if importlib.util.find_spec(package) is None:
            return f"the accurate tier needs the Python package {package!r}, which is not installed"
    return None


_loaded: dict[Path, Encoder] = {}


def load(model_dir: Path = MODEL_DIR) -> Encoder:
    """The encoder (one per process and folder); ``EncoderUnavailable`` when it cannot run here."""
    reason = missing(model_dir)
    if reason:
        raise EncoderUnavailable(reason)
    if model_dir not in _loaded:
        _loaded[model_dir] = Encoder(model_dir)
    return _loaded[model_dir]
