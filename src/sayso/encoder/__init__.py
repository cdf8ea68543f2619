"""The accurate tier's encoder: a fine-tuned MiniLM-L6 with three heads, run by ONNX Runtime (int8).

Nothing here imports onnxruntime or tokenizers at import time: ``load`` does, so the fast tier never
pays for them and a missing runtime is reported as ``EncoderUnavailable`` (one line), not an
ImportError. Weights, tokenizer and settings live in ``sayso/models/encoder``.
"""

from __future__ import annotations

from sayso.encoder.runtime import MODEL_DIR, EncoderUnavailable, SentencePrediction, load, missing
from sayso.encoder.tier import resolve

__all__ = ["MODEL_DIR", "EncoderUnavailable", "SentencePrediction", "load", "missing", "resolve"]
