"""Across articles: one entity across articles, near-duplicates, stories, claims across articles, hedge drift.

Everything here reads a store written by ``sayso batch --db`` and adds its own tables and columns
(``sayso.store.corpus``); nothing here runs during ``sayso batch --out``.
"""
