"""Routes over the store (present only with `sayso serve --db`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from sayso.web.api import GUARD_ERRORS, error_responses
from sayso.web.corpus import Corpus
from sayso.web.jobs import parse_date

router = APIRouter(prefix="/api", responses=error_responses(*GUARD_ERRORS, 404, 422))

Page = Query(1, ge=1, le=1_000_000, description="1-based page number")
PerPage = Query(50, ge=1, le=200, description="items a page")


def _corpus(request: Request) -> Corpus:
    corpus: Corpus | None = request.app.state.store
    if corpus is None:
        raise HTTPException(404, "no store: start the server with --db FILE.duckdb")
    return corpus


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as err:
        raise HTTPException(422, f"{name}: {err}") from None


@router.get("/corpus", summary="What the store holds: its views and article count")
def corpus_info(request: Request) -> dict[str, Any]:
    corpus = _corpus(request)
    total = corpus.articles(None, None, None, None, None, 1, 1)["total"]
    return {"views": corpus.views(), "articles": total}


@router.get("/articles", summary="Articles, paged, searched and filtered")
def articles(
    request: Request,
    q: str | None = Query(None, max_length=200, description="words in the title or text"),
    outlet: str | None = Query(None, max_length=200),
    source: str | None = Query(None, max_length=200, description="only articles quoting this source"),
    since: str | None = Query(None, max_length=10, description="published on or after YYYY-MM-DD"),
    until: str | None = Query(None, max_length=10, description="published on or before YYYY-MM-DD"),
    page: int = Page,
    per_page: int = PerPage,
) -> dict[str, Any]:
    return _corpus(request).articles(q, outlet, source, _date(since, "since"), _date(until, "until"), page, per_page)


@router.get(
    "/articles/{article_id}",
    summary="One article's report, rebuilt from the store",
    responses={200: {"description": "The report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}}},
)
def article(request: Request, article_id: str) -> dict[str, Any]:
    report = _corpus(request).report(article_id)
    if report is None:
        raise HTTPException(404, "no such article")
    return report


@router.get("/sources", summary="Sources quoted most, with their roles and counts")
def sources(request: Request, q: str | None = Query(None, max_length=200), page: int = Page, per_page: int = PerPage) -> dict[str, Any]:
    return _corpus(request).sources(q, page, per_page)


@router.get("/sources/{name}", summary="Every attribution to one source, with its article")
def source(request: Request, name: str, page: int = Page, per_page: int = PerPage) -> dict[str, Any]:
    result = _corpus(request).source(name, page, per_page)
    if not result["total"]:
        raise HTTPException(404, "no attribution to that source")
    return result


@router.get("/outlets", summary="Outlets compared: named, anonymous, unsourced and evaluative shares of sentences")
def outlets(request: Request) -> list[dict[str, Any]]:
    return _corpus(request).outlets()


@router.get("/anonymous", summary="Anonymous sourcing by month of publication")
def anonymous(request: Request) -> list[dict[str, Any]]:
    return _corpus(request).anonymous_by_month()


@router.get("/search", summary="Sentences whose text, or what a source said in them, holds q")
def search(request: Request, q: str = Query(..., min_length=1, max_length=200), page: int = Page, per_page: int = PerPage) -> dict[str, Any]:
    return _corpus(request).search(q, page, per_page)


NOT_BUILT = "not built yet: run `sayso stories DB` (stories) or `sayso drift DB` (drift) on the store, then reload"


@router.get("/stories", summary="Stories (articles about one event), largest first, with their articles")
def stories(request: Request, page: int = Page, per_page: int = PerPage) -> dict[str, Any]:
    result = _corpus(request).stories(page, per_page)
    if result is None:
        raise HTTPException(404, NOT_BUILT)
    return result


@router.get("/drift", summary="Claims that harden or soften between articles of a story (every link with all=true)")
def drift(request: Request, all: bool = Query(False), page: int = Page, per_page: int = PerPage) -> dict[str, Any]:
    result = _corpus(request).drift(all, page, per_page)
    if result is None:
        raise HTTPException(404, NOT_BUILT)
    return result
