"""Article text and metadata from an HTML page (trafilatura)."""

from __future__ import annotations

from typing import Any

import trafilatura

from sayso.dates import page_date
from sayso.errors import InputError
from sayso.lexicon.debris import drop_debris


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head


def extract(html: str, url: str | None = None) -> tuple[str, dict[str, Any]]:
    """(main text, meta) of a page; raises InputError when the page holds no article text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=False
    )
    text = getattr(doc, "text", None) if doc is not None else None
    text = drop_debris(text) if text else text  # what trafilatura keeps of the page that is not the article
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", reason="no article text")
    meta = {
        "title": getattr(doc, "title", None),
        "author": getattr(doc, "author", None),
        "outlet": getattr(doc, "sitename", None),
        "url": getattr(doc, "url", None) or url,
        "published": page_date(getattr(doc, "date", None)),  # a page's unparseable date is no date
    }
    return text, meta
