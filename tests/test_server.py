"""`sayso serve`: the JSON API returns schema-valid reports, the form page escapes, bad input is a 422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sayso import schema
from sayso.server import create_app

TEXT = "The governor said on Monday that the dam was safe. Engineers <b>disagreed</b>, according to local media."


@pytest.fixture(scope="module")
def client(analyzer):
    return TestClient(create_app(analyzer))


def test_api_report_is_valid(client):
    resp = client.post("/api/analyze", json={"text": TEXT, "published": "2024-05-02", "id": "dam"})
    assert resp.status_code == 200
    report = resp.json()
    schema.validate(report)
    assert report["id"] == "dam" and report["meta"]["published"] == "2024-05-02"


def test_api_html_input(client):
    page = f"<html><head><title>Dam</title></head><body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>"
    resp = client.post("/api/analyze", json={"html": page})
    assert resp.status_code == 200
    assert "dam was safe" in resp.json()["text"]


def test_api_bad_input(client):
    assert client.post("/api/analyze", json={"text": "   "}).status_code == 422
    assert client.post("/api/analyze", json={"text": TEXT, "published": "yesterday"}).status_code == 422


def test_openapi_lists_analyze(client):
    assert "/api/analyze" in client.get("/openapi.json").json()["paths"]


def test_form_page_escapes(client, page_text):
    assert "<form" in client.get("/").text
    resp = client.post("/analyze", data={"text": "Officials said <script>alert(1)</script> the bridge was closed on Friday."})
    assert resp.status_code == 200
    assert "<script" not in resp.text
    assert "<script>alert(1)</script>" in page_text(resp.text)


def test_form_upload(client):
    resp = client.post("/analyze", files={"file": ("a.txt", TEXT.encode(), "text/plain")}, data={"text": ""})
    assert resp.status_code == 200 and "dam was safe" in resp.text
