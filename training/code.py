"""For ``spacy train --code``: registers sayso's components, the attribution network, and a corpus
reader for docs that carry the base model's analysis already (made by training/convert.py), so that
training runs only the new tagger and not the frozen base model again every epoch."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training import Example
from spacy.util import registry

import sayso.components  # noqa: F401
import sayso.components.attribution_model  # noqa: F401


@registry.readers("sayso.PreparsedCorpus.v1")
def preparsed_corpus(path: str, shuffle: bool = False) -> Callable[[Language], Iterator[Example]]:
    def read(nlp: Language) -> Iterator[Example]:
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        tensor = numpy.load(path + ".npy")
        order = list(range(len(docs)))
        if shuffle:
            numpy.random.shuffle(order)
        offsets = numpy.cumsum([0] + [len(d) for d in docs])
        for k in order:
            reference = docs[k]
            predicted = reference.copy()
            predicted.set_ents([], default="missing")
            predicted.tensor = tensor[offsets[k] : offsets[k + 1]]
            yield Example(predicted, reference)

    return read
