"""The FastAPI application: the guard, the worker pool, the API, the store's routes and the pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from sayso.web import api, corpus_api, pages
from sayso.web.config import ServeConfig
from sayso.web.corpus import Corpus, StoreBusy
from sayso.web.security import Guard
from sayso.web.workers import InlineRunner, WorkerPool

log = logging.getLogger("sayso.web")


def _one_line(err: RequestValidationError) -> str:
    """The first problem, without the input (which may be megabytes of article)."""
    first = err.errors()[0] if err.errors() else {}
    loc = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    msg = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
    if first.get("type") == "json_invalid":
        return "the body is not valid JSON"
    return f"{loc}: {msg}" if loc else msg


def create_app(config: ServeConfig | None = None, analyzer: Any = None) -> FastAPI:
    """``analyzer`` given: analyses run in a thread on it (tests); otherwise in a pool of processes."""
    config = config or ServeConfig()
    store = Corpus(config.db) if config.db else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.pool.start()
        try:
            yield
        finally:
            await app.state.pool.close()
            if store is not None:
                store.close()

    app = FastAPI(
        title="sayso",
        version="0.1.0",
        description="Who claims what, on whose authority, through which channel, how certain.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.store = store
    if analyzer is not None:
        app.state.pool = InlineRunner(analyzer, config.queue, config.time_limit, config.allow_private)
    else:
        app.state.pool = WorkerPool(config.workers, config.queue, config.time_limit, config.allow_private, config.tier)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _one_line(err)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
        detail = str(err.detail).splitlines()[0] if err.detail else "error"
        return JSONResponse({"detail": detail}, status_code=err.status_code, headers=err.headers)

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, err: StoreBusy) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=503, headers={"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def crash(request: Request, err: Exception) -> JSONResponse:
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(err).__name__)
        return JSONResponse({"detail": f"internal error ({type(err).__name__})"}, status_code=500)

    app.include_router(api.router)
    app.include_router(corpus_api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            doc.setdefault("components", {}).setdefault("schemas", {}).update(api.report_components())
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(Guard, config=config)
    return app
