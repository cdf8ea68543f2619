"""One analysis request as a worker runs it: build the article (text, HTML page or URL), analyse it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sayso import dates
from sayso.analyzer import Article
from sayso.errors import InputError
from sayso.io import inputs
from sayso.io.article import to_article

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
    """The request's article: a URL through the guarded fetcher (as `sayso analyze URL`), text or
    HTML through the one text/HTML → article path (`sayso.io.article`); the request's own id and
    date win over the page's."""
    given = {"published": job.published} if job.published else None
    if job.url:
        art = inputs.read(job.url, allow_private=allow_private)
        art.meta.update(given or {})
    else:
        is_html = True if job.html is not None else None  # pasted text that is a page is extracted too
        art = to_article(job.html if job.html is not None else (job.text or ""), "request", is_html=is_html, meta=given)
    if job.id is not None:
        art.id = job.id
    return art


def run(analyzer: Analyzer, job: Job, allow_private: bool = False) -> tuple[str, Any]:
    """("ok", report), ("input", one-line reason) or ("error", exception type): never raises."""
    try:
        return "ok", analyzer.analyze(article(job, allow_private))
    except InputError as err:
        return "input", str(err).splitlines()[0] if str(err) else "input refused"
    except Exception as err:  # noqa: BLE001  (a bug: named by type only, since its message may quote the article)
        return "error", type(err).__name__
