"""sayso_encoder: the accurate tier's shared encoder pass (``sayso.encoder``, int8 ONNX).

Runs the fine-tuned MiniLM once per sentence (``doc.sents``, white space left out) and writes what
its three heads predict into its own ``Doc._`` attributes, all plain JSON values:

- ``sayso_encoder_tags``: one BIO label of source / cue / content a token ("O" on white space and
  on words past the encoder's window of 128 pieces); only with ``spans = true`` in the component's
  config (None otherwise, and attribution keeps the fast tier's tagger);
- ``sayso_encoder_sentences``: one dict a sentence (index = position in ``doc.sents``):
  ``uncertain`` (probability), ``is_uncertain`` (at or above the threshold chosen on train),
  ``uncertain_cues`` (token indices of the words that carry it, when it is), ``checkworthy``
  (probability), ``is_checkworthy`` (at or above its threshold);
- ``sayso_tier``: "accurate" once this component ran ("fast" by default).

The components that read them (attribution, status, claims) do so through ``encoder_combine``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from sayso.docindex import sentence_bounds

TIER = "sayso_tier"
TAGS = "sayso_encoder_tags"
SENTENCES = "sayso_encoder_sentences"


def register() -> None:
    for name, default in ((TIER, "fast"), (TAGS, None), (SENTENCES, None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()


@Language.factory(
    "sayso_encoder",
    assigns=[f"doc._.{TIER}", f"doc._.{TAGS}", f"doc._.{SENTENCES}"],
    requires=["doc.sents"],
    default_config={"model_dir": None, "batch_size": 32, "spans": False},
)
def make_encoder(nlp: Language, name: str, model_dir: str | None, batch_size: int, spans: bool) -> EncoderComponent:
    return EncoderComponent(Path(model_dir) if model_dir else None, batch_size, spans)


class EncoderComponent:
    """Raises ``sayso.encoder.EncoderUnavailable`` (one line) when weights or runtime are missing."""

    def __init__(self, model_dir: Path | None = None, batch_size: int = 32, spans: bool = False) -> None:
        from sayso import encoder

        self.model_dir = model_dir or encoder.MODEL_DIR
        self.batch_size = batch_size
        # Off by default: the shipped encoder's spans trail the fast tier's tagger (held-out fold of
        # train and PolNeAR dev, training/README.md), so attribution keeps the tagger's.
        self.spans = spans
        self.encoder = encoder.load(self.model_dir)

    @property
    def thresholds(self) -> dict[str, float]:
        return self.encoder.thresholds

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """As ``__call__``; the sentences of several docs share the encoder's batches."""
        for batch in minibatch(docs, size=batch_size):
            self.annotate(batch)
            yield from batch

    def annotate(self, docs: list[Doc]) -> None:
        plans = []  # per doc: per sentence, the token indices of its words
        sentences: list[list[str]] = []
        for doc in docs:
            plan = [[i for i in range(s, e) if not doc[i].is_space] for s, e in sentence_bounds(doc)]
            plans.append(plan)
            sentences += [[doc[i].text for i in toks] for toks in plan]
        preds = iter(self.encoder.predict(sentences, self.batch_size))
        threshold, cw_threshold = self.thresholds["uncertain"], self.thresholds["checkworthy"]
        for doc, plan in zip(docs, plans, strict=True):
            tags = ["O"] * len(doc)
            infos: list[dict[str, Any]] = []
            for toks in plan:
                pred = next(preds)
                for i, tag in zip(toks, pred.tags, strict=False):
                    tags[i] = tag
                cues: list[int] = []
                if pred.uncertain >= threshold and pred.cue_scores:
                    top = max(pred.cue_scores)
                    # the words at the top (a cue of several words scores alike), at least one
                    cues = [toks[k] for k, p in enumerate(pred.cue_scores) if p >= min(threshold, top)]
                infos.append({
                    "uncertain": round(pred.uncertain, 4),
                    "is_uncertain": pred.uncertain >= threshold,
                    "uncertain_cues": cues,
                    "checkworthy": round(pred.checkworthy, 4),
                    "is_checkworthy": pred.checkworthy >= cw_threshold,
                })
            doc._.set(TAGS, tags if self.spans else None)
            doc._.set(SENTENCES, infos)
            doc._.set(TIER, "accurate")

    # Serialization: the weights travel with the pipeline, so a saved pipeline loads on its own.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        from sayso.encoder.runtime import FILES

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.copyfile(self.model_dir / name, path / name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EncoderComponent:
        from sayso import encoder

        self.model_dir = Path(path)
        self.encoder = encoder.load(self.model_dir)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # An ONNX Runtime session does not pickle: a worker process loads the weights anew.
        return (EncoderComponent, (self.model_dir, self.batch_size, self.spans))


def tier_of(doc: Doc) -> str:
    """"accurate" when the encoder ran over this doc, else "fast"."""
    return str(doc._.get(TIER)) if Doc.has_extension(TIER) else "fast"


