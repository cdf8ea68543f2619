"""One analysis request as a worker runs it: build the article (text, HTML page or URL), analyse it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sayso import dates
from sayso.analyzer import Article
from sayso.errors import InputError
from sayso.io import html, inputs

if TYPE_CHECKING:
    from sayso.analyzer import Analyzer


def parse_date(value: str) -> dt.date:
    """The web app's dates go through sayso's one strict parser; raises ValueError with a one-line reason."""
    try:
        return dates.to_date(value, "value")
    except InputError as err:
        raise ValueError(str(err)) from None


@dataclass
class Job:
    """Exactly one of text, html and url is set (the API checks that)."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: str | None = None
    id: str | None = None


def article(job: Job, allow_private: bool = False) -> Article:
    if job.url:
        art = inputs.read(job.url, allow_private=allow_private)  # the guarded fetcher, as `sayso analyze URL`
    else:
        text: str | None = job.text
        meta: dict[str, Any] = {}
        if job.html is not None:
            text, meta = html.extract(job.html)
        elif text is not None and html.looks_like_html(text):
            text, meta = html.extract(text)
        art = Article(text or "", meta=dict(meta))
    if job.id is not None:
        art.id = job.id
    if job.published:
        art.meta["published"] = job.published
    return art


def run(analyzer: Analyzer, job: Job, allow_private: bool = False) -> tuple[str, Any]:
    """("ok", report), ("input", one-line reason) or ("error", exception type): never raises."""
    try:
        return "ok", analyzer.analyze(article(job, allow_private))
    except InputError as err:
        return "input", str(err).splitlines()[0] if str(err) else "input refused"
    except Exception as err:  # noqa: BLE001  (a bug: named by type only, since its message may quote the article)
        return "error", type(err).__name__
