"""The HTML pages (static files: all rendering happens in the browser, from the API's JSON), /docs and /login."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from sayso.web.security import COOKIE, token_matches

STATIC = resources.files("sayso.web").joinpath("static")
router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(str(STATIC.joinpath(name)), media_type="text/html; charset=utf-8")


@router.api_route("/", methods=["GET", "HEAD"])
def article_page() -> FileResponse:
    return _page("index.html")


@router.api_route("/explorer", methods=["GET", "HEAD"])
def explorer_page() -> FileResponse:
    return _page("explorer.html")


@router.api_route("/docs", methods=["GET", "HEAD"])
def docs_page() -> FileResponse:
    return _page("docs.html")


@router.api_route("/login", methods=["GET", "HEAD"])
def login_page() -> FileResponse:
    return _page("login.html")


@router.post("/login")
def login(request: Request, token: str = Form("", max_length=1024)) -> Response:
    expected = request.app.state.config.token
    if not expected or not token_matches(token, expected):
        return RedirectResponse("/login#failed", status_code=303)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp
