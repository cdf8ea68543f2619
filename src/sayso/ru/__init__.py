"""Russian: a spaCy pipeline over the models natasha 1.6.0 bundles (navec embeddings, slovnet
morphology, syntax and NER; MIT), with razdel's tokens and sentences and pymorphy3's lemmas, so that
sayso's own components run on it as on any spaCy pipeline. natasha itself is not imported: it
imports pymorphy2, which does not import on Python 3.11; only its data files are read."""
