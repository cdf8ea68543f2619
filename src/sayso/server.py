"""`sayso serve`: a local page to paste or upload an article, and an HTTP API (OpenAPI at /docs)."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI, File, Form, HTTPException, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from sayso import schema as schema_mod
from sayso.analyzer import Analyzer, Article
from sayso.errors import InputError
from sayso.io import decode, html
from sayso.render import html_page

FORM = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>sayso</title>
<style>body{font:16px sans-serif;max-width:48rem;margin:2rem auto}textarea{width:100%;height:16rem}</style></head>
<body><h1>sayso — who says so?</h1>
<form method="post" action="/analyze" enctype="multipart/form-data">
<p><textarea name="text" placeholder="Paste an article (text or HTML)"></textarea></p>
<p>or upload a file: <input type="file" name="file" accept=".txt,.html,.htm"></p>
<p>published (YYYY-MM-DD, optional): <input name="published" pattern="\\d{4}-\\d{2}-\\d{2}"></p>
<p><button type="submit">Analyse</button></p></form>
<p>API: <a href="/docs">/docs</a> (OpenAPI)</p>{message}</body></html>"""


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="An HTML page; the article is extracted from it.")
    published: str | None = Field(None, description="Publication date YYYY-MM-DD.", pattern=r"^\d{4}-\d{2}-\d{2}$")
    id: str | None = None


def _article(text: str | None, page: str | None, published: str | None, id: str | None = None) -> Article:
    meta: dict[str, Any] = {}
    if page:
        text, meta = html.extract(page)
    elif text and html.looks_like_html(text):
        text, meta = html.extract(text)
    if not text:
        raise InputError("give the article as text or html")
    if published:
        meta["published"] = published
    return Article(text, id=id, meta=meta)


def create_app(analyzer: Analyzer | None = None) -> FastAPI:
    app = FastAPI(title="sayso", version="0.1.0", description="Who claims what, on whose authority, how certain.")
    state: dict[str, Analyzer] = {}

    def get() -> Analyzer:
        if "a" not in state:
            state["a"] = analyzer or Analyzer()
        return state["a"]

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return FORM.replace("{message}", "")

    @app.post("/analyze", response_class=HTMLResponse)
    async def analyze_form(
        text: str = Form(""), published: str = Form(""), file: UploadFile | None = File(None)
    ) -> HTMLResponse:
        try:
            if file is not None and file.filename:
                data = await file.read(decode.MAX_BYTES + 1)
                text = decode.decode(data, file.filename)
            report = get().report(_article(text, None, published or None))
        except InputError as err:
            return HTMLResponse(FORM.replace("{message}", f"<p class=error>error: {escape(str(err))}</p>"), status_code=422)
        return HTMLResponse(html_page.render(report))

    @app.post("/api/analyze")
    def analyze_api(req: AnalyzeRequest) -> dict[str, Any]:
        """The full report (see /api/schema)."""
        try:
            return get().analyze(_article(req.text, req.html, req.published, req.id))
        except InputError as err:
            raise HTTPException(status_code=422, detail=str(err)) from err

    @app.get("/api/schema")
    def report_schema() -> dict[str, Any]:
        return schema_mod.load()

    return app
