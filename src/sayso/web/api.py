"""The JSON API: POST /api/analyze (the report itself), GET /api/schema, GET /health."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sayso import schema as schema_mod
from sayso.web.jobs import Job, parse_date
from sayso.web.workers import Busy, TimedOut, WorkerDied


class ErrorBody(BaseModel):
    detail: str = Field(description="One line: why the request was refused.")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    reasons = {
        400: "Bad Host header or unreadable body",
        401: "A token is required",
        403: "Cross-origin request",
        404: "Not found",
        413: "Body over 10 MB",
        422: "Invalid input",
        503: "Every worker busy and the queue full (see Retry-After)",
        504: "The analysis passed the time limit",
    }
    return {c: {"model": ErrorBody, "description": reasons[c]} for c in codes}


GUARD_ERRORS = (400, 401, 403)


def no_surrogates(value: str | None) -> str | None:
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise ValueError("text holds a lone surrogate, which is not a character") from err
    return value


class AnalyzeRequest(BaseModel):
    """Exactly one of text, html and url."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["html"]}, {"required": ["url"]}]})

    text: str | None = Field(None, description="Plain article text (HTML pasted here is extracted too).")
    html: str | None = Field(None, description="An HTML page; the article is extracted from it.")
    url: str | None = Field(None, description="An http(s) URL, fetched by the guarded fetcher.", max_length=2048)
    published: str | None = Field(None, description="Publication date YYYY-MM-DD.", json_schema_extra={"format": "date"})
    id: str | None = Field(None, description="The id the report carries.", max_length=512)

    _text_ok = field_validator("text", "html", "url", "id", "published")(no_surrogates)

    @field_validator("published")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return None if value is None else parse_date(value).isoformat()

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html and url")
        return self


router = APIRouter()


@router.post(
    "/api/analyze",
    summary="Analyse one article",
    response_class=JSONResponse,
    responses={
        200: {"description": "The report (see /api/schema)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
        **error_responses(*GUARD_ERRORS, 413, 422, 503, 504),
    },
)
async def analyze(req: AnalyzeRequest, request: Request) -> JSONResponse:
    """The report of one article; the analysis runs in a worker process."""
    pool = request.app.state.pool
    job = Job(text=req.text, html=req.html, url=req.url, published=req.published, id=req.id)
    try:
        kind, value = await pool.submit(job)
    except Busy:
        raise HTTPException(503, "server busy: every worker is analysing and the queue is full", headers={"Retry-After": str(pool.retry_after())}) from None
    except TimedOut:
        raise HTTPException(504, f"analysis passed the time limit of {pool.time_limit:g} s") from None
    except WorkerDied:
        raise HTTPException(503, "the analysis worker stopped; it is being replaced", headers={"Retry-After": str(pool.retry_after())}) from None
    if kind == "input":
        raise HTTPException(422, value)
    if kind == "error":
        raise HTTPException(500, f"internal error ({value})")
    return JSONResponse(value)


@router.get("/api/schema", summary="The JSON Schema of a report", responses=error_responses(*GUARD_ERRORS))
def report_schema() -> dict[str, Any]:
    return schema_mod.load()


class Health(BaseModel):
    status: str
    workers: int
    ready: int
    in_flight: int
    queue: int
    replaced: int
    store: bool


@router.get("/health", summary="Liveness and the worker pool", responses=error_responses(400))
def health(request: Request) -> Health:
    return Health(status="ok", store=request.app.state.store is not None, **request.app.state.pool.status())


def report_components() -> dict[str, Any]:
    """The shipped JSON Schema as OpenAPI components: Report and Report_<def>."""
    raw = json.dumps(schema_mod.load()).replace('"#/$defs/', '"#/components/schemas/Report_')
    data: dict[str, Any] = json.loads(raw)
    defs = data.pop("$defs", {})
    for key in ("$schema", "$id"):
        data.pop(key, None)
    return {"Report": data, **{f"Report_{k}": v for k, v in defs.items()}}
