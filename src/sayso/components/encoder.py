"""sayso_encoder: the accurate tier's shared encoder pass (``sayso.encoder``, int8 ONNX).

Runs the fine-tuned MiniLM once per sentence (``doc.sents``, white space left out) and writes what
its three heads predict into its own ``Doc._`` attributes, all plain JSON values:

- ``sayso_encoder_tags``: one BIO label of source / cue / content a token ("O" on white space and
  on words past the encoder's window of 128 pieces);
- ``sayso_encoder_sentences``: one dict a sentence (index = position in ``doc.sents``):
  ``uncertain`` (probability), ``is_uncertain`` (at or above the threshold chosen on train),
  ``uncertain_cues`` (token indices of the words that carry it, when it is), ``checkworthy``
  (probability), ``is_checkworthy`` (at or above its threshold);
- ``sayso_encoder_combine``: how its judgements combine with the fast tier's (chosen on a held-out
  fold of train, ``combine`` in the encoder's ``config.json``): ``uncertain`` ("either": the fast
  tier's hedge model or the encoder; "encoder": the encoder in its place; "fast": the fast tier
  alone; the lexicon's hedge and weasel cues stand in every mode),
  ``checkworthy`` ("encoder", "fast", or "mean": the mean of both probabilities against
  ``checkworthy_threshold``), ``spans`` (the roles — "source", "cue", "content" — whose spans
  attribution takes from the encoder in place of the tagger's; ``true`` in a config: all three)
  and ``cue_check`` (an attribution without a source stays only where the encoder tags
  its cue as a cue);
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
COMBINE = "sayso_encoder_combine"
ROLES = ("source", "cue", "content")
# What a model folder without a ``combine`` section gets: the encoder where it has a judgement.
DEFAULT_COMBINE: dict[str, Any] = {"spans": False, "cue_check": False, "uncertain": "either", "checkworthy": "encoder"}


def roles_of(spans: bool | list[str] | None) -> list[str]:
    """The roles a ``spans`` setting names, in ``ROLES`` order (true: all three; false or none: none)."""
    if spans is None or isinstance(spans, bool):
        return list(ROLES) if spans else []
    return [role for role in ROLES if role in spans]


def register() -> None:
    for name, default in ((TIER, "fast"), (TAGS, None), (SENTENCES, None), (COMBINE, None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()


@Language.factory(
    "sayso_encoder",
    assigns=[f"doc._.{TIER}", f"doc._.{TAGS}", f"doc._.{SENTENCES}", f"doc._.{COMBINE}"],
    requires=["doc.sents"],
    default_config={"model_dir": None, "batch_size": 1, "spans": None},
)
def make_encoder(nlp: Language, name: str, model_dir: str | None, batch_size: int, spans: bool | list[str] | None) -> EncoderComponent:
    return EncoderComponent(Path(model_dir) if model_dir else None, batch_size, spans)


class EncoderComponent:
    """Raises ``sayso.encoder.EncoderUnavailable`` (one line) when weights or runtime are missing."""

    def __init__(self, model_dir: Path | None = None, batch_size: int = 1, spans: bool | list[str] | None = None) -> None:
        from sayso import encoder

        self.model_dir = model_dir or encoder.MODEL_DIR
        self.batch_size = batch_size
        self.configured_spans = spans  # None: as the model folder's ``combine`` says
        self.encoder = encoder.load(self.model_dir)

    @property
    def thresholds(self) -> dict[str, float]:
        return self.encoder.thresholds

    @property
    def combine(self) -> dict[str, Any]:
        """How the judgements combine with the fast tier's (``DEFAULT_COMBINE`` where unsaid)."""
        return {**DEFAULT_COMBINE, **self.encoder.config.get("combine", {})}

    @property
    def spans(self) -> list[str]:
        """The roles whose spans attribution takes from the encoder (the others: the fast tier's
        tagger's)."""
        return roles_of(self.combine["spans"] if self.configured_spans is None else self.configured_spans)

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """As ``__call__``, a few docs at a time (their sentences share batches when the config's
        ``batch_size`` is above 1; see ``Encoder.predict``)."""
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
        combine = {**self.combine, "spans": self.spans}
        # the span tags of a model trained on windows come from a second pass over windows, run only
        # where something reads them (the sentence pass gives the uncertainty and claim heads)
        windowed = bool(self.encoder.window and (combine["spans"] or combine["cue_check"]))
        for doc, plan in zip(docs, plans, strict=True):
            tags = ["O"] * len(doc)
            infos: list[dict[str, Any]] = []
            window_tags = iter(self.encoder.window_tags([[doc[i].text for i in toks] for toks in plan])) if windowed else None
            for toks in plan:
                pred = next(preds)
                word_tags = next(window_tags) if window_tags is not None else pred.tags
                for i, tag in zip(toks, word_tags, strict=False):
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
            doc._.set(TAGS, tags)
            doc._.set(SENTENCES, infos)
            doc._.set(COMBINE, dict(combine))
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
        return (EncoderComponent, (self.model_dir, self.batch_size, self.configured_spans))


def tier_of(doc: Doc) -> str:
    """"accurate" when the encoder ran over this doc, else "fast"."""
    return str(doc._.get(TIER)) if Doc.has_extension(TIER) else "fast"


