"""The network under the attribution tagger: a transition-based span tagger (spaCy's ``ner``) whose
token vectors reuse the base model's own ``tok2vec`` output (``doc.tensor``, frozen: no second
embedding network to run) plus cheap features of the parse that reported speech depends on."""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, NORM, TAG
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d, Ints2d

from sayso.quotes import token_states

N_FEATURES = 7


def quote_state(doc: Doc) -> numpy.ndarray:
    """Per token: 0 outside quotation marks, 1 inside, 2 a quote mark (``sayso.quotes``)."""
    return numpy.asarray(token_states(doc), dtype="uint64")


def token_features(doc: Doc) -> numpy.ndarray:
    """Columns: norm, dep, tag, head lemma, head dep, lemma of the head's head, quote state."""
    n = len(doc)
    if n == 0:
        return numpy.zeros((0, N_FEATURES), dtype="uint64")
    arr = doc.to_array([NORM, DEP, TAG, HEAD, LEMMA])
    own = numpy.arange(n)
    heads = own + arr[:, 3].view("int64")
    heads = numpy.clip(heads, 0, n - 1)
    grand = numpy.clip(heads + arr[heads, 3].view("int64"), 0, n - 1)
    return numpy.stack(
        [arr[:, 0], arr[:, 1], arr[:, 2], arr[heads, 4], arr[heads, 1], arr[grand, 4], quote_state(doc)], axis=1
    ).astype("uint64")


def _features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    out: list[Ints2d] = [model.ops.xp.asarray(token_features(doc)) for doc in docs]
    return out, lambda d: []


def _tensor_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    width = model.get_dim("nO")
    out = []
    for doc in docs:
        t = doc.tensor
        if t is None or getattr(t, "shape", ()) != (len(doc), width):
            out.append(model.ops.alloc2f(len(doc), width))
        else:
            out.append(model.ops.xp.asarray(t, dtype="float32"))
    return out, lambda d: []


def _hstack_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    parts, backprops = zip(*(layer(docs, is_train) for layer in model.layers), strict=True)
    widths = [layer.get_dim("nO") for layer in model.layers]
    out = [model.ops.xp.hstack(cols) for cols in zip(*parts, strict=True)]

    def backprop(d_out: list[Floats2d]) -> list:
        start = 0
        for bp, w in zip(backprops, widths, strict=True):
            bp([model.ops.as_contig(d[:, start : start + w]) for d in d_out])
            start += w
        return []

    return out, backprop


def _hstack_init(model: Model, X: list[Doc] | None = None, Y: object = None) -> None:
    for layer in model.layers:
        layer.initialize(X=X)


@registry.architectures("sayso.AttributionTok2Vec.v1")
def attribution_tok2vec(tensor_width: int, embed_width: int, rows: int, width: int, depth: int) -> Model[list[Doc], list[Floats2d]]:
    tensor: Model = Model("doc_tensor", _tensor_forward, dims={"nO": tensor_width})
    embeds: list[Model] = [HashEmbed(embed_width, rows, column=i, seed=17 + i) for i in range(N_FEATURES)]
    feats: Model = chain(Model("parse_features", _features_forward), with_array(concatenate(*embeds)))
    feats.set_dim("nO", embed_width * N_FEATURES)
    both: Model = Model("hstack", _hstack_forward, init=_hstack_init, layers=[tensor, feats], dims={"nO": tensor_width + embed_width * N_FEATURES})
    mix: Model = with_array(Maxout(width, tensor_width + embed_width * N_FEATURES, nP=3, normalize=True))
    model: Model = chain(both, mix)
    if depth:
        model = chain(model, MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth))
    model.set_dim("nO", width)
    return model
