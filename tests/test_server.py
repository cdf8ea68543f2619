"""`sayso serve` API: every status code it answers, one line each, never a 500; the guard on every response."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sayso import schema
from sayso.web import ServeConfig, create_app
from sayso.web.config import MAX_BODY

TEXT = "The governor said on Monday that the dam was safe. Engineers <b>disagreed</b>, according to local media."
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def client(analyzer):
    with TestClient(create_app(ServeConfig(), analyzer=analyzer), base_url=BASE) as c:
        yield c


def one_line(resp) -> str:
    detail = resp.json()["detail"]
    assert isinstance(detail, str) and detail and "\n" not in detail
    return detail


def test_api_report_is_valid(client):
    resp = client.post("/api/analyze", json={"text": TEXT, "published": "2024-05-02", "id": "dam"})
    assert resp.status_code == 200
    report = resp.json()
    schema.validate(report)
    assert report["id"] == "dam" and report["meta"]["published"] == "2024-05-02"
    assert report["attributions"], "the governor's statement is an attribution"


def test_api_html_input(client):
    page = f"<html><head><title>Dam</title></head><body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>"
    resp = client.post("/api/analyze", json={"html": page})
    assert resp.status_code == 200
    assert "dam was safe" in resp.json()["text"] and "<p>" not in resp.json()["text"]


@pytest.mark.parametrize(
    "body, words",
    [
        ({"text": "   "}, "empty"),
        ({"text": TEXT, "published": "yesterday"}, "must be a date"),
        ({"text": TEXT, "published": "9999-99-99"}, "must be a date"),
        ({"text": TEXT, "published": "2024-02-30"}, "must be a date"),
        ({"text": 5}, "text"),
        ({"text": ["a"]}, "text"),
        ({"text": TEXT, "published": 20240101}, "published"),
        ({"text": TEXT, "html": "<p>x</p>"}, "exactly one"),
        ({}, "exactly one"),
        ({"text": TEXT, "colour": "red"}, "colour"),
        ({"url": "file:///etc/passwd"}, "http"),
        ({"url": "http://127.0.0.1:9/article"}, "non-public address"),
    ],
)
def test_api_bad_input_is_422_with_one_line(client, body, words):
    resp = client.post("/api/analyze", json=body)
    assert resp.status_code == 422
    assert words in one_line(resp)


def test_lone_surrogate_and_broken_json_are_4xx(client):
    resp = client.post("/api/analyze", content=b'{"text": "abc \\ud800 def"}', headers={"content-type": "application/json"})
    assert resp.status_code == 422 and "surrogate" in one_line(resp)
    resp = client.post("/api/analyze", content=b'{"text": ', headers={"content-type": "application/json"})
    assert resp.status_code == 422 and "JSON" in one_line(resp)
    resp = client.post("/api/analyze", content=b"\xff\xfe{", headers={"content-type": "application/json"})
    assert resp.status_code == 400 and one_line(resp)


def test_422_does_not_echo_the_input(client):
    marker = "ZQXJ-marker "
    resp = client.post("/api/analyze", json={"text": marker * 1000, "published": "not-a-date"})
    assert resp.status_code == 422 and marker not in resp.text


def test_body_over_the_limit_is_413(client):
    resp = client.post("/api/analyze", content=b"x" * (MAX_BODY + 1), headers={"content-type": "application/json"})
    assert resp.status_code == 413 and "too large" in one_line(resp)
    assert b"xxxx" not in resp.content

    def chunks():  # no Content-Length: refused once the bytes read pass the limit
        for _ in range(11):
            yield b"y" * (1024 * 1024)

    resp = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert resp.status_code == 413


def test_security_headers_on_every_response(client):
    for resp in (client.get("/"), client.get("/static/app.js"), client.get("/no/such/page"), client.post("/api/analyze", json={})):
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["referrer-policy"] == "no-referrer"


def test_foreign_host_is_400(client):
    resp = client.get("/", headers={"host": "evil.example:8000"})
    assert resp.status_code == 400 and "Host" in one_line(resp)
    assert client.get("/health", headers={"host": "127.0.0.1:9999"}).status_code == 400
    assert client.get("/health", headers={"host": "localhost:8000"}).status_code == 200


def test_foreign_origin_post_is_403(client):
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999"):
        resp = client.post("/api/analyze", json={"text": TEXT}, headers={"origin": origin})
        assert resp.status_code == 403, origin
    resp = client.post("/login", data={"token": "x"}, headers={"sec-fetch-site": "cross-site"})
    assert resp.status_code == 403
    assert client.post("/api/analyze", json={"text": TEXT}, headers={"origin": BASE}).status_code == 200


def test_pages_and_docs_are_local(client):
    for path in ("/", "/explorer", "/docs"):
        resp = client.get(path)
        assert resp.status_code == 200 and "<script" in resp.text
        for ref in re.findall(r'(?:src|href)="([^"]*)"', resp.text):
            assert ref.startswith(("/", "#")), f"no CDN: every asset from this server ({ref})"
        assert "<script>" not in resp.text, "no inline script"
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert "Apache License" in client.get("/static/swagger/LICENSE").text
    assert "/api/analyze" in client.get("/openapi.json").json()["paths"]


def test_schema_and_health(client):
    assert client.get("/api/schema").json()["title"]
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["workers"] >= 1 and health["store"] is False


def test_store_routes_without_a_store_are_404(client):
    resp = client.get("/api/articles")
    assert resp.status_code == 404 and "--db" in one_line(resp)


def test_full_queue_is_503_with_retry_after(analyzer):
    app = create_app(ServeConfig(queue=0), analyzer=analyzer)
    with TestClient(app, base_url=BASE) as c:
        app.state.pool._pending = 1  # one analysis running, none may wait
        resp = c.post("/api/analyze", json={"text": TEXT})
        assert resp.status_code == 503 and int(resp.headers["retry-after"]) >= 1


def test_time_limit_is_504(analyzer):
    with TestClient(create_app(ServeConfig(time_limit=0.01), analyzer=analyzer), base_url=BASE) as c:
        resp = c.post("/api/analyze", json={"text": TEXT * 50})
        assert resp.status_code == 504 and "time limit" in one_line(resp)


@pytest.fixture(scope="module")
def guarded(analyzer):
    with TestClient(create_app(ServeConfig(token="s3cret-token"), analyzer=analyzer), base_url=BASE) as c:
        yield c


class TestToken:
    def test_api_needs_the_bearer_token(self, guarded):
        resp = guarded.post("/api/analyze", json={"text": TEXT})
        assert resp.status_code == 401 and resp.headers["www-authenticate"] == "Bearer"
        assert guarded.get("/api/schema", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert guarded.get("/api/schema", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
        assert guarded.get("/api/schema?token=s3cret-token").status_code == 401, "never a token in a URL"
        assert guarded.get("/health").status_code == 200

    def test_page_asks_for_the_token_and_sets_a_cookie(self, guarded):
        resp = guarded.get("/", follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"] == "/login"
        assert guarded.post("/login", data={"token": "wrong"}, follow_redirects=False).headers["location"] == "/login#failed"
        resp = guarded.post("/login", data={"token": "s3cret-token"}, follow_redirects=False)
        cookie = resp.headers["set-cookie"]
        assert resp.status_code == 303 and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert guarded.get("/", follow_redirects=False).status_code == 200
        assert guarded.get("/api/schema").status_code == 200


def test_non_loopback_bind_needs_a_token():
    with pytest.raises(ValueError, match="--token"):
        ServeConfig(host="0.0.0.0").check()
    ServeConfig(host="0.0.0.0", token="t").check()
    ServeConfig(host="0.0.0.0", insecure=True).check()
    ServeConfig(host="::1").check()


def test_serve_command_refuses_unsafe_or_broken_settings(tmp_path):
    from typer.testing import CliRunner

    from sayso import cli

    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0"], env={"SAYSO_TOKEN": ""})
    assert result.exit_code == 2 and "--token" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(cli.app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no such database" in result.output
    (tmp_path / "broken.duckdb").write_bytes(b"not a database")
    result = CliRunner().invoke(cli.app, ["serve", "--db", str(tmp_path / "broken.duckdb")])
    assert result.exit_code == 2 and result.output.count("\n") == 1


def test_url_input_goes_through_the_guarded_fetcher(analyzer):
    import http.server
    import threading

    page = f"<html><head><title>Dam report</title></head><body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/dam"
    try:
        with TestClient(create_app(ServeConfig(), analyzer=analyzer), base_url=BASE) as c:
            refused = c.post("/api/analyze", json={"url": url})
            assert refused.status_code == 422 and "non-public address" in one_line(refused)
        with TestClient(create_app(ServeConfig(allow_private=True), analyzer=analyzer), base_url=BASE) as c:
            resp = c.post("/api/analyze", json={"url": url, "id": "dam"})
            assert resp.status_code == 200
            report = resp.json()
            assert report["meta"]["title"] == "Dam report" and "dam was safe" in report["text"] and report["id"] == "dam"
    finally:
        httpd.shutdown()
