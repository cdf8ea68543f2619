"""Text or HTML to an ``Article``: the one place that decodes, detects HTML and extracts the page.

`sayso analyze`, the batch workers and the server all turn their input into an article here, so
a page reads the same whichever way it comes in.
"""

from __future__ import annotations

from typing import Any

from sayso.analyzer import Article
from sayso.io import decode, html


def to_article(
    content: bytes | str,
    name: str,
    is_html: bool | None = None,
    meta: dict[str, Any] | None = None,
    published: str | None = None,
    id: str | None = None,
    max_bytes: int | None = None,
) -> Article:
    """Decode ``content`` (bytes), extract the article when it is HTML (``is_html`` None: look at
    it), and merge metadata: what the input states (``meta``) wins over what the page says;
    ``published`` fills in a date that neither gives. Raises InputError for unusable input."""
    text = content if isinstance(content, str) else decode.decode(content, name, max_bytes)
    given = dict(meta or {})
    if is_html is None:
        is_html = html.looks_like_html(text)
    if is_html:
        text, page = html.extract(text, url=given.get("url"))
        given = {**page, **{k: v for k, v in given.items() if v}}
    if not given.get("published") and published:
        given["published"] = published
    return Article(text, id=id, meta=given)
