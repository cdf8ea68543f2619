"""Sentence embeddings for meaning across articles: all-MiniLM-L6-v2 as published (int8 ONNX).

The corpus layer embeds claim sentences (claims across articles) and, through them, article leads
(stories). Each sentence runs alone: dynamic int8 quantization scales activations per batch, so a
shared batch would make a sentence's vector depend on its batch mates (cosine 0.97 measured),
and an update would then disagree with a rebuild; alone it is as fast (no padding). Vectors are
kept in the store (``sayso.store.embeddings``), so no sentence is embedded twice.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "paraphrase"
MODEL_FILE = "paraphrase.int8.onnx"
DIMENSIONS = 384


class Paraphraser:
    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(int(config["max_pieces"]))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_dir / MODEL_FILE), opts, providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """One L2-normalised float32 row per text (a text with no word gets a zero row)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for k, text in enumerate(texts):
            ids = self.tokenizer.encode(text).ids
            if len(ids) > 2:  # more than [CLS] [SEP]
                x = np.array([ids], dtype=np.int64)
                out[k] = self.session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})[0][0]
            if progress is not None:
                progress(k + 1)
        return out


def available() -> bool:
    return (MODEL_DIR / MODEL_FILE).is_file() and all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


@lru_cache(maxsize=1)
def default() -> Paraphraser | None:
    """The shipped model, loaded once a process; None where it or its runtime is missing."""
    return Paraphraser() if available() else None


def shipped() -> Paraphraser:
    """The shipped model (``default``), where ``available`` says it is installed."""
    model = default()
    if model is None:
        raise RuntimeError("the paraphrase model or ONNX Runtime is not installed")
    return model
