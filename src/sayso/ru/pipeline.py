"""The Russian base pipeline: razdel tokens and sentences, slovnet's parse, pymorphy3's lemmas and
slovnet's entities, as spaCy components named as spaCy's own (``parser``, ``lemmatizer``, ``ner``)."""

from __future__ import annotations

import spacy
from spacy.language import Language

from sayso.ru import lemmatizer, ner, parser  # noqa: F401  (registers the factories)
from sayso.ru.tokenizer import RazdelTokenizer


def build() -> Language:
    nlp = spacy.blank("ru")
    nlp.tokenizer = RazdelTokenizer(nlp.vocab)
    nlp.add_pipe("sayso_ru_parser", name="parser")
    nlp.add_pipe("sayso_ru_lemmatizer", name="lemmatizer")
    nlp.add_pipe("sayso_ru_ner", name="ner")
    return nlp
